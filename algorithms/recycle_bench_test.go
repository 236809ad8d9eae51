package algorithms_test

import (
	"context"
	"testing"
	"time"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
)

// BenchmarkIterationDroppingTables times one iteration with its exploitability in-process when
// the trace keeps no iteration's tables but the last's (mfg solve --trace-matrices 0): the
// marginal cost of 1000 more iterations of engine.Solve (1010 against 10), reported as
// ns/iteration, where the engine and the runs reuse the memory of the tables dropped.
func BenchmarkIterationDroppingTables(b *testing.B) {
	const short, long = 10, 1010
	for _, gname := range []string{"left-right", "beach-bar", "rock-paper-scissors", "equilibrium-price"} {
		for _, aname := range []string{"fictitious-play", "online-mirror-descent", "prior-descent", "damped-fixed-point"} {
			b.Run(gname+"/"+aname, func(b *testing.B) {
				g, err := games.New(gname, nil)
				if err != nil {
					b.Fatal(err)
				}
				alg, err := algorithms.New(aname)
				if err != nil {
					b.Fatal(err)
				}
				solve := func(k int) time.Duration {
					start := time.Now()
					opt := engine.Options{Iterations: k, Exploitability: true, KeepTables: func(int) bool { return false }}
					if _, err := engine.Solve(context.Background(), g, alg, opt); err != nil {
						b.Fatal(err)
					}
					return time.Since(start)
				}
				var dShort, dLong time.Duration
				for b.Loop() {
					dShort += solve(short)
					dLong += solve(long)
				}
				b.ReportMetric(float64((dLong-dShort).Nanoseconds())/float64(b.N*(long-short)), "ns/iteration")
			})
		}
	}
}
