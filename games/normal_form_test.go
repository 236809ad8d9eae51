package games_test

import (
	"math"
	"testing"

	"meanfield/finite"
	"meanfield/games"
	"meanfield/mfg"
)

// OpenSpiel's normal_form_game_test.py: with the coop reward, action 0 pays 10.0 when everyone
// plays 0 and -20.0 when everyone plays 1 (assertAlmostEqual, 7 places; here exactly). The other
// values are the formulas of normal_form_game.py worked by hand.
func TestNormalFormRewards(t *testing.T) {
	reward := func(rf string, a int, nu []float64) float64 {
		g, err := games.NewFinite("normal-form", map[string]any{"reward-function": rf})
		if err != nil {
			t.Fatal(err)
		}
		st, err := g.Stage(0, mfg.Population{States: 1, Actions: 3, Mass: nu})
		if err != nil {
			t.Fatal(err)
		}
		return st.Reward[a]
	}
	third := []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}
	for _, c := range []struct {
		rf   string
		a    int
		nu   []float64
		want float64
	}{
		{"coop", 0, []float64{1, 0, 0}, 10},
		{"coop", 0, []float64{0, 1, 0}, -20},
		{"coop", 1, []float64{0.5, 0, 0.5}, 10 - 1190},
		{"coop", 2, []float64{0.75, 0, 0.25}, 2000.0 / 9 * 0.5 * 0.25},
		{"dom", 2, third, 2.0/3 - 0.25},
		{"dom", 1, third, 1.0 / 3},
		{"biased_indirect_rps", 0, third, (0.5 - 0.3) / 3},
		{"biased_indirect_rps", 1, []float64{1, 0, 0}, -0.7},
	} {
		if got := reward(c.rf, c.a, c.nu); math.Abs(got-c.want) > 1e-13 {
			t.Errorf("%s: f(%d, %v) = %.17g, want %.17g", c.rf, c.a, c.nu, got, c.want)
		}
	}
}

// In the dominated game (dom) action 2 pays 1/4 less than action 0 whatever ν: every
// equilibrium leaves it; everyone on action 0 is one.
func TestNormalFormDominatedAction(t *testing.T) {
	g := finiteGame(t, "normal-form", map[string]any{"reward-function": "dom"})
	if g.Horizon() != 0 || g.States() != 1 || g.Actions() != 3 {
		t.Fatalf("T = %d, %d states, %d actions: want a one-shot game of 3 actions", g.Horizon(), g.States(), g.Actions())
	}
	pi := finite.Uniform(g)
	e, err := finite.Exploitability(g, pi)
	if err != nil {
		t.Fatal(err)
	}
	// ν uniform: f = (2/3, 1/3, 5/12), mean 17/36; the best is 2/3 = 24/36.
	if math.Abs(e-7.0/36) > 1e-15 {
		t.Errorf("uniform exploitability %v, want 7/36", e)
	}
	pure := finite.Policy{mfg.NewPolicy(1, 3)}
	pure[0].Row(0)[0] = 1
	if e, _ := finite.Exploitability(g, pure); e != 0 {
		t.Errorf("everyone on action 0: exploitability %v, want 0 (f = (1, 0, 3/4))", e)
	}
}
