package algorithms

import (
	"context"
	"fmt"
	"math"

	"meanfield/engine"
	"meanfield/games"
	"meanfield/mfg"
)

// OpenSpielTree is the game tree OpenSpiel's value evaluations walk depth first, for a game ported
// from OpenSpiel whose decision at (t, x) with action a leads to a chance node (the state after
// the move, before the noise), whose outcomes lead to the decisions at t+1 (nothing after the last
// time T). Two decisions lead to the same chance node, one OpenSpiel state string, exactly when
// AfterMove returns the same index, in [0, States). The roots are the states in order with the
// game's initial probabilities (OpenSpiel's initial chance node), the actions are visited in
// order, and the noise outcomes in Noise's order.
type OpenSpielTree interface {
	AfterMove(t, x, a int) int
	Noise(t, c int) (next []int, prob []float64)
}

// crowdTree is OpenSpiel's tree of 1-D crowd modelling (mfg_crowd_modelling): the move x+a-1 on a
// ring of n positions, then the noise outcomes 0, 1, 2 (moves -1, 0, +1) with probability 1/3.
type crowdTree struct{ n int }

// AfterMove is (x + a - 1) mod n, the position after the move, OpenSpiel's "(x', t)_a_mu".
func (c crowdTree) AfterMove(_, x, a int) int { return ((x+a-1)%c.n + c.n) % c.n }

// Noise is x-1, x, x+1 (mod n), each with probability 1/3 (OpenSpiel's 1./3.), in that order.
func (c crowdTree) Noise(_, x int) ([]int, []float64) {
	third := 1. / 3.
	return []int{(x - 1 + c.n) % c.n, x, (x + 1) % c.n}, []float64{third, third, third}
}

// openSpielTreeOf returns the OpenSpiel tree of g: its own when g implements OpenSpielTree, the
// one of OpenSpiel's 1-D crowd modelling for crowd-modelling; else an error. The tree is checked
// against g's transitions, which it must reproduce.
func openSpielTreeOf(g mfg.Game) (OpenSpielTree, error) {
	tree, ok := g.(OpenSpielTree)
	if cm, isCrowd := g.(*games.CrowdModelling); isCrowd && !ok {
		tree, ok = crowdTree{cm.States()}, true
	}
	fg, finite := g.(mfg.Finite)
	if !ok || !finite {
		return nil, fmt.Errorf("openspiel-live-read = true needs the order in which OpenSpiel's evaluation walks the game tree, known for crowd-modelling only, not %s", g.Name())
	}
	S, A := fg.States(), fg.Actions()
	L := mfg.UniformPopulation(S, A)
	want := make([]float64, S)
	for t := 0; t <= fg.Horizon(); t++ {
		st, err := fg.Stage(t, L)
		if err != nil {
			return nil, err
		}
		if err := arrivalRewards(g.Name(), t, st.Reward, A); err != nil {
			return nil, err
		}
		for x := 0; x < S && t < fg.Horizon(); x++ {
			for a := 0; a < A; a++ {
				clear(want)
				next, prob := tree.Noise(t, tree.AfterMove(t, x, a))
				for i, y := range next {
					want[y] += prob[i]
				}
				got, p := st.Successors(x, a)
				var sum float64
				for i, y := range got {
					sum += p[i]
					if math.Abs(want[y]-p[i]) > 1e-12 {
						return nil, fmt.Errorf("openspiel-live-read = true: %s's OpenSpiel tree does not match its transitions at t=%d, state %d, action %d", g.Name(), t, x, a)
					}
				}
				if math.Abs(sum-1) > 1e-12 {
					return nil, fmt.Errorf("openspiel-live-read = true: %s's OpenSpiel tree does not match its transitions at t=%d, state %d, action %d", g.Name(), t, x, a)
				}
			}
		}
	}
	return tree, nil
}

// liveRun is OpenSpiel's MirrorDescent as its code runs (mirror_descent.py): a cumulative table C
// over the chance nodes, C(t, c) += Alpha·V(t, c) the moment the depth-first evaluation computes
// the chance node's value V, and the policy π(a|t,x) = softmax_a(r_t(x) + C(t, AfterMove(t,x,a)))
// read live during that evaluation: each decision node queries it, once, before its children are
// evaluated, so that it sees the updates of the chance nodes evaluated earlier in the same walk.
// Iteration 1 evaluates π_0. The policy returned after the walk reads the final C.
type liveRun struct {
	g     mfg.Finite
	tree  OpenSpielTree
	alpha float64
	S, A  int
	c     [][]float64 // C(t, c)
	// One walk's memo: values of decision nodes (t, x) and chance nodes (t, c), and whether computed.
	v, w         [][]float64
	vDone, wDone [][]bool
	r            [][]float64 // r_t(x) at the evaluated policy's mean field
	pi           []mfg.Policy
	live         bool // false: the walk evaluates pi (iteration 1)
}

