package finite

import (
	"context"
	"fmt"
	"time"

	"meanfield/mfg"
)

// Evaluated is a policy with its mean field and the stages at that mean field: what every
// algorithm's step and the exploitability need, computed once per iteration.
type Evaluated struct {
	Policy    Policy
	MeanField MeanField
	Stages    []*mfg.MDP
	qstar     [][]float64
	qpol      [][]float64
	// slabs hold MeanField, qstar and qpol when they came from a solve's workspace, to which Solve
	// returns them once the iteration is over.
	slabs [][]float64
}

// OptimalQ returns Q* at the evaluated mean field, computed once.
func (e *Evaluated) OptimalQ() [][]float64 {
	if e.qstar == nil {
		e.qstar = OptimalQ(e.Stages)
	}
	return e.qstar
}

// PolicyQ returns Q^π at the evaluated mean field, computed once.
func (e *Evaluated) PolicyQ() [][]float64 {
	if e.qpol == nil {
		e.qpol = PolicyQ(e.Stages, e.Policy)
	}
	return e.qpol
}

// Evaluate computes the mean field of π and the stages at it.
func Evaluate(g Game, pi Policy) (*Evaluated, error) { return evaluate(g, pi, nil) }

// evaluate is Evaluate with the mean field in ws's memory (fresh memory when ws is nil).
func evaluate(g Game, pi Policy, ws *workspace) (*Evaluated, error) {
	L, stages, slab, err := meanFieldInto(g, pi, ws)
	ev := &Evaluated{Policy: pi, MeanField: L, Stages: stages}
	if err == nil && ws != nil {
		ev.slabs = [][]float64{slab}
	}
	return ev, err
}

// workspace recycles the memory of a solve's mean fields and Q-functions from one iteration to
// the next: a few hundred kilobytes per iteration that would otherwise be allocated, zeroed and
// collected. A nil workspace allocates.
type workspace struct{ free [][]float64 }

// get returns a slab of length n with arbitrary contents: callers write every entry.
func (w *workspace) get(n int) []float64 {
	if w != nil {
		for i, s := range w.free {
			if cap(s) >= n {
				w.free[i] = w.free[len(w.free)-1]
				w.free = w.free[:len(w.free)-1]
				return s[:n]
			}
		}
	}
	return make([]float64, n)
}

// put gives slabs back for reuse.
func (w *workspace) put(slabs ...[]float64) {
	if w != nil {
		w.free = append(w.free, slabs...)
	}
}

// release gives back the memory of an iteration's evaluation once no one reads it any more.
func (w *workspace) release(ev *Evaluated) {
	if w != nil && ev != nil {
		w.put(ev.slabs...)
		ev.slabs, ev.MeanField, ev.qstar, ev.qpol = nil, nil, nil, nil
	}
}

// Algorithm is an iterative solver: a value with its parameters, which starts a Stepper for each
// solve. Adding an algorithm is one new type.
type Algorithm interface {
	// Name is the command-line name, e.g. "fictitious-play".
	Name() string
	// Validate names a parameter out of range.
	Validate() error
	// Begin returns the state of a new solve of g.
	Begin(g Game) Stepper
}

// Stepper advances one solve: from the evaluated policy of iteration k (k = 0 for π_0) it returns
// the next policy. Step may read cur (its policy, mean field, stages and Q*) but must not keep its
// mean field or Q-functions after it returns: Solve reuses their memory.
type Stepper interface {
	Step(cur *Evaluated, k int) (Policy, error)
}

// Options of Solve.
type Options struct {
	// Iterations to run after π_0.
	Iterations int
	// Initial is π_0; nil means the uniform policy.
	Initial Policy
	// OnIteration, when set, is called with every recorded iteration (0 = π_0).
	OnIteration func(Iteration)
}

// Iteration is the record of one iteration: the policy after it and its exploitability.
type Iteration struct {
	K              int
	Policy         Policy
	Exploitability float64
	// Elapsed is the time since the solve started.
	Elapsed time.Duration
}

// Result is a solve: iteration 0 is π_0, then one record per iteration.
type Result struct {
	Algorithm string
	Trace     []Iteration
}

// Final returns the last record.
func (r *Result) Final() Iteration { return r.Trace[len(r.Trace)-1] }

// Exploitabilities returns the exploitability of every recorded policy, π_0 first.
func (r *Result) Exploitabilities() []float64 {
	out := make([]float64, len(r.Trace))
	for i, it := range r.Trace {
		out[i] = it.Exploitability
	}
	return out
}

// Solve runs alg on g and records the exploitability of π_0 and of the policy after every
// iteration (as MFGLib's solve does, without its early stopping). A cancelled ctx returns the
// iterations done with ctx's error.
func Solve(ctx context.Context, g Game, alg Algorithm, opt Options) (*Result, error) {
	if err := alg.Validate(); err != nil {
		return nil, err
	}
	if opt.Iterations < 0 {
		return nil, fmt.Errorf("iterations = %d: must be non-negative", opt.Iterations)
	}
	pi := opt.Initial
	if pi == nil {
		pi = Uniform(g)
	}
	if err := pi.Validate(g); err != nil {
		return nil, err
	}
	start := time.Now()
	res := &Result{Algorithm: alg.Name()}
	ws := new(workspace)
	cur, err := evaluate(g, pi, ws)
	if err != nil {
		return nil, err
	}
	record := func(k int, cur *Evaluated) {
		it := Iteration{K: k, Policy: cur.Policy, Exploitability: exploitabilityAt(g, cur, ws), Elapsed: time.Since(start)}
		res.Trace = append(res.Trace, it)
		if opt.OnIteration != nil {
			opt.OnIteration(it)
		}
	}
	record(0, cur)
	stepper := alg.Begin(g)
	for k := 0; k < opt.Iterations; k++ {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		next, err := stepper.Step(cur, k)
		if err != nil {
			return res, fmt.Errorf("%s, iteration %d: %w", alg.Name(), k+1, err)
		}
		// Exploitability is measured on the feasible version of the policy, as MFGLib scores it;
		// the iteration itself goes on from the policy as computed.
		prev := cur
		if cur, err = evaluate(g, next, ws); err != nil {
			return res, err
		}
		ws.release(prev) // the step has used it
		feasible := cur
		if !isFeasible(next) {
			if feasible, err = evaluate(g, Feasible(next), ws); err != nil {
				return res, err
			}
		}
		it := Iteration{K: k + 1, Policy: next, Exploitability: exploitabilityAt(g, feasible, ws), Elapsed: time.Since(start)}
		if feasible != cur {
			ws.release(feasible)
		}
		res.Trace = append(res.Trace, it)
		if opt.OnIteration != nil {
			opt.OnIteration(it)
		}
	}
	return res, nil
}

// isFeasible reports whether every row of π is non-negative and sums to 1 within 1e-12.
func isFeasible(pi Policy) bool {
	for _, p := range pi {
		for s := 0; s < p.States; s++ {
			var sum float64
			for _, x := range p.Row(s) {
				if x < 0 {
					return false
				}
				sum += x
			}
			if sum < 1-1e-12 || sum > 1+1e-12 {
				return false
			}
		}
	}
	return true
}
