package finite

import (
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"weak"

	"meanfield/mfg"
)

// The stencil kernels' AVX forms (stencil_amd64.s), where the machine has them: the Go side checks
// every index the assembly reads or writes, and falls back to the Go kernels where one is out of
// range; bothRunGo, bothStrideGo, gatherRunGo and gatherStrideGo state what each computes, in Go,
// for the probe and the tests. A stencil's plan (stencilPlan), made and checked once, lists its
// blocks, strides and gathers as the jobs of one call of bothJobsAVX or gatherJobsAVX per pass
// (bothRunAVX, bothStrideAVX, gatherAVX and gatherStrideAVX are their one-job forms).

// stencilAVX reports that the AVX kernels run here (amd64 with AVX) and agree with the Go ones on
// a probe; it is set per architecture at start-up.
var stencilAVX = haveStencilAVX()

// avx is expectBoth on the rows of st's blocks and strides (every row once): in calls of
// bothJobsAVX for the jobs of st's plan (through W for its shift jobs), where k's sizes are st's,
// the rows of the others (an index out of range) in Go.
func (k *bothKernel) avx(st *mfg.Stencil) {
	plan := planOf(st)
	blocks, strides := plan.blocksLeft, plan.stridesLeft
	if S := plan.states; k.A != plan.actions || len(k.v) < 2*S || len(k.reward) != S*k.A ||
		len(k.dst0) < len(k.reward) || len(k.dst1) < len(k.reward) {
		blocks, strides = st.Blocks, st.Strides
	} else {
		if len(plan.jobs) > 0 {
			bothJobsAVX(&k.v[0], &k.reward[0], &k.dst0[0], &k.dst1[0], &plan.jobs[0], len(plan.jobs))
		}
		if plan.shift != nil {
			plan.viaW(k)
		}
	}
	for _, b := range blocks {
		pat := &st.Patterns[b.Pattern]
		for q := range b.Rows {
			s := b.Start + q*b.Step
			k.run(pat, s, s+b.Len, b.Action)
		}
	}
	for _, sd := range strides {
		pat := &st.Patterns[sd.Pattern]
		for c := range sd.Count {
			s := sd.Start + c*sd.Step
			k.row(pat, s, s*k.A+sd.Action)
		}
	}
}

// blockJob returns the job of the rows of b, of terms t, on values of S states and n rows of A
// actions, if every index it reads and writes is in range (false otherwise).
func blockJob(t *terms, b mfg.StencilBlock, S, A, n int) (bothJob, bool) {
	s, a := b.Start, b.Action
	if s < 0 || b.Len < 1 || b.Len > S-s || b.Rows < 1 ||
		b.Step < b.Len || a < 0 || a >= A || b.Rows-1 > (S-s-b.Len)/b.Step {
		return bothJob{}, false
	}
	last := s + (b.Rows-1)*b.Step + b.Len - 1                       // < S
	if a >= n || last > (n-1-a)/A || t.lo < -s || t.hi > S-1-last { // a < n: (n-1-a)/A would truncate to 0
		return bothJob{}, false
	}
	return bothJob{s0: s, i0: s*A + a, count: b.Len, rows: b.Rows, skip: b.Step - b.Len, stride: A,
		off: &t.off[0], prob: &t.prob[0], nterms: len(t.prob)}, true
}

// strideJob returns the job of the rows of sd, of terms t, on values of S states and n rows of A
// actions, if every index it reads and writes is in range (false otherwise).
func strideJob(t *terms, sd mfg.StencilStride, S, A, n int) (bothJob, bool) {
	s, step, a := sd.Start, sd.Step, sd.Action
	if s < 0 || s >= S || step < 1 || a < 0 || a >= A || sd.Count < 1 || sd.Count-1 > (S-1-s)/step {
		return bothJob{}, false
	}
	last := s + (sd.Count-1)*step
	if a >= n || last > (n-1-a)/A || t.lo < -s || t.hi > S-1-last { // a < n: (n-1-a)/A would truncate to 0
		return bothJob{}, false
	}
	return bothJob{s0: s, i0: s*A + a, count: sd.Count, step: step, stride: step * A,
		off: &t.off[0], prob: &t.prob[0], nterms: len(t.prob)}, true
}

