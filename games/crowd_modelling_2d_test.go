package games_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/finite"
	"meanfield/games"
	"meanfield/mfg"
)

// new2D builds crowd-modelling-2d through the registry (so the YAML names are checked too).
func new2D(t *testing.T, params map[string]any) *games.CrowdModelling2D {
	t.Helper()
	g, err := games.NewFinite("crowd-modelling-2d", params)
	if err != nil {
		t.Fatal(err)
	}
	return g.(*games.CrowdModelling2D)
}

// OpenSpiel's crowd_modelling_2d_test.cc TestReward, TestDistRewardOnly and TestPositionalReward:
// size 10, horizon 20, the agent at (5, 5) (initial outcome 55), the reward of the first decision
// node, compared as SPIEL_CHECK_FLOAT_EQ does (both sides as float32, within 1e-6). With
// openspiel-uniform-start and openspiel-costs (set here; both off by default) it is read at the
// constructor's uniform 1/100, whatever the mean field, and is the same for every action; each
// value is also the sum OpenSpiel computes, in float64.
func TestCrowdModelling2DPinnedRewards(t *testing.T) {
	log100 := -math.Log(0.01 + float64(float32(1e-25)))
	for _, c := range []struct {
		params map[string]any
		pinned float64
		exact  float64
	}{
		{nil, 6.60517, 1 + 1 + 0 + log100},
		{map[string]any{"only-distribution-reward": true}, 4.60517, log100},
		{map[string]any{"positional-reward": [][]int{{1, 2}, {2, 2}}, "positional-reward-value": []float64{0.5, 0.5}},
			5.30517, (1 - 0.1*4 - 0.1*3) + (1 - 0.1*3 - 0.1*3) + 0 + log100},
	} {
		p := map[string]any{"size": 10, "horizon": 20, "openspiel-costs": true, "openspiel-uniform-start": true}
		for k, v := range c.params {
			p[k] = v
		}
		g := new2D(t, p)
		// A point mass elsewhere: OpenSpiel's first decision node still reads 1/N².
		L := mfg.NewPopulation(100, 5)
		L.Mass[0] = 1
		st, err := g.Stage(0, L)
		if err != nil {
			t.Fatal(err)
		}
		s := 5*10 + 5
		for a := 0; a < 5; a++ {
			r := st.Reward[s*5+a]
			if math.Abs(float64(float32(r))-float64(float32(c.pinned))) > 1e-6 {
				t.Errorf("%v: reward at (5, 5), action %d = %v, OpenSpiel's %v", c.params, a, r, c.pinned)
			}
			if math.Abs(r-c.exact) > 1e-15 {
				t.Errorf("%v: reward at (5, 5), action %d = %.17g, want %.17g", c.params, a, r, c.exact)
			}
		}
	}
}

// OpenSpiel's TestNoiseIntensity: noise intensity 0.5 at (2, 1) of a 5 × 5 grid, the chance node
// after staying has outcomes down, left, stay, right, up with probabilities 0.1, 0.1, 0.6, 0.1,
// 0.1 (here the cells they reach, from the stage's row of the stay action).
func TestCrowdModelling2DNoiseIntensity(t *testing.T) {
	g := new2D(t, map[string]any{"size": 5, "horizon": 10, "noise-intensity": 0.5})
	next, prob := g.Moves(0).Successors(2*5+1, 2)
	want := map[int]float64{2*5 + 0: 0.1, 1*5 + 1: 0.1, 2*5 + 1: 0.6, 3*5 + 1: 0.1, 2*5 + 2: 0.1}
	if len(next) != len(want) {
		t.Fatalf("successors %v %v, want %v", next, prob, want)
	}
	for i, y := range next {
		if prob[i] != want[y] {
			t.Errorf("P(%d | (2, 1), stay) = %v, want %v", y, prob[i], want[y])
		}
	}
}

