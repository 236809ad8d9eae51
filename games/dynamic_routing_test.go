package games_test

import (
	"context"
	"encoding/json"
	"math"
	"meanfield/algorithms"
	"meanfield/engine"
	"os"
	"slices"
	"strings"
	"testing"

	"meanfield/finite"
	"meanfield/games"
	"meanfield/mfg"
)

func newRouting(t *testing.T, params map[string]any) *games.DynamicRouting {
	t.Helper()
	g, err := games.NewFinite("dynamic-routing", params)
	if err != nil {
		t.Fatal(err)
	}
	if err := finite.ValidateGame(g); err != nil {
		t.Fatal(err)
	}
	return g.(*games.DynamicRouting)
}

// legalList lists the legal actions of s.
func legalList(g *games.DynamicRouting, s int) []int {
	A := g.Actions()
	var out []int
	for a, ok := range g.Legal()[s*A : (s+1)*A] {
		if ok {
			out = append(out, a)
		}
	}
	return out
}

// routingPolicy is a policy defined, as OpenSpiel's test policies are, by the list of legal
// actions: the only one when there is one, else choose(legal).
func routingPolicy(g *games.DynamicRouting, choose func(legal []int) map[int]float64) finite.Policy {
	pi := finite.Uniform(g)
	for t := range pi {
		for s := 0; s < g.States(); s++ {
			row := pi[t].Row(s)
			clear(row)
			legal := legalList(g, s)
			if len(legal) == 1 {
				row[legal[0]] = 1
				continue
			}
			for a, p := range choose(legal) {
				row[a] = p
			}
		}
	}
	return pi
}

// OpenSpiel's test_braess_paradox_game (dynamic_routing_test.py, both the Python and the C++
// game), Braess's network with max_num_time_step 100 and time_step_length 0.05: the Nash
// equilibrium (A->B 0.75, A->C 0.25; then B->C 2/3, B->D 1/3) has -value 3.75 and NashConv 0, the
// social optimum (1/2, 1/2; then B->D) -value 3.5 and NashConv 0.75, all exactly (assertEqual).
func TestDynamicRoutingBraessParadox(t *testing.T) {
	g := newRouting(t, map[string]any{"max-num-time-step": 100, "time-step-length": 0.05})
	ab, ac, bc, bd := g.LinkAction("A->B"), g.LinkAction("A->C"), g.LinkAction("B->C"), g.LinkAction("B->D")
	if ab != 1 || ac != 2 || bc != 3 || bd != 4 {
		t.Fatalf("action ids A->B %d, A->C %d, B->C %d, B->D %d; want 1, 2, 3, 4", ab, ac, bc, bd)
	}
	ne := routingPolicy(g, func(legal []int) map[int]float64 {
		if legal[0] == ab {
			return map[int]float64{ab: 0.75, ac: 0.25}
		}
		return map[int]float64{bc: 2.0 / 3, bd: 1.0 / 3}
	})
	so := routingPolicy(g, func(legal []int) map[int]float64 {
		if legal[0] == ab {
			return map[int]float64{ab: 0.5, ac: 0.5}
		}
		return map[int]float64{bd: 1}
	})
	for _, c := range []struct {
		name                string
		pi                  finite.Policy
		travel, nash, brVal float64
	}{{"Nash equilibrium", ne, 3.75, 0, -3.75}, {"social optimum", so, 3.5, 0.75, -2.75}} {
		_, stages, err := finite.MeanFieldOf(g, c.pi)
		if err != nil {
			t.Fatal(err)
		}
		best, own := rootValues(g, finite.OptimalQ(stages), finite.PolicyQ(stages, c.pi), c.pi)
		e, err := finite.Exploitability(g, c.pi)
		if err != nil {
			t.Fatal(err)
		}
		if -own != c.travel || e != c.nash || best != c.brVal {
			t.Errorf("%s: travel time %.17g, NashConv %.17g, best response %.17g; want exactly %v, %v, %v",
				c.name, -own, e, best, c.travel, c.nash, c.brVal)
		}
	}
}

