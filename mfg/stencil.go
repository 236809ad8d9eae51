package mfg

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
)

// Stencil is a second form of transitions that repeat a few patterns of displacements from state
// to state, as moves on a grid do (one pattern per action away from the edges, a few more along
// them): row i = s·A + a has the successors s + Patterns[Pattern[i]].Offset[k] with the
// probabilities Patterns[Pattern[i]].Prob[k], k = 0, 1, ... in the row's order, bit for bit.
// NewStencil finds the patterns and attaches the stencil to the MDP (MDP.Stencil). A stencil
// must not change once made: package finite keeps what it derives from one (its plan of
// kernel calls) for as long as the stencil lives.
//
// Package finite's kernels then read rows without their indices, the rows of one action and one
// pattern at neighbouring states together (Runs), and compute the inflow Σ_{s,a} L(s, a) P(j|s, a)
// of a state j by gathering its terms rather than scattering every row: in the order of the rows
// (then of each row's successors), the order in which the scatter adds them, so the sums are the
// sparse rows' bit for bit. A term L(s, a) P(j|s, a) that the scatter skips (L(s, a) = 0) is ±0, which leaves a
// sum started at +0 unchanged, as P is finite.
type Stencil struct {
	// Patterns are the distinct patterns of the rows, and Pattern[i] that of row i.
	Patterns []StencilPattern
	Pattern  []int32
	// Main[a] is the pattern of most rows of action a, those of the states away from the edges.
	Main []int32
	// Gathered[j] reports whether the inflow of j is the main patterns': every row that reaches j
	// has its action's main pattern, and each (a, k) has its source row (j − Offset[k], a) of
	// pattern Main[a]. Its terms are then L(j·A + Sources[m].Row) · Sources[m].Prob, m in order.
	Gathered []bool
	// Sources are the terms of a gathered state's inflow, relative to its rows: Row is the source
	// row minus j·A, and the order is the scatter's (ascending rows, then successors).
	Sources []StencilSource
	// GatheredRuns are the maximal runs of consecutive gathered states, [Start, End), ascending.
	// SourceShift[m] is a·States − o for Sources[m] = (−o·A + a, p), 0 ≤ a < A: the index of its term
	// in L stored by action (L(s, a) at a·States + s) minus j, so that the m-th terms of a run's
	// states are consecutive there; SourceProb[m] is its p.
	GatheredRuns []StencilSpan
	SourceShift  []int
	SourceProb   []float64
	// Edge lists the other states, ascending; the terms of the inflow of Edge[e] are
	// L(EdgeTerms[m].Row) · EdgeTerms[m].Prob for m in EdgeStart[e]..EdgeStart[e+1]-1, in the
	// scatter's order (Row here is the source row itself).
	Edge      []int
	EdgeStart []int
	EdgeTerms []StencilSource
	// Inflows are the distinct inflows of the edge states relative to the state, in L stored by
	// action (L(s, a) at a·States + s): the inflow of an edge state j of class c is
	// Σ_m L(j + Inflows[c].Shift[m] as by action)·Inflows[c].Prob[m], m in order, its EdgeTerms'
	// terms and order; InflowStrides list every edge state once, as progressions of one class (a
	// grid's edge row or column: one class, of step 1 or its width).
	Inflows       []StencilInflow
	InflowStrides []StencilInflowStride
	// Runs are the maximal runs of consecutive states whose rows of one action have one pattern,
	// by first state then action: every row is in one. A kernel that goes over them reads a
	// pattern's offsets and probabilities once for several states, and the actions' runs of a
	// stretch of states (a row of a grid) one after the other, while their rows are in the cache.
	Runs []StencilRun
	// Strides are the rows of the runs of fewer than ShortRun states (the edges' rows of a grid,
	// one or two states a pattern) again, as maximal progressions of states Start + k·Step,
	// k < Count, whose rows of one action have one pattern (a grid's edge column, Step its
	// width): each such row is in one, by action then first state.
	Strides []StencilStride
	// Blocks are the other runs (ShortRun states or more) again, those of one action, one pattern
	// and one length whose first states are a progression (a grid's interior rows) together, at
	// most BlockRows of them and, with more than one, of BlockStates states, by first state then
	// action: each of their rows is in one.
	Blocks []StencilBlock
	// rowStart, next and prob are the transitions described, of states × actions rows: a copy of
	// the MDP whose slices are others (a clone that may then be changed), or that reads the rows
	// as of another shape, is not described (Describes).
	rowStart, next  []int
	prob            []float64
	states, actions int
}

// StencilPattern is the successors of a row relative to its state, and their probabilities.
type StencilPattern struct {
	Offset []int
	Prob   []float64
}

