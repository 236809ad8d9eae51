package finite

import (
	"slices"

	"meanfield/mfg"
)

// The layouts of rows (RowStart, Next) that have loops of their own.
const (
	layoutGeneral = iota
	layoutDense   // every row s·A + a has the successors 0..S-1 in order: RowStart[i] = i·S, Next[k] = k mod S
	layoutSure    // every row has one successor (a sure move): RowStart[i] = i
	layoutRows    // any other rows whose indices are all in range (rowsInRange)
)

// rowLayout remembers the layout of the rows last checked (layoutGeneral, layoutDense, layoutSure or
// layoutRows): stages that share one layout (the same slices and states) are checked once.
type rowLayout struct {
	rowStart, next *int
	rows, succ     int
	states         int // the successors were checked to be states (isSure, rowsInRange)
	kind           int
}

// of returns m's layout, checking its rows only when their slices are not the ones last checked.
func (d *rowLayout) of(m *mfg.MDP) int {
	if len(m.RowStart) == 0 || len(m.Next) == 0 {
		return layoutGeneral
	}
	if &m.RowStart[0] == d.rowStart && &m.Next[0] == d.next && len(m.RowStart) == d.rows && len(m.Next) == d.succ &&
		m.States == d.states {
		return d.kind
	}
	kind := layoutGeneral
	switch {
	case isSure(m):
		kind = layoutSure
	case isDense(m):
		kind = layoutDense
	case rowsInRange(m):
		kind = layoutRows
	}
	*d = rowLayout{rowStart: &m.RowStart[0], next: &m.Next[0], rows: len(m.RowStart), succ: len(m.Next), states: m.States, kind: kind}
	return kind
}

// isDense reports whether every row of m has the successors 0..S-1 in order.
func isDense(m *mfg.MDP) bool {
	S, n := m.States, len(m.Reward)
	if S == 0 || len(m.RowStart) != n+1 || len(m.Next) != n*S || len(m.Prob) != n*S {
		return false
	}
	for i, lo := range m.RowStart {
		if lo != i*S {
			return false
		}
	}
	for j, s := range m.Next[:S] {
		if s != j {
			return false
		}
	}
	// Next[k] = Next[k-S] from the second row on, so Next[k] = k mod S: one comparison of memory.
	return slices.Equal(m.Next[S:], m.Next[:len(m.Next)-S])
}

// rowsInRange reports whether m's rows index within its tables: RowStart of one entry per pair
// and one more, from 0 up, not past Next (of Prob's length), and every successor a state
// (expectRowsAVX reads them unchecked).
func rowsInRange(m *mfg.MDP) bool {
	if len(m.RowStart) != len(m.Reward)+1 || len(m.Prob) != len(m.Next) {
		return false
	}
	last := 0
	for _, k := range m.RowStart {
		if k < last {
			return false
		}
		last = k
	}
	if last > len(m.Next) {
		return false
	}
	for _, j := range m.Next {
		if uint(j) >= uint(m.States) {
			return false
		}
	}
	return true
}

// isSure reports whether every row of m has one successor, a state in [0, S) (rowsInRange:
// expectSureAVX reads its values unchecked).
func isSure(m *mfg.MDP) bool {
	if len(m.Next) != len(m.Reward) {
		return false
	}
	for i, lo := range m.RowStart {
		if lo != i {
			return false
		}
	}
	return rowsInRange(m)
}

// expectBothDense is expectBoth on dense rows (see rowLayout): each sum adds P(j|s, a) v[2j+c] for
// j = 0..S-1 in order from +0, as expectBoth does; with AVX by expectDenseAVX.
func expectBothDense(m *mfg.MDP, v []float64, dst0, dst1 []float64) {
	n, S := len(m.Reward), m.States
	prob, reward, v := m.Prob[:n*S], m.Reward[:n], v[:2*S] // the kernels' every index, checked
	dst0, dst1 = dst0[:n], dst1[:n]
	if rowsAVX {
		expectDenseAVX(prob, v, reward, dst0, dst1, S)
		return
	}
	expectDenseGo(prob, v, reward, dst0, dst1, S)
}

// expectDenseGo is expectBothDense's sums, for the rows i < len(r) of S successors (prob[iS+j] =
// P(j|i)): d[c](i) = (Σ_j prob[iS+j]·v[2j+c]) + r(i), each sum from +0 in the order of j. Four rows
// go at a time: their eight sums are independent chains of additions, which the processor
// overlaps.
func expectDenseGo(prob, v, reward, dst0, dst1 []float64, S int) {
	n := len(reward)
	i := 0
	for ; i+3 < n; i += 4 {
		p0 := prob[i*S : (i+1)*S]
		p1 := prob[(i+1)*S : (i+2)*S][:len(p0)]
		p2 := prob[(i+2)*S : (i+3)*S][:len(p0)]
		p3 := prob[(i+3)*S : (i+4)*S][:len(p0)]
		var a0, a1, b0, b1, c0, c1, d0, d1 float64
		for j, w := range p0 {
			x, y := v[2*j], v[2*j+1]
			a0 += float64(w * x)
			a1 += float64(w * y)
			b0 += float64(p1[j] * x)
			b1 += float64(p1[j] * y)
			c0 += float64(p2[j] * x)
			c1 += float64(p2[j] * y)
			d0 += float64(p3[j] * x)
			d1 += float64(p3[j] * y)
		}
		r := reward[i : i+4]
		dst0[i], dst1[i] = a0+r[0], a1+r[0]
		dst0[i+1], dst1[i+1] = b0+r[1], b1+r[1]
		dst0[i+2], dst1[i+2] = c0+r[2], c1+r[2]
		dst0[i+3], dst1[i+3] = d0+r[3], d1+r[3]
	}
	for ; i < n; i++ {
		var a0, a1 float64
		for j, w := range prob[i*S : (i+1)*S] {
			a0 += float64(w * v[2*j])
			a1 += float64(w * v[2*j+1])
		}
		dst0[i], dst1[i] = a0+reward[i], a1+reward[i]
	}
}

