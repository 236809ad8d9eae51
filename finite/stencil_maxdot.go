package finite

import "meanfield/mfg"

// A backward pass's step t (optimalAndPolicyQ) writes Q*_t and Q^π_t (expectBoth) and then, at
// the next step, reads them again for V_t (rowsMaxDot): on a large grid (200×200 cells of crowd
// motion, 3.2 MB a time step) that second read comes from beyond the second-level cache. Where
// expectBoth goes through W (stencil_shift.go), its rows read W, not v, once W is written: V_t may
// then overwrite V_{t+1} in v, and each state's V_t is computed as soon as its last row is written,
// block by block, while its rows are in the cache. Each state's maximum and expectation are
// rowsMaxDot's, on the same rows in the same order: the same bits, only earlier.

// maxDotSpan is the states lo..hi-1.
type maxDotSpan struct{ lo, hi int }

// maxDotGroup is the jobs up to hi (from the previous group's), then the states lo..hi-1 of span.
type maxDotGroup struct {
	hi   int
	span maxDotSpan
}

// maxDotPlan is the order of the shift rows' jobs in expectBothMaxDot and when each state's V_t
// is computed: jobs holds the stride jobs (the first early ones), then the run jobs; after the
// stride jobs, the states of first, then after each group's jobs the states of its span.
type maxDotPlan struct {
	jobs   []bothJob
	early  int
	first  maxDotSpan
	groups []maxDotGroup
}

// newMaxDotPlan returns the plan of S states whose rows the jobs rows write (each row once), the
// others' rows being written before. State s is computed after the last job writing a row of a
// state s' ≤ s: the states go in order, one span after each group of jobs (on a grid, whose jobs
// go by blocks of its rows, a block's states or so, a block or two after they were written).
func newMaxDotPlan(rows []bothJob, S int) *maxDotPlan {
	p := &maxDotPlan{}
	for _, job := range rows {
		if job.step >= 1 {
			p.jobs = append(p.jobs, job)
		}
	}
	p.early = len(p.jobs)
	for _, job := range rows {
		if job.step < 1 {
			p.jobs = append(p.jobs, job)
		}
	}
	done := make([]int, S) // 1 + the index of the last job writing a row of the state, 0 for none
	for j, job := range p.jobs {
		forStates(job, func(s int) { done[s] = j + 1 })
	}
	after := 0 // the jobs after which state s is computed: the most of done[0..s]
	for s, d := range done {
		after = max(after, d)
		switch n := len(p.groups); {
		case after <= p.early:
			p.first.hi = s + 1
		case n > 0 && p.groups[n-1].hi == after:
			p.groups[n-1].span.hi = s + 1
		default:
			p.groups = append(p.groups, maxDotGroup{hi: after, span: maxDotSpan{s, s + 1}})
		}
	}
	return p
}

// forStates calls f with each state of job, in its order.
func forStates(job bothJob, f func(s int)) {
	if job.step >= 1 {
		for c := range job.count {
			f(job.s0 + c*job.step)
		}
		return
	}
	for q := range job.rows {
		for c := range job.count {
			f(job.s0 + q*(job.count+job.skip) + c)
		}
	}
}

// fuseMaxDot enables expectBothMaxDot and lastQ's V_T (a variable: the tests compare both paths'
// bits).
var fuseMaxDot = true

// expectBothMaxDot is expectBoth(m, v, dst0, dst1) then rowsMaxDot(dst0, prob, dst1, v, A), bit
// for bit, where m's rows go through W (see above) with the AVX kernels and v holds 2·States
// values; it reports whether it ran (false: nothing written).
func expectBothMaxDot(m *mfg.MDP, v, dst0, dst1, prob []float64) bool {
	st := m.Stencil
	if !fuseMaxDot || !stencilAVX || !rowsAVX || st == nil || !st.Describes(m) {
		return false
	}
	plan := planOf(st)
	sh := plan.shift
	S, A, n := plan.states, plan.actions, len(m.Reward)
	if sh == nil || sh.maxDot == nil || A != m.Actions || len(v) != 2*S || n != S*A ||
		len(dst0) < n || len(dst1) < n || len(prob) < n {
		return false
	}
	k := bothKernel{v: v, dst0: dst0[:n], dst1: dst1[:n], reward: m.Reward[:n], A: A}
	if len(plan.jobs) > 0 {
		bothJobsAVX(&v[0], &k.reward[0], &k.dst0[0], &k.dst1[0], &plan.jobs[0], len(plan.jobs))
	}
	k.left(st, plan.blocksLeft, plan.stridesLeft) // they read v too: before V_t overwrites it
	buf := wPool.Get().(*[]float64)
	defer wPool.Put(buf)
	if cap(*buf) < 2*S {
		*buf = make([]float64, 2*S)
	}
	w := (*buf)[:2*S]
	bothJobsAVX(&v[0], &sh.zeros[0], &w[0], &w[1], &sh.cells[0], len(sh.cells))
	md := sh.maxDot
	if md.early > 0 {
		bothJobsAVX(&w[0], &k.reward[0], &k.dst0[0], &k.dst1[0], &md.jobs[0], md.early)
	}
	computeSpan(md.first, k.dst0, prob[:n], k.dst1, v, A)
	from := md.early
	for _, g := range md.groups {
		bothJobsAVX(&w[0], &k.reward[0], &k.dst0[0], &k.dst1[0], &md.jobs[from], g.hi-from)
		computeSpan(g.span, k.dst0, prob[:n], k.dst1, v, A)
		from = g.hi
	}
	return true
}

// computeSpan is rowsMaxDot on the states of sp.
func computeSpan(sp maxDotSpan, q, p, own, v []float64, A int) {
	lo, hi := sp.lo*A, sp.hi*A
	rowsMaxDot(q[lo:hi], p[lo:hi], own[lo:hi], v[2*sp.lo:2*sp.hi], A)
}