// StencilRun is the rows s·A + Action of the states s = Start..End-1, all of pattern Pattern.
type StencilRun struct {
	Action, Start, End int
	Pattern            int32
}

// ShortRun is the length from which a run of a stencil is not listed again in Strides.
const ShortRun = 3

// StencilStride is the rows s·A + Action of the states s = Start + k·Step, k = 0..Count-1, all of
// pattern Pattern (Step ≥ 1; Count ≥ 1).
type StencilStride struct {
	Action, Start, Step, Count int
	Pattern                    int32
}

// StencilInflow is the terms of a class of inflows (see Stencil.Inflows).
type StencilInflow struct {
	Shift []int
	Prob  []float64
}

// StencilInflowStride is the states Start + k·Step, k = 0..Count-1, of inflow class Inflow (Step
// ≥ 1; Count ≥ 1).
type StencilInflowStride struct {
	Start, Step, Count int
	Inflow             int32
}

// BlockRows is the most runs a StencilBlock holds: on a large grid, the rows of the actions'
// blocks of one stretch of states stay in the cache.
const BlockRows = 8

// BlockStates is the most states a StencilBlock of more than one run holds: the rows of one
// stretch of states, which the actions' blocks read and write by action (their rewards and two
// tables of values, A passes), then stay in the first-level cache. At 200×200 cells of crowd
// motion (runs of 196 states, one a block) an iteration of prior descent with its exploitability
// took 2 to 8% less time than with blocks of BlockRows runs, whose rows the later actions' passes
// read from the second-level cache; at 40×40 (runs of 36 to 38 states) the blocks keep BlockRows
// runs, as four a block measured no faster there.
const BlockStates = 320

// StencilBlock is the rows s·A + Action of the states s = Start + q·Step + c, q < Rows, c < Len,
// all of pattern Pattern (Len ≥ 1, Rows ≥ 1, Step ≥ Len).
type StencilBlock struct {
	Action, Start, Len, Step, Rows int
	Pattern                        int32
}

// StencilSpan is the states Start..End-1.
type StencilSpan struct{ Start, End int }

// StencilSource is one term of a gathered inflow (see Stencil.Sources).
type StencilSource struct {
	Row  int
	Prob float64
}

// NewStencil sets m.Stencil to the stencil of m's transitions, which must not change afterwards;
// transitions that are not valid (ValidateTransitions) are an error.
func NewStencil(m *MDP) error {
	S, A := m.States, m.Actions
	if S < 1 || A < 1 || len(m.RowStart) != S*A+1 || len(m.Next) != len(m.Prob) || len(m.Next) == 0 {
		return fmt.Errorf("stencil: the MDP's transitions are not %d×%d rows", S, A)
	}
	// Checked here, not assumed: a successor out of range or rows out of order would be an
	// index out of range below.
	if err := m.ValidateTransitions(); err != nil {
		return fmt.Errorf("stencil: %w", err)
	}
	st := &Stencil{Pattern: make([]int32, S*A), Main: make([]int32, A), Gathered: make([]bool, S),
		rowStart: m.RowStart, next: m.Next, prob: m.Prob, states: S, actions: A}
	index := map[string]int32{}
	var key []byte
	last := make([]int32, A) // the pattern of the previous row of each action, most often this one's
	for i := range st.Pattern {
		s, lo, hi := i/A, m.RowStart[i], m.RowStart[i+1]
		if len(st.Patterns) > 0 && st.Patterns[last[i%A]].fits(m, s, lo, hi) {
			st.Pattern[i] = last[i%A]
			continue
		}
		key = key[:0]
		for k := lo; k < hi; k++ {
			if p := m.Prob[k]; math.IsNaN(p) || math.IsInf(p, 0) {
				return fmt.Errorf("stencil: probability %v in row %d: must be finite", p, i)
			}
			key = binary.LittleEndian.AppendUint64(key, uint64(m.Next[k]-s))
			key = binary.LittleEndian.AppendUint64(key, math.Float64bits(m.Prob[k]))
		}
		p, ok := index[string(key)]
		if !ok {
			p = int32(len(st.Patterns))
			index[string(key)] = p
			pat := StencilPattern{Offset: make([]int, hi-lo), Prob: slices.Clone(m.Prob[lo:hi])}
			for k := range pat.Offset {
				pat.Offset[k] = m.Next[lo+k] - s
			}
			st.Patterns = append(st.Patterns, pat)
		}
		st.Pattern[i], last[i%A] = p, p
	}
	st.mainPatterns()
	st.runs()
	st.gather(m)
	st.inflows()
	m.Stencil = st
	return nil
}