// nextStatesDense is nextStates on dense rows (see rowLayout): next(j) = Σ_{s,a} L(s, a) P(j|s, a),
// each sum over the rows in order from +0, rows of no mass left out, as nextStates adds them;
// with AVX by nextDenseAVX, which writes every state's sum (no clearing first).
func nextStatesDense(m *mfg.MDP, L mfg.Population, next []float64) {
	S, mass := m.States, L.Mass
	prob := m.Prob[:len(mass)*S]
	if rowsAVX {
		nextDenseAVX(prob, mass, next[:S])
		if len(next) > S {
			clear(next[S:])
		}
		return
	}
	clear(next)
	nextDenseGo(prob, mass, next[:S])
}

// nextDenseGo adds to next(j) Σ_i mass(i)·prob[iS+j] over the rows i of mass not ±0, in the order
// of i (S = len(next)). Two rows of mass go at once, each entry of next added to twice before it
// is stored.
func nextDenseGo(prob, mass, nx []float64) {
	S := len(nx)
	i := 0
	for ; i+1 < len(mass); i += 2 {
		w0, w1 := mass[i], mass[i+1]
		p0 := prob[i*S : (i+1)*S][:len(nx)]
		p1 := prob[(i+1)*S : (i+2)*S][:len(nx)]
		switch {
		case w0 != 0 && w1 != 0:
			for j, x := range nx {
				x += float64(w0 * p0[j])
				nx[j] = x + float64(w1*p1[j])
			}
		case w0 != 0:
			for j, q := range p0 {
				nx[j] += float64(w0 * q)
			}
		case w1 != 0:
			for j, q := range p1 {
				nx[j] += float64(w1 * q)
			}
		}
	}
	if i < len(mass) && mass[i] != 0 {
		w := mass[i]
		for j, q := range prob[i*S : (i+1)*S][:len(nx)] {
			nx[j] += float64(w * q)
		}
	}
}

// expectBothSure is expectBoth on rows of one successor each (layoutSure): dst[c](i) =
// (+0 + P v[2 Next[i] + c]) + r(i), as expectBoth adds them, without the rows' bounds; with AVX by
// expectSureAVX.
func expectBothSure(m *mfg.MDP, v []float64, dst0, dst1 []float64) {
	n := len(m.Reward)
	to, prob, reward := m.Next[:n], m.Prob[:n], m.Reward[:n]
	dst0, dst1, v = dst0[:n], dst1[:n], v[:2*m.States] // the kernels' every index, checked (isSure)
	if rowsAVX {
		expectSureAVX(to, prob, v, reward, dst0, dst1)
		return
	}
	expectSureGo(to, prob, v, reward, dst0, dst1)
}

// expectSureGo is expectBothSure's sums for the rows i < len(reward), each of the one successor
// to[i] with probability prob[i]: d[c](i) = (+0 + prob[i]·v[2 to[i] + c]) + r(i).
func expectSureGo(to []int, prob, v, reward, dst0, dst1 []float64) {
	for i, j := range to {
		w := prob[i]
		var a0, a1 float64 // from +0, as expectBoth: a product of -0 then sums to +0
		a0 += float64(w * v[2*j])
		a1 += float64(w * v[2*j+1])
		dst0[i], dst1[i] = a0+reward[i], a1+reward[i]
	}
}

// nextStatesSure is nextStates on rows of one successor each (layoutSure): next(Next[i]) +=
// L(i) P(i) in the order of the rows, rows of no mass left out.
func nextStatesSure(m *mfg.MDP, L mfg.Population, next []float64) {
	mass := L.Mass
	clear(next)
	to, prob := m.Next[:len(mass)], m.Prob[:len(mass)]
	for i, w := range mass {
		if w != 0 {
			next[to[i]] += float64(w * prob[i])
		}
	}
}

// nextStatesOf is nextStates, by the loop for m's layout where it has one (and no stencil).
func nextStatesOf(m *mfg.MDP, L mfg.Population, next []float64, layout *rowLayout) {
	if m.Stencil == nil {
		switch layout.of(m) {
		case layoutRows: // sure moves' own loop costs as little as the kernel
			if rowsAVX {
				// The kernel's every index, checked: the rows' by rowsInRange, and each stage's
				// probabilities here (a stage sharing the rows' slices may have others).
				n := len(L.Mass)
				clear(next)
				nextRowsAVX(m.RowStart[:n+1], m.Next, m.Prob[:len(m.Next)], L.Mass, next[:m.States])
				return
			}
		case layoutDense:
			nextStatesDense(m, L, next)
			return
		case layoutSure:
			nextStatesSure(m, L, next)
			return
		}
	}
	nextStates(m, L, next)
}

// expectBothOf is expectBoth, by the loop for m's layout where it has one (and no stencil).
func expectBothOf(m *mfg.MDP, v []float64, dst0, dst1 []float64, layout *rowLayout) {
	if m.Stencil == nil {
		switch layout.of(m) {
		case layoutRows:
			if rowsAVX {
				n := len(m.Reward) // the kernel's every index, checked (rowsInRange, and as above)
				expectRowsAVX(m.RowStart[:n+1], m.Next, m.Prob[:len(m.Next)], v[:2*m.States], m.Reward, dst0[:n], dst1[:n])
				return
			}
		case layoutDense:
			expectBothDense(m, v, dst0, dst1)
			return
		case layoutSure:
			expectBothSure(m, v, dst0, dst1)
			return
		}
	}
	expectBoth(m, v, dst0, dst1)
}
