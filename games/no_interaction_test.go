package games_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
)

// Helpers for the tests of Bench-MFG's stationary games (no-interaction, multiple-equilibria,
// skew-rps, four-rooms-obstacles).

// benchRow returns P(·|s, a) as a map from successor to probability.
func benchRow(m *mfg.MDP, s, a int) map[int]float64 {
	next, prob := m.Successors(s, a)
	row := map[int]float64{}
	for i, sp := range next {
		row[sp] += prob[i]
	}
	return row
}

// checkBenchRow fails unless P(·|s, a) is want, within 1e-15 per entry.
func checkBenchRow(t *testing.T, m *mfg.MDP, s, a int, want map[int]float64) {
	t.Helper()
	got := benchRow(m, s, a)
	for sp, p := range want {
		if math.Abs(got[sp]-p) > 1e-15 {
			t.Errorf("P(%d|s=%d, a=%d) = %v, want %v (whole row %v)", sp, s, a, got[sp], p, got)
		}
	}
	for sp, p := range got {
		if _, ok := want[sp]; !ok && p != 0 {
			t.Errorf("P(%d|s=%d, a=%d) = %v, want 0 (whole row %v)", sp, s, a, p, got)
		}
	}
}

// checkBenchRowsAreDistributions fails unless every row of m is a distribution on 0..S-1.
func checkBenchRowsAreDistributions(t *testing.T, m *mfg.MDP) {
	t.Helper()
	for s := 0; s < m.States; s++ {
		for a := 0; a < m.Actions; a++ {
			next, prob := m.Successors(s, a)
			total := 0.0
			for i, sp := range next {
				if sp < 0 || sp >= m.States || !(prob[i] >= 0) {
					t.Fatalf("P(%d|%d,%d) = %v", sp, s, a, prob[i])
				}
				total += prob[i]
			}
			if math.Abs(total-1) > 1e-12 {
				t.Errorf("P(·|%d,%d) sums to %v", s, a, total)
			}
		}
	}
}

// benchPopulation spreads the state distribution mu over the A actions unevenly (weights 1..A),
// so that a game reading the action marginal instead of μ would be caught.
func benchPopulation(mu []float64, A int) mfg.Population {
	L := mfg.NewPopulation(len(mu), A)
	w := float64(A*(A+1)) / 2
	for s, m := range mu {
		for a := 0; a < A; a++ {
			L.Mass[s*A+a] = m * float64(a+1) / w
		}
	}
	return L
}

// checkBenchValidation fails unless each parameter set is refused with an error naming all its
// wants.
func checkBenchValidation(t *testing.T, cases []struct {
	p     games.Parameters
	wants []string
}) {
	t.Helper()
	for _, c := range cases {
		err := c.p.Validate()
		if err == nil {
			t.Errorf("Validate accepted %+v", c.p)
			continue
		}
		for _, w := range c.wants {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%+v: error %q does not mention %q", c.p, err, w)
			}
		}
	}
}

// No-interaction chain: r(s, a) = -κ|move| + s, s' = clip(s + move + ε, 0, 6) with ε = -1, 0, +1
// of probabilities 0.025, 0.95, 0.025 (Bench-MFG BENCHMFG_SPEC §1.1.3); the values are worked out
// by hand from those formulas.
func TestNoInteraction(t *testing.T) {
	g, err := games.NewNoInteraction(games.DefaultNoInteractionParams())
	if err != nil {
		t.Fatal(err)
	}
	if g.Discount() != 0.9 || g.States() != 7 || g.Actions() != 3 {
		t.Fatalf("defaults: γ = %v, %d×%d", g.Discount(), g.States(), g.Actions())
	}
	rng := rand.New(rand.NewPCG(14, 2))
	for _, kind := range populationKinds {
		m, err := g.MDP(randomPopulation(rng, 7, 3, kind))
		if err != nil {
			t.Fatal(err)
		}
		checkBenchRowsAreDistributions(t, m)
		// κ = 0.1: moving costs 0.1; the reward is the position.
		for _, c := range []struct {
			s, a int
			want float64
		}{{3, 0, 2.9}, {0, 1, 0}, {6, 2, 5.9}, {4, 1, 4}, {1, 0, 0.9}} {
			if got := m.Reward[c.s*3+c.a]; math.Abs(got-c.want) > 1e-14 {
				t.Errorf("%s: r(%d,%d) = %v, want %v", kind, c.s, c.a, got, c.want)
			}
		}
		checkBenchRow(t, m, 0, 0, map[int]float64{0: 1})               // -2, -1, 0 all clip to 0
		checkBenchRow(t, m, 0, 1, map[int]float64{0: 0.975, 1: 0.025}) // -1 clips to 0
		checkBenchRow(t, m, 3, 2, map[int]float64{3: 0.025, 4: 0.95, 5: 0.025})
		checkBenchRow(t, m, 5, 2, map[int]float64{5: 0.025, 6: 0.975})
		checkBenchRow(t, m, 6, 2, map[int]float64{6: 1})
		checkBenchRow(t, m, 2, 0, map[int]float64{0: 0.025, 1: 0.95, 2: 0.025})
	}
	h, err := games.NewNoInteraction(games.NoInteractionParams{MovementPenalty: -2.5, Discount: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	m, err := h.MDP(h.InitialPopulation())
	if err != nil {
		t.Fatal(err)
	}
	if m.Discount != 0.5 || m.Reward[2*3+0] != 4.5 || m.Reward[2*3+1] != 2 {
		t.Errorf("κ = -2.5, γ = 0.5: γ = %v, r(2, left) = %v (want 4.5), r(2, stay) = %v (want 2)", m.Discount, m.Reward[6], m.Reward[7])
	}
	checkBenchValidation(t, []struct {
		p     games.Parameters
		wants []string
	}{
		{games.NoInteractionParams{MovementPenalty: math.NaN(), Discount: 0.9}, []string{"movement-penalty", "NaN"}},
		{games.NoInteractionParams{MovementPenalty: math.Inf(1), Discount: 0.9}, []string{"movement-penalty", "+Inf"}},
		{games.NoInteractionParams{MovementPenalty: 0.1, Discount: 1}, []string{"discount", "1"}},
		{games.NoInteractionParams{MovementPenalty: 0.1, Discount: 0}, []string{"discount", "0"}},
	})
	if _, err := g.MDP(mfg.UniformPopulation(7, 2)); err == nil {
		t.Error("MDP accepted a 7×2 population")
	}
	if got := strings.Join(mfg.ActionLabels(g), " "); got != "left stay right" {
		t.Errorf("action labels %q", got)
	}
}
