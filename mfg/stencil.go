package mfg

import (
	"fmt"
	"math"
	"slices"
)

// Stencil is a second form of transitions that repeat one pattern of displacements from state to
// state, as moves on a grid do away from its edges: row i = s·A + a is regular when its successors
// are s + Offset[a][k] with probabilities Prob[a][k], k = 0, 1, ... in the row's order, bit for
// bit. NewStencil finds the regular rows and attaches the stencil to the MDP (MDP.Stencil).
//
// Package finite's kernels then read a regular row without its indices, and compute the inflow
// Σ_{s,a} L(s, a) P(j|s, a) of a state j by gathering its terms rather than scattering every row:
// in the order of the rows (then of each row's successors), the order in which the scatter adds
// them, so the sums are the sparse rows' bit for bit. A term L(s, a) P(j|s, a) that the scatter
// skips (L(s, a) = 0) is ±0, which leaves a sum started at +0 unchanged, as P is finite.
type Stencil struct {
	// Offset[a][k] and Prob[a][k] are the k-th successor s + Offset[a][k] of a regular row (s, a)
	// and its probability.
	Offset [][]int
	Prob   [][]float64
	// Regular[i] reports whether row i = s·A + a is the stencil's, exactly.
	Regular []bool
	// Gathered[j] reports whether the inflow of j is the stencil's: every row that reaches j is
	// regular, and each (a, k) has its regular source row (j − Offset[a][k], a). Its terms are then
	// L(j·A + Sources[m].Row) · Sources[m].Prob, m in order.
	Gathered []bool
	// Sources are the terms of a gathered state's inflow, relative to its rows: Row is the source
	// row minus j·A, and the order is the scatter's (ascending rows, then successors).
	Sources []StencilSource
	// Edge lists the other states, ascending; the terms of the inflow of Edge[e] are
	// L(EdgeRow[m]) · EdgeProb[m] for m in EdgeStart[e]..EdgeStart[e+1]-1, in the scatter's order.
	Edge      []int
	EdgeStart []int
	EdgeRow   []int
	EdgeProb  []float64
	// rowStart, next and prob are the transitions described: a copy of the MDP whose slices are
	// others (a clone that may then be changed) is not described (Describes).
	rowStart, next []int
	prob           []float64
}

// StencilSource is one term of a gathered inflow (see Stencil.Sources).
type StencilSource struct {
	Row  int
	Prob float64
}

// NewStencil sets m.Stencil to the stencil of the displacements offset[a] with probabilities
// prob[a] (one list per action, in the order of a regular row's successors), marking which rows
// and inflows follow it; m's transitions must be valid (ValidateTransitions) and must not change
// afterwards. A stencil that fits no row is valid, only useless.
func NewStencil(m *MDP, offset [][]int, prob [][]float64) error {
	S, A := m.States, m.Actions
	if len(offset) != A || len(prob) != A {
		return fmt.Errorf("stencil: %d offset and %d probability lists, want one per action (%d)", len(offset), len(prob), A)
	}
	for a := range offset {
		if len(offset[a]) != len(prob[a]) {
			return fmt.Errorf("stencil: action %d has %d offsets and %d probabilities", a, len(offset[a]), len(prob[a]))
		}
		for _, p := range prob[a] {
			if math.IsNaN(p) || math.IsInf(p, 0) {
				return fmt.Errorf("stencil: probability %v of action %d: must be finite", p, a)
			}
		}
	}
	if len(m.RowStart) != S*A+1 || len(m.Next) != len(m.Prob) || len(m.Next) == 0 {
		return fmt.Errorf("stencil: the MDP's transitions are not %d×%d rows", S, A)
	}
	st := &Stencil{Offset: offset, Prob: prob, Regular: make([]bool, S*A), Gathered: make([]bool, S),
		rowStart: m.RowStart, next: m.Next, prob: m.Prob}
	for i := range st.Regular {
		st.Regular[i] = st.fits(m, i)
	}
	st.gather(m)
	m.Stencil = st
	return nil
}

// fits reports whether row i of m is the stencil's, bit for bit.
func (st *Stencil) fits(m *MDP, i int) bool {
	s, a := i/m.Actions, i%m.Actions
	lo, hi := m.RowStart[i], m.RowStart[i+1]
	if hi-lo != len(st.Offset[a]) {
		return false
	}
	for k, off := range st.Offset[a] {
		if m.Next[lo+k] != s+off || math.Float64bits(m.Prob[lo+k]) != math.Float64bits(st.Prob[a][k]) {
			return false
		}
	}
	return true
}

// gather fills Gathered, Sources and the edge states' terms.
func (st *Stencil) gather(m *MDP) {
	S, A := m.States, m.Actions
	for a, offs := range st.Offset {
		for k, off := range offs {
			st.Sources = append(st.Sources, StencilSource{Row: -off*A + a, Prob: st.Prob[a][k]})
		}
	}
	// Enumerated by action, then successor; a relative row fixes the action, so a stable sort by
	// row gives the scatter's order.
	slices.SortStableFunc(st.Sources, func(x, y StencilSource) int { return x.Row - y.Row })
	reached := make([]bool, S) // reached by an irregular row
	for i, ok := range st.Regular {
		if !ok {
			for k := m.RowStart[i]; k < m.RowStart[i+1]; k++ {
				reached[m.Next[k]] = true
			}
		}
	}
	for j := range st.Gathered {
		ok := !reached[j]
		for _, src := range st.Sources {
			r := j*A + src.Row
			ok = ok && r >= 0 && r < S*A && st.Regular[r]
		}
		st.Gathered[j] = ok
	}
	count := make([]int, S)
	for i := range st.Regular {
		for k := m.RowStart[i]; k < m.RowStart[i+1]; k++ {
			count[m.Next[k]]++
		}
	}
	at := make([]int, S) // where the next term of an edge state goes
	st.EdgeStart = []int{0}
	for j, g := range st.Gathered {
		if !g {
			at[j] = st.EdgeStart[len(st.Edge)]
			st.Edge = append(st.Edge, j)
			st.EdgeStart = append(st.EdgeStart, at[j]+count[j])
		}
	}
	n := st.EdgeStart[len(st.Edge)]
	st.EdgeRow, st.EdgeProb = make([]int, n), make([]float64, n)
	for i := range st.Regular {
		for k := m.RowStart[i]; k < m.RowStart[i+1]; k++ {
			if j := m.Next[k]; !st.Gathered[j] {
				st.EdgeRow[at[j]], st.EdgeProb[at[j]] = i, m.Prob[k]
				at[j]++
			}
		}
	}
}

// Describes reports whether st is the stencil of m's transitions: m shares the storage of the MDP
// it was made for, as the stages of a game with fixed moves do (false for a nil st).
func (st *Stencil) Describes(m *MDP) bool {
	return st != nil && len(m.Next) == len(st.next) && len(m.Prob) == len(st.prob) &&
		len(m.RowStart) == len(st.rowStart) && &m.Next[0] == &st.next[0] && &m.Prob[0] == &st.prob[0] &&
		&m.RowStart[0] == &st.rowStart[0]
}
