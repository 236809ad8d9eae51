package engine

import (
	"context"
	"fmt"
	"time"

	"meanfield/finite"
	"meanfield/mfg"
)

// Options of Solve.
type Options struct {
	// Iterations is the number of steps after π_0.
	Iterations int
	// Initial is π_0, one policy per time step; nil means the uniform policy.
	Initial []mfg.Policy
	// Seed determines every random stream of the solve.
	Seed uint64
	// Exploitability records the exploitability of every iteration's policy, where the game's
	// policies can be evaluated (finite-horizon games, stationary games with a model).
	Exploitability bool
	// Evaluation controls the search for the population a policy sustains on stationary games.
	Evaluation EvaluationOptions
	// Reference, when set, records the distance of every iteration's population to it (for
	// instance to the GMF-V equilibrium).
	Reference []mfg.Population
	// OnIteration, when set, is called with every iteration recorded, 0 first. The tables of a
	// record that the options do not keep (FinalOnly, KeepTables) are valid until the next call
	// returns only: the engine and the algorithm may reuse their memory afterwards.
	OnIteration func(Iteration)
	// FinalOnly keeps the policy, population and Q of the last iteration only: the earlier
	// records keep their numbers (exploitability, changes) but drop their tables, so that the
	// memory of a solve whose tables are read only at the end (or in OnIteration) does not grow
	// with its iterations.
	FinalOnly bool
	// KeepTables, when set, says which iterations keep their policy, population and Q: a record
	// whose K it refuses drops its tables once the next iteration is recorded, so that the last
	// iteration recorded keeps them always. Nil keeps every iteration's (unless FinalOnly).
	KeepTables func(k int) bool
	// Stream keeps in Result.Trace the last record only: every record goes to OnIteration as it
	// is made and then its memory is reused, so that a solve's memory does not grow with its
	// iterations. Result.Final and Result.Verdict answer as without it; Result.Exploitabilities
	// holds the last iteration's only. The tables of the records KeepTables keeps are not reused
	// (OnIteration may hold them); the others' are valid until the next call returns only.
	Stream bool
}

// keeps reports whether the record of iteration k keeps its tables after the next is recorded.
func (o *Options) keeps(k int) bool { // by pointer: Options is large
	return !o.FinalOnly && (o.KeepTables == nil || o.KeepTables(k))
}

// Iteration is the record of iteration K (the state after K steps; 0 is π_0).
type Iteration struct {
	K int
	// Policy is the policy after K steps, one entry per time step.
	Policy []mfg.Policy
	// Population is the algorithm's population (the fixed-point scheme's L_K) or else the mean
	// field of Policy when it was computed; nil otherwise.
	Population []mfg.Population
	// Q is the Q-function Policy was derived from, when the algorithm reports one.
	Q [][]float64
	// Exploitability of Policy (made feasible), when HasExploitability. On stationary games
	// ExploitabilityConverged reports whether the population Policy sustains was found to
	// tolerance; it is true on finite-horizon games.
	Exploitability          float64
	HasExploitability       bool
	ExploitabilityConverged bool
	// PopulationExploitabilities are, on a multi-population game (mfg.MultiPopulation), the
	// exploitability of each population (OpenSpiel's BR_p − V_p), when HasExploitability:
	// Exploitability is their sum, OpenSpiel's NashConv. Nil on another game.
	PopulationExploitabilities []float64
	// L1Change and LInfChange are the distances from the previous iteration's population, when
	// both are known (HasChange); summed over time steps on finite-horizon games (l1) or their
	// maximum (l∞).
	L1Change, LInfChange float64
	HasChange            bool
	// ReferenceL1 and ReferenceLInf are the distances of Population to Options.Reference.
	ReferenceL1, ReferenceLInf float64
	HasReference               bool
	// InnerWork is the inner solver's work in this step (value-iteration sweeps, Q-learning
	// samples), 0 for algorithms without one; InnerConverged says whether it converged, when it
	// can tell (nil otherwise).
	InnerWork      int64
	InnerConverged *bool
	// Elapsed is the time since the solve started.
	Elapsed time.Duration
}