// follow runs the mean field of pi (a policy moving the whole population as one vehicle) and
// returns the label of the state holding the mass at each time, and the value.
func follow(t *testing.T, g *games.DynamicRouting, pi finite.Policy) ([]string, float64) {
	t.Helper()
	L, stages, err := finite.MeanFieldOf(g, pi)
	if err != nil {
		t.Fatal(err)
	}
	labels := mfg.StateLabels(g)
	var path []string
	for _, Lt := range L {
		mu := Lt.StateMarginal(nil)
		i := slices.IndexFunc(mu, func(m float64) bool { return m == 1 })
		if i < 0 {
			t.Fatalf("the mass is split: %v", mu)
		}
		path = append(path, labels[i])
	}
	_, own := rootValues(g, finite.OptimalQ(stages), finite.PolicyQ(stages, pi), pi)
	return path, own
}

// OpenSpiel's C++ TestWholeGameWithLineNetwork, TestWholeGameWithBraessNetwork and
// TestPreEndedGameWithLineNetwork: with the whole mass on the vehicle's link (UpdateDistribution
// with {1}, here the population following the vehicle), the waiting times, legal actions and
// arrival times of its trajectories.
func TestDynamicRoutingTrajectories(t *testing.T) {
	line := newRouting(t, map[string]any{"network": "line", "max-num-time-step": 5, "time-step-length": 0.5})
	if got := []int{line.LinkAction("A->D"), line.LinkAction("D->aft_D"), line.LinkAction("O->A"), line.LinkAction("bef_O->O")}; !slices.Equal(got, []int{1, 2, 3, 4}) {
		t.Errorf("line action ids %v, want 1, 2, 3, 4", got)
	}
	only := func([]int) map[int]float64 { t.Fatal("two legal actions on the line"); return nil }
	path, v := follow(t, line, routingPolicy(line, only))
	// OpenSpiel: bef_O->O w0 t0 → (3) O->A w1 t1 → w0 t2 → (1) A->D w1 t3 → w0 t4 → (2) arrived at 4.
	want := []string{"bef_O->O w0 D->aft_D", "O->A w1 D->aft_D", "O->A w0 D->aft_D", "A->D w1 D->aft_D", "A->D w0 D->aft_D"}
	if !slices.Equal(path, want) || v != -4*0.5 {
		t.Errorf("line, H 5: %q value %v; want %q and -4·0.5", path, v, want)
	}
	if s := line.State("bef_O->O", "D->aft_D", 0); !slices.Equal(legalList(line, s), []int{3}) {
		t.Errorf("legal at bef_O->O: %v, want [3]", legalList(line, s))
	}
	if s := line.State("O->A", "D->aft_D", 1); !slices.Equal(legalList(line, s), []int{0}) {
		t.Errorf("legal while waiting: %v, want [0]", legalList(line, s))
	}

	short := newRouting(t, map[string]any{"network": "line", "max-num-time-step": 2, "time-step-length": 0.5})
	if path, v := follow(t, short, routingPolicy(short, only)); v != -3*0.5 || path[1] != "O->A w1 D->aft_D" {
		t.Errorf("line, H 2: %q value %v; want not arrived, arrival time H+1 = 3, value -1.5", path, v)
	}

	braess := newRouting(t, map[string]any{"max-num-time-step": 12, "time-step-length": 0.5})
	pi := routingPolicy(braess, func(legal []int) map[int]float64 { return map[int]float64{legal[0]: 1} }) // A->B, then B->C
	path, v = follow(t, braess, pi)
	want = []string{"O->A w0 D->E", "A->B w3 D->E", "A->B w2 D->E", "A->B w1 D->E", "A->B w0 D->E",
		"B->C w0 D->E", "C->D w3 D->E", "C->D w2 D->E", "C->D w1 D->E", "C->D w0 D->E", "arrived", "arrived"}
	if !slices.Equal(path, want) || v != -9*0.5 {
		t.Errorf("braess, H 12: %q value %v; want %q and arrival at 9, -4.5", path, v, want)
	}
	if s := braess.State("A->B", "D->E", 0); !slices.Equal(legalList(braess, s), []int{3, 4}) {
		t.Errorf("legal at A->B: %v, want [3 4]", legalList(braess, s))
	}
	if s := braess.State("O->A", "D->E", 0); !slices.Equal(legalList(braess, s), []int{1, 2}) {
		t.Errorf("legal at O->A: %v, want [1 2]", legalList(braess, s))
	}
}

