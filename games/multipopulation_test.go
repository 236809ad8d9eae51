package games_test

// OpenSpiel's multi-population games: predator-prey and crowd avoidance.

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/finite"
	"meanfield/games"
	"meanfield/mfg"
)

// mpCase is a case of games/testdata/openspiel_multipop.json, the uniform policy's values by
// games/testdata/openspiel_multipop.py: a pure-Python re-implementation of OpenSpiel's nodes and
// evaluation with one root of mass 1 per population (it shares no code with the Go games).
type mpCase struct {
	Game   string         `json:"game"`
	Params map[string]any `json:"params"`
	Nash   float64        `json:"nash_conv"`
	PerPop []float64      `json:"population_nash_conv"`
	Best   []float64      `json:"best_response_values"`
	Value  []float64      `json:"policy_values"`
}

// popRootValues are BR_p and V_p, each population's root values with mass 1:
// K·Σ_{s ∈ B_p} μ0(s) max_a Q*_0(s, a) and K·Σ_{s ∈ B_p} μ0(s) Σ_a π_0(a|s) Q^π_0(s, a).
func popRootValues(g finite.Game, pi finite.Policy) (best, own []float64) {
	_, stages, err := finite.MeanFieldOf(g, pi)
	if err != nil {
		panic(err)
	}
	blocks := g.(mfg.MultiPopulation).Populations()
	qs, qp := finite.OptimalQ(stages), finite.PolicyQ(stages, pi)
	mu0, A, K := g.InitialStates(), g.Actions(), float64(len(blocks))
	for _, b := range blocks {
		var bb, oo float64
		for s := b.First; s < b.First+b.States; s++ {
			m := math.Inf(-1)
			for a, p := range pi[0].Row(s) {
				m = math.Max(m, qs[0][s*A+a])
				oo += K * mu0[s] * p * qp[0][s*A+a]
			}
			if mu0[s] != 0 {
				bb += K * mu0[s] * m
			}
		}
		best, own = append(best, bb), append(own, oo)
	}
	return best, own
}

func close12(got, want float64) bool { return math.Abs(got-want) <= 1e-12*math.Max(1, math.Abs(want)) }

// The uniform policy's exploitability is OpenSpiel's NashConv, each population's is its
// BR_p − V_p, and the headline is their sum, as the re-implementation computes them (to 1e-12
// relative: summation orders differ). With openspiel-t0 the populations' values are OpenSpiel's
// too; without it, those of predator-prey's populations other than 0 lose the t = 0 constant
// −log(1e-25) = 57.564627324851145, and no exploitability changes.
func TestMultiPopulationMatchesOpenSpiel(t *testing.T) {
	b, err := os.ReadFile("testdata/openspiel_multipop.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct{ Cases []mpCase }
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Cases) != 6 {
		t.Fatalf("%d cases, want the 6 of openspiel_multipop.py", len(ref.Cases))
	}
	for _, c := range ref.Cases {
		for _, t0 := range []bool{true, false} {
			params := map[string]any{"openspiel-t0": t0}
			for k, v := range c.Params {
				if f, ok := v.(float64); ok && f == math.Trunc(f) && k != "noise-probability" && k != "congestion-coeff" && k != "coef-congestion" {
					v = int(f)
				}
				params[k] = v
			}
			g, err := games.NewFinite(c.Game, params)
			if err != nil {
				t.Fatalf("%s %v: %v", c.Game, params, err)
			}
			if err := finite.ValidateGame(g); err != nil {
				t.Fatal(err)
			}
			pi := finite.Uniform(g)
			e, err := finite.Exploitability(g, pi)
			if err != nil {
				t.Fatal(err)
			}
			per, err := finite.PopulationExploitabilities(g, pi)
			if err != nil {
				t.Fatal(err)
			}
			if e != finite.SumPopulations(per) || !close12(e, c.Nash) {
				t.Errorf("%s %v: exploitability %.17g (Σ_p %.17g), OpenSpiel's NashConv %.17g", c.Game, params, e, finite.SumPopulations(per), c.Nash)
			}
			best, own := popRootValues(g, pi)
			params["openspiel-t0"] = true
			quirk, err := games.NewFinite(c.Game, params)
			if err != nil {
				t.Fatal(err)
			}
			shifts := t0Shifts(t, g, quirk)
			for p := range per {
				shift := shifts[p]
				if !t0 && c.Game == "predator-prey" && len(c.Params) == 0 && shift != []float64{0, 57.564627324851145, 57.564627324851145}[p] {
					t.Errorf("predator-prey: t = 0 quirk shifts population %d by %.17g, want -log(1e-25) but for population 0", p, shift)
				}
				if !close12(per[p], c.PerPop[p]) || !close12(best[p]+shift, c.Best[p]) || !close12(own[p]+shift, c.Value[p]) {
					t.Errorf("%s %v population %d: E_p %.17g BR_p %.17g V_p %.17g (+%v), OpenSpiel's %.17g %.17g %.17g",
						c.Game, params, p, per[p], best[p], own[p], shift, c.PerPop[p], c.Best[p], c.Value[p])
				}
			}
		}
	}
}