// Result is a solve: the trace of iterations 0..K.
type Result struct {
	Game, Algorithm string
	Trace           []Iteration
	// Converged reports that the algorithm's own stopping rule ended the solve.
	Converged bool
	// Stop, when set, is the algorithm's other stopping rule that ended the solve without
	// convergence (a cycle): the last iterate is then no solution.
	Stop *Stop
	// tail, set by a solve with Options.Stream, holds what Verdict reads of the records that
	// Trace does not keep.
	tail *traceTail
}

// traceTail is the number of records of a streamed solve and the exploitabilities of the last
// verdictWindow of them, record k at k mod verdictWindow.
type traceTail struct {
	n   int
	e   [verdictWindow]float64
	has [verdictWindow]bool
}

// add notes record it, the next one.
func (t *traceTail) add(it *Iteration) {
	i := t.n % verdictWindow
	t.e[i], t.has[i] = it.Exploitability, it.HasExploitability
	t.n++
}

// Final returns the last iteration recorded.
func (r *Result) Final() Iteration { return r.Trace[len(r.Trace)-1] }

// Exploitabilities returns the exploitability of every iteration (0 where it was not computed).
func (r *Result) Exploitabilities() []float64 {
	out := make([]float64, len(r.Trace))
	for i := range r.Trace {
		out[i] = r.Trace[i].Exploitability // the field alone, not a copy of the record
	}
	return out
}

// Solve runs alg on g for opt.Iterations steps, or until one of the algorithm's stopping rules
// holds (Iterate.Converged or Iterate.Stop), and records every iteration. A cancelled ctx returns
// the iterations done with ctx's error; so does a failing step, with the error.
func Solve(ctx context.Context, g mfg.Game, alg Algorithm, opt Options) (*Result, error) {
	p, err := NewProblem(g, opt.Evaluation)
	if err != nil {
		return nil, err
	}
	if err := alg.Validate(); err != nil {
		return nil, err
	}
	if err := alg.Applies(g); err != nil {
		return nil, err
	}
	if opt.Iterations < 0 {
		return nil, fmt.Errorf("iterations = %d: must be non-negative", opt.Iterations)
	}
	if err := checkReference(p, opt.Reference); err != nil {
		return nil, err
	}
	pi0 := opt.Initial
	if pi0 == nil {
		pi0 = p.Uniform()
		if err := checkUniform(p, pi0); err != nil {
			return nil, err
		}
	} else if err := checkPolicy(p, pi0); err != nil {
		return nil, err
	}
	run, it, err := alg.Begin(ctx, Start{Problem: p, Policy: pi0, Seed: opt.Seed})
	if err != nil {
		return nil, err
	}
	// The trace's room for every iteration asked, up to traceFirst records (see push), for runs
	// that stop early.
	res := &Result{Game: g.Name(), Algorithm: alg.Name()}
	if opt.Stream {
		res.Trace, res.tail = make([]Iteration, 0, 1), new(traceTail)
	} else {
		res.Trace = make([]Iteration, 0, min(opt.Iterations, traceFirst-1)+1)
	}
	r := &recorder{p: p, opt: opt, start: time.Now(), res: res, evaluates: p.CanEvaluate() == nil,
		states: g.States(), actions: g.Actions(), times: p.Times()}
	_, p.qp0Only = run.(PolicyQUnread)
	_, releases := run.(Releaser)
	if releases {
		r.recycler, _ = run.(Recycler)
		_, r.ownsMeanFields = p.model.(*finiteModel)
	}
	cur, err := r.record(ctx, 0, &it)
	if err != nil {
		return r.result(), err
	}
	for k := 1; k <= opt.Iterations && !it.Converged && it.Stop == nil; k++ {
		if err := ctx.Err(); err != nil {
			return r.result(), err
		}
		if it, err = run.Step(ctx, k, cur); err != nil {
			return r.result(), fmt.Errorf("%s, iteration %d: %w", alg.Name(), k, err)
		}
		if releases {
			p.release(cur)
		}
		if cur, err = r.record(ctx, k, &it); err != nil {
			return r.result(), fmt.Errorf("%s, iteration %d: %w", alg.Name(), k, err)
		}
	}
	r.res.Converged, r.res.Stop = it.Converged, it.Stop
	return r.result(), nil
}