func newLiveRun(g mfg.Finite, tree OpenSpielTree, alpha float64) *liveRun {
	S, A, T1 := g.States(), g.Actions(), g.Horizon()+1
	grid := func() [][]float64 {
		m := make([][]float64, T1)
		for t := range m {
			m[t] = make([]float64, S)
		}
		return m
	}
	flags := func() [][]bool {
		m := make([][]bool, T1)
		for t := range m {
			m[t] = make([]bool, S)
		}
		return m
	}
	return &liveRun{g: g, tree: tree, alpha: alpha, S: S, A: A, c: grid(), v: grid(), w: grid(), r: grid(),
		vDone: flags(), wDone: flags()}
}

// ReleasesEvaluations tells the engine that the run keeps nothing of an evaluation after Step.
func (*liveRun) ReleasesEvaluations() {}

// ReadsNoPolicyQ tells the engine that Step reads no Q^π of the evaluation (the mean field and the policy).
func (*liveRun) ReadsNoPolicyQ() {}

func (r *liveRun) Step(ctx context.Context, k int, prev *engine.Evaluation) (engine.Iterate, error) {
	L, err := prev.MeanField(ctx)
	if err != nil {
		return engine.Iterate{}, err
	}
	if err := r.rewards(L); err != nil {
		return engine.Iterate{}, err
	}
	for t := range r.v {
		clear(r.vDone[t])
		clear(r.wDone[t])
	}
	r.pi, r.live = prev.Policy, k > 1
	for x := 0; x < r.S; x++ { // the initial chance node's outcomes, in order
		r.decision(0, x)
	}
	next := newPolicy(len(r.c), r.S, r.A)
	for t := range next {
		for x := 0; x < r.S; x++ {
			r.project(next[t].Row(x), t, x)
		}
	}
	return engine.Iterate{Policy: next}, nil
}

// rewards fills r_t(x) at L, refusing rewards that depend on the action: OpenSpiel's are collected
// on arrival at a state.
func (r *liveRun) rewards(L []mfg.Population) error {
	for t := range r.r {
		st, err := r.g.Stage(t, L[t])
		if err != nil {
			return err
		}
		if err := arrivalRewards(r.g.Name(), t, st.Reward, r.A); err != nil {
			return err
		}
		for x := 0; x < r.S; x++ {
			r.r[t][x] = st.Reward[x*r.A]
		}
	}
	return nil
}

// GameParametersError is an Applies error that depends on the game's parameters, not on its kind:
// another setting of the same game may be accepted (crowd-modelling's openspiel-live-read needs
// openspiel-costs: true, false by default). A check of an algorithm against the game at its
// default parameters should defer such an error to the game built from the given parameters.
type GameParametersError struct{ Err error }

func (e *GameParametersError) Error() string { return e.Err.Error() }

func (e *GameParametersError) Unwrap() error { return e.Err }

// arrivalRewards refuses rewards r(t, x, a) that depend on the action a.
func arrivalRewards(game string, t int, reward []float64, A int) error {
	for i, v := range reward {
		if v != reward[i-i%A] {
			return &GameParametersError{fmt.Errorf("openspiel-live-read = true: the rewards of %s depend on the action at t=%d, state %d, and OpenSpiel's are collected on arrival at a state: add openspiel-costs: true to the game's parameters (--param openspiel-costs=true; it is false by default) to charge moves as OpenSpiel does", game, t, i/A)}
		}
	}
	return nil
}

// project writes softmax_a(r_t(x) + C(t, AfterMove(t, x, a))) as OpenSpiel's softmax_projection
// does: minus the largest logit, exponentials, each divided by their sum.
func (r *liveRun) project(dst []float64, t, x int) {
	best := math.Inf(-1)
	for a := range dst {
		dst[a] = r.r[t][x] + r.c[t][r.tree.AfterMove(t, x, a)]
		best = max(best, dst[a])
	}
	var sum float64
	for a, l := range dst {
		dst[a] = math.Exp(l - best)
		sum += dst[a]
	}
	for a := range dst {
		dst[a] /= sum
	}
}

// decision returns the value of the decision node (t, x), r_t(x) + Σ_a π(a) V(chance node of a).
func (r *liveRun) decision(t, x int) float64 {
	if r.vDone[t][x] {
		return r.v[t][x]
	}
	probs := make([]float64, r.A) // the children's walks query other nodes' policies
	if r.live {
		r.project(probs, t, x)
	} else {
		copy(probs, r.pi[t].Row(x))
	}
	var v float64
	for a, p := range probs {
		v += float64(p * r.chance(t, r.tree.AfterMove(t, x, a)))
	}
	v = r.r[t][x] + v
	r.v[t][x], r.vDone[t][x] = v, true
	return v
}

// chance returns the value of the chance node (t, c), Σ_e p(e) V(t+1, outcome e) (0 after the
// last time), and adds Alpha times it to C(t, c).
func (r *liveRun) chance(t, c int) float64 {
	if r.wDone[t][c] {
		return r.w[t][c]
	}
	next, prob := r.tree.Noise(t, c)
	var v float64
	for i, y := range next {
		var child float64
		if t+1 < len(r.v) {
			child = r.decision(t+1, y)
		}
		v += prob[i] * child
	}
	r.w[t][c], r.wDone[t][c] = v, true
	r.c[t][c] += float64(r.alpha * v)
	return v
}