// terms are the offsets (or shifts) and probabilities of a pattern (or an inflow), as many of each,
// at least one, with the least and the greatest offset.
type terms struct {
	off    []int
	prob   []float64
	lo, hi int
}

// termsOf returns the terms of off and prob, false for none or fewer offsets than probabilities.
func termsOf(off []int, prob []float64) (terms, bool) {
	if len(prob) == 0 || len(off) < len(prob) {
		return terms{}, false
	}
	off = off[:len(prob)]
	lo, hi := spread(off)
	return terms{off: off, prob: prob, lo: lo, hi: hi}, true
}

// stencilPlan is what the AVX kernels read of a stencil's patterns and inflows, copied when they
// first see it: the least and greatest offsets, which every call's index checks read, once.
// (Copies, so that a change to the stencil after NewStencil, which its contract forbids, cannot
// have the kernels read out of range.)
//
// Its jobs are expectBoth's on st's blocks and strides whose indices are in range for st's states
// and actions, blocksLeft and stridesLeft the others (copies); its inflows nextStates'.
type stencilPlan struct {
	patterns, classes []terms // of the patterns and inflow classes; nil off for none (see termsOf)
	sources           terms
	states, actions   int
	jobs              []bothJob
	blocksLeft        []mfg.StencilBlock
	stridesLeft       []mfg.StencilStride
	// shift, when not nil, holds the jobs of the rows read through W (see shiftJobs), which jobs
	// leaves out.
	shift *shiftJobs
	// inflows are nextStates' gathers on st, when gathers: every one in range.
	inflows []gatherJob
	gathers bool
}

// plans holds the plans of the stencils alive, by weak pointer (a stencil's cleanup deletes its
// own); lastPlan the stencil last seen and its plan, which spares the map's look-up to a solve
// that evaluates one game's stages again and again.
var (
	plans    sync.Map // weak.Pointer[mfg.Stencil] → *stencilPlan
	lastPlan atomic.Pointer[planSlot]
)

// planSlot is a stencil and its plan.
type planSlot struct {
	st   *mfg.Stencil
	plan *stencilPlan
}

// planOf returns st's plan, made at st's first call.
func planOf(st *mfg.Stencil) *stencilPlan {
	if last := lastPlan.Load(); last != nil && last.st == st {
		return last.plan
	}
	key := weak.Make(st)
	var p *stencilPlan
	if v, ok := plans.Load(key); ok {
		p = v.(*stencilPlan)
	} else {
		p = newPlan(st)
		if v, loaded := plans.LoadOrStore(key, p); loaded {
			p = v.(*stencilPlan)
		} else {
			runtime.AddCleanup(st, func(k weak.Pointer[mfg.Stencil]) { plans.Delete(k) }, key)
		}
	}
	lastPlan.Store(&planSlot{st: st, plan: p})
	return p
}

// newPlan returns st's plan.
func newPlan(st *mfg.Stencil) *stencilPlan {
	p := &stencilPlan{patterns: make([]terms, len(st.Patterns)), classes: make([]terms, len(st.Inflows))}
	copied := func(off []int, prob []float64) terms {
		t, _ := termsOf(slices.Clone(off), slices.Clone(prob))
		return t
	}
	for i, pat := range st.Patterns {
		p.patterns[i] = copied(pat.Offset, pat.Prob)
	}
	for i, in := range st.Inflows {
		p.classes[i] = copied(in.Shift, in.Prob)
	}
	p.sources = copied(st.SourceShift, st.SourceProb)
	p.states, p.actions = len(st.Gathered), len(st.Main)
	p.gatherJobs(st)
	p.bothJobs(st)
	return p
}

// gatherJobs sets p's inflows from st's gathered runs and inflow strides, and gathers if every
// index is in range.
func (p *stencilPlan) gatherJobs(st *mfg.Stencil) {
	S, n := p.states, p.states*p.actions
	src := &p.sources
	if src.off == nil || len(st.SourceShift) != len(st.SourceProb) {
		return
	}
	for _, r := range st.GatheredRuns {
		job, ok := inflowJob(src, r.Start, 1, r.End-r.Start, S, n)
		if !ok {
			return
		}
		p.inflows = append(p.inflows, job)
	}
	for _, sd := range st.InflowStrides {
		job, ok := inflowJob(pick(p.classes, sd.Inflow), sd.Start, sd.Step, sd.Count, S, n)
		if !ok {
			return
		}
		p.inflows = append(p.inflows, job)
	}
	p.gathers = true
}