// OpenSpiel's TestCorrectTravelTimeUpdate: Braess, H 100, Δ 0.05, half the mass entering A->B:
// travel time 1 + 0.5·5/5 = 1.5, 30 steps, waiting time 29. And the travel-time identities: A->B
// at volume 3.75 takes 1.75; Sioux Falls 2->6 at volume 3000 takes 5·(1 + 1240e-18·3000⁴).
func TestDynamicRoutingTravelTime(t *testing.T) {
	g := newRouting(t, map[string]any{"max-num-time-step": 100, "time-step-length": 0.05})
	L := mfg.NewPopulation(g.States(), g.Actions())
	o := g.State("O->A", "D->E", 0)
	L.Mass[o*g.Actions()+g.LinkAction("A->B")] = 0.5
	L.Mass[o*g.Actions()+g.LinkAction("A->C")] = 0.5
	st, err := g.Stage(0, L)
	if err != nil {
		t.Fatal(err)
	}
	next, _ := st.Successors(o, g.LinkAction("A->B"))
	if want := g.State("A->B", "D->E", 29); len(next) != 1 || next[0] != want {
		t.Errorf("entering A->B with mass 0.5: %v, want waiting time 29 (state %d)", next, want)
	}
	next, _ = st.Successors(o, g.LinkAction("A->C"))
	if want := g.State("A->C", "D->E", 39); len(next) != 1 || next[0] != want { // 2/0.05 = 40 steps
		t.Errorf("entering A->C: %v, want waiting time 39 (state %d)", next, want)
	}
	if tt := g.TravelTime("A->B", 3.75); tt != 1.75 {
		t.Errorf("tt(A->B, 3.75) = %v, want 1.75", tt)
	}
	sf := newRouting(t, map[string]any{"network": "sioux-falls", "max-num-time-step": 1})
	if tt, want := sf.TravelTime("2->6", 3000), 5*(1+1240e-18*math.Pow(3000, 4)); tt != want || math.Abs(tt-5.5022) > 1e-12 {
		t.Errorf("Sioux Falls tt(2->6, 3000) = %.17g, want %.17g (5.5022)", tt, want)
	}
}

// The networks' action ids and sizes: Braess 8 actions (O->A is 7, D->E 6; OpenSpiel's
// test_observer_correct), Sioux Falls 124 links (1->2 = 1, 1->3 = 2, 1->aft_1 = 3, 10->9 = 4,
// bef_9->9 = 124) and 528 demand entries of 360600 vehicles; the default game is OpenSpiel's
// (Braess, H 10, Δ 0.5), starting on O->A.
func TestDynamicRoutingNetworks(t *testing.T) {
	g := newRouting(t, nil)
	if g.Actions() != 8 || g.LinkAction("O->A") != 7 || g.LinkAction("D->E") != 6 || g.Horizon() != 9 {
		t.Errorf("braess: %d actions, O->A %d, D->E %d, T %d; want 8, 7, 6, 9", g.Actions(), g.LinkAction("O->A"), g.LinkAction("D->E"), g.Horizon())
	}
	if mu := g.InitialStates(); mu[g.State("O->A", "D->E", 0)] != 1 {
		t.Errorf("μ_0 not all on O->A")
	}
	sf := newRouting(t, map[string]any{"network": "sioux-falls", "max-num-time-step": 1})
	for link, id := range map[string]int{"1->2": 1, "1->3": 2, "1->aft_1": 3, "10->9": 4, "bef_9->9": 124} {
		if got := sf.LinkAction(link); got != id {
			t.Errorf("Sioux Falls %s has id %d, want %d", link, got, id)
		}
	}
	if sf.Actions() != 125 {
		t.Errorf("Sioux Falls: %d actions, want 125", sf.Actions())
	}
	mu := sf.InitialStates()
	if p := mu[sf.State("bef_2->2", "1->aft_1", 0)]; p != 100.0/360600 {
		t.Errorf("Sioux Falls: μ_0(bef_2->2 to 1) = %v, want 100/360600", p)
	}
	e, _ := games.Lookup("dynamic-routing")
	size, err := e.Size(&games.DynamicRoutingParams{Network: "sioux-falls", MaxNumTimeStep: 81, TimeStepLength: 0.5})
	if err != nil || size.States != 124*24*162+1 {
		t.Errorf("Sioux Falls size %+v, %v; want 124·24·162+1 states", size, err)
	}
}

