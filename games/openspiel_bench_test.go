package games_test

import (
	"context"
	"testing"
	"time"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
)

// BenchmarkOpenSpielGames times, for each of OpenSpiel's games ported here at its defaults
// (dynamic-routing at the setting of OpenSpiel's Braess tests, dynamic_routing_braess: H 100,
// Δ 0.05) and each of the four MFGLib-style algorithms, one iteration with its exploitability in-process,
// as BenchmarkMFGLibSideBySide does: the marginal cost of 100 more iterations of engine.Solve
// (110 against 10, from the uniform policy), reported as s/iteration.
func BenchmarkOpenSpielGames(b *testing.B) {
	const short, long = 10, 110
	params := map[string]map[string]any{"dynamic-routing": {"max-num-time-step": 100, "time-step-length": 0.05}}
	for _, gname := range []string{"crowd-modelling", "garnet", "lin-quad", "periodic-aversion", "normal-form",
		"crowd-modelling-2d", "crowd-modelling-2d-four-rooms", "crowd-modelling-2d-maze", "predator-prey", "crowd-avoidance",
		"dynamic-routing"} {
		for _, aname := range mfglibAlgorithms {
			b.Run(gname+"/"+aname, func(b *testing.B) {
				g, err := games.New(gname, params[gname])
				if err != nil {
					b.Fatal(err)
				}
				alg, err := algorithms.New(aname)
				if err != nil {
					b.Fatal(err)
				}
				solve := func(k int) time.Duration {
					start := time.Now()
					if _, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: k, Exploitability: true}); err != nil {
						b.Fatal(err)
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
