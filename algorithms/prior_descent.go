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
	Register("prior-descent",
		"prior descent: softmax of Q*/eta times a prior policy (n-inner 0: the prior is never renewed)",
		"Cui and Koeppl 2021; MFGLib 0.3.0 PriorDescent", 100,
		func() *PriorDescent { return &PriorDescent{Eta: 1} },
		func(p *PriorDescent) (engine.Algorithm, error) { return *p, nil })
}

// PriorDescent is MFGLib's PriorDescent (GMF-V with a prior): with Q* the optimal Q-function at
// the mean field of π_{k-1} and a prior q,
//
//	π_k(a|t,s) = q(a|t,s) exp(Q*_t(s,a)/Eta) / Σ_b q(b|t,s) exp(Q*_t(s,b)/Eta);
//
// the prior starts at π_0 and, when Inner > 0, becomes π_k whenever k+1 is a multiple of Inner.
// Inner = 0 (MFGLib's None) keeps the prior for ever. Defaults: Eta = 1, Inner = 0.
type PriorDescent struct {
	Eta   float64 `yaml:"eta" help:"temperature η"`
	Inner int     `yaml:"n-inner" help:"renew the prior every n-inner iterations (0: never)"`
}

// Name is "prior-descent".
func (PriorDescent) Name() string { return "prior-descent" }

// Validate checks Eta > 0 and Inner >= 0.
func (p PriorDescent) Validate() error {
	if !(p.Eta > 0) || math.IsInf(p.Eta, 0) {
		return fmt.Errorf("eta = %v: must be positive and finite", p.Eta)
	}
	if p.Inner < 0 {
		return fmt.Errorf("n-inner = %d: must be non-negative (0: the prior is never updated)", p.Inner)
	}
	return nil
}

// Applies accepts every game whose policies can be evaluated.
func (p PriorDescent) Applies(g mfg.Game) error { return needsModel(p.Name(), g) }

// Begin starts a solve with the prior π_0.
func (p PriorDescent) Begin(_ context.Context, s engine.Start) (engine.Run, engine.Iterate, error) {
	g := s.Problem.Game()
	S, A := g.States(), g.Actions()
	r := &pdRun{c: 1 / p.Eta, inner: p.Inner, S: S, A: A}
	r.prior = make([]mfg.Policy, len(s.Policy))
	if p.Inner == 0 && stepCalls(S, A) {
		// π_0 itself, which no one writes during the solve (the caller's, or the problem's
		// uniform policy, never handed back to the run): a copy would cost a pass over the tables.
		copy(r.prior, s.Policy)
		r.rows = repeatedRows(s.Policy, S, A)
		return r, engine.Iterate{Policy: s.Policy}, nil
	}
	r.priorFlat = make([]float64, len(s.Policy)*S*A)
	for t, pt := range s.Policy {
		r.prior[t] = mfg.Policy{States: S, Actions: A, Prob: r.priorFlat[t*S*A : (t+1)*S*A : (t+1)*S*A]}
		copy(r.prior[t].Prob, pt.Prob)
	}
	return r, engine.Iterate{Policy: s.Policy}, nil
}

// stepCallValues is the size S·A of a time step's table from which the serial softmax takes a
// call per time step rather than one call for the whole policy: the copy of Q* into one table
// that the single call needs then costs more than the calls (at 200×200 cells of crowd motion, a
// pass over every Q*_t that no longer fits in the caches).
const stepCallValues = 1024

// blockRows is the number of rows of a block of the softmax where the prior is one row repeated:
// its copies then fit in the first-level cache.
const blockRows = 256

// repeatedRows returns blockRows copies of the row that every row of pi repeats, bit for bit, at
// every time (a uniform π_0's), nil if the rows differ: the softmax then reads the copies, not a
// prior as large as a policy (at 200×200 cells of crowd motion, 6.4 MB an iteration).
func repeatedRows(pi []mfg.Policy, S, A int) []float64 {
	if len(pi) == 0 || S == 0 {
		return nil
	}
	row := pi[0].Prob[:A]
	for _, pt := range pi {
		for s := range S {
			for a, v := range pt.Prob[s*A : (s+1)*A] {
				if math.Float64bits(v) != math.Float64bits(row[a]) {
					return nil
				}
			}
		}
	}
	rows := make([]float64, blockRows*A)
	for i := 0; i < len(rows); i += A {
		copy(rows[i:i+A], row)
	}
	return rows
}