// fits reports whether the row of state s at m.Next[lo:hi] is the pattern, bit for bit.
func (pat *StencilPattern) fits(m *MDP, s, lo, hi int) bool {
	if hi-lo != len(pat.Offset) {
		return false
	}
	for k, off := range pat.Offset {
		if m.Next[lo+k] != s+off || math.Float64bits(m.Prob[lo+k]) != math.Float64bits(pat.Prob[k]) {
			return false
		}
	}
	return true
}

// mainPatterns sets Main[a] to the most common pattern of the rows of action a (the lowest
// numbered of the most common ones).
func (st *Stencil) mainPatterns() {
	A := len(st.Main)
	count := make([]int, len(st.Patterns))
	for a := range st.Main {
		clear(count)
		for i := a; i < len(st.Pattern); i += A {
			count[st.Pattern[i]]++
		}
		for p, c := range count {
			if c > count[st.Main[a]] {
				st.Main[a] = int32(p)
			}
		}
	}
}

// runs fills Runs.
func (st *Stencil) runs() {
	A := len(st.Main)
	S := len(st.Pattern) / A
	for a := range A {
		for s := 0; s < S; {
			p, start := st.Pattern[s*A+a], s
			for s < S && st.Pattern[s*A+a] == p {
				s++
			}
			st.Runs = append(st.Runs, StencilRun{Action: a, Start: start, End: s, Pattern: p})
		}
	}
	// By action, a large grid's rows would leave the cache between the actions' passes.
	slices.SortStableFunc(st.Runs, func(x, y StencilRun) int { return x.Start - y.Start })
	st.strides()
	st.blocks()
}

// blocks fills Blocks: the progressions of the first states of each action's, pattern's and
// length's long runs, cut into pieces of BlockRows runs, or fewer (one at least) where that many
// would hold more than BlockStates states.
func (st *Stencil) blocks() {
	type kind struct{ action, length int }
	long := map[kind]map[int32][]int{} // → pattern → first states
	var kinds []kind
	for _, r := range st.Runs {
		if r.End-r.Start < ShortRun {
			continue
		}
		k := kind{r.Action, r.End - r.Start}
		if long[k] == nil {
			long[k] = map[int32][]int{}
			kinds = append(kinds, k)
		}
		long[k][r.Pattern] = append(long[k][r.Pattern], r.Start)
	}
	for _, k := range kinds {
		pats := make([]int32, 0, len(long[k]))
		for p := range long[k] {
			pats = append(pats, p)
		}
		slices.Sort(pats) // a map's order is random; the blocks' is not
		for _, p := range pats {
			starts := long[k][p] // ascending: the runs are by first state
			progressions(starts, func(start, step, count int) {
				if count == 1 {
					step = k.length
				}
				rows := max(1, min(BlockRows, BlockStates/k.length))
				for q := 0; q < count; q += rows {
					st.Blocks = append(st.Blocks, StencilBlock{Action: k.action, Start: start + q*step, Len: k.length,
						Step: step, Rows: min(rows, count-q), Pattern: p})
				}
			})
		}
	}
	slices.SortStableFunc(st.Blocks, func(x, y StencilBlock) int {
		return cmp.Or(cmp.Compare(x.Start, y.Start), cmp.Compare(x.Action, y.Action))
	})
}

// strides fills Strides: the progressions of the states of each action's and pattern's short runs.
func (st *Stencil) strides() {
	short := map[[2]int32][]int{} // (action, pattern) → states
	var keys [][2]int32
	for _, r := range st.Runs {
		if r.End-r.Start >= ShortRun {
			continue
		}
		k := [2]int32{int32(r.Action), r.Pattern}
		if short[k] == nil {
			keys = append(keys, k)
		}
		for s := r.Start; s < r.End; s++ {
			short[k] = append(short[k], s)
		}
	}
	for _, k := range keys {
		states := short[k]
		slices.Sort(states)
		progressions(states, func(start, step, count int) {
			st.Strides = append(st.Strides, StencilStride{Action: int(k[0]), Start: start, Step: step, Count: count, Pattern: k[1]})
		})
	}
	slices.SortStableFunc(st.Strides, func(x, y StencilStride) int {
		return cmp.Or(cmp.Compare(x.Action, y.Action), cmp.Compare(x.Start, y.Start))
	})
}

