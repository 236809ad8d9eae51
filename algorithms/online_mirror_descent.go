package algorithms

import (
	"context"
	"fmt"
	"math"

	"meanfield/engine"
	"meanfield/finite"
	"meanfield/mfg"
	"meanfield/rl"
)

func init() {
	Register("online-mirror-descent",
		"online mirror descent: softmax of the summed Q-functions of past policies",
		"Pérolat et al. 2021; MFGLib 0.3.0 OnlineMirrorDescent; OpenSpiel mirror_descent.py and munchausen_mirror_descent.py (alpha = lr; openspiel-live-read for the former's digits)", 100,
		func() *OnlineMirrorDescent { return &OnlineMirrorDescent{Alpha: 1} },
		func(o *OnlineMirrorDescent) (engine.Algorithm, error) { return *o, nil })
}

// OnlineMirrorDescent is MFGLib's OnlineMirrorDescent: with Q^π the Q-function of π_{k-1} at its
// own mean field,
//
//	y_k = y_{k-1} + Alpha Q^{π_{k-1}},   π_k(·|t,s) = softmax(y_k(t, s, ·)),   y_0 = 0.
//
// The default Alpha is 1. OpenSpiel's MunchausenMirrorDescent(lr) is this with Alpha = lr: its
// π_k ∝ π_{k-1} exp(lr Q^{π_{k-1}}) is the softmax of the sum. So is OpenSpiel's MirrorDescent(lr)
// in exact arithmetic, whose logits r(s) + lr Σ_j V_j(after the move) differ from y_k by a
// constant per state; but its code reads the cumulative table while the next evaluation updates
// it. OpenSpielLiveRead reproduces that (see liveRun), on games whose OpenSpiel tree is known
// (OpenSpielTree: crowd-modelling).
//
// OpenSpielVisited reproduces another trait of MirrorDescent: its cumulative table only gets
// values at the nodes its depth-first evaluation visits, those reachable from μ_0's support
// through legal actions under the current mean field's transitions. Where that is not every state
// (dynamic-routing: a waiting time fixes when a vehicle can next choose), the sum then runs over
// the iterations in which (t, s) was reachable:
//
//	y_k(t, s, ·) = y_{k-1}(t, s, ·) + Alpha Q^{π_{k-1}}(t, s, ·) if s is reachable at t under L^{π_{k-1}}, else y_{k-1}(t, s, ·).
//
// That is OpenSpiel's iteration exactly when no two decision nodes with a choice share a child
// node (OpenSpiel keys its table by the child), as on dynamic-routing's Braess and line networks.
type OnlineMirrorDescent struct {
	Alpha             float64 `yaml:"alpha" help:"learning rate"`
	OpenSpielLiveRead bool    `yaml:"openspiel-live-read" help:"reproduce OpenSpiel's mirror_descent.py digits: its policy reads the cumulative values while its depth-first evaluation updates them (crowd-modelling only)"`
	OpenSpielVisited  bool    `yaml:"openspiel-visited" help:"as OpenSpiel's mirror_descent.py, add Q only at the states reachable through legal actions at the current mean field, the nodes its evaluation visits (for dynamic-routing; finite-horizon games)"`
}

// Name is "online-mirror-descent".
func (OnlineMirrorDescent) Name() string { return "online-mirror-descent" }

// Validate checks Alpha > 0.
func (o OnlineMirrorDescent) Validate() error {
	if !(o.Alpha > 0) || math.IsInf(o.Alpha, 0) {
		return fmt.Errorf("alpha = %v: must be positive and finite", o.Alpha)
	}
	return nil
}

// Applies accepts every game whose policies can be evaluated; with OpenSpielLiveRead, the games
// whose OpenSpiel tree is known.
func (o OnlineMirrorDescent) Applies(g mfg.Game) error {
	if err := needsModel(o.Name(), g); err != nil {
		return err
	}
	if _, finite := g.(mfg.Finite); o.OpenSpielVisited && !finite {
		return fmt.Errorf("openspiel-visited = true needs a finite-horizon game, not %s", g.Name())
	}
	if o.OpenSpielVisited && o.OpenSpielLiveRead {
		return fmt.Errorf("openspiel-visited = true and openspiel-live-read = true: choose one (the live read walks OpenSpiel's tree, which visits every state)")
	}
	if !o.OpenSpielLiveRead {
		return nil
	}
	_, err := openSpielTreeOf(g)
	return err
}