// A vehicle arriving at step 0 (its origin's head leads to its destination) is charged 0 and, as
// in OpenSpiel, stays counted on its destination link (its string there reads waiting time 0): 9
// vehicles arriving on A->B at step 0 and 1 entering it for B->C make volume 10 on A->B, travel
// time 1 + 10/5 = 3, 6 steps (1 + 1/5 = 1.2, 2 steps, were the 9 not counted); it arrives at 6.
func TestDynamicRoutingArrivalAtStepZero(t *testing.T) {
	g := newRouting(t, map[string]any{"demand": []any{
		map[string]any{"origin": "O->A", "destination": "A->B", "counts": 9.0},
		map[string]any{"origin": "O->A", "destination": "B->C", "counts": 1.0}}})
	pi := routingPolicy(g, func(legal []int) map[int]float64 { return map[int]float64{legal[0]: 1} })
	L, stages, err := finite.MeanFieldOf(g, pi)
	if err != nil {
		t.Fatal(err)
	}
	mu := L[1].StateMarginal(nil)
	if mu[g.State("A->B", "A->B", 0)] != 0.9 || mu[g.State("A->B", "B->C", 5)] != 0.1 {
		t.Errorf("at t = 1: %v, want 0.9 staying on A->B and 0.1 waiting 5 on it", mu)
	}
	_, own := rootValues(g, finite.OptimalQ(stages), finite.PolicyQ(stages, pi), pi)
	if math.Abs(own-0.1*(-6*0.5)) > 1e-15 {
		t.Errorf("value %v, want 0.9·0 + 0.1·(-6·0.5)", own)
	}
}

func TestDynamicRoutingRejectsBadParameters(t *testing.T) {
	for _, c := range []struct {
		params map[string]any
		want   string
	}{
		{map[string]any{"network": "paris"}, `network = "paris"`},
		{map[string]any{"max-num-time-step": 0}, "max-num-time-step = 0"},
		{map[string]any{"time-step-length": 0.0}, "time-step-length = 0"},
		{map[string]any{"demand": []any{map[string]any{"origin": "I->O", "destination": "D->E", "counts": 5.0}}}, `demand[0].origin = "I->O"`},
		{map[string]any{"demand": []any{map[string]any{"origin": "O->A", "destination": "E->F", "counts": 5.0}}}, `demand[0].destination = "E->F"`},
		{map[string]any{"demand": []any{map[string]any{"origin": "O->A", "destination": "O->A", "counts": 5.0}}}, `demand[0].destination = "O->A"`},
		{map[string]any{"demand": []any{map[string]any{"origin": "D->E", "destination": "O->A", "counts": 5.0}}}, `demand[0].origin = "D->E"`},
		{map[string]any{"demand": []any{map[string]any{"origin": "O->A", "destination": "D->E", "counts": 0.0}}}, "demand[0].counts = 0"},
		{map[string]any{"demand": []any{map[string]any{"origin": "O->A", "destination": "D->E", "counts": 1.0, "departure-time": -1.0}}}, "demand[0].departure-time = -1"},
	} {
		if _, err := games.NewFinite("dynamic-routing", c.params); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want an error containing %q", c.params, err, c.want)
		}
	}
}