// recorder turns iterates into the trace.
type recorder struct {
	p     *Problem
	opt   Options
	start time.Time
	res   *Result
	// full are the blocks of records filled before res.Trace's (see push).
	full [][]Iteration
	// slots hold, under Options.Stream, the last record and the one before, in turn: slot n%2
	// is the n-th record's; n is the number of records.
	slots [2]Iteration
	n     int
	// evaluates is p.CanEvaluate() == nil; states, actions and times are the sizes of a policy:
	// read once, as the game computes some at every call.
	evaluates              bool
	states, actions, times int
	// recycler, when the run is one, takes back the policies of the records that drop their
	// tables; ownsMeanFields says that the problem's chunks hold the mean fields of the
	// evaluations (a finite-horizon game) and that the run keeps none (a Releaser), so that the
	// records' that are these mean fields go back there too. lastOwn says that the last record's
	// population is its evaluation's mean field.
	recycler       Recycler
	ownsMeanFields bool
	lastOwn        bool
}

// traceFirst is the most records of the trace's first array, traceBlock those of the next ones.
const (
	traceFirst = 1 << 15
	traceBlock = 4096
)

// push appends a zero record to the trace and returns it, for record to fill in place (the
// record is large: building it aside and copying it in cost a few percent of an iteration of a
// small game). The trace grows in blocks of traceBlock records that result joins: a trace grown
// by append, by a quarter beyond a few hundred records, would copy every record at each growth
// and leave each old array to the collector (at 10^4 iterations, more than twice the bytes of the
// records themselves, which hold pointers for it to follow); blocks are copied once.
func (r *recorder) push() *Iteration {
	if r.opt.Stream {
		rec := &r.slots[r.n%2]
		*rec = Iteration{} // the record before the last: its tables are dropped or kept by their owner
		r.n++
		return rec
	}
	if t := r.res.Trace; len(t) == cap(t) && len(t) > 0 {
		r.full = append(r.full, t)
		r.res.Trace = make([]Iteration, 0, traceBlock)
	}
	n := len(r.res.Trace)
	r.res.Trace = r.res.Trace[:n+1] // never used before, or cleared by pop: zero
	return &r.res.Trace[n]
}

// pop takes back the record of the last push, cleared.
func (r *recorder) pop() {
	if r.opt.Stream {
		r.n--
		r.slots[r.n%2] = Iteration{}
		return
	}
	n := len(r.res.Trace) - 1
	r.res.Trace[n] = Iteration{}
	r.res.Trace = r.res.Trace[:n]
}

// last returns the last record pushed, nil before the first.
func (r *recorder) last() *Iteration {
	if r.opt.Stream {
		if r.n == 0 {
			return nil
		}
		return &r.slots[(r.n-1)%2]
	}
	if n := len(r.res.Trace); n > 0 {
		return &r.res.Trace[n-1]
	}
	return nil // push leaves a record in res.Trace once there is one
}

// result returns the result, its trace joined into one array.
func (r *recorder) result() *Result {
	if r.opt.Stream {
		if r.n > 0 {
			r.res.Trace = append(r.res.Trace[:0], *r.last())
		}
		return r.res
	}
	if len(r.full) > 0 {
		n := len(r.res.Trace)
		for _, b := range r.full {
			n += len(b)
		}
		all := make([]Iteration, 0, n)
		for _, b := range r.full {
			all = append(all, b...)
		}
		r.res.Trace, r.full = append(all, r.res.Trace...), nil
	}
	return r.res
}

// record evaluates the iterate as asked, appends its record and returns its evaluation.
func (r *recorder) record(ctx context.Context, k int, it *Iterate) (*Evaluation, error) {
	// A step's policy may be infeasible (rounding, overflow): it is scored in its feasible
	// version below, as MFGLib scores it, and the next step goes on from it as computed.
	if err := checkShape(it.Policy, r.states, r.actions, r.times); err != nil {
		return nil, err
	}
	ev := r.p.Evaluate(it.Policy, it.Near)
	prev := r.last()
	rec := r.push()
	if err := r.fill(ctx, rec, prev, ev, k, it); err != nil {
		r.pop()
		return nil, err
	}
	if prev != nil && !r.opt.keeps(prev.K) {
		r.recycle(prev, rec)
		prev.Policy, prev.Population, prev.Q = nil, nil, nil
	}
	r.lastOwn = it.Population == nil && rec.Population != nil
	if r.opt.Stream {
		r.res.tail.add(rec)
	}
	if r.opt.OnIteration != nil {
		r.opt.OnIteration(*rec)
	}
	return ev, nil
}