// t0Shifts are K·Σ_{s ∈ B_p} μ0(s) (r^quirk_0(s) − r_0(s)): what OpenSpiel's t = 0 quirk adds to
// each population's values (the rewards do not depend on the action; action 0's are read).
func t0Shifts(t *testing.T, g, quirk finite.Game) []float64 {
	L := mfg.PopulationFromStates(g.InitialStates(), mfg.UniformPolicy(g.States(), g.Actions()))
	st, err := g.Stage(0, L)
	if err != nil {
		t.Fatal(err)
	}
	sq, err := quirk.Stage(0, L)
	if err != nil {
		t.Fatal(err)
	}
	blocks := g.(mfg.MultiPopulation).Populations()
	mu0, A := g.InitialStates(), g.Actions()
	out := make([]float64, len(blocks))
	for p, b := range blocks {
		for s := b.First; s < b.First+b.States; s++ {
			if mu0[s] != 0 {
				out[p] += float64(len(blocks)) * mu0[s] * (sq.Reward[s*A] - st.Reward[s*A])
			}
		}
	}
	return out
}

// bruteForcePopulation is population p's exploitability computed as a single-population game:
// the joint mean field of pi frozen, p's own states (its block, re-indexed from 0), its initial
// distribution of mass 1 read from the init-distrib string's numbers, and both values by a
// direct recursion over times V_t(s) = r_t(s, a) + Σ_y P(y|s, a) V_{t+1}(y).
func bruteForcePopulation(t *testing.T, g finite.Game, pi finite.Policy, nu0 []float64, b mfg.PopulationBlock) float64 {
	L, _, err := finite.MeanFieldOf(g, pi)
	if err != nil {
		t.Fatal(err)
	}
	T, A := g.Horizon(), g.Actions()
	vStar, vPi := make([]float64, b.States), make([]float64, b.States)
	for tt := T; tt >= 0; tt-- {
		st, err := g.Stage(tt, L[tt]) // the others' mean field, frozen at pi's
		if err != nil {
			t.Fatal(err)
		}
		nextStar, nextPi := make([]float64, b.States), make([]float64, b.States)
		for i := 0; i < b.States; i++ {
			s := b.First + i
			best := math.Inf(-1)
			for a := 0; a < A; a++ {
				qStar, qPi := st.Reward[s*A+a], st.Reward[s*A+a]
				if tt < T {
					next, prob := st.Successors(s, a)
					for j, y := range next {
						if y < b.First || y >= b.First+b.States {
							t.Fatalf("state %d, action %d reaches %d, outside its population's block", s, a, y)
						}
						qStar += prob[j] * vStar[y-b.First]
						qPi += prob[j] * vPi[y-b.First]
					}
				}
				best = math.Max(best, qStar)
				nextPi[i] += pi[tt].Row(s)[a] * qPi
			}
			nextStar[i] = best
		}
		vStar, vPi = nextStar, nextPi
	}
	var e float64
	for i, m := range nu0 {
		e += m * (vStar[i] - vPi[i])
	}
	return e
}

// On a tiny instance (2 and 3 populations of 3×3 cells, 4 decisions), each population's
// exploitability of a random policy equals a brute-force single-population computation against
// the others' frozen mean field, to 1e-12, and the headline is their sum.
func TestPopulationExploitabilityBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 7))
	for _, c := range []struct {
		players int
		R, init string
		nu0     [][]float64
	}{
		{2, "0 2 -1 0", "0.5 0 0 0 0.5 0 0 0 0  0 0 0 0 0 0 0 0.25 0.75",
			[][]float64{{0.5, 0, 0, 0, 0.5, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0, 0.25, 0.75}}},
		{3, "0 -1 0.5 0.5 0 -1 -0.5 1 0", "1 0 0 0 0 0 0 0 0  0 0 0 0 0 0 0 0 1  0 0.5 0.5 0 0 0 0 0 0",
			[][]float64{{1, 0, 0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0, 0, 1}, {0, 0.5, 0.5, 0, 0, 0, 0, 0, 0}}},
	} {
		g, err := games.NewFinite("predator-prey", map[string]any{"size": 3, "horizon": 4, "players": c.players,
			"reward-matrix": c.R, "init-distrib": c.init, "geometry": "torus"})
		if err != nil {
			t.Fatal(err)
		}
		pi := finite.Uniform(g)
		for _, p := range pi {
			for i := range p.Prob {
				p.Prob[i] = rng.Float64()
			}
		}
		pi = finite.Feasible(pi)
		per, err := finite.PopulationExploitabilities(g, pi)
		if err != nil {
			t.Fatal(err)
		}
		e, _ := finite.Exploitability(g, pi)
		if e != finite.SumPopulations(per) {
			t.Errorf("%d populations: headline %v, Σ_p %v", c.players, e, finite.SumPopulations(per))
		}
		for p, b := range g.(mfg.MultiPopulation).Populations() {
			want := bruteForcePopulation(t, g, pi, c.nu0[p], b)
			if !close12(per[p], want) || want <= 0 {
				t.Errorf("%d populations, population %d: %.17g, brute force %.17g", c.players, p, per[p], want)
			}
		}
	}
}