// Begin starts a solve with y_0 = 0 (C = 0 with OpenSpielLiveRead).
func (o OnlineMirrorDescent) Begin(_ context.Context, s engine.Start) (engine.Run, engine.Iterate, error) {
	g := s.Problem.Game()
	if o.OpenSpielLiveRead {
		tree, err := openSpielTreeOf(g)
		if err != nil {
			return nil, engine.Iterate{}, err
		}
		return newLiveRun(g.(mfg.Finite), tree, o.Alpha), engine.Iterate{Policy: s.Policy}, nil
	}
	n := g.States() * g.Actions()
	flat := make([]float64, s.Problem.Times()*n)
	y := make([][]float64, s.Problem.Times())
	for t := range y {
		y[t] = flat[t*n : (t+1)*n : (t+1)*n]
	}
	run := &omdRun{alpha: o.Alpha, y: y, flat: flat, S: g.States(), A: g.Actions(), legal: s.Problem.Legal()}
	if o.OpenSpielVisited {
		run.visited, _ = g.(mfg.Finite)
	}
	return run, engine.Iterate{Policy: s.Policy}, nil
}

type omdRun struct {
	alpha float64
	y     [][]float64
	// flat holds y's rows, y_0's then y_1's and so on: one softmax call takes them all.
	flat  []float64
	S, A  int
	legal []bool // illegal actions: y = -Inf, so the softmax gives them nothing
	// visited, when set, is the game whose reachable states alone are updated (OpenSpielVisited).
	visited mfg.Finite
	// chunks hold the policies of the steps, which the engine's trace keeps.
	chunks finite.Chunks
}

// ReleasesEvaluations tells the engine that the run keeps nothing of an evaluation after Step.
func (*omdRun) ReleasesEvaluations() {}

// Recycle takes back a policy of the run's chunks for a later step: the run keeps no reference to
// its past policies (what it carries from step to step is in memory of its own).
func (r *omdRun) Recycle(pi []mfg.Policy) { r.chunks.Recycle(pi) }

func (r *omdRun) Step(ctx context.Context, _ int, prev *engine.Evaluation) (engine.Iterate, error) {
	q, err := prev.PolicyQ(ctx) // computed for the exploitability already
	if err != nil {
		return engine.Iterate{}, err
	}
	q = legalQ(q, r.legal)
	S, A := r.S, r.A
	var reach [][]bool
	if r.visited != nil {
		L, err := prev.MeanField(ctx)
		if err != nil {
			return engine.Iterate{}, err
		}
		if reach, err = reachable(r.visited, L, r.legal); err != nil {
			return engine.Iterate{}, err
		}
	}
	next, values := r.chunks.PolicyValues(len(q), S, A)
	x := omdRow{next, q, reach, r}
	if serialRows(len(q), S) {
		// Every row's exponentials in one call: the tables are small, and a call per time step
		// costs more than its rows on the smallest games (same bits: the softmax is row by row).
		if qf := flatTables(q, S*A); qf != nil && reach == nil {
			addScaled(r.flat, qf, r.alpha) // y_t's rows after one another, as Q^π_t's: one call
		} else {
			for t := range q {
				x.add(t, 0, S)
			}
		}
		rl.SoftmaxRows(values, r.flat, A, 1)
		return engine.Iterate{Policy: next}, nil
	}
	forEachBlockOf(len(q), S, x, func(x omdRow, t, s0, s1 int) {
		x.add(t, s0, s1)
		A := x.r.A
		rl.SoftmaxRows(x.next[t].Prob[s0*A:s1*A], x.r.y[t][s0*A:s1*A], A, 1)
	})
	return engine.Iterate{Policy: next}, nil
}