// recycle hands the memory of prev's policy and mean field, which the record drops, back to
// the run and to the problem, when they gave it and it is no one else's: not π_0 (the caller's
// or p.Uniform's), nor a population the run reported (Iterate.Population). The run has returned
// from the step that read prev's evaluation, which the engine has released (a Releaser), and
// the record after prev has read prev's population (distances): neither is read again.
//
// A table rec, the record after prev, holds too (a run that returns its previous policy
// unchanged, or reports the mean field it was given) is not handed back.
func (r *recorder) recycle(prev, rec *Iteration) {
	if prev.K == 0 {
		return
	}
	if r.recycler != nil && prev.Policy != nil && !sharesPolicy(prev.Policy, rec.Policy) {
		r.recycler.Recycle(prev.Policy)
	}
	if r.ownsMeanFields && r.lastOwn && !sharesPopulation(prev.Population, rec.Population) {
		r.p.chunks.RecycleMeanField(prev.Population)
	}
}

// sharesPolicy reports whether a and b hold the same memory at some time step.
func sharesPolicy(a, b []mfg.Policy) bool {
	for t := range min(len(a), len(b)) {
		if len(a[t].Prob) > 0 && len(b[t].Prob) > 0 && &a[t].Prob[0] == &b[t].Prob[0] {
			return true
		}
	}
	return false
}

// sharesPopulation reports whether a and b hold the same memory at some time step.
func sharesPopulation(a, b []mfg.Population) bool {
	for t := range min(len(a), len(b)) {
		if len(a[t].Mass) > 0 && len(b[t].Mass) > 0 && &a[t].Mass[0] == &b[t].Mass[0] {
			return true
		}
	}
	return false
}

// fill writes the record of iteration k into rec, a zero record, prev being the one before (nil
// for none).
func (r *recorder) fill(ctx context.Context, rec, prev *Iteration, ev *Evaluation, k int, it *Iterate) error {
	// rec is zero: a pointer is written only when it is not nil, as each write costs a barrier
	// while the collector marks.
	rec.K, rec.Policy, rec.InnerWork = k, it.Policy, it.InnerWork
	if it.Population != nil {
		rec.Population = it.Population
	}
	if it.Q != nil {
		rec.Q = it.Q
	}
	if it.InnerConverged != nil {
		rec.InnerConverged = it.InnerConverged
	}
	if r.opt.Exploitability && r.evaluates {
		scored := ev
		if !isFeasible(it.Policy) {
			scored = r.p.Evaluate(finite.Feasible(it.Policy), it.Near)
		}
		e, err := scored.Exploitability(ctx)
		if err != nil {
			return fmt.Errorf("exploitability: %w", err)
		}
		rec.Exploitability, rec.HasExploitability, rec.ExploitabilityConverged = e, true, scored.MeanFieldConverged()
		if scored.popScores != nil {
			rec.PopulationExploitabilities = scored.popScores
		}
		if scored != ev {
			r.p.release(scored) // the feasible version is the engine's alone
		}
	}
	if rec.Population == nil && r.evaluates {
		// The policy's mean field: the next step reads it too, so it costs nothing more.
		L, err := ev.MeanField(ctx)
		if err != nil {
			return err
		}
		rec.Population = L
	}
	r.distances(rec, prev)
	rec.Elapsed = time.Since(r.start)
	return nil
}

// distances fills the change from the previous iteration's population (prev nil: none) and the
// distance to the reference.
func (r *recorder) distances(rec, prev *Iteration) {
	if rec.Population == nil {
		return
	}
	if prev != nil && prev.Population != nil {
		rec.L1Change, rec.LInfChange = distance(rec.Population, prev.Population)
		rec.HasChange = true
	}
	if r.opt.Reference != nil && len(r.opt.Reference) == len(rec.Population) {
		rec.ReferenceL1, rec.ReferenceLInf = distance(rec.Population, r.opt.Reference)
		rec.HasReference = true
	}
}
