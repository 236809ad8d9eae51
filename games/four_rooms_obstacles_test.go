package games_test

import (
	"math"
	"strings"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
)

// Four rooms with obstacles (BENCHMFG_SPEC §1.1.7): state row·11 + col, row 0 at the bottom;
// walls on row 5 and column 5 but the doors (2,5), (8,5), (5,8), (5,2); the action's move and
// the noise's move (up, right, down, left, stay) add up, and an end cell off the grid or in a
// wall leaves the agent where it was; r = -α log(max(μ(s), ε)). The rows below are worked out
// by hand.
func TestFourRoomsObstacles(t *testing.T) {
	g, err := games.NewFourRoomsObstacles(games.DefaultFourRoomsObstaclesParams())
	if err != nil {
		t.Fatal(err)
	}
	if g.Discount() != 0.9 || g.States() != 121 || g.Actions() != 5 {
		t.Fatalf("defaults: γ = %v, %d×%d", g.Discount(), g.States(), g.Actions())
	}
	cell := func(r, c int) int { return r*11 + c }
	const up, right, down, left, stay = 0, 1, 2, 3, 4

	// Bench-MFG's μ0 is uniform over all 121 cells, walls included.
	L0 := g.InitialPopulation()
	for s, m := range L0.StateMarginal(nil) {
		if math.Abs(m-1.0/121) > 1e-15 {
			t.Fatalf("μ0(%d) = %v, want 1/121", s, m)
		}
	}
	m, err := g.MDP(L0)
	if err != nil {
		t.Fatal(err)
	}
	checkBenchRowsAreDistributions(t, m)
	for _, s := range []int{0, cell(5, 5), 120} {
		if got := m.Reward[s*5+up]; math.Abs(got-4.795790545596741) > 1e-14 { // log 121
			t.Errorf("uniform μ: r(%d, up) = %v, want log 121", s, got)
		}
	}
	checkBenchRow(t, m, cell(0, 0), down, map[int]float64{cell(0, 0): 1})
	checkBenchRow(t, m, cell(0, 0), up, map[int]float64{cell(2, 0): 0.2, cell(1, 1): 0.2, cell(1, 0): 0.2, cell(0, 0): 0.4})
	// Up from (4,4) only lands at (6,4), over the wall; (5,4), (5,5) and (5,3) are walls.
	checkBenchRow(t, m, cell(4, 4), up, map[int]float64{cell(6, 4): 0.2, cell(4, 4): 0.8})
	// The centre of the cross is a wall surrounded by walls: an agent there stays.
	checkBenchRow(t, m, cell(5, 5), stay, map[int]float64{cell(5, 5): 1})
	// An agent in the wall cell (5,4) leaves it when the cell it reaches is free: (6,3), (4,3) and
	// the door (5,2), two steps left; (5,4) itself and (5,3) are walls.
	checkBenchRow(t, m, cell(5, 4), left, map[int]float64{cell(6, 3): 0.2, cell(5, 4): 0.4, cell(4, 3): 0.2, cell(5, 2): 0.2})
	// Through the door (5,2).
	checkBenchRow(t, m, cell(5, 2), up, map[int]float64{cell(7, 2): 0.2, cell(6, 3): 0.2, cell(5, 2): 0.2, cell(6, 1): 0.2, cell(6, 2): 0.2})
	// In the top right corner, right ends off the grid or back in the corner; left goes to (9,9),
	// (10,8), (10,9), or stays (off the grid, or back).
	checkBenchRow(t, m, cell(10, 10), right, map[int]float64{cell(10, 10): 1})
	checkBenchRow(t, m, cell(10, 10), left, map[int]float64{cell(10, 10): 0.4, cell(9, 9): 0.2, cell(10, 8): 0.2, cell(10, 9): 0.2})

	// An empty cell is worth -log 1e-12 = 27.63...; others -log μ(s), α = 2.
	mu := make([]float64, 121)
	mu[cell(0, 0)], mu[cell(3, 7)] = 0.75, 0.25
	h, err := games.NewFourRoomsObstacles(games.FourRoomsObstaclesParams{Alpha: 2, Eps: 1e-12, NoiseProbs: []float64{0.1, 0.2, 0.3, 0.4, 0}, Discount: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	m, err = h.MDP(benchPopulation(mu, 5))
	if err != nil {
		t.Fatal(err)
	}
	checkBenchRowsAreDistributions(t, m)
	for _, c := range []struct {
		s    int
		want float64
	}{{cell(0, 0), 0.5753641449035618}, {cell(3, 7), 2.772588722239781}, {cell(1, 0), 55.262042231857095}, {cell(5, 5), 55.262042231857095}} {
		for a := 0; a < 5; a++ {
			if got := m.Reward[c.s*5+a]; math.Abs(got-c.want) > 1e-13 {
				t.Errorf("α = 2: r(%d,%d) = %v, want %v", c.s, a, got, c.want)
			}
		}
	}
	// Noise up 0.1, right 0.2, down 0.3, left 0.4, stay 0.
	checkBenchRow(t, m, cell(0, 0), up, map[int]float64{cell(2, 0): 0.1, cell(1, 1): 0.2, cell(0, 0): 0.7})
	if m.Discount != 0.5 {
		t.Errorf("γ = %v, want 0.5", m.Discount)
	}

	walls := 0
	for s, l := range mfg.StateLabels(g) {
		if strings.HasSuffix(l, " wall") {
			walls++
			if r, c := s/11, s%11; r != 5 && c != 5 {
				t.Errorf("state %d = (%d,%d) labelled %q", s, r, c, l)
			}
		}
	}
	if walls != 17 {
		t.Errorf("%d wall cells, want 17", walls)
	}
	for _, door := range [][2]int{{2, 5}, {8, 5}, {5, 8}, {5, 2}} {
		if l := g.StateLabel(cell(door[0], door[1])); strings.Contains(l, "wall") {
			t.Errorf("door %v labelled %q", door, l)
		}
	}

	ok := games.DefaultFourRoomsObstaclesParams
	with := func(f func(*games.FourRoomsObstaclesParams)) games.FourRoomsObstaclesParams {
		p := ok()
		f(&p)
		return p
	}
	checkBenchValidation(t, []struct {
		p     games.Parameters
		wants []string
	}{
		{with(func(p *games.FourRoomsObstaclesParams) { p.Alpha = math.NaN() }), []string{"alpha", "NaN"}},
		{with(func(p *games.FourRoomsObstaclesParams) { p.Eps = 0 }), []string{"eps", "0"}},
		{with(func(p *games.FourRoomsObstaclesParams) { p.Eps = math.Inf(1) }), []string{"eps", "+Inf"}},
		{with(func(p *games.FourRoomsObstaclesParams) { p.NoiseProbs = []float64{0.5, 0.5} }), []string{"noise-probs", "[0.5 0.5]", "5"}},
		{with(func(p *games.FourRoomsObstaclesParams) { p.NoiseProbs = []float64{0.5, 0.5, 0.5, -0.5, 0} }), []string{"noise-probs", "-0.5"}},
		{with(func(p *games.FourRoomsObstaclesParams) { p.NoiseProbs = []float64{0.2, 0.2, 0.2, 0.2, 0.3} }), []string{"noise-probs", "1.1"}},
		{with(func(p *games.FourRoomsObstaclesParams) { p.Discount = 0 }), []string{"discount", "0"}},
	})
}