// OpenSpiel's test_online_mirror_descent_convergence: MirrorDescent(lr=1), 50 iterations on
// Braess with H 100, Δ 0.05, NashConv ≈ 0 to 7 places. online-mirror-descent --alpha 1 ends there
// (an exact equilibrium from iteration 19 on); with openspiel-visited (OpenSpiel's table only gets
// the nodes its evaluation visits) its NashConv after each of the 50 iterations is the
// re-implementation's of OpenSpiel's MirrorDescent (exact from iteration 15 on), to 1e-15.
func TestDynamicRoutingMirrorDescent(t *testing.T) {
	g := newRouting(t, map[string]any{"max-num-time-step": 100, "time-step-length": 0.05})
	ref := loadRoutingReference(t)
	for _, visited := range []bool{false, true} {
		res, err := engine.Solve(context.Background(), g, algorithms.OnlineMirrorDescent{Alpha: 1, OpenSpielVisited: visited},
			engine.Options{Iterations: 50, Exploitability: true})
		if err != nil {
			t.Fatal(err)
		}
		ex := res.Exploitabilities()[1:]
		if math.Abs(ex[49]) >= 5e-8 || ex[0] == ex[49] {
			t.Errorf("openspiel-visited %v: NashConv %v after 50 iterations, want 0 to 7 places", visited, ex[49])
		}
		for k := range ex {
			if want := ref.Braess.MirrorDescent[k]; visited && math.Abs(ex[k]-want) > 1e-15 {
				t.Errorf("openspiel-visited: NashConv %.17g after %d iterations, OpenSpiel's (re-implemented) %.17g", ex[k], k+1, want)
			}
		}
	}
}

// routingCase is one case of testdata/openspiel_routing.json (openspiel_routing.py, a pure-Python
// re-implementation of OpenSpiel's routing game nodes and evaluation).
type routingCase struct {
	Label   string         `json:"label"`
	Params  map[string]any `json:"params"`
	Uniform struct {
		Nash  float64 `json:"nash_conv"`
		Best  float64 `json:"best_response_value"`
		Value float64 `json:"policy_value"`
	} `json:"uniform"`
	MirrorDescent []float64 `json:"mirror_descent_lr1"`
}

// routingReference is testdata/openspiel_routing.json.
type routingReference struct {
	Cases  []routingCase `json:"cases"`
	Braess struct {
		MirrorDescent []float64 `json:"mirror_descent_lr1_50"`
	} `json:"braess_h100"`
}

func loadRoutingReference(t *testing.T) routingReference {
	t.Helper()
	b, err := os.ReadFile("testdata/openspiel_routing.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref routingReference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Cases) != 6 || len(ref.Braess.MirrorDescent) != 50 {
		t.Fatalf("%d cases and %d mirror-descent iterations, want 6 and 50", len(ref.Cases), len(ref.Braess.MirrorDescent))
	}
	return ref
}

// With the uniform policy, the exploitability, best-response value and value equal the
// re-implementation's NashConv, BR value and policy value (to 1e-12 relative); with
// online-mirror-descent --alpha 1 --openspiel-visited, the NashConv after each of 8 iterations
// equals its MirrorDescent(lr=1)'s to 1e-15 (on these networks OpenSpiel's live read of the
// table changes nothing: no two nodes with a choice share a child).
func TestDynamicRoutingMatchesReference(t *testing.T) {
	for _, c := range loadRoutingReference(t).Cases {
		g := newRouting(t, c.Params)
		checkUniformValues(t, g, c.Label, "the re-implementation's", c.Uniform.Nash, c.Uniform.Best, c.Uniform.Value)
		res, err := engine.Solve(context.Background(), g, algorithms.OnlineMirrorDescent{Alpha: 1, OpenSpielVisited: true},
			engine.Options{Iterations: len(c.MirrorDescent), Exploitability: true})
		if err != nil {
			t.Fatal(err)
		}
		for k, e := range res.Exploitabilities()[1:] {
			if math.Abs(e-c.MirrorDescent[k]) > 1e-15 {
				t.Errorf("%s: NashConv %.17g after %d iterations, the re-implementation's %.17g", c.Label, e, k+1, c.MirrorDescent[k])
			}
		}
	}
}