// gather fills Gathered, Sources and the edge states' terms.
func (st *Stencil) gather(m *MDP) {
	S, A := m.States, m.Actions
	for a, p := range st.Main {
		for k, off := range st.Patterns[p].Offset {
			st.Sources = append(st.Sources, StencilSource{Row: -off*A + a, Prob: st.Patterns[p].Prob[k]})
		}
	}
	// Enumerated by action, then successor; a relative row fixes the action, so a stable sort by
	// row gives the scatter's order.
	slices.SortStableFunc(st.Sources, func(x, y StencilSource) int { return x.Row - y.Row })
	main := func(i int) bool { return st.Pattern[i] == st.Main[i%A] }
	reached := make([]bool, S) // reached by a row of another pattern than its action's main one
	for i := range st.Pattern {
		if !main(i) {
			for k := m.RowStart[i]; k < m.RowStart[i+1]; k++ {
				reached[m.Next[k]] = true
			}
		}
	}
	for j := range st.Gathered {
		ok := !reached[j]
		for _, src := range st.Sources {
			r := j*A + src.Row
			ok = ok && r >= 0 && r < S*A && main(r)
		}
		st.Gathered[j] = ok
	}
	for j := 0; j < S; {
		start := j
		for j < S && st.Gathered[j] {
			j++
		}
		if j > start {
			st.GatheredRuns = append(st.GatheredRuns, StencilSpan{Start: start, End: j})
		}
		for j < S && !st.Gathered[j] {
			j++
		}
	}
	for _, src := range st.Sources {
		a := ((src.Row % A) + A) % A
		st.SourceShift = append(st.SourceShift, a*S-(a-src.Row)/A)
		st.SourceProb = append(st.SourceProb, src.Prob)
	}
	count := make([]int, S)
	for _, j := range m.Next {
		count[j]++
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
	st.EdgeTerms = make([]StencilSource, st.EdgeStart[len(st.Edge)])
	for i := range st.Pattern {
		for k := m.RowStart[i]; k < m.RowStart[i+1]; k++ {
			if j := m.Next[k]; !st.Gathered[j] {
				st.EdgeTerms[at[j]] = StencilSource{Row: i, Prob: m.Prob[k]}
				at[j]++
			}
		}
	}
}

// Describes reports whether st is the stencil of m's transitions: m shares the storage of the MDP
// it was made for, as the stages of a game with fixed moves do, and its numbers of states and
// actions (row i is state i/A, action i%A; false for a nil st).
func (st *Stencil) Describes(m *MDP) bool {
	return st != nil && m.States == st.states && m.Actions == st.actions &&
		len(m.Next) == len(st.next) && len(m.Prob) == len(st.prob) &&
		len(m.RowStart) == len(st.rowStart) && &m.Next[0] == &st.next[0] && &m.Prob[0] == &st.prob[0] &&
		&m.RowStart[0] == &st.rowStart[0]
}

// progressions calls emit(start, step, count) for progressions start + k·step, k < count, that
// together hold each of states (ascending, distinct) once: from the first state not yet in one,
// the step to the next such state, and as many more at that step as follow.
func progressions(states []int, emit func(start, step, count int)) {
	taken := make([]bool, len(states))
	for i, s := range states {
		if taken[i] {
			continue
		}
		taken[i] = true
		step, count := 1, 1
		for m := i + 1; m < len(states); m++ {
			if taken[m] {
				continue
			}
			if count == 1 {
				step = states[m] - s
			}
			if want := s + count*step; states[m] > want {
				break
			} else if states[m] == want {
				taken[m] = true
				count++
			}
		}
		emit(s, step, count)
	}
}

// inflows fills Inflows and InflowStrides from the edge states' terms.
func (st *Stencil) inflows() {
	S, A := st.states, st.actions
	index := map[string]int32{}
	var key []byte
	var members [][]int // of each class, ascending
	for e, j := range st.Edge {
		terms := st.EdgeTerms[st.EdgeStart[e]:st.EdgeStart[e+1]]
		key = key[:0]
		for _, t := range terms {
			key = binary.LittleEndian.AppendUint64(key, uint64(t.Row%A*S+t.Row/A-j))
			key = binary.LittleEndian.AppendUint64(key, math.Float64bits(t.Prob))
		}
		c, ok := index[string(key)]
		if !ok {
			c = int32(len(st.Inflows))
			index[string(key)] = c
			in := StencilInflow{Shift: make([]int, len(terms)), Prob: make([]float64, len(terms))}
			for m, t := range terms {
				in.Shift[m], in.Prob[m] = t.Row%A*S+t.Row/A-j, t.Prob
			}
			st.Inflows = append(st.Inflows, in)
			members = append(members, nil)
		}
		members[c] = append(members[c], j)
	}
	for c, states := range members {
		progressions(states, func(start, step, count int) {
			st.InflowStrides = append(st.InflowStrides, StencilInflowStride{Start: start, Step: step, Count: count, Inflow: int32(c)})
		})
	}
}
