package games_test

import (
	"context"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
)

// An iteration of MFGLib's algorithms on its small games, and on those of its games whose
// transitions depend on the population that have few time steps, allocates nothing of its own
// (issue 12): the stages and Q-functions live in the engine's reused memory (mfg.StageWriter, the
// transitions too where they depend on the population), the steps'
// scratch in their runs', and what the trace keeps (policy, mean field) comes from chunks shared
// by many iterations. Checked as the marginal allocations of engine.Solve from 10 to 110
// iterations, as BenchmarkMFGLibSideBySide times it: at most one allocation per 5 iterations
// (the chunks, which double up to 32 KiB: about 12 in those 100), where there were 9 to 22 an
// iteration.
func TestSmallGameIterationsAllocateNothing(t *testing.T) {
	for _, gname := range []string{"beach-bar", "left-right", "rock-paper-scissors", "equilibrium-price", "random-linear", "conservative-treasure-hunting", "linear-quadratic"} {
		for _, aname := range mfglibAlgorithms {
			g, err := games.New(gname, nil)
			if err != nil {
				t.Fatal(err)
			}
			alg, err := algorithms.New(aname)
			if err != nil {
				t.Fatal(err)
			}
			allocs := func(k int) float64 {
				return testing.AllocsPerRun(3, func() {
					if _, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: k, Exploitability: true}); err != nil {
						t.Fatal(err)
					}
				})
			}
			if per := (allocs(110) - allocs(10)) / 100; per > 0.2 {
				t.Errorf("%s on %s: %.2f allocations per iteration, want at most 0.2", aname, gname, per)
			}
		}
	}
}
