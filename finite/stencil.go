package finite

import "meanfield/mfg"

// The kernels of transitions with a stencil (mfg.Stencil): the sums of nextStates, expectNext and
// expectBoth, bit for bit, each with the same products added in the same order. A regular row's
// successors come from the stencil's offsets instead of the sparse indices, and an inflow
// Σ_{s,a} L(s, a) P(j|s, a) is gathered state by state, where the scatter's read-modify-writes of
// next[j] wait on one another through memory. Several states go at a time: their sums are
// independent chains of additions, which the processor overlaps.

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
			for _, t := range src {
				m := mass[base+t.Row : base+t.Row+3*A+1] // one bounds check for the four terms
				e0 += m[0] * t.Prob
				e1 += m[A] * t.Prob
				e2 += m[2*A] * t.Prob
				e3 += m[3*A] * t.Prob
			}
			next[j], next[j+1], next[j+2], next[j+3] = e0, e1, e2, e3
			j += 4
			continue
		}
		if gathered[j] {
			base := j * A
			var e float64
			for _, t := range src {
				e += mass[base+t.Row] * t.Prob
			}
			next[j] = e
		}
		j++
	}
	start, rows, prob := st.EdgeStart, st.EdgeRow, st.EdgeProb
	for e, j := range st.Edge {
		var x float64
		for m := start[e]; m < start[e+1]; m++ {
			x += mass[rows[m]] * prob[m]
		}
		next[j] = x
	}
}

// expectNextStencil is expectNext on transitions described by st.
func expectNextStencil(m *mfg.MDP, st *mfg.Stencil, v, dst []float64) {
	S, A := m.States, m.Actions
	start, to, prob := m.RowStart[:len(dst)+1], m.Next, m.Prob
	regular := st.Regular[:len(dst)]
	i := 0
	for s := 0; s < S; s++ {
		for a := 0; a < A; a++ {
			var e float64
			if regular[i] {
				probs := st.Prob[a]
				for k, off := range st.Offset[a] {
					e += probs[k] * v[s+off]
				}
			} else {
				for k := start[i]; k < start[i+1]; k++ {
					e += prob[k] * v[to[k]]
				}
			}
			dst[i] = e
			i++
		}
	}
}

// expectBothStencil is expectBoth on transitions described by st: the rows of an action at two
// neighbouring states together where both are regular, as they share the stencil's offsets and
// probabilities and read neighbouring values; the others one by one.
func expectBothStencil(m *mfg.MDP, st *mfg.Stencil, v []float64, dst0, dst1 []float64) {
	S, A, n := m.States, m.Actions, len(m.Reward)
	reward, regular := m.Reward[:n], st.Regular[:n]
	dst0, dst1 = dst0[:n], dst1[:n]
	s := 0
	for ; s+1 < S; s += 2 {
		i := s * A
		for a := 0; a < A; a++ {
			if !regular[i+a] || !regular[i+A+a] {
				expectBothRow(m, st, v, dst0, dst1, s, a)
				expectBothRow(m, st, v, dst0, dst1, s+1, a)
				continue
			}
			probs := st.Prob[a]
			offs := st.Offset[a][:len(probs)]
			var x0, x1, y0, y1 float64
			for k, off := range offs {
				w, p := probs[k], v[2*(s+off):2*(s+off)+4] // the values after s and after s+1
				x0 += w * p[0]
				x1 += w * p[1]
				y0 += w * p[2]
				y1 += w * p[3]
			}
			r, q := reward[i+a], reward[i+A+a]
			dst0[i+a], dst1[i+a] = x0+r, x1+r
			dst0[i+A+a], dst1[i+A+a] = y0+q, y1+q
		}
	}
	for ; s < S; s++ {
		for a := 0; a < A; a++ {
			expectBothRow(m, st, v, dst0, dst1, s, a)
		}
	}
}

// expectBothRow is expectBoth for row (s, a) alone, from the stencil when it is regular.
func expectBothRow(m *mfg.MDP, st *mfg.Stencil, v []float64, dst0, dst1 []float64, s, a int) {
	i := s*m.Actions + a
	var a0, a1 float64
	if st.Regular[i] {
		probs := st.Prob[a]
		for k, off := range st.Offset[a] {
			w, x := probs[k], v[2*(s+off):2*(s+off)+2]
			a0 += w * x[0]
			a1 += w * x[1]
		}
	} else {
		to, prob := m.Next, m.Prob
		for k := m.RowStart[i]; k < m.RowStart[i+1]; k++ {
			j := to[k]
			w, x := prob[k], v[2*j:2*j+2]
			a0 += w * x[0]
			a1 += w * x[1]
		}
	}
	dst0[i], dst1[i] = a0+m.Reward[i], a1+m.Reward[i]
}