// bothJobs sets p's shift jobs, and its jobs, blocksLeft and stridesLeft from st's other blocks and
// strides.
func (p *stencilPlan) bothJobs(st *mfg.Stencil) {
	S, A := p.states, p.actions
	p.shifted(st)
	sh := p.shift
	for i, b := range st.Blocks {
		if sh != nil && sh.blocks[i] {
			continue
		}
		if t := pick(p.patterns, b.Pattern); t != nil {
			if job, ok := blockJob(t, b, S, A, S*A); ok {
				p.jobs = append(p.jobs, job)
				continue
			}
		}
		p.blocksLeft = append(p.blocksLeft, b)
	}
	for i, sd := range st.Strides {
		if sh != nil && sh.strides[i] {
			continue
		}
		if t := pick(p.patterns, sd.Pattern); t != nil {
			if job, ok := strideJob(t, sd, S, A, S*A); ok {
				p.jobs = append(p.jobs, job)
				continue
			}
		}
		p.stridesLeft = append(p.stridesLeft, sd)
	}
}

// pick returns &ts[i], or nil where i is out of range or ts[i] has no terms.
func pick(ts []terms, i int32) *terms {
	if i < 0 || int(i) >= len(ts) || ts[i].off == nil {
		return nil
	}
	return &ts[i]
}

// spread returns the least and the greatest of off (not empty).
func spread(off []int) (lo, hi int) {
	lo, hi = off[0], off[0]
	for _, o := range off[1:] {
		lo, hi = min(lo, o), max(hi, o)
	}
	return lo, hi
}

// bothJob is a job of bothJobsAVX: a run job (step 0) has the states s = s0 + q·(count + skip) + c,
// q < rows, c < count, and their rows i0 + (s - s0)·stride; a stride job (step ≥ 1) the states s0
// + c·step, c < count, and their rows i0 + c·stride; each row's sums have the nterms ≥ 1 terms at
// off and prob. (bothJobsAVX reads the fields at their offsets: keep their order.)
type bothJob struct {
	s0, i0, count, rows, skip, step, stride int
	off                                     *int
	prob                                    *float64
	nterms                                  int
}

// bothRunAVX is bothRunGo in AVX, one job of bothJobsAVX: len(prob) ≥ 1, rows ≥ 1; the caller
// checks every index.
func bothRunAVX(v []float64, s0 int, off []int, prob []float64, r, d0, d1 []float64, stride, count, rows, skip int) {
	job := bothJob{s0: s0, count: count, rows: rows, skip: skip, stride: stride, off: &off[0], prob: &prob[0], nterms: len(prob)}
	bothJobsAVX(&v[0], &r[0], &d0[0], &d1[0], &job, 1)
}

// bothStrideAVX is bothStrideGo in AVX, one job of bothJobsAVX: len(prob) ≥ 1, count ≥ 1; the
// caller checks every index.
func bothStrideAVX(v []float64, s0, step int, off []int, prob []float64, r, d0, d1 []float64, stride, count int) {
	job := bothJob{s0: s0, count: count, step: step, stride: stride, off: &off[0], prob: &prob[0], nterms: len(prob)}
	bothJobsAVX(&v[0], &r[0], &d0[0], &d1[0], &job, 1)
}

// bothStrideGo is bothStrideAVX in Go: bothRunGo for the states s0 + c·step, c < count, and
// their rows c·stride.
func bothStrideGo(v []float64, s0, step int, off []int, prob []float64, r, d0, d1 []float64, stride, count int) {
	for c := range count {
		i := c * stride
		bothRunGo(v, s0+c*step, off, prob, r[i:], d0[i:], d1[i:], stride, 1, 1, 0)
	}
}

