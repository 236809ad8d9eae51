package engine_test

import (
	"context"
	"testing"

	"pgregory.net/rapid"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
	"meanfield/mfg"
)

// The exploitability is never negative beyond rounding: on random instances of MFGLib's random
// linear game (random size, horizon and seed) and on random auctions, for random policies and
// along a few iterations of a policy method.
func TestExploitabilityIsNeverNegative(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var g mfg.Game
		var err error
		if rapid.Bool().Draw(t, "finite") {
			g, err = games.New("random-linear", map[string]any{
				"n": rapid.IntRange(2, 5).Draw(t, "n"), "T": rapid.IntRange(0, 4).Draw(t, "T"),
				"seed": rapid.IntRange(0, 1000).Draw(t, "seed"),
			})
		} else {
			size := rapid.IntRange(2, 5).Draw(t, "size")
			g, err = games.New("auction", map[string]any{"states": size, "actions": size, "discount": rapid.Float64Range(0.1, 0.95).Draw(t, "discount")})
		}
		if err != nil {
			t.Fatal(err)
		}
		algs := []engine.Algorithm{algorithms.OnlineMirrorDescent{Alpha: rapid.Float64Range(0.1, 5).Draw(t, "alpha")}, algorithms.FictitiousPlay{}}
		alg := algs[rapid.IntRange(0, 1).Draw(t, "alg")]
		res, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: 3, Exploitability: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range res.Trace {
			if e := it.Exploitability; !(e >= -1e-9) {
				t.Fatalf("iteration %d: exploitability %v", it.K, e)
			}
		}
	})
}
