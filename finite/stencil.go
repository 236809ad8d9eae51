package finite

import "meanfield/mfg"

// The kernels of transitions with a stencil (mfg.Stencil): the sums of nextStates, expectNext and
// expectBoth, bit for bit, each with the same products added in the same order (a NaN's payload
// aside: where two NaNs meet in a sum, which one survives depends on the operands' order in
// registers, which the compiler picks). A row's
// successors come from its pattern's offsets instead of the sparse indices, and an inflow
// Σ_{s,a} L(s, a) P(j|s, a) is gathered state by state, where the scatter's read-modify-writes of
// next[j] wait on one another through memory. Several states go at a time: their sums are
// independent chains of additions, which the processor overlaps. On amd64 with AVX the same sums
// go four lanes at a time (stencil_avx.go, stencil_amd64.s).

// gatherPays reports whether gathering the inflows (every term, zero or not) costs less than the
// scatter, which skips the pairs without mass: always with the AVX kernels (four terms an
// instruction), else whether at least half of the pairs have some (a greedy policy's mean field
// has mass on one action in five).
func gatherPays(mass []float64) bool {
	if stencilAVX {
		return true
	}
	// Every 7th pair, prime to the usual numbers of actions, estimates the share: either
	// answer gives the same sums, only the time differs.
	zeros, n := 0, 0
	for i := 0; i < len(mass); i += 7 {
		if mass[i] == 0 {
			zeros++
		}
		n++
	}
	return 2*zeros <= n
}

// nextStatesStencil is nextStates on moves described by st: with AVX, gatherByAction; else six
// gathered states at a time with crowd motion's five actions (gatherSix), else four, then the edge
// states' listed terms.
func nextStatesStencil(st *mfg.Stencil, L mfg.Population, next []float64) {
	if stencilAVX && gatherByAction(st, L, next) {
		return
	}
	mass, A, n := L.Mass, L.Actions, len(next)
	src := st.Sources
	gathered := st.Gathered[:n]
	for j := 0; j < n; {
		if A == 5 && j+5 < n && gathered[j] && gathered[j+1] && gathered[j+2] && gathered[j+3] && gathered[j+4] && gathered[j+5] {
			gatherSix(mass, src, j, next)
			j += 6
			continue
		}
		if j+3 < n && gathered[j] && gathered[j+1] && gathered[j+2] && gathered[j+3] {
			base := j * A
			var e0, e1, e2, e3 float64
			if A == 5 { // crowd motion's: constant strides, so the four reads need no checks of their own
				for _, t := range src {
					r := uint(base + t.Row)
					m := mass[r : r+16 : r+16] // one bounds check for the four terms
					e0 += float64(m[0] * t.Prob)
					e1 += float64(m[5] * t.Prob)
					e2 += float64(m[10] * t.Prob)
					e3 += float64(m[15] * t.Prob)
				}
			} else {
				for _, t := range src {
					m := mass[base+t.Row : base+t.Row+3*A+1]
					e0 += float64(m[0] * t.Prob)
					e1 += float64(m[A] * t.Prob)
					e2 += float64(m[2*A] * t.Prob)
					e3 += float64(m[3*A] * t.Prob)
				}
			}
			next[j], next[j+1], next[j+2], next[j+3] = e0, e1, e2, e3
			j += 4
			continue
		}
		if gathered[j] {
			base := j * A
			var e float64
			for _, t := range src {
				e += float64(mass[base+t.Row] * t.Prob)
			}
			next[j] = e
		}
		j++
	}
	nextStatesEdge(st, mass, next)
}

// gatherSix is nextStates for the gathered states j..j+5 of five actions: six chains of
// additions, each waiting for its last, which the processor overlaps (its two adders, four
// cycles each, need eight to be busy; six is as many as the registers hold with their products).
func gatherSix(mass []float64, src []mfg.StencilSource, j int, next []float64) {
	base := 5 * j
	var e0, e1, e2, e3, e4, e5 float64
	for _, t := range src {
		r := uint(base + t.Row)
		m := mass[r : r+26 : r+26] // one bounds check for the six terms
		e0 += float64(m[0] * t.Prob)
		e1 += float64(m[5] * t.Prob)
		e2 += float64(m[10] * t.Prob)
		e3 += float64(m[15] * t.Prob)
		e4 += float64(m[20] * t.Prob)
		e5 += float64(m[25] * t.Prob)
	}
	out := next[j : j+6 : j+6]
	out[0], out[1], out[2], out[3], out[4], out[5] = e0, e1, e2, e3, e4, e5
}