// bothRunGo is bothRunAVX in Go, the Go kernels' sums: for the states s = s0 + q·(count + skip) +
// c, q < rows, c < count, and their rows i = (s - s0)·stride of r, d0 and d1,
//
//	d0[i] = (Σ_k prob[k]·v[2(s+off[k])]) + r[i],  d1[i] = (Σ_k prob[k]·v[2(s+off[k])+1]) + r[i],
//
// each sum from +0 in the order of k.
func bothRunGo(v []float64, s0 int, off []int, prob []float64, r, d0, d1 []float64, stride, count, rows, skip int) {
	for q := range rows {
		for c := range count {
			s := s0 + q*(count+skip) + c
			var a0, a1 float64
			for k, w := range prob {
				j := 2 * (s + off[k])
				a0 += float64(w * v[j])
				a1 += float64(w * v[j+1])
			}
			i := (s - s0) * stride
			d0[i], d1[i] = a0+r[i], a1+r[i]
		}
	}
}

// probeStencilAVX reports whether the AVX kernels give their Go forms' bits on a probe of eleven or five states (their paths of eight or sixteen, two or four, and one)
// and three terms.
func probeStencilAVX() bool {
	const count, stride, s0 = 11, 3, 2
	// Products that round (1/(i+3)·0.3, ...), so that a fused multiply-add would differ.
	off, prob := []int{-2, 0, 3}, []float64{0.3, 0.1, 0.6}
	v := make([]float64, 2*(s0+count+3))
	r := make([]float64, count*stride)
	for i := range v {
		v[i] = 1 / float64(i+3)
	}
	for i := range r {
		r[i] = float64(i%5) / 7
	}
	got0, got1 := make([]float64, len(r)), make([]float64, len(r))
	want0, want1 := make([]float64, len(r)), make([]float64, len(r))
	bothRunAVX(v, s0, off, prob, r, got0, got1, stride, count, 1, 0)
	bothRunGo(v, s0, off, prob, r, want0, want1, stride, count, 1, 0)
	g0, g1, w0, w1 := make([]float64, len(r)), make([]float64, len(r)), make([]float64, len(r)), make([]float64, len(r))
	bothRunAVX(v, s0, off, prob, r, g0, g1, stride, 5, 2, 1) // states 2..6 and 8..12
	bothRunGo(v, s0, off, prob, r, w0, w1, stride, 5, 2, 1)
	got0, want0 = append(got0, g0...), append(want0, w0...)
	got1, want1 = append(got1, g1...), append(want1, w1...)
	g0, g1, w0, w1 = make([]float64, len(r)), make([]float64, len(r)), make([]float64, len(r)), make([]float64, len(r))
	bothStrideAVX(v, s0+1, 2, off, prob, r, g0, g1, 6, 5) // states 3, 5, .., 11, rows 0, 6, .., 24
	bothStrideGo(v, s0+1, 2, off, prob, r, w0, w1, 6, 5)
	got0, want0 = append(got0, g0...), append(want0, w0...)
	got1, want1 = append(got1, g1...), append(want1, w1...)
	got, want := make([]float64, len(v)/2), make([]float64, len(v)/2)
	gatherAVX(v, off, prob, got, 2, count) // v as L by action: any values do
	gatherRunGo(v, off, prob, want, 2, count)
	gatherStrideAVX(v, off, prob, got[1:], 2, 2, 5) // its states 2, 4, .., 10
	gatherStrideGo(v, off, prob, want[1:], 2, 2, 5)
	return slices.EqualFunc(append(got0, got1...), append(want0, want1...), sameBits) && slices.EqualFunc(got, want, sameBits)
}

// byActionPool recycles the memory of L stored by action for gatherByAction.
var byActionPool = sync.Pool{New: func() any { return new([]float64) }}

// gatherByAction writes the inflows of every state from L stored by action (L(s, a) at a·S + s),
// where the m-th terms of a run of gathered states are consecutive, as are those of an edge row of
// a grid (an edge column's at the grid's width): in one call of gatherJobsAVX for the jobs of
// st's plan. It reports false, writing nothing, if the sizes differ from st's or an index of the
// plan's jobs would be out of range.
func gatherByAction(st *mfg.Stencil, L mfg.Population, next []float64) bool {
	S, A, mass := L.States, L.Actions, L.Mass
	plan := planOf(st)
	if !plan.gathers || S != plan.states || A != plan.actions || len(mass) != S*A || len(next) < S {
		return false
	}
	buf := byActionPool.Get().(*[]float64)
	defer byActionPool.Put(buf)
	if cap(*buf) < len(mass) {
		*buf = make([]float64, len(mass))
	}
	lt := (*buf)[:len(mass)]
	byAction(lt, mass, S, A)
	if len(plan.inflows) > 0 {
		gatherJobsAVX(&lt[0], &next[0], &plan.inflows[0], len(plan.inflows))
	}
	return true
}

