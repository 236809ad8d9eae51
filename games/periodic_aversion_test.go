package games_test

import (
	"math"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
)

// At the defaults (dx = 0.05, σ√dt = 0.1) the noise e has weight exp(-((e-10)/2)²/2), so
// p(10)/p(12) = e^{1/2} and p(10)/p(20) = e^{25/2}; they sum to 1.
func TestPeriodicAversionNoise(t *testing.T) {
	g, err := games.NewPeriodicAversion(games.DefaultPeriodicAversionParams())
	if err != nil {
		t.Fatal(err)
	}
	p := g.Noise()
	var total float64
	for e, q := range p {
		total += q
		if q != p[20-e] {
			t.Errorf("p(%d) = %v, p(%d) = %v: not symmetric", e, q, 20-e, p[20-e])
		}
	}
	if math.Abs(total-1) > 1e-15 || math.Abs(p[10]/p[12]-math.Exp(0.5)) > 1e-14 || math.Abs(p[10]/p[20]/math.Exp(12.5)-1) > 1e-14 {
		t.Errorf("noise %v", p)
	}
}

// The reward at cell 5 (position 1/4: sin 2πp = 1, cos 2πp = 0) under the uniform distribution
// (μ/dx = 20/21) is dt·(-v²/2 + log(21/20) + 2π²σ + 2/σ²), v the velocity of the charged move:
// none at t = 0; with OpenSpiel's accounting the first-visit move at t = 1 (at cell 5, reached
// first from cell 0 by action 0 and noise 4: move -10, v = -50); without it (the default), the
// agent's own.
func TestPeriodicAversionReward(t *testing.T) {
	quirk := games.DefaultPeriodicAversionParams()
	quirk.OpenSpielCosts = true
	g, err := games.NewPeriodicAversion(quirk)
	if err != nil {
		t.Fatal(err)
	}
	base := math.Log(21.0/20) + 2*math.Pi*math.Pi + 2
	L := mfg.UniformPopulation(21, 21)
	st0, _ := g.Stage(0, L)
	st1, _ := g.Stage(1, L)
	if first := g.FirstVisitMoves()[1][5]; first != 0 {
		t.Fatalf("first visit of (5, 1) after action %d, want 0", first)
	}
	for a := 0; a < 21; a++ {
		if got := st0.Reward[5*21+a]; math.Abs(got-0.01*base) > 1e-14 {
			t.Errorf("r(0, 5, %d) = %.17g, want %.17g", a, got, 0.01*base)
		}
		if got, want := st1.Reward[5*21+a], 0.01*(base-1250); math.Abs(got-want) > 1e-13 {
			t.Errorf("r(1, 5, %d) = %.17g, want %.17g", a, got, want)
		}
	}
	plain, _ := games.NewPeriodicAversion(games.DefaultPeriodicAversionParams())
	st, _ := plain.Stage(1, L)
	for a := 0; a < 21; a++ {
		v := float64(a-10) * 0.05 / 0.01
		if got, want := st.Reward[5*21+a], 0.01*(base-v*v/2); math.Abs(got-want) > 1e-13 {
			t.Errorf("plain r(1, 5, %d) = %.17g, want %.17g", a, got, want)
		}
	}
}

// Action a moves by a-n cells and the noise is centred: from cell 10 on a ring of 21, the mean
// next cell is 10 + a - n; the labels are the moves.
func TestPeriodicAversionLabels(t *testing.T) {
	g := finiteGame(t, "periodic-aversion", map[string]any{"n-actions-per-side": 2, "size": 41})
	checkMoves(t, g, []int{20}, map[string][]int{"-2": {-2}, "-1": {-1}, "0": {0}, "1": {1}, "2": {2}})
}
