package games_test

import (
	"math"
	"testing"

	"meanfield/games"
)

// Multiple equilibria: r(s, a, μ) = -c₁|move| - c₂ min_t |s - t| + α μ(s) with Bench-MFG's
// shipped c₁ = 4, c₂ = 20, α = 5, targets {2, 4}, on the chain of the no-interaction game
// (BENCHMFG_SPEC §1.1.4); the values are worked out by hand from that formula.
func TestMultipleEquilibria(t *testing.T) {
	g, err := games.NewMultipleEquilibria(games.DefaultMultipleEquilibriaParams())
	if err != nil {
		t.Fatal(err)
	}
	if g.Discount() != 0.9 || g.States() != 7 || g.Actions() != 3 {
		t.Fatalf("defaults: γ = %v, %d×%d", g.Discount(), g.States(), g.Actions())
	}
	mu := []float64{0.1, 0.2, 0.3, 0.4, 0, 0, 0}
	m, err := g.MDP(benchPopulation(mu, 3))
	if err != nil {
		t.Fatal(err)
	}
	checkBenchRowsAreDistributions(t, m)
	for _, c := range []struct {
		s, a int
		want float64
	}{
		{3, 2, -4 - 20 + 5*0.4}, // distance 1 to either target
		{2, 1, 5 * 0.3},         // on a target, staying
		{0, 2, -4 - 40 + 5*0.1}, // distance 2 to target 2
		{6, 0, -4 - 40},         // distance 2 to target 4, empty
		{4, 1, 0},               // on target 4, empty
		{1, 0, -4 - 20 + 5*0.2},
	} {
		if got := m.Reward[c.s*3+c.a]; math.Abs(got-c.want) > 1e-13 {
			t.Errorf("r(%d,%d) = %v, want %v", c.s, c.a, got, c.want)
		}
	}
	checkBenchRow(t, m, 0, 0, map[int]float64{0: 1})
	checkBenchRow(t, m, 6, 1, map[int]float64{5: 0.025, 6: 0.975})
	checkBenchRow(t, m, 4, 0, map[int]float64{2: 0.025, 3: 0.95, 4: 0.025})

	// One target at 0, other coefficients.
	h, err := games.NewMultipleEquilibria(games.MultipleEquilibriaParams{MovementPenalty: 1, Beta: 2, Alpha: 3, Targets: []int{0}, Discount: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	m, err = h.MDP(h.InitialPopulation()) // μ uniform, 1/7
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.Reward[5*3+2], -1-2*5+3.0/7; m.Discount != 0.5 || math.Abs(got-want) > 1e-14 {
		t.Errorf("targets [0]: γ = %v, r(5, right) = %v, want %v", m.Discount, got, want)
	}

	ok := games.DefaultMultipleEquilibriaParams()
	with := func(f func(*games.MultipleEquilibriaParams)) games.MultipleEquilibriaParams {
		p := ok
		p.Targets = []int{2, 4}
		f(&p)
		return p
	}
	checkBenchValidation(t, []struct {
		p     games.Parameters
		wants []string
	}{
		{with(func(p *games.MultipleEquilibriaParams) { p.MovementPenalty = math.NaN() }), []string{"movement-penalty", "NaN"}},
		{with(func(p *games.MultipleEquilibriaParams) { p.Beta = math.Inf(-1) }), []string{"beta", "-Inf"}},
		{with(func(p *games.MultipleEquilibriaParams) { p.Beta = -0.5 }), []string{"beta", "-0.5"}},
		{with(func(p *games.MultipleEquilibriaParams) { p.MovementPenalty = -1 }), []string{"movement-penalty", "-1"}},
		{with(func(p *games.MultipleEquilibriaParams) { p.Alpha = math.Inf(1) }), []string{"alpha", "+Inf"}},
		{with(func(p *games.MultipleEquilibriaParams) { p.Targets = nil }), []string{"targets", "[]"}},
		{with(func(p *games.MultipleEquilibriaParams) { p.Targets = []int{2, 7} }), []string{"targets", "[2 7]", "7"}},
		{with(func(p *games.MultipleEquilibriaParams) { p.Targets = []int{-1} }), []string{"targets", "-1"}},
		{with(func(p *games.MultipleEquilibriaParams) { p.Discount = 1.5 }), []string{"discount", "1.5"}},
	})
}