// stepCalls reports whether a time step's table of S×A takes a call of its own (stepCallValues).
func stepCalls(S, A int) bool { return S*A >= stepCallValues }

type pdRun struct {
	c     float64
	inner int
	prior []mfg.Policy
	// priorFlat holds the prior's rows, π_0's then π_1's and so on, and q those of a step's Q*:
	// one softmax call takes them all. priorFlat is nil where the prior is π_0's own memory (see
	// Begin), and q unused where a call per time step is made (stepCalls).
	priorFlat, q []float64
	// rows, when not nil, holds blockRows copies of the prior's one row (see repeatedRows).
	rows []float64
	S, A int
	// chunks hold the policies of the steps, which the engine's trace keeps.
	chunks finite.Chunks
}

// ReleasesEvaluations tells the engine that the run keeps nothing of an evaluation after Step.
func (*pdRun) ReleasesEvaluations() {}

// Recycle takes back a policy of the run's chunks for a later step: the run keeps no reference to
// its past policies (what it carries from step to step is in memory of its own).
func (r *pdRun) Recycle(pi []mfg.Policy) { r.chunks.Recycle(pi) }

// ReadsNoPolicyQ tells the engine that Step reads no Q^π of the evaluation (Q*).
func (*pdRun) ReadsNoPolicyQ() {}

func (r *pdRun) Step(ctx context.Context, k int, prev *engine.Evaluation) (engine.Iterate, error) {
	q, err := prev.OptimalQ(ctx)
	if err != nil {
		return engine.Iterate{}, err
	}
	S, A := r.S, r.A
	// Every value is written below: memory handed back need not be cleared.
	next, values := r.chunks.PolicyValuesToOverwrite(len(q), S, A)
	switch {
	case serialRows(len(q), S) && stepCalls(S, A):
		r.stepRows(values, q)
	case serialRows(len(q), S):
		// Every row's exponentials in one call, Q* copied to a table of the run's: the tables are
		// small, and a call per time step costs more than its rows on the smallest games (same
		// bits: the softmax is row by row).
		if len(r.q) != len(values) {
			r.q = make([]float64, len(values))
		}
		for t, qt := range q {
			copy(r.q[t*S*A:(t+1)*S*A], qt)
		}
		rl.PriorSoftmaxRows(values, r.q, r.c, r.priorFlat, A)
	default:
		forEachBlockOf(len(q), S, pdRow{next, q, r}, func(x pdRow, t, s0, s1 int) {
			A := x.r.A
			rl.PriorSoftmaxRows(x.next[t].Prob[s0*A:s1*A], x.q[t][s0*A:s1*A], x.r.c, x.r.prior[t].Prob[s0*A:s1*A], A)
		})
	}
	if r.inner > 0 && (k+1)%r.inner == 0 {
		copy(r.priorFlat, values) // the prior's own memory: next is the trace's
	}
	return engine.Iterate{Policy: next}, nil
}

// stepRows writes the softmax of every row of q into values, a call per time step, or per block
// of blockRows rows where the prior is one row repeated (same bits: the softmax is row by row).
func (r *pdRun) stepRows(values []float64, q [][]float64) {
	S, A := r.S, r.A
	n := S * A
	for t, qt := range q {
		out, x := values[t*n:(t+1)*n], qt[:n]
		if r.rows == nil {
			rl.PriorSoftmaxRows(out, x, r.c, r.prior[t].Prob, A)
			continue
		}
		for lo := 0; lo < n; lo += len(r.rows) {
			hi := min(n, lo+len(r.rows))
			rl.PriorSoftmaxRows(out[lo:hi], x[lo:hi], r.c, r.rows[:hi-lo], A)
		}
	}
}

// pdRow is what a row of a step reads: the policy it writes, Q* and the run.
type pdRow struct {
	next []mfg.Policy
	q    [][]float64
	r    *pdRun
}

// String describes the step.
func (p PriorDescent) String() string {
	if p.Inner == 0 {
		return fmt.Sprintf("eta=%g, prior π_0", p.Eta)
	}
	return fmt.Sprintf("eta=%g, prior renewed every %d iterations", p.Eta, p.Inner)
}

// Smoothing: a prior policy never renewed (n-inner 0) makes the fixed point an equilibrium of the
// game regularised by η·KL(π‖prior); renewed, the prior follows the iterates.
func (p PriorDescent) Smoothing() string {
	if p.Inner == 0 {
		return fmt.Sprintf("softmax of Q*/η with η = %g around a fixed prior", p.Eta)
	}
	return ""
}