// add adds α Q^π_t to y_t on the rows of the states s0..s1-1 (at the reachable ones alone, when
// reach is set; the illegal actions' -Inf everywhere).
func (x omdRow) add(t, s0, s1 int) {
	A, alpha := x.r.A, x.r.alpha
	y, q := x.r.y[t][s0*A:s1*A], x.q[t][s0*A:s1*A]
	q = q[:len(y)]
	if x.reach == nil { // every state counts, the common case: the rows as one table
		addScaled(y, q, alpha)
		return
	}
	for s := s0; s < s1; s++ {
		lo := (s - s0) * A
		y, q := y[lo:lo+A], q[lo:lo+A]
		y = y[:len(q)] // one bounds check per row
		// Every action's sum where the state counts, without a test per action.
		if x.reach[t][s] {
			for a, v := range q {
				y[a] += float64(alpha * v)
			}
		} else {
			for a, v := range q {
				if math.IsInf(v, -1) { // illegal actions stay at -Inf
					y[a] += float64(alpha * v)
				}
			}
		}
	}
}

// flatTables returns the tables q_0, q_1, … of n values each as one slice when the entry of q's
// capacity past its length is a slice of exactly their values, each table where the one before
// ends (Q^π in one slab, as the engine's evaluations hold it: finite's optimalAndPolicyQ keeps it
// there, each table capped at its own values), else nil: a step then adds them to y in one call
// rather than one a time step, which costs more than the sums on the smallest games (the same
// sums, entry by entry). Whatever that entry holds, a slice returned spans the tables alone.
func flatTables(q [][]float64, n int) []float64 {
	if len(q) == 0 || n == 0 || cap(q) == len(q) {
		return nil
	}
	all := q[:len(q)+1][len(q)]
	if len(all) != len(q)*n {
		return nil
	}
	for t := range q {
		if len(q[t]) != n || &q[t][0] != &all[t*n] {
			return nil
		}
	}
	return all
}

// addScaledGo sets y[i] += float64(alpha·q[i]) for i < len(q) (y at least as long).
func addScaledGo(y, q []float64, alpha float64) {
	y = y[:len(q)]
	for i, v := range q {
		y[i] += float64(alpha * v)
	}
}

// omdRow is what a row of a step reads: the policy it writes, Q^π, the reachable states (nil:
// all) and the run.
type omdRow struct {
	next  []mfg.Policy
	q     [][]float64
	reach [][]bool
	r     *omdRun
}

// reachable returns, as [t][s], whether s can be reached at t from μ_0's support through legal
// actions (all actions when legal is nil) under the transitions of g's stages at L.
func reachable(g mfg.Finite, L []mfg.Population, legal []bool) ([][]bool, error) {
	S, A := g.States(), g.Actions()
	reach := make([][]bool, g.Horizon()+1)
	reach[0] = make([]bool, S)
	for s, m := range g.InitialStates() {
		reach[0][s] = m > 0
	}
	for t := 0; t < g.Horizon(); t++ {
		st, err := g.Stage(t, L[t])
		if err != nil {
			return nil, err
		}
		reach[t+1] = make([]bool, S)
		for s := 0; s < S; s++ {
			for a := 0; a < A && reach[t][s]; a++ {
				if legal != nil && !legal[s*A+a] {
					continue
				}
				next, prob := st.Successors(s, a)
				for i, y := range next {
					reach[t+1][y] = reach[t+1][y] || prob[i] > 0
				}
			}
		}
	}
	return reach, nil
}

// newPolicy returns T1 zero policies of S×A sharing one allocation.
func newPolicy(T1, S, A int) []mfg.Policy {
	buf := make([]float64, T1*S*A)
	pi := make([]mfg.Policy, T1)
	for t := range pi {
		pi[t] = mfg.Policy{States: S, Actions: A, Prob: buf[t*S*A : (t+1)*S*A : (t+1)*S*A]}
	}
	return pi
}

// String describes the step.
func (o OnlineMirrorDescent) String() string {
	if o.OpenSpielLiveRead {
		return fmt.Sprintf("learning rate alpha=%g, OpenSpiel's live read of the cumulative values", o.Alpha)
	}
	if o.OpenSpielVisited {
		return fmt.Sprintf("learning rate alpha=%g, Q added at the states OpenSpiel's evaluation visits", o.Alpha)
	}
	return fmt.Sprintf("learning rate alpha=%g", o.Alpha)
}
