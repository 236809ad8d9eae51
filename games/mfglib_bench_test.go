package games_test

import (
	"context"
	"testing"
	"time"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
)

// mfglibGames are MFGLib 0.3.0's ten games, and mfglibAlgorithms the algorithms of ours that are
// MFGLib's (damped fixed point: its FictitiousPlay with a constant step).
var (
	mfglibGames = []string{"beach-bar", "building-evacuation", "conservative-treasure-hunting",
		"crowd-motion", "equilibrium-price", "left-right", "linear-quadratic", "random-linear",
		"rock-paper-scissors", "susceptible-infected"}
	mfglibAlgorithms = []string{"fictitious-play", "online-mirror-descent", "prior-descent",
		"damped-fixed-point"}
)

// BenchmarkMFGLibSideBySide times, for each of MFGLib's games at its defaults and each algorithm
// at ours, one iteration with its exploitability in-process: the marginal cost of 100 more
// iterations of engine.Solve (110 against 10 iterations, both from the uniform policy, every
// iteration's exploitability recorded), reported as s/iteration. The tables kept are those `mfg
// solve` keeps by default (--trace-matrices 0: the first iteration's and the last's), so that
// the in-process and whole-process figures time the same solve. scripts/bench-mfglib.sh runs it
// next to MFGLib and takes the median of its repetitions.
func BenchmarkMFGLibSideBySide(b *testing.B) {
	const short, long = 10, 110
	for _, gname := range mfglibGames {
		for _, aname := range mfglibAlgorithms {
			b.Run(gname+"/"+aname, func(b *testing.B) {
				g, err := games.New(gname, nil)
				if err != nil {
					b.Fatal(err)
				}
				alg, err := algorithms.New(aname)
				if err != nil {
					b.Fatal(err)
				}
				first := func(k int) bool { return k == 0 }
				solve := func(k int) time.Duration {
					start := time.Now()
					res, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: k, Exploitability: true, KeepTables: first})
					if err != nil {
						b.Fatal(err)
					}
					if len(res.Trace) != k+1 {
						b.Fatalf("%d iterations recorded, want %d", len(res.Trace), k+1)
					}
					return time.Since(start)
				}
				var dShort, dLong time.Duration
				for b.Loop() {
					dShort += solve(short)
					dLong += solve(long)
				}
				b.ReportMetric((dLong-dShort).Seconds()/float64(b.N*(long-short)), "s/iteration")
			})
		}
	}
}
