package games_test

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
)

// Every registered game names its states and actions: labels that are not empty, short enough
// for a table, and distinct. Each game's own test below checks its labels against its dynamics.
func TestEveryGameIsLabeled(t *testing.T) {
	for _, name := range games.Names() {
		g, err := games.New(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := g.(mfg.Labeled); !ok {
			t.Errorf("%s does not label its states and actions (mfg.Labeled)", name)
			continue
		}
		for what, labels := range map[string][]string{"state": mfg.StateLabels(g), "action": mfg.ActionLabels(g)} {
			seen := map[string]bool{}
			for i, l := range labels {
				if l == "" || len(l) > 18 || seen[l] {
					t.Errorf("%s: %s %d has label %q: want a distinct label of 1 to 18 characters", name, what, i, l)
				}
				seen[l] = true
			}
		}
	}
}

// Games that are not Labeled fall back to the indices.
func TestLabelsFallBackToIndices(t *testing.T) {
	g := unlabeled{}
	if got, want := mfg.StateLabels(g), []string{"0", "1", "2"}; !slices.Equal(got, want) {
		t.Errorf("state labels %q, want %q", got, want)
	}
	if got, want := mfg.ActionLabels(g), []string{"0", "1"}; !slices.Equal(got, want) {
		t.Errorf("action labels %q, want %q", got, want)
	}
}

type unlabeled struct{}

func (unlabeled) Name() string { return "unlabeled" }
func (unlabeled) States() int  { return 3 }
func (unlabeled) Actions() int { return 2 }

// labelIndex returns the index whose label is want, failing the test when none is.
func labelIndex(t *testing.T, labels []string, want string) int {
	t.Helper()
	i := slices.Index(labels, want)
	if i < 0 {
		t.Fatalf("no label %q among %q", want, labels)
	}
	return i
}

// finiteGame builds a finite-horizon game with params over its defaults.
func finiteGame(t *testing.T, name string, params map[string]any) mfg.Finite {
	t.Helper()
	g, err := games.NewFinite(name, params)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// stageAt returns stage t of g at the uniform population.
func stageAt(t *testing.T, g mfg.Finite, time int) *mfg.MDP {
	t.Helper()
	st, err := g.Stage(time, mfg.UniformPopulation(g.States(), g.Actions()))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// meanNext is the expected coordinates (in shape) of the next state from (s, a).
func meanNext(st *mfg.MDP, shape []int, s, a int) []float64 {
	next, prob := st.Successors(s, a)
	mean := make([]float64, len(shape))
	for i, n := range next {
		for k, c := range mfg.Shape(shape).Coords(n, nil) {
			mean[k] += prob[i] * float64(c)
		}
	}
	return mean
}

// checkMoves checks, from the state at coordinates from (far enough from the edges that neither
// the move nor the noise is clamped or wrapped), that the action labelled name moves the
// expected position by want (its noise is symmetric), and that Move says so too.
func checkMoves(t *testing.T, g mfg.Finite, from []int, want map[string][]int) {
	t.Helper()
	st := stageAt(t, g, 0)
	s := mfg.Shape(g.StateShape()).Index(from...)
	actions := mfg.ActionLabels(g)
	if len(want) != len(actions) {
		t.Fatalf("%s: actions %q, want the moves of %v", g.Name(), actions, want)
	}
	for name, d := range want {
		a := labelIndex(t, actions, name)
		got := meanNext(st, g.StateShape(), s, a)
		move := g.(mfg.Mover).Move(a)
		for k := range d {
			if math.Abs(got[k]-float64(from[k]+d[k])) > 1e-12 {
				t.Errorf("%s: %q from %v leads on average to %v, want %v moved by %v", g.Name(), name, from, got, from, d)
			}
			if move[k] != float64(d[k]) {
				t.Errorf("%s: Move of %q is %v, want %v", g.Name(), name, move, d)
			}
		}
	}
}

// checkCellLabels checks that every state is labelled with its coordinates in the game's shape,
// computed here from the row-major flattening the game documents.
func checkCellLabels(t *testing.T, g mfg.Finite) {
	t.Helper()
	shape, labels := g.StateShape(), mfg.StateLabels(g)
	for s, l := range labels {
		coords, rest := make([]string, len(shape)), s
		for k := len(shape) - 1; k >= 0; k-- {
			coords[k], rest = strconv.Itoa(rest%shape[k]), rest/shape[k]
		}
		if want := "(" + strings.Join(coords, ", ") + ")"; l != want {
			t.Fatalf("%s: state %d labelled %q, want %q", g.Name(), s, l, want)
		}
	}
}

func TestCrowdModellingLabels(t *testing.T) {
	g := finiteGame(t, "crowd-modelling", nil)
	checkMoves(t, g, []int{5}, map[string][]int{"left": {-1}, "stay": {0}, "right": {1}})
	for x, l := range mfg.StateLabels(g) {
		if l != strconv.Itoa(x) {
			t.Errorf("position %d labelled %q", x, l)
		}
	}
}

func TestBeachBarLabels(t *testing.T) {
	g := finiteGame(t, "beach-bar", map[string]any{"n": 9})
	checkMoves(t, g, []int{4}, map[string][]int{"left": {-1}, "stay": {0}, "right": {1}})
	for x, l := range mfg.StateLabels(g) {
		if l != strconv.Itoa(x) {
			t.Errorf("position %d labelled %q", x, l)
		}
	}
}

// Without noise, drift or rounding (σ = 0, k = 0, δ = 1) the control u moves x to x+u exactly; the
// positions are labelled -el..el in their order.
func TestLinearQuadraticLabels(t *testing.T) {
	g := finiteGame(t, "linear-quadratic", map[string]any{"sigma": 0, "k": 0, "delta": 1, "el": 6, "m": 2})
	st, actions, states := stageAt(t, g, 0), mfg.ActionLabels(g), mfg.StateLabels(g)
	x := labelIndex(t, states, "0")
	for u := -2; u <= 2; u++ {
		a := labelIndex(t, actions, fmt.Sprintf("u = %d", u))
		next, prob := st.Successors(x, a)
		if len(next) != 1 || math.Abs(prob[0]-1) > 1e-12 || states[next[0]] != strconv.Itoa(u) {
			t.Errorf("u = %d from x = 0 leads to %v with %v, want position %d", u, next, prob, u)
		}
	}
	for s := 1; s < len(states); s++ {
		a, _ := strconv.Atoi(states[s-1])
		b, _ := strconv.Atoi(states[s])
		if b != a+1 {
			t.Errorf("positions %q are not consecutive", states)
		}
	}
	d := finiteGame(t, "linear-quadratic", nil).(mfg.Mover)
	if got := d.Move(4)[0]; math.Abs(got-0.2) > 1e-15 { // u = 2, δ = 0.1
		t.Errorf("Move of u = 2 at δ = 0.1 is %v, want 0.2", got)
	}
}

// Without noise (p-still 1) the moves are sure; the grid is not square, so that l and w cannot be
// swapped unnoticed.
func TestCrowdMotionLabels(t *testing.T) {
	g := finiteGame(t, "crowd-motion", map[string]any{"torus-l": 5, "torus-w": 7, "p-still": 1})
	checkMoves(t, g, []int{2, 3}, map[string][]int{"up": {1, 0}, "down": {-1, 0}, "right": {0, 1}, "left": {0, -1}, "stay": {0, 0}})
	checkCellLabels(t, g)
}

func TestBuildingEvacuationLabels(t *testing.T) {
	g := finiteGame(t, "building-evacuation", map[string]any{"n-floor": 3, "floor-l": 4, "floor-w": 5})
	moves := map[string][]int{"up": {0, 1, 0}, "down": {0, -1, 0}, "left": {0, 0, -1}, "right": {0, 0, 1}}
	for _, name := range []string{"downstairs", "upstairs"} { // no staircase at (1, 2, 2): they stay
		moves[name] = []int{0, 0, 0}
	}
	st, sh := stageAt(t, g, 0), mfg.Shape(g.StateShape())
	actions := mfg.ActionLabels(g)
	from := sh.Index(1, 2, 2)
	for name, d := range moves {
		next, _ := st.Successors(from, labelIndex(t, actions, name))
		if want := sh.Index(1, 2+d[1], 2+d[2]); len(next) != 1 || next[0] != want {
			t.Errorf("%q from (1, 2, 2) leads to %v, want %d", name, next, want)
		}
	}
	// The staircases: down from (f, 0, 0), up from (f, floor-l-1, floor-w-1).
	for _, c := range []struct {
		name     string
		from, to [3]int
	}{{"downstairs", [3]int{1, 0, 0}, [3]int{0, 0, 0}}, {"upstairs", [3]int{1, 3, 4}, [3]int{2, 3, 4}}} {
		a := labelIndex(t, actions, c.name)
		next, _ := st.Successors(sh.Index(c.from[:]...), a)
		if len(next) != 1 || next[0] != sh.Index(c.to[:]...) {
			t.Errorf("%q from %v leads to %v, want %v", c.name, c.from, next, c.to)
		}
		move := g.(mfg.Mover).Move(a)
		if d := [3]float64{move[0], move[1], move[2]}; d != [3]float64{float64(c.to[0] - c.from[0]), 0, 0} {
			t.Errorf("Move of %q is %v", c.name, move)
		}
	}
	for name, d := range moves {
		if name == "downstairs" || name == "upstairs" {
			continue
		}
		move := g.(mfg.Mover).Move(labelIndex(t, actions, name))
		if move[0] != 0 || move[1] != float64(d[1]) || move[2] != float64(d[2]) {
			t.Errorf("Move of %q is %v, want %v", name, move, d)
		}
	}
	checkCellLabels(t, g)
}

// The action labelled with a place, a side, a hand or a site leads to the state of that label.
func TestChoiceLabelsLeadToTheirState(t *testing.T) {
	for _, c := range []struct {
		game   string
		prefix string // the action's label is prefix + the state's
	}{{"left-right", ""}, {"rock-paper-scissors", ""}, {"conservative-treasure-hunting", "to "}} {
		g := finiteGame(t, c.game, nil)
		st, states := stageAt(t, g, 0), mfg.StateLabels(g)
		for s := range states {
			for a, l := range mfg.ActionLabels(g) {
				next, prob := st.Successors(s, a)
				if len(next) != 1 || prob[0] != 1 || c.prefix+states[next[0]] != l {
					t.Errorf("%s: %q from %q leads to %v with %v", c.game, l, states[s], next, prob)
				}
			}
		}
	}
	g, err := games.New("congestion", nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := g.(mfg.ModelBased).MDP(mfg.UniformPopulation(g.States(), g.Actions()))
	if err != nil {
		t.Fatal(err)
	}
	states := mfg.StateLabels(g)
	for a, l := range mfg.ActionLabels(g) {
		if next, _ := m.Successors(0, a); len(next) != 1 || "to "+states[next[0]] != l {
			t.Errorf("congestion: %q leads to %v", l, next)
		}
	}
}

// Rock pays 2 μ(scissors) - μ(paper) and right costs 2 μ(right): the states so labelled earn that.
func TestHandLabelsEarnTheirRewards(t *testing.T) {
	g := finiteGame(t, "rock-paper-scissors", nil)
	states := mfg.StateLabels(g)
	mu := []float64{0.1, 0.2, 0.3, 0.4} // by index
	share := func(name string) float64 { return mu[labelIndex(t, states, name)] }
	st, err := g.Stage(1, mfg.PopulationFromStates(mu, mfg.UniformPolicy(4, 3)))
	if err != nil {
		t.Fatal(err)
	}
	rock := labelIndex(t, states, "rock")
	if got, want := st.Reward[rock*3], 2*share("scissors")-share("paper"); math.Abs(got-want) > 1e-12 {
		t.Errorf("reward of %q is %v, want 2 μ(scissors) - μ(paper) = %v", "rock", got, want)
	}
	lr := finiteGame(t, "left-right", nil)
	states = mfg.StateLabels(lr)
	mu = []float64{0.5, 0.2, 0.3}
	st, err = lr.Stage(0, mfg.PopulationFromStates(mu, mfg.UniformPolicy(3, 2)))
	if err != nil {
		t.Fatal(err)
	}
	right := labelIndex(t, states, "right")
	if got, want := st.Reward[right*2], -2*mu[right]; math.Abs(got-want) > 1e-12 {
		t.Errorf("reward at %q is %v, want -2 μ(right) = %v", "right", got, want)
	}
}

// Keeping distance keeps a susceptible agent susceptible at a cost of 0.5; going out among
// infected agents risks infection; an infected agent pays at least 1.
func TestSusceptibleInfectedLabels(t *testing.T) {
	g := finiteGame(t, "susceptible-infected", nil)
	states, actions := mfg.StateLabels(g), mfg.ActionLabels(g)
	sus, inf := labelIndex(t, states, "susceptible"), labelIndex(t, states, "infected")
	out, keep := labelIndex(t, actions, "go out"), labelIndex(t, actions, "keep distance")
	st := stageAt(t, g, 0) // half of the population infected
	if next, prob := st.Successors(sus, keep); len(next) != 1 || next[0] != sus || prob[0] != 1 {
		t.Errorf("keeping distance leads to %v with %v, want susceptible for sure", next, prob)
	}
	next, prob := st.Successors(sus, out)
	if i := slices.Index(next, inf); i < 0 || prob[i] <= 0 {
		t.Errorf("going out leads to %v with %v: no risk of infection", next, prob)
	}
	if r := st.Reward[sus*2+keep]; r != -0.5 {
		t.Errorf("keeping distance when susceptible earns %v, want -0.5", r)
	}
	if r := st.Reward[inf*2+out]; r > -1 {
		t.Errorf("going out when infected earns %v, want at most -1", r)
	}
}

// The inventory moves to min(s - min(q, s) + h, s-inv) under "produce q, order h" at "stock s".
func TestEquilibriumPriceLabels(t *testing.T) {
	g := finiteGame(t, "equilibrium-price", nil)
	st, states := stageAt(t, g, 0), mfg.StateLabels(g)
	for s, sl := range states {
		var stock int
		if _, err := fmt.Sscanf(sl, "stock %d", &stock); err != nil {
			t.Fatalf("state %d labelled %q: %v", s, sl, err)
		}
		for a, al := range mfg.ActionLabels(g) {
			var q, h int
			if _, err := fmt.Sscanf(al, "produce %d, order %d", &q, &h); err != nil {
				t.Fatalf("action %d labelled %q: %v", a, al, err)
			}
			want := fmt.Sprintf("stock %d", min(stock-min(q, stock)+h, 3))
			if next, _ := st.Successors(s, a); len(next) != 1 || states[next[0]] != want {
				t.Errorf("%q at %q leads to %v, want %s", al, sl, next, want)
			}
		}
	}
}

// Against opponents who all bid m, a bid above m wins at price m and earns E[v] - m less the
// overbid penalty (1+ρ)(m - budget)⁺; a bid below m loses and earns nothing.
func TestAuctionLabels(t *testing.T) {
	g, err := games.New("auction", nil)
	if err != nil {
		t.Fatal(err)
	}
	S, A, m := g.States(), g.Actions(), 5
	L := mfg.NewPopulation(S, A)
	for s := 0; s < S; s++ {
		L.Mass[s*A+m] = 1 / float64(S)
	}
	mdp, err := g.(mfg.ModelBased).MDP(L)
	if err != nil {
		t.Fatal(err)
	}
	ev := 6.0 // conversion values uniform on 4..8
	for s, sl := range mfg.StateLabels(g) {
		var budget int
		if _, err := fmt.Sscanf(sl, "budget %d", &budget); err != nil {
			t.Fatalf("state %d labelled %q: %v", s, sl, err)
		}
		for a, al := range mfg.ActionLabels(g) {
			var bid int
			if _, err := fmt.Sscanf(al, "bid %d", &bid); err != nil {
				t.Fatalf("action %d labelled %q: %v", a, al, err)
			}
			want := 0.0
			if bid > m {
				want = ev - float64(m) - 1.2*float64(max(m-budget, 0))
			}
			if got := mdp.Reward[s*A+a]; bid != m && math.Abs(got-want) > 1e-9 {
				t.Errorf("%q at %q earns %v, want %v", al, sl, got, want)
			}
		}
	}
}

func TestRandomLinearLabelsAreIndices(t *testing.T) {
	g := finiteGame(t, "random-linear", nil)
	for i, l := range mfg.StateLabels(g) {
		if l != strconv.Itoa(i) || mfg.ActionLabels(g)[i] != l {
			t.Errorf("random-linear: state %d labelled %q, action %q: want the index", i, l, mfg.ActionLabels(g)[i])
		}
	}
}
