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

// maxDotGroup is the shift rows' jobs up to hi (from the previous group's), then the states whose
// last row those jobs write.
type maxDotGroup struct {
	hi    int
	spans []maxDotSpan
}

// maxDotPlan is when each state's V_t is computed in expectBothMaxDot: first the states with no
// row among the shift jobs (written before W), then each group's.
type maxDotPlan struct {
	first  []maxDotSpan
	groups []maxDotGroup
}

// newMaxDotPlan returns the plan of S states whose rows the jobs rows write (each row once), the
// others' rows being written before.
func newMaxDotPlan(rows []bothJob, S int) *maxDotPlan {
	last := make([]int32, S) // 1 + the index of the last job writing a row of the state, 0 for none
	for j, job := range rows {
		forStates(job, func(s int) { last[s] = int32(j + 1) })
	}
	spans := make([][]maxDotSpan, len(rows)+1)
	for s := 0; s < S; s++ {
		j := last[s]
		if n := len(spans[j]); n > 0 && spans[j][n-1].hi == s {
			spans[j][n-1].hi = s + 1
			continue
		}
		spans[j] = append(spans[j], maxDotSpan{s, s + 1})
	}
	p := &maxDotPlan{first: spans[0]}
	for j := 1; j <= len(rows); j++ {
		if len(spans[j]) > 0 {
			p.groups = append(p.groups, maxDotGroup{hi: j, spans: spans[j]})
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
	maxDotSpans(sh.maxDot.first, k.dst0, prob[:n], k.dst1, v, A)
	from := 0
	for _, g := range sh.maxDot.groups {
		bothJobsAVX(&w[0], &k.reward[0], &k.dst0[0], &k.dst1[0], &sh.rows[from], g.hi-from)
		maxDotSpans(g.spans, k.dst0, prob[:n], k.dst1, v, A)
		from = g.hi
	}
	return true
}

// maxDotSpans is rowsMaxDot on the states of spans.
func maxDotSpans(spans []maxDotSpan, q, p, own, v []float64, A int) {
	for _, sp := range spans {
		lo, hi := sp.lo*A, sp.hi*A
		rowsMaxDot(q[lo:hi], p[lo:hi], own[lo:hi], v[2*sp.lo:2*sp.hi], A)
	}
}