// nextStatesEdge is nextStates for the edge states of st, two at a time: a state's sum is one
// chain of additions, each waiting for the last, and two chains overlap.
func nextStatesEdge(st *mfg.Stencil, mass, next []float64) {
	edge, terms := st.Edge, st.EdgeTerms
	start := st.EdgeStart[:len(edge)+1]
	e := 0
	for ; e+1 < len(edge); e += 2 {
		ta, tb := terms[start[e]:start[e+1]], terms[start[e+1]:start[e+2]]
		var x, y float64
		k := 0
		for ; k < len(ta) && k < len(tb); k++ {
			x += float64(mass[ta[k].Row] * ta[k].Prob)
			y += float64(mass[tb[k].Row] * tb[k].Prob)
		}
		for _, t := range ta[k:] {
			x += float64(mass[t.Row] * t.Prob)
		}
		for _, t := range tb[k:] {
			y += float64(mass[t.Row] * t.Prob)
		}
		next[edge[e]], next[edge[e+1]] = x, y
	}
	if e < len(edge) {
		var x float64
		for _, t := range terms[start[e]:start[e+1]] {
			x += float64(mass[t.Row] * t.Prob)
		}
		next[edge[e]] = x
	}
}

// expectNextStencil is expectNext on transitions described by st.
func expectNextStencil(m *mfg.MDP, st *mfg.Stencil, v, dst []float64) {
	A := m.Actions
	pattern := st.Pattern[:len(dst)]
	for s, i := 0, 0; i < len(dst); s++ {
		for end := i + A; i < end; i++ {
			pat := &st.Patterns[pattern[i]]
			probs := pat.Prob
			var e float64
			for k, off := range pat.Offset[:len(probs)] {
				e += float64(probs[k] * v[s+off])
			}
			dst[i] = e
		}
	}
}

// expectBothStencil is expectBoth on transitions described by st: with AVX, by st's blocks and
// strides (bothKernel.avx); else the rows of a run of one pattern three neighbouring states at a
// time, as they share the pattern's offsets and probabilities and read neighbouring values (six
// sums, as many as the registers hold with their products), the runs' last rows one by one.
func expectBothStencil(m *mfg.MDP, st *mfg.Stencil, v []float64, dst0, dst1 []float64) {
	n := len(m.Reward)
	k := bothKernel{v: v, dst0: dst0[:n], dst1: dst1[:n], reward: m.Reward[:n], A: m.Actions}
	if stencilAVX {
		k.avx(st)
		return
	}
	for _, run := range st.Runs {
		k.run(&st.Patterns[run.Pattern], run.Start, run.End, run.Action)
	}
}

// run is expectBoth for the rows s·A + a of the states s = start..end-1, of pattern pat, in Go.
func (k *bothKernel) run(pat *mfg.StencilPattern, s, end, a int) {
	for ; s+2 < end; s += 3 {
		k.triple(pat, s, s*k.A+a)
	}
	for ; s < end; s++ {
		k.row(pat, s, s*k.A+a)
	}
}

// bothKernel holds expectBoth's operands: v, the destinations, the rewards and the number of
// actions, passed as one pointer (a call with them all would pass most on the stack).
type bothKernel struct {
	v, dst0, dst1, reward []float64
	A                     int
}

// triple is expectBoth for the rows i, i+A, i+2A of states s, s+1, s+2, of pattern pat: six
// independent sums, each in the order of the pattern's successors.
func (k *bothKernel) triple(pat *mfg.StencilPattern, s, i int) {
	v, A, probs := k.v, k.A, pat.Prob
	var a0, a1, b0, b1, c0, c1 float64
	for m, off := range pat.Offset[:len(probs)] {
		j := uint(2 * (s + off)) // the values after s, s+1, s+2, one bounds check
		w, x := probs[m], v[j:j+6:j+6]
		a0 += float64(w * x[0])
		a1 += float64(w * x[1])
		b0 += float64(w * x[2])
		b1 += float64(w * x[3])
		c0 += float64(w * x[4])
		c1 += float64(w * x[5])
	}
	r, d0, d1 := k.reward, k.dst0, k.dst1
	d0[i], d1[i] = a0+r[i], a1+r[i]
	i += A
	d0[i], d1[i] = b0+r[i], b1+r[i]
	i += A
	d0[i], d1[i] = c0+r[i], c1+r[i]
}

// row is expectBoth for row i of state s alone, of pattern pat.
func (k *bothKernel) row(pat *mfg.StencilPattern, s, i int) {
	v, probs := k.v, pat.Prob
	var a0, a1 float64
	for m, off := range pat.Offset[:len(probs)] {
		j := uint(2 * (s + off))
		w, x := probs[m], v[j:j+2:j+2]
		a0 += float64(w * x[0])
		a1 += float64(w * x[1])
	}
	k.dst0[i], k.dst1[i] = a0+k.reward[i], a1+k.reward[i]
}
