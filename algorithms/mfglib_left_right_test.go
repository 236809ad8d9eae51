package algorithms

import (
	"context"
	"fmt"
	"math"
	"testing"

	"meanfield/engine"
	"meanfield/games"
)

// MFGLib 0.3.0's test_alg_on_lr (tests/test_algorithms.py): each of its algorithms on left-right
// from each of four initial distributions, 4000 iterations (solve(max_iter=4000, atol=None,
// rtol=None): no early stop); the mass choosing left at t = 0, Σ_s μ0(s) π_last(left|0, s), must
// equal 2/3 to numpy's assert_approx_equal(significant=2) — for values near 2/3, |x - 2/3| < 0.01 —
// and every row of π_last must sum to 1 (here to 1e-12; MFGLib's assert_close allows float32's
// 1e-5).
//
// The equilibrium: at t = 1 an agent in left pays μ_1(left), in right 2 μ_1(right), so the mass
// splits 2/3 : 1/3 whatever μ0.
func TestMFGLibLeftRight(t *testing.T) {
	algs := []struct {
		name  string
		build func() (engine.Algorithm, error)
	}{
		{"FictitiousPlay(alpha=0.01)", func() (engine.Algorithm, error) {
			return FictitiousPlay{Alpha: 0.01, TieBreak: TieSplit}, nil
		}},
		{"PriorDescent(eta=2.0, n_inner=60)", func() (engine.Algorithm, error) { return PriorDescent{Eta: 2, Inner: 60}, nil }},
		{"OnlineMirrorDescent(alpha=0.01)", func() (engine.Algorithm, error) { return OnlineMirrorDescent{Alpha: 0.01}, nil }},
		// MFGLib's policy threshold at atol = rtol = None is 1e-7; the default 0 passes too.
		{"OccupationMeasureInclusion(alpha=0.01)", func() (engine.Algorithm, error) {
			return OccupationMeasureInclusion{Alpha: 0.01, PolicyThreshold: 1e-7}, nil
		}},
		{"OccupationMeasureInclusion(alpha=0.01), threshold 0", func() (engine.Algorithm, error) {
			return OccupationMeasureInclusion{Alpha: 0.01}, nil
		}},
		// MFGLib's MFOMO() with all its defaults (Adam lr 0.1, loss l1_l2, hat_init), which are
		// mf-omo's. (From the uniform μ0 the run is decided by rounding after its 10th iteration,
		// TestMFOMOMatchesMFGLibFloat64; its end is 0.66345 here, 0.66663 in MFGLib, both within.)
		{"MFOMO()", func() (engine.Algorithm, error) { return *DefaultMFOMO(), nil }},
	}
	starts := [][]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1.0 / 3, 1.0 / 3, 1.0 / 3}}
	for _, a := range algs {
		for _, mu0 := range starts {
			t.Run(fmt.Sprintf("%s/mu0=%.3g", a.name, mu0), func(t *testing.T) {
				alg, err := a.build()
				if err != nil {
					t.Fatal(err)
				}
				leftRightCheck(t, alg, mu0)
			})
		}
	}
}

func leftRightCheck(t *testing.T, alg engine.Algorithm, mu0 []float64) {
	g, err := games.NewLeftRight(games.LeftRightParams{Mu0: mu0})
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: 4000, FinalOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(res.Trace); n != 4001 {
		t.Fatalf("%d iterations recorded, want 4001", n)
	}
	pi := res.Final().Policy
	if len(pi) != 2 || pi[0].States != 3 || pi[0].Actions != 2 {
		t.Fatalf("last policy has %d times of %d×%d, want 2 of 3×2", len(pi), pi[0].States, pi[0].Actions)
	}
	var left float64
	for s, m := range mu0 {
		left += m * pi[0].Row(s)[0]
	}
	t.Logf("mass choosing left at t = 0: %.6f", left)
	if math.Abs(left-2.0/3) >= 0.01 {
		t.Errorf("mass choosing left at t = 0 = %.6f, want 2/3 to 2 significant digits", left)
	}
	for tt, p := range pi {
		for s := 0; s < p.States; s++ {
			var sum float64
			for _, x := range p.Row(s) {
				sum += x
			}
			if math.Abs(sum-1) > 1e-12 {
				t.Errorf("π_%d(·|%d) sums to %.15g", tt, s, sum)
			}
		}
	}
}