// With openspiel-costs and openspiel-uniform-start (set here; both off by default), the uniform
// policy's exploitability, best-response value and value equal OpenSpiel's NashConv, BR value and
// policy value as games/testdata/openspiel_2d.py computes them (OpenSpiel's nodes and evaluation
// re-implemented in Python, sharing nothing with the Go model), to 1e-12 relative.
func TestCrowdModelling2DMatchesReference(t *testing.T) {
	b, err := os.ReadFile("testdata/openspiel_2d.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases []struct {
			Params map[string]any `json:"params"`
			Nash   float64        `json:"nash_conv"`
			Best   float64        `json:"best_response_value"`
			Value  float64        `json:"policy_value"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Cases) < 9 {
		t.Fatalf("%d reference cases, want the 9 of openspiel_2d.py", len(ref.Cases))
	}
	for _, c := range ref.Cases {
		p := map[string]any{"openspiel-costs": true, "openspiel-uniform-start": true}
		for k, v := range c.Params {
			p[k] = v
		}
		checkUniformValues(t, new2D(t, p), fmt.Sprint(c.Params), "the re-implementation's", c.Nash, c.Best, c.Value)
	}
}

// The initial pairs are transposed as OpenSpiel decodes them: [a, b] starts at (b, a).
func TestCrowdModelling2DInitialPairsTransposed(t *testing.T) {
	g := new2D(t, map[string]any{"size": 4, "initial-distribution": [][]int{{0, 3}}, "initial-distribution-value": []float64{1}})
	mu := g.InitialStates()
	if i := slices.Index(mu, 1); i != 3*4+0 {
		t.Errorf("μ_0 = %v: the mass is at flat index %d, want (3, 0) = 12", mu, i)
	}
}

// Without OpenSpiel's accounting (the default: openspiel-costs and openspiel-uniform-start false)
// a move pays its own cost when made (not at T), and the t = 0 crowd term reads μ_0.
func TestCrowdModelling2DCleanSemantics(t *testing.T) {
	if p := games.DefaultCrowdModelling2DParams(); p.OpenSpielCosts || p.OpenSpielUniformStart {
		t.Fatalf("defaults %+v: OpenSpiel's accounting must be off by default", p)
	}
	g := new2D(t, map[string]any{"size": 4, "horizon": 3,
		"initial-distribution": [][]int{{1, 1}}, "initial-distribution-value": []float64{1}})
	L := mfg.NewPopulation(16, 5)
	L.Mass[(1*4+1)*5+2] = 1
	st, err := g.Stage(0, L)
	if err != nil {
		t.Fatal(err)
	}
	s := 1*4 + 1
	base := (1 - 0.5*1) + (1 - 0.5*1) - math.Log(1+float64(float32(1e-25)))
	for a, want := range []float64{base - 0.25, base - 0.25, base, base - 0.25, base - 0.25} {
		if got := st.Reward[s*5+a]; math.Abs(got-want) > 1e-15 {
			t.Errorf("r_0((1, 1), %d) = %v, want %v", a, got, want)
		}
	}
	last, err := g.Stage(2, L)
	if err != nil {
		t.Fatal(err)
	}
	for a := 0; a < 5; a++ {
		if got := last.Reward[s*5+a]; got != last.Reward[s*5+2] {
			t.Errorf("r_T((1, 1), %d) = %v: the last move is free, want %v", a, got, last.Reward[s*5+2])
		}
	}
}

func TestCrowdModelling2DRejectsBadParameters(t *testing.T) {
	tkCheckBadParams(t, "crowd-modelling-2d", []tkBadParams{
		{map[string]any{"size": 0}, []string{"size = 0"}},
		{map[string]any{"horizon": 0}, []string{"horizon = 0"}},
		{map[string]any{"noise-intensity": 1.5}, []string{"noise-intensity = 1.5"}},
		{map[string]any{"positional-reward": [][]int{{1, 10}}, "positional-reward-value": []float64{1}}, []string{"positional-reward[0] = [1 10]"}},
		{map[string]any{"positional-reward": [][]int{{1, 2}}}, []string{"positional-reward-value has 0 values for 1 points"}},
		{map[string]any{"initial-distribution": [][]int{{1}}, "initial-distribution-value": []float64{1}}, []string{"must be a pair"}},
		{map[string]any{"initial-distribution": [][]int{{1, 1}, {2, 2}}, "initial-distribution-value": []float64{0.5, 0.6}}, []string{"initial-distribution-value"}},
		{map[string]any{"with-congestion": true, "openspiel-costs": false}, []string{"with-congestion needs openspiel-costs: true"}},
		{map[string]any{"with-congestion": true}, []string{"with-congestion needs openspiel-costs: true"}},
		{map[string]any{"grid": "maze"}, []string{"needs size = 22"}},
		{map[string]any{"grid": "rooms"}, []string{"grid = \"rooms\""}},
		{map[string]any{"forbidden-states": [][]int{{0, 0}}}, []string{"need an initial-distribution"}},
		{map[string]any{"forbidden-states": [][]int{{2, 1}}, "initial-distribution": [][]int{{1, 2}}, "initial-distribution-value": []float64{1}}, []string{"is forbidden"}},
	})
}

// OpenSpiel's TestLegalActions: size 5, walls (0, 0), (0, 1), (1, 0), the agent starting at (1, 1)
// (initial outcome 6, the only one); legal actions there {stay, right, up}; after right the
// noise's outcomes are all five moves (from (2, 1)), noise left bringing it back to (1, 1); after
// staying they are {stay, right, up}, each 1/3. With noise intensity 0.5 (TestNoiseIntensity) the
// outcomes at (2, 1) have probabilities 0.1, 0.1, 0.6, 0.1, 0.1.
func TestCrowdModelling2DLegalActions(t *testing.T) {
	p := map[string]any{"size": 5, "horizon": 10, "forbidden-states": [][]int{{0, 0}, {0, 1}, {1, 0}},
		"initial-distribution": [][]int{{1, 1}}, "initial-distribution-value": []float64{1}}
	g := new2D(t, p)
	cell := func(x, y int) int { return x*5 + y }
	mu := g.InitialStates()
	if mu[cell(1, 1)] != 1 {
		t.Errorf("μ_0 = %v, want all at (1, 1)", mu)
	}
	legal := g.Legal()
	if got := legal[cell(1, 1)*5 : cell(1, 1)*5+5]; !slices.Equal(got, []bool{false, false, true, true, true}) {
		t.Errorf("legal at (1, 1) = %v, want {2, 3, 4}", got)
	}
	if pi := finite.Uniform(g); !slices.Equal(pi[0].Row(cell(1, 1)), []float64{0, 0, 1.0 / 3, 1.0 / 3, 1.0 / 3}) {
		t.Errorf("uniform policy at (1, 1) = %v", pi[0].Row(cell(1, 1)))
	}
	check := func(s, a int, want map[int]float64) {
		t.Helper()
		next, prob := g.Moves(0).Successors(s, a)
		if len(next) != len(want) {
			t.Fatalf("successors of (%d, %d): %v %v, want %v", s, a, next, prob, want)
		}
		for i, y := range next {
			if math.Abs(prob[i]-want[y]) > 1e-16 {
				t.Errorf("P(%d | %d, %d) = %v, want %v", y, s, a, prob[i], want[y])
			}
		}
	}
	check(cell(1, 1), 3, map[int]float64{cell(2, 0): 0.2, cell(1, 1): 0.2, cell(2, 1): 0.2, cell(3, 1): 0.2, cell(2, 2): 0.2})
	check(cell(1, 1), 2, map[int]float64{cell(1, 1): 1.0 / 3, cell(2, 1): 1.0 / 3, cell(1, 2): 1.0 / 3})
	p["noise-intensity"] = 0.5
	g = new2D(t, p)
	check(cell(2, 1), 2, map[int]float64{cell(2, 0): 0.1, cell(1, 1): 0.1, cell(2, 1): 0.6, cell(3, 1): 0.1, cell(2, 2): 0.1})
	if err := finite.ValidateGame(g); err != nil {
		t.Error(err)
	}
}

// The settings' grids have OpenSpiel's wall counts (65 of 169 cells in FOUR_ROOMS, 225 of 484 in
// MAZE), a solid border, and the factory settings' parameters; fictitious play lowers their
// NashConv (a few iterations: MAZE has 100 steps).
func TestCrowdModelling2DSettings(t *testing.T) {
	for _, c := range []struct {
		name               string
		size, walls, iters int
	}{{"crowd-modelling-2d-four-rooms", 13, 65, 10}, {"crowd-modelling-2d-maze", 22, 225, 4}} {
		gf, err := games.NewFinite(c.name, nil)
		if err != nil {
			t.Fatal(err)
		}
		g := gf.(*games.CrowdModelling2D)
		n := 0
		for s := 0; s < g.States(); s++ {
			x, y := s/c.size, s%c.size
			border := x == 0 || y == 0 || x == c.size-1 || y == c.size-1
			if border && !g.Forbidden(s) {
				t.Errorf("%s: border cell (%d, %d) is not a wall", c.name, x, y)
			}
			if g.Forbidden(s) {
				n++
			}
		}
		if n != c.walls || g.States() != c.size*c.size || g.Name() != c.name {
			t.Errorf("%s: %d walls of %d cells, want %d of %d", g.Name(), n, g.States(), c.walls, c.size*c.size)
		}
		alg, err := algorithms.New("fictitious-play")
		if err != nil {
			t.Fatal(err)
		}
		res, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: c.iters, Exploitability: true, FinalOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		ex := res.Exploitabilities()
		for k := 1; k < len(ex); k++ {
			if !(ex[k] < ex[k-1]) {
				t.Errorf("%s: NashConv %v at iteration %d after %v", c.name, ex[k], k, ex[k-1])
			}
		}
		for _, pi := range res.Final().Policy {
			if s, a, bad := mfg.IllegalMass(pi, g.Legal()); bad {
				t.Fatalf("%s: mass on the illegal action %d at %d", c.name, a, s)
			}
		}
	}
}

// The crowd term -c·log(μ_t(x, y) + ε) of every cell is math.Log's, bit for bit (the stage takes
// its logarithms four at a time, fastmath.LogInto): with only-distribution-reward it is the whole
// reward, checked on grids of 1 to 144 cells (groups of four and the last ones), at populations with
// zeros, repeats and random masses.
func TestCrowdModelling2DCrowdTermIsLog(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	eps := float64(float32(1e-25))
	for _, n := range []int{1, 2, 3, 5, 7, 12} {
		g := new2D(t, map[string]any{"size": n, "horizon": 3, "only-distribution-reward": true, "crowd-aversion-coef": 1.7})
		S := n * n
		L := mfg.NewPopulation(S, 5)
		for i := range L.Mass {
			if rng.IntN(3) > 0 {
				L.Mass[i] = float64(rng.IntN(4)) / float64(5*S) * rng.Float64()
			}
		}
		for tt := 0; tt <= g.Horizon(); tt++ {
			st, err := g.Stage(tt, L)
			if err != nil {
				t.Fatal(err)
			}
			mu := L.StateMarginal(nil)
			for s := range S {
				want := -1.7 * math.Log(mu[s]+eps)
				for a := range 5 {
					if r := st.Reward[s*5+a]; math.Float64bits(r) != math.Float64bits(want) {
						t.Fatalf("size %d, t = %d: reward (%d, %d) = %v, want %v", n, tt, s, a, r, want)
					}
				}
			}
		}
	}
}