// densityStage returns the rewards of g at time t for the densities dens[q][y][x] (each population
// of mass 1, put on action 0), as the game reads them.
func densityStage(t *testing.T, g finite.Game, tt int, dens [][][]float64) *mfg.MDP {
	K := len(dens)
	n := len(dens[0])
	L := mfg.NewPopulation(g.States(), g.Actions())
	for q, d := range dens {
		for y := range d {
			for x, m := range d[y] {
				L.Mass[(q*n*n+x+n*y)*g.Actions()] = m / float64(K)
			}
		}
	}
	st, err := g.Stage(tt, L)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// OpenSpiel's predator_prey_test.py test_rewards (a) and (b) and crowd_avoidance_test.py
// test_rewards: the rewards of every population at the agent's cell, bit for bit.
func TestMultiPopulationOpenSpielRewards(t *testing.T) {
	// Variables, not constants: Go folds constant expressions exactly, Python rounds each step.
	eps, one, half, c15 := 1e-25, 1.0, 0.5, 1.5
	d03, d04, d06, d08 := 0.3, 0.4, 0.6, 0.8
	for _, c := range []struct {
		game   string
		params map[string]any
		x, y   int
		dens   [][][]float64
		want   []float64
	}{
		{"predator-prey", map[string]any{"size": 2, "horizon": 10, "players": 2, "reward-matrix": "0 1 -1 0", "init-distrib": "1 0 0 0 0 1 0 0"},
			0, 0, [][][]float64{{{1, 0}, {0, 0}}, {{0.5, 0.1}, {0, 0.9}}},
			[]float64{-math.Log(one+eps) + half, -math.Log(half+eps) - one}},
		{"predator-prey", map[string]any{"size": 2, "horizon": 10, "players": 3, "reward-matrix": "0 -1 0.5 0.5 0 -1 -0.5 1 0", "init-distrib": "1 0 0 0 0 1 0 0 0 0 1 0"},
			1, 1, [][][]float64{{{0.1, 0.2}, {0.3, 0.4}}, {{0.2, 0.1}, {0.1, 0.6}}, {{0, 0.1}, {0.1, 0.8}}},
			[]float64{-math.Log(d04+eps) - d06 + half*d08, -math.Log(d06+eps) + half*d04 - d08, -math.Log(d08+eps) - half*d04 + d06}},
		{"crowd-avoidance", map[string]any{"size": 2, "forbidden-states": "[]", "coef-congestion": 1.5, "coef-target": 0.6, "init-distrib": "0.8 0.2 0 0 0.3 0.7 0 0"},
			0, 0, [][][]float64{{{0.8, 0.2}, {0, 0}}, {{0.3, 0.7}, {0, 0}}},
			[]float64{-c15 * d03, -c15 * d08}},
	} {
		g, err := games.NewFinite(c.game, c.params)
		if err != nil {
			t.Fatal(err)
		}
		st := densityStage(t, g, 1, c.dens)
		for p, want := range c.want {
			s := p*4 + c.x + 2*c.y
			for a := 0; a < 5; a++ {
				if got := st.Reward[s*5+a]; got != want {
					t.Errorf("%s %v: reward of population %d at (%d, %d), action %d: %.17g, OpenSpiel's %.17g", c.game, c.params, p, c.x, c.y, a, got, want)
				}
			}
		}
	}
}

// noiseFree is the next cell (x, y) of population p's agent at (x, y) after action a, in a game
// without noise (its single successor).
func noiseFree(t *testing.T, g finite.Game, p, x, y, a int) (int, int) {
	n := g.StateShape()[1]
	next, prob := g.(mfg.FixedMoves).Moves(0).Successors(p*n*n+x+n*y, a)
	if len(next) != 1 || prob[0] != 1 {
		t.Fatalf("(%d, %d) action %d: successors %v %v, want one", x, y, a, next, prob)
	}
	c := next[0] - p*n*n
	return c % n, c / n
}

// OpenSpiel's dynamics tests: predator-prey's population 2 has one initial cell, (0, 4), where
// action 2 ([0 1]) stays on the square and wraps to (0, 0) on the torus; crowd avoidance's
// population 1 has three, the first (5, 2), from which action 2 reaches (5, 3) in both
// geometries; and a move into a wall stays (x-1 from (1, 2) to the wall (0, 2)). The noise:
// 0.2 to stay and 0.2 to each neighbour at noise-probability 0.8, from (2, 2).
func TestMultiPopulationOpenSpielDynamics(t *testing.T) {
	for _, geo := range []string{"square", "torus"} {
		g, _ := games.NewFinite("predator-prey", map[string]any{"geometry": geo, "noise-probability": 0.0})
		var cells []int
		for c, m := range g.InitialStates()[50:75] {
			if m != 0 {
				cells = append(cells, c)
			}
		}
		x, y := noiseFree(t, g, 2, 0, 4, 2)
		if want := map[string][2]int{"square": {0, 4}, "torus": {0, 0}}[geo]; len(cells) != 1 || cells[0] != 20 || [2]int{x, y} != want {
			t.Errorf("predator-prey %s: population 2 starts on %v (want [20]); action 2 from (0, 4) reaches (%d, %d), want %v", geo, cells, x, y, want)
		}
		g, _ = games.NewFinite("crowd-avoidance", map[string]any{"geometry": geo, "proba-noise": 0.0})
		cells = cells[:0]
		for c, m := range g.InitialStates()[49:] {
			if m != 0 {
				cells = append(cells, c)
			}
		}
		if x, y := noiseFree(t, g, 1, 5, 2, 2); len(cells) != 3 || cells[0] != 19 || x != 5 || y != 3 {
			t.Errorf("crowd-avoidance %s: population 1 starts on %v (want 3, the first 19); action 2 from (5, 2) reaches (%d, %d), want (5, 3)", geo, cells, x, y)
		}
		if x, y := noiseFree(t, g, 0, 1, 2, 4); x != 1 || y != 2 {
			t.Errorf("crowd-avoidance %s: x-1 from (1, 2) into a wall reaches (%d, %d), want (1, 2)", geo, x, y)
		}
	}
	g, _ := games.NewFinite("predator-prey", nil)
	next, prob := g.(mfg.FixedMoves).Moves(0).Successors(2+5*2, 0)
	want := map[int]float64{12: 0.19999999999999996, 13: 0.2, 17: 0.2, 11: 0.2, 7: 0.2}
	if len(next) != 5 {
		t.Fatalf("stay at (2, 2): successors %v", next)
	}
	for i, y := range next {
		if want[y] != prob[i] {
			t.Errorf("stay at (2, 2): P(%d) = %v, want %v", y, prob[i], want[y])
		}
	}
}

// Every MFGLib-style algorithm runs on both games (what mfg solve --game G --algorithm A does)
// and lowers the exploitability (OpenSpiel's NashConv) below the uniform policy's within 3
// iterations; every iteration records the populations' exploitabilities, which add up to it.
func TestMultiPopulationSolve(t *testing.T) {
	for _, name := range []string{"predator-prey", "crowd-avoidance"} {
		g, err := games.NewFinite(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, an := range []string{"fictitious-play", "online-mirror-descent", "prior-descent", "damped-fixed-point", "boltzmann-policy-iteration"} {
			alg, err := algorithms.New(an)
			if err != nil {
				t.Fatal(err)
			}
			res, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: 3, Exploitability: true})
			if err != nil {
				t.Fatalf("%s %s: %v", name, an, err)
			}
			lowest := math.Inf(1)
			for _, it := range res.Trace {
				if len(it.PopulationExploitabilities) != len(g.(mfg.MultiPopulation).Populations()) || finite.SumPopulations(it.PopulationExploitabilities) != it.Exploitability {
					t.Errorf("%s %s iteration %d: populations %v, exploitability %v", name, an, it.K, it.PopulationExploitabilities, it.Exploitability)
				}
				if it.K > 0 {
					lowest = min(lowest, it.Exploitability)
				}
			}
			if e0 := res.Trace[0].Exploitability; !(lowest < e0) {
				t.Errorf("%s %s: lowest exploitability %v in 3 iterations, the uniform policy's %v", name, an, lowest, e0)
			}
		}
	}
}