// inflowJob returns the job of the inflows of the states j + c·step, c < count, of terms t, into
// S states from L stored by action in n values, if every index it reads and writes is in range
// (false otherwise).
func inflowJob(t *terms, j, step, count, S, n int) (gatherJob, bool) {
	if t == nil || j < 0 || j >= S || step < 1 || count < 1 || count-1 > (S-1-j)/step {
		return gatherJob{}, false
	}
	if last := j + (count-1)*step; t.lo < -j || t.hi > n-1-last {
		return gatherJob{}, false
	}
	return gatherJob{j0: j, count: count, step: step, shift: &t.off[0], prob: &t.prob[0], nterms: len(t.prob)}, true
}

// byAction writes mass, S states × A actions by state, into lt by action: lt[a·S + s] = mass[s·A + a];
// for five actions, with AVX, four states at a time (byAction5AVX), the last ones in Go.
func byAction(lt, mass []float64, S, A int) {
	if A != 5 {
		for a := range A {
			col := lt[a*S : (a+1)*S]
			for s := range col {
				col[s] = mass[s*A+a]
			}
		}
		return
	}
	lt, mass = lt[:5*S], mass[:5*S] // byAction5AVX's every index, checked
	k := 0
	if stencilAVX {
		if k = S &^ 3; k > 0 {
			byAction5AVX(lt, mass, S, k)
		}
	}
	c0 := lt[:S]
	c1, c2, c3, c4 := lt[S : 2*S][:len(c0)], lt[2*S : 3*S][:len(c0)], lt[3*S : 4*S][:len(c0)], lt[4*S : 5*S][:len(c0)]
	for s := k; s < len(c0); s++ {
		row := mass[5*s : 5*s+5 : 5*s+5]
		c0[s], c1[s], c2[s], c3[s], c4[s] = row[0], row[1], row[2], row[3], row[4]
	}
}

// gatherJob is a job of gatherJobsAVX: the states j0 + c·step, c < count (step ≥ 1), each of the
// nterms ≥ 1 terms at shift and prob. (gatherJobsAVX reads the fields at their offsets: keep their
// order.)
type gatherJob struct {
	j0, count, step int
	shift           *int
	prob            *float64
	nterms          int
}

// gatherAVX is gatherRunGo in AVX, one job of gatherJobsAVX: len(prob) ≥ 1, count ≥ 1; the
// caller checks every index.
func gatherAVX(lt []float64, shift []int, prob []float64, next []float64, j0, count int) {
	job := gatherJob{j0: j0, count: count, step: 1, shift: &shift[0], prob: &prob[0], nterms: len(prob)}
	gatherJobsAVX(&lt[0], &next[0], &job, 1)
}

// gatherStrideAVX is gatherStrideGo in AVX, one job of gatherJobsAVX: len(prob) ≥ 1, step ≥ 1,
// count ≥ 1; the caller checks every index.
func gatherStrideAVX(lt []float64, shift []int, prob []float64, next []float64, j0, step, count int) {
	job := gatherJob{j0: j0, count: count, step: step, shift: &shift[0], prob: &prob[0], nterms: len(prob)}
	gatherJobsAVX(&lt[0], &next[0], &job, 1)
}

// gatherStrideGo is gatherStrideAVX in Go: gatherRunGo for the states j0 + c·step, c < count.
func gatherStrideGo(lt []float64, shift []int, prob []float64, next []float64, j0, step, count int) {
	for c := range count {
		gatherRunGo(lt, shift, prob, next, j0+c*step, 1)
	}
}

// gatherRunGo is gatherAVX in Go: next[j] = Σ_m lt[shift[m] + j]·prob[m] for j = j0..j0+count-1,
// each sum from +0 in the order of m, the gather's sums.
func gatherRunGo(lt []float64, shift []int, prob []float64, next []float64, j0, count int) {
	for j := j0; j < j0+count; j++ {
		var e float64
		for m, p := range prob {
			e += float64(lt[shift[m]+j] * p)
		}
		next[j] = e
	}
}

// sameBits reports whether x and y have the same bits.
func sameBits(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }
