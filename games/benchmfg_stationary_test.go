package games_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
)

// popOnStates returns the population with state marginal mu, all of it on action 0, so that the
// marginal the game reads back is exactly mu.
func popOnStates(mu []float64, actions int) mfg.Population {
	L := mfg.NewPopulation(len(mu), actions)
	for s, m := range mu {
		L.Mass[s*actions] = m
	}
	return L
}

// probTo is P(next | s, a) read from the MDP's sparse row.
func probTo(m *mfg.MDP, s, a, next int) float64 {
	ns, ps := m.Successors(s, a)
	var p float64
	for i, n := range ns {
		if n == next {
			p += ps[i]
		}
	}
	return p
}

type benchPoint struct {
	s, a int
	r    float64
	p    map[int]float64 // the whole row: next state → probability
}

func checkBenchPoints(t *testing.T, name string, m *mfg.MDP, pts []benchPoint) {
	t.Helper()
	for _, pt := range pts {
		if got := m.Reward[pt.s*m.Actions+pt.a]; math.Abs(got-pt.r) > 1e-12 {
			t.Errorf("%s: r(%d,%d) = %v, want %v", name, pt.s, pt.a, got, pt.r)
		}
		var total float64
		for next, want := range pt.p {
			total += want
			if got := probTo(m, pt.s, pt.a, next); math.Abs(got-want) > 1e-12 {
				t.Errorf("%s: P(%d|%d,%d) = %v, want %v", name, next, pt.s, pt.a, got, want)
			}
		}
		if math.Abs(total-1) > 1e-12 {
			t.Fatalf("%s: test point (%d,%d) is not a whole row", name, pt.s, pt.a)
		}
	}
}

// Every row of every Bench-MFG game's MDP is a distribution over valid states, at random
// populations as well as at the initial one.
func TestBenchMFGRowsAreDistributions(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	for _, name := range []string{"contraction", "lasry-lions-chain", "sis-epidemic", "kinetic-congestion"} {
		g, err := games.New(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		mb := g.(mfg.ModelBased)
		S, A := g.States(), g.Actions()
		for k := 0; k < 20; k++ {
			L := mb.InitialPopulation()
			if k > 0 {
				for i := range L.Mass {
					L.Mass[i] = rng.ExpFloat64()
				}
				var z float64
				for _, x := range L.Mass {
					z += x
				}
				for i := range L.Mass {
					L.Mass[i] /= z
				}
			}
			m, err := mb.MDP(L)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if m.Discount != 0.9 {
				t.Errorf("%s: γ = %v, want Bench-MFG's 0.9", name, m.Discount)
			}
			for s := 0; s < S; s++ {
				for a := 0; a < A; a++ {
					ns, ps := m.Successors(s, a)
					var sum float64
					for i, n := range ns {
						if n < 0 || n >= S || !(ps[i] >= 0) {
							t.Fatalf("%s: P(%d|%d,%d) = %v", name, n, s, a, ps[i])
						}
						sum += ps[i]
					}
					if math.Abs(sum-1) > 1e-12 {
						t.Errorf("%s: row (%d,%d) sums to %v", name, s, a, sum)
					}
				}
			}
		}
		L0 := mb.InitialPopulation()
		for _, x := range L0.Mass {
			if math.Abs(x-1/float64(S*A)) > 1e-15 {
				t.Fatalf("%s: initial population %v is not uniform", name, L0.Mass)
			}
		}
	}
}

// Contraction game, spec §1.1.1: r = -C·1[switch] - α μ(s), stay keeps s, switch goes to 1-s.
// At μ = (0.75, 0.25) with C = α = 2: r(0,stay) = -1.5, r(0,switch) = -3.5, r(1,stay) = -0.5,
// r(1,switch) = -2.5.
func TestContractionByHand(t *testing.T) {
	g, err := games.New("contraction", nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := g.(mfg.ModelBased).MDP(popOnStates([]float64{0.75, 0.25}, 2))
	if err != nil {
		t.Fatal(err)
	}
	checkBenchPoints(t, "contraction", m, []benchPoint{
		{0, 0, -1.5, map[int]float64{0: 1}},
		{0, 1, -3.5, map[int]float64{1: 1}},
		{1, 0, -0.5, map[int]float64{1: 1}},
		{1, 1, -2.5, map[int]float64{0: 1}},
	})
}

// Lasry–Lions chain, spec §1.1.2, at Bench-MFG's configuration (S = 7, α = 40, κ = 2, c = 3,
// noise 0.025/0.95/0.025): r = -κ|move| - c(s-3)² - α μ(s), s' = clip(s + move + ε, 0, 6).
func TestLasryLionsChainByHand(t *testing.T) {
	g, err := games.New("lasry-lions-chain", nil)
	if err != nil {
		t.Fatal(err)
	}
	mu := []float64{0.25, 0, 0, 0.5, 0, 0.125, 0.125}
	m, err := g.(mfg.ModelBased).MDP(popOnStates(mu, 3))
	if err != nil {
		t.Fatal(err)
	}
	checkBenchPoints(t, "lasry-lions-chain", m, []benchPoint{
		{0, 0, -2 - 27 - 10, map[int]float64{0: 1}},                       // left from 0: every ε clipped to 0
		{0, 1, -27 - 10, map[int]float64{0: 0.975, 1: 0.025}},             // stay: ε = -1 clipped
		{3, 2, -2 - 0 - 20, map[int]float64{3: 0.025, 4: 0.95, 5: 0.025}}, // right from the centre
		{5, 2, -2 - 12 - 5, map[int]float64{5: 0.025, 6: 0.975}},          // right from 5: ε = 0, +1 both at 6
		{6, 2, -2 - 27 - 5, map[int]float64{6: 1}},
		{2, 0, -2 - 3, map[int]float64{0: 0.025, 1: 0.95, 2: 0.025}},
	})
	// Without noise and on a chain of 2: centre 0.5, moves are sure.
	g2, err := games.New("lasry-lions-chain", map[string]any{"states": 2, "noise-prob": 0.0, "crowd-penalty": 1.0, "center-attraction": 4.0, "movement-penalty": 0.5})
	if err != nil {
		t.Fatal(err)
	}
	m2, err := g2.(mfg.ModelBased).MDP(popOnStates([]float64{0.75, 0.25}, 3))
	if err != nil {
		t.Fatal(err)
	}
	checkBenchPoints(t, "lasry-lions-chain 2", m2, []benchPoint{
		{0, 2, -0.5 - 1 - 0.75, map[int]float64{1: 1}},
		{1, 1, -1 - 0.25, map[int]float64{1: 1}},
		{1, 2, -0.5 - 1 - 0.25, map[int]float64{1: 1}},
	})
}

// SIS epidemic, spec §1.1.5: from susceptible, infection with probability min(1, β x μ(I)),
// from infected recovery with ν, both rounded as Bench-MFG's 100 atoms (n+0.5)/100 < p do;
// r = x - C·1[infected]. The roundings below are counted by hand: p = 0.125 gives atoms
// n = 0..11 (12.5 is not < 12.5), so 0.12; p = 0.25 gives 0.25; ν = 0.106 gives n = 0..10, 0.11 (ν = 0.105 would give 0.10).
func TestSISEpidemicByHand(t *testing.T) {
	g, err := games.New("sis-epidemic", map[string]any{"actions": 3, "infection-rate": 1.0, "recovery-rate": 0.106, "infection-cost": 10.0})
	if err != nil {
		t.Fatal(err)
	}
	m, err := g.(mfg.ModelBased).MDP(popOnStates([]float64{0.75, 0.25}, 3))
	if err != nil {
		t.Fatal(err)
	}
	checkBenchPoints(t, "sis-epidemic", m, []benchPoint{
		{0, 0, 0, map[int]float64{0: 1}},
		{0, 1, 0.5, map[int]float64{0: 0.88, 1: 0.12}},
		{0, 2, 1, map[int]float64{0: 0.75, 1: 0.25}},
		{1, 0, -10, map[int]float64{0: 0.11, 1: 0.89}},
		{1, 2, -9, map[int]float64{0: 0.11, 1: 0.89}},
	})
	// Bench-MFG's configuration (β = 0.8, ν = 0.1, C = 10, levels 0, .25, .5, .75, 1) at the
	// uniform μ: infection 0.8·x·0.5 = 0.4x, i.e. 0.1 at x = 0.25 and 0.4 at x = 1; ν = 0.1 is 10 atoms.
	gd, err := games.New("sis-epidemic", nil)
	if err != nil {
		t.Fatal(err)
	}
	md, err := gd.(mfg.ModelBased).MDP(popOnStates([]float64{0.5, 0.5}, 5))
	if err != nil {
		t.Fatal(err)
	}
	checkBenchPoints(t, "sis-epidemic defaults", md, []benchPoint{
		{0, 1, 0.25, map[int]float64{0: 0.9, 1: 0.1}},
		{0, 4, 1, map[int]float64{0: 0.6, 1: 0.4}},
		{1, 3, 0.75 - 10, map[int]float64{0: 0.1, 1: 0.9}},
	})
	// A sure infection (β x μ(I) = 5, clipped to 1) and a recovery too small for any atom
	// (ν = 0.005: the first roll 0.005 is not below it).
	gc, err := games.New("sis-epidemic", map[string]any{"actions": 2, "infection-rate": 10.0, "recovery-rate": 0.005})
	if err != nil {
		t.Fatal(err)
	}
	mc, err := gc.(mfg.ModelBased).MDP(popOnStates([]float64{0.5, 0.5}, 2))
	if err != nil {
		t.Fatal(err)
	}
	checkBenchPoints(t, "sis-epidemic clipped", mc, []benchPoint{
		{0, 1, 1, map[int]float64{1: 1}},
		{1, 0, -10, map[int]float64{1: 1}},
	})
}

// Kinetic congestion, spec §1.1.6. On a 2×2 grid (states (row, col) → 2row + col, row 0 at the
// bottom) with θ = 0.5, target 3 and μ = (0.0625, 0.5, 0.4375, 0): a move into y succeeds with
// 1 - min(1, μ(y)/θ) rounded down to the atoms: into 2, 1 - 0.875 = 0.125 → 0.12; into 1,
// μ ≥ θ → 0; into 0, 1 - 0.125 = 0.875 → 0.87; into 3, 1. r = -1[s ≠ 3] - 0.1·1[a ≠ stay].
func TestKineticCongestionByHand(t *testing.T) {
	g, err := games.New("kinetic-congestion", map[string]any{"dimension": 2, "target-state": 3, "capacity-threshold": 0.5})
	if err != nil {
		t.Fatal(err)
	}
	m, err := g.(mfg.ModelBased).MDP(popOnStates([]float64{0.0625, 0.5, 0.4375, 0}, 5))
	if err != nil {
		t.Fatal(err)
	}
	const up, right, down, left, stay = 0, 1, 2, 3, 4
	checkBenchPoints(t, "kinetic-congestion", m, []benchPoint{
		{0, up, -1.1, map[int]float64{0: 0.88, 2: 0.12}},
		{0, right, -1.1, map[int]float64{0: 1}},
		{0, down, -1.1, map[int]float64{0: 1}}, // a wall: stays, and pays the move
		{0, stay, -1, map[int]float64{0: 1}},
		{2, down, -1.1, map[int]float64{0: 0.87, 2: 0.13}},
		{2, right, -1.1, map[int]float64{3: 1}},
		{3, stay, 0, map[int]float64{3: 1}},
		{3, left, -0.1, map[int]float64{2: 0.12, 3: 0.88}},
		{3, up, -0.1, map[int]float64{3: 1}},
	})
	// Bench-MFG's configuration (5×5, θ = 0.18, target 24) at the uniform μ = 1/25: every move
	// into a neighbour succeeds with 1 - 0.04/0.18 = 7/9 = 0.777…, i.e. 78 atoms.
	gd, err := games.New("kinetic-congestion", nil)
	if err != nil {
		t.Fatal(err)
	}
	md, err := gd.(mfg.ModelBased).MDP(gd.(mfg.Stationary).InitialPopulation())
	if err != nil {
		t.Fatal(err)
	}
	checkBenchPoints(t, "kinetic-congestion defaults", md, []benchPoint{
		{0, up, -1.1, map[int]float64{0: 0.22, 5: 0.78}},
		{12, left, -1.1, map[int]float64{11: 0.78, 12: 0.22}},
		{24, stay, 0, map[int]float64{24: 1}},
		{19, up, -1.1, map[int]float64{19: 0.22, 24: 0.78}},
	})
	if got := mfg.StateLabels(gd)[7]; got != "(1, 2)" {
		t.Errorf("state 7 is %q, want (1, 2)", got)
	}
}
