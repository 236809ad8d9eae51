package finite

import "meanfield/mfg"

// The kernels of transitions with a stencil (mfg.Stencil): the sums of nextStates, expectNext and
// expectBoth, bit for bit, each with the same products added in the same order. A row's
// successors come from its pattern's offsets instead of the sparse indices, and an inflow
// Σ_{s,a} L(s, a) P(j|s, a) is gathered state by state, where the scatter's read-modify-writes of
// next[j] wait on one another through memory. Several states go at a time: their sums are
// independent chains of additions, which the processor overlaps.

// gatherPays reports whether gathering the inflows (every term, zero or not) costs less than the
// scatter, which skips the pairs without mass: whether at least half of them have some (a greedy
// policy's mean field has mass on one action in five).
func gatherPays(mass []float64) bool {
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

// nextStatesStencil is nextStates on moves described by st: four gathered states at a time, then
// the edge states' listed terms.
func nextStatesStencil(st *mfg.Stencil, L mfg.Population, next []float64) {
	mass, A, n := L.Mass, L.Actions, len(next)
	src := st.Sources
	gathered := st.Gathered[:n]
	for j := 0; j < n; {
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
	start := st.EdgeStart[:len(st.Edge)+1]
	for e, j := range st.Edge {
		var x float64
		for _, t := range st.EdgeTerms[start[e]:start[e+1]] {
			x += float64(mass[t.Row] * t.Prob)
		}
		next[j] = x
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

// expectBothStencil is expectBoth on transitions described by st: the rows of an action at two
// neighbouring states together where they have the same pattern, as they share its offsets and
// probabilities and read neighbouring values; the others one by one.
func expectBothStencil(m *mfg.MDP, st *mfg.Stencil, v []float64, dst0, dst1 []float64) {
	S, A, n := m.States, m.Actions, len(m.Reward)
	reward, pattern := m.Reward[:n], st.Pattern[:n]
	dst0, dst1 = dst0[:n], dst1[:n]
	s := 0
	for ; s+1 < S; s += 2 {
		i := s * A
		for a := 0; a < A; a++ {
			p, q := pattern[i+a], pattern[i+A+a]
			if p != q {
				expectBothRow(&st.Patterns[p], v, dst0, dst1, reward, s, i+a)
				expectBothRow(&st.Patterns[q], v, dst0, dst1, reward, s+1, i+A+a)
				continue
			}
			pat := &st.Patterns[p]
			probs := pat.Prob
			var x0, x1, y0, y1 float64
			for k, off := range pat.Offset[:len(probs)] {
				j := uint(2 * (s + off)) // the values after s and after s+1, one bounds check
				w, x := probs[k], v[j:j+4:j+4]
				x0 += float64(w * x[0])
				x1 += float64(w * x[1])
				y0 += float64(w * x[2])
				y1 += float64(w * x[3])
			}
			r0, r1 := reward[i+a], reward[i+A+a]
			dst0[i+a], dst1[i+a] = x0+r0, x1+r0
			dst0[i+A+a], dst1[i+A+a] = y0+r1, y1+r1
		}
	}
	for ; s < S; s++ {
		for a := 0; a < A; a++ {
			expectBothRow(&st.Patterns[pattern[s*A+a]], v, dst0, dst1, reward, s, s*A+a)
		}
	}
}

// expectBothRow is expectBoth for row i of state s alone, of pattern pat.
func expectBothRow(pat *mfg.StencilPattern, v []float64, dst0, dst1, reward []float64, s, i int) {
	probs := pat.Prob
	var a0, a1 float64
	for k, off := range pat.Offset[:len(probs)] {
		j := uint(2 * (s + off))
		w, x := probs[k], v[j:j+2:j+2]
		a0 += float64(w * x[0])
		a1 += float64(w * x[1])
	}
	dst0[i], dst1[i] = a0+reward[i], a1+reward[i]
}
