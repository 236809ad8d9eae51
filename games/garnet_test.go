package games_test

import (
	"math"
	"slices"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
)

// The tables drawn at OpenSpiel's defaults (seed 0) hold the numbers of OpenSpiel's playthrough
// open_spiel/integration_tests/playthroughs/mfg_garnet.txt (printed there to 6 digits, here to
// the last digit as a pure-Python re-implementation of the generator printed them, see
// finite/testdata/OPENSPIEL_GAMES.md §3.7): rewards at the uniform μ = 0.1, transition
// probabilities and next states. They come through the index quirk: pair (x, a) reads the table
// drawn for pair number x + S·a.
func TestGarnetMatchesOpenSpielPlaythrough(t *testing.T) {
	g, err := games.NewGarnet(games.DefaultGarnetParams())
	if err != nil {
		t.Fatal(err)
	}
	log10 := math.Log(10)
	for _, c := range []struct {
		x, a int
		want float64
	}{{1, 0, 2.6001196984570285}, {5, 2, 2.6235823368416087}, {9, 1, 2.6986833713619474}} {
		if got := g.Reward(c.x, c.a) + log10; math.Abs(got-c.want) > 1e-15 {
			t.Errorf("r(%d, %d) + log 10 = %.17g, want %.17g", c.x, c.a, got, c.want)
		}
	}
	next, prob := g.Transition(1, 2)
	if !slices.Equal(next, []int{5, 7, 6}) {
		t.Errorf("next states of (1, 2) %v, want [5 7 6]", next)
	}
	for k, want := range []float64{0.3132183323338943, 0.6521978864471419, 0.03458378121896377} {
		if math.Abs(prob[k]-want) > 1e-16 {
			t.Errorf("P(outcome %d | 1, 2) = %.17g, want %.17g", k, prob[k], want)
		}
	}
	for _, c := range []struct {
		x, a int
		want []int
	}{{5, 1, []int{9, 0, 9}}, {9, 2, []int{3, 9, 0}}} {
		if next, _ := g.Transition(c.x, c.a); !slices.Equal(next, c.want) {
			t.Errorf("next states of (%d, %d) %v, want %v", c.x, c.a, next, c.want)
		}
	}
	// The playthrough's trajectory: initial state 1, then (action, chance outcome) pairs, the
	// mean field set to uniform; its returns after decisions 1, 2, 3 and at the end.
	steps := [][2]int{{2, 0}, {1, 2}, {2, 0}, {0, 1}, {1, 0}, {1, 0}, {1, 1}, {1, 1}, {1, 0}, {0, 2}}
	wantReturns := map[int]float64{0: 2.60012, 1: 5.2237, 2: 7.92239, 9: 27.7474}
	x, last, ret := 1, 0, 0.0
	for i, s := range steps {
		ret += g.Reward(x, last) + log10 // collected on arrival, with the previous action
		if w, ok := wantReturns[i]; ok && math.Abs(ret-w) > 5e-6*math.Abs(w) {
			t.Errorf("return after decision %d: %.6g, playthrough %v", i, ret, w)
		}
		next, _ := g.Transition(x, s[0])
		x, last = next[s[1]], s[0]
	}
	if x != 3 {
		t.Errorf("trajectory ends at %d, playthrough's (3, 10)", x)
	}
}

// Every decision node at t = 0 is first visited before any action (previous action 0); a node
// at t = 1 is first reached from the smallest initial state, with the smallest action, that
// leads to it. Without OpenSpiel's accounting each action collects its own r(x, a).
func TestGarnetFirstVisitAndPlainRewards(t *testing.T) {
	g, err := games.NewGarnet(games.DefaultGarnetParams())
	if err != nil {
		t.Fatal(err)
	}
	first := g.FirstVisitActions()
	for x, a := range first[0] {
		if a != 0 {
			t.Errorf("first visit of (%d, 0) after action %d, want 0", x, a)
		}
	}
	found := map[int]int{}
	for x := 0; x < 10; x++ {
		for a := 0; a < 3; a++ {
			next, _ := g.Transition(x, a)
			for _, y := range next {
				if _, ok := found[y]; !ok {
					found[y] = a
				}
			}
		}
	}
	for y, a := range found {
		if first[1][y] != a {
			t.Errorf("first visit of (%d, 1) after action %d, want %d", y, first[1][y], a)
		}
	}
	plain, err := games.NewGarnet(games.DefaultGarnetParams()) // openspiel-costs: false
	if err != nil {
		t.Fatal(err)
	}
	st, err := plain.Stage(3, mfg.UniformPopulation(10, 3))
	if err != nil {
		t.Fatal(err)
	}
	for x := 0; x < 10; x++ {
		for a := 0; a < 3; a++ {
			if want := plain.Reward(x, a) + math.Log(10); math.Abs(st.Reward[x*3+a]-want) > 1e-15 {
				t.Errorf("plain r(3, %d, %d) = %v, want r(x, a) + log 10 = %v", x, a, st.Reward[x*3+a], want)
			}
		}
	}
}
