package mfg_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"meanfield/mfg"
)

// NewStencil refuses transitions that are not valid with an error, never a panic: successors out
// of range, rows out of order, a row of probability NaN.
func TestNewStencilRefusesInvalidTransitions(t *testing.T) {
	valid := func() *mfg.MDP { // 2 states × 1 action: 0 → 1, 1 → 0
		return &mfg.MDP{States: 2, Actions: 1, Reward: []float64{0, 0}, RowStart: []int{0, 1, 2},
			Next: []int{1, 0}, Prob: []float64{1, 1}}
	}
	if err := mfg.NewStencil(valid()); err != nil {
		t.Fatalf("valid transitions: %v", err)
	}
	for _, c := range []struct {
		name  string
		spoil func(m *mfg.MDP)
	}{
		{"successor out of range", func(m *mfg.MDP) { m.Next[0] = 2 }},
		{"negative successor", func(m *mfg.MDP) { m.Next[1] = -1 }},
		{"rows out of order", func(m *mfg.MDP) { m.RowStart[1] = 3 }},
		{"rows not from 0", func(m *mfg.MDP) { m.RowStart[0] = 1 }},
		{"probability NaN", func(m *mfg.MDP) { m.Prob[1] = math.NaN() }},
	} {
		m := valid()
		c.spoil(m)
		err := func() (err error) {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: panic %v", c.name, r)
				}
			}()
			return mfg.NewStencil(m)
		}()
		if err == nil || !strings.HasPrefix(err.Error(), "stencil: ") {
			t.Errorf("%s: error %v, want the stencil's", c.name, err)
		}
		if m.Stencil != nil {
			t.Errorf("%s: a stencil attached", c.name)
		}
	}
}

// A stencil describes the MDP it was made for and the shallow copies that keep its transitions,
// not a copy that reads the same rows as another number of states and actions (row i is state
// i/A, action i%A, and a pattern's offsets are relative to the state).
func TestStencilDescribesSameShapeOnly(t *testing.T) {
	// 2 states × 3 actions: action a moves to state (s + a) % 2.
	m := &mfg.MDP{States: 2, Actions: 3, Reward: make([]float64, 6), RowStart: []int{0, 1, 2, 3, 4, 5, 6},
		Next: []int{0, 1, 0, 1, 0, 1}, Prob: []float64{1, 1, 1, 1, 1, 1}}
	if err := mfg.NewStencil(m); err != nil {
		t.Fatal(err)
	}
	stage := *m
	stage.Reward = make([]float64, 6)
	if !m.Stencil.Describes(m) || !m.Stencil.Describes(&stage) {
		t.Fatal("the stencil does not describe its MDP or a stage sharing its moves")
	}
	other := stage
	other.States, other.Actions = 3, 2 // the same six rows, valid too, of other states
	if err := other.ValidateTransitions(); err != nil {
		t.Fatal(err)
	}
	if m.Stencil.Describes(&other) {
		t.Error("the stencil describes the same rows read as 3 states × 2 actions")
	}
}

// The runs of a stencil cover every row once, as maximal runs of consecutive states of one
// pattern, by first state then action. Checked on moves of 2 actions on a line of 7 states, clamped at
// the ends: +1 (offset 0 at the last state) and -2 (offsets 0 and -1 at the first two).
func TestStencilRunsCoverEveryRowOnce(t *testing.T) {
	b := mfg.NewMDPBuilder(7, 2, 0)
	for s := range 7 {
		b.Add(min(s+1, 6), 1)
		b.EndRow()
		b.Add(max(s-2, 0), 1)
		b.EndRow()
	}
	m, err := b.BuildStage()
	if err != nil {
		t.Fatal(err)
	}
	if err := mfg.NewStencil(m); err != nil {
		t.Fatal(err)
	}
	// Patterns are numbered by first row: +1, 0, -1, -2.
	want := []mfg.StencilRun{{Action: 0, Start: 0, End: 6, Pattern: 0}, {Action: 1, Start: 0, End: 1, Pattern: 1},
		{Action: 1, Start: 1, End: 2, Pattern: 2}, {Action: 1, Start: 2, End: 7, Pattern: 3}, {Action: 0, Start: 6, End: 7, Pattern: 1}}
	if !slices.Equal(m.Stencil.Runs, want) {
		t.Errorf("runs %v, want %v", m.Stencil.Runs, want)
	}
}

// GatheredRuns are the maximal runs of Gathered, and SourceShift[m] + j is the index of the m-th
// term of a gathered state j in L stored by action (a·S + s for its row s·A + a). Checked on the
// moves of gridOf3Moves.
func TestStencilGatheredRunsAndShifts(t *testing.T) {
	const L, W, A = 6, 7, 3
	m := gridOf3Moves(t)
	st, S := m.Stencil, L*W
	in := make([]bool, S)
	for k, r := range st.GatheredRuns {
		if r.Start >= r.End || k > 0 && r.Start <= st.GatheredRuns[k-1].End {
			t.Fatalf("run %v after %v: not maximal and ascending", r, st.GatheredRuns[:k])
		}
		for j := r.Start; j < r.End; j++ {
			in[j] = true
		}
	}
	if !slices.Equal(in, st.Gathered) || !slices.Contains(in, true) {
		t.Fatalf("the runs cover %v, the gathered states are %v", in, st.Gathered)
	}
	for j, g := range st.Gathered {
		for m, src := range st.Sources {
			if !g {
				break
			}
			row := j*A + src.Row
			if s, a := row/A, row%A; st.SourceShift[m]+j != a*S+s || st.SourceProb[m] != src.Prob {
				t.Fatalf("state %d, term %d (row %d): shift %d, prob %v; want index %d, prob %v", j, m, row, st.SourceShift[m], st.SourceProb[m], a*S+s, src.Prob)
			}
		}
	}
}

// The strides list every row of the short runs once, each stride's rows of one action and one
// pattern (checked against the runs they come from), and a grid's edge column as one stride of
// its width. Checked on the moves of gridOf3Moves (6 × 7).
func TestStencilStridesCoverShortRuns(t *testing.T) {
	m := gridOf3Moves(t)
	st, A := m.Stencil, m.Actions
	want := map[int]int32{} // row → pattern, of the short runs
	for _, r := range st.Runs {
		if r.End-r.Start < mfg.ShortRun {
			for s := r.Start; s < r.End; s++ {
				want[s*A+r.Action] = r.Pattern
			}
		}
	}
	seen, column := map[int]bool{}, false
	for _, sd := range st.Strides {
		if sd.Step < 1 || sd.Count < 1 {
			t.Fatalf("stride %+v", sd)
		}
		column = column || sd.Step == 7 && sd.Count >= 4
		for k := range sd.Count {
			i := (sd.Start+k*sd.Step)*A + sd.Action
			if p, ok := want[i]; !ok || p != sd.Pattern || seen[i] {
				t.Fatalf("stride %+v: row %d (pattern %d in a short run: %v; listed before: %v)", sd, i, p, ok, seen[i])
			}
			seen[i] = true
		}
	}
	if len(seen) != len(want) || !column {
		t.Errorf("the strides list %d of the short runs' %d rows; an edge column as one stride: %v", len(seen), len(want), column)
	}
}

// gridOf3Moves is the moves of 3 actions on a 6 × 7 grid, clamped at the edges: stay, +1 row,
// -1 column with a slip to either side, with their stencil.
func gridOf3Moves(t *testing.T) *mfg.MDP {
	const L, W, A = 6, 7, 3
	b := mfg.NewMDPBuilder(L*W, A, 0)
	at := func(l, w int) int { return min(max(l, 0), L-1)*W + min(max(w, 0), W-1) }
	for s := range L * W {
		l, w := s/W, s%W
		b.Add(s, 1)
		b.EndRow()
		b.Add(at(l+1, w), 1)
		b.EndRow()
		if at(l-1, w-1) == at(l+1, w-1) {
			b.Add(at(l-1, w-1), 1)
		} else {
			b.Add(at(l-1, w-1), 0.25)
			b.Add(at(l+1, w-1), 0.75)
		}
		b.EndRow()
	}
	m, err := b.BuildStage()
	if err != nil {
		t.Fatal(err)
	}
	if err := mfg.NewStencil(m); err != nil {
		t.Fatal(err)
	}
	return m
}

// The blocks list every row of the long runs once, each block's rows of one action and one
// pattern, at most BlockRows runs a block and, with more than one, at most BlockStates states, and
// a grid's interior rows of one action together, as many as fit. Checked on crowd motion's moves
// (noise to the four neighbours and staying) of a 12 × 9 grid (blocks of BlockRows runs of 5 to 7
// states), a 12 × 60 one (five runs of 56 to 58) and a 6 × 300 one (one run of 296 to 298).
func TestStencilBlocksCoverLongRuns(t *testing.T) {
	for _, shape := range [][3]int{{12, 9, mfg.BlockRows}, {12, 60, 5}, {6, 300, 1}} {
		testStencilBlocksCoverLongRuns(t, shape[0], shape[1], shape[2])
	}
}

// testStencilBlocksCoverLongRuns is TestStencilBlocksCoverLongRuns on an L × W grid, whose
// interior rows go tallest runs a block.
func testStencilBlocksCoverLongRuns(t *testing.T, L, W, tallest int) {
	const A = 5
	steps := [5][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {0, 0}}
	b := mfg.NewMDPBuilder(L*W, A, 0)
	for s := range L * W {
		for _, a := range steps {
			next := map[int]float64{}
			var order []int
			for k, e := range steps {
				sp := min(max(s/W+a[0]+e[0], 0), L-1)*W + min(max(s%W+a[1]+e[1], 0), W-1)
				if _, ok := next[sp]; !ok {
					order = append(order, sp)
				}
				next[sp] += []float64{0.125, 0.125, 0.125, 0.125, 0.5}[k]
			}
			for _, sp := range order {
				b.Add(sp, next[sp])
			}
			b.EndRow()
		}
	}
	m, err := b.BuildStage()
	if err != nil {
		t.Fatal(err)
	}
	if err := mfg.NewStencil(m); err != nil {
		t.Fatal(err)
	}
	st := m.Stencil
	want := map[int]int32{} // row → pattern, of the long runs
	for _, r := range st.Runs {
		if r.End-r.Start >= mfg.ShortRun {
			for s := r.Start; s < r.End; s++ {
				want[s*A+r.Action] = r.Pattern
			}
		}
	}
	seen, tall := map[int]bool{}, false
	for _, bl := range st.Blocks {
		if bl.Len < 1 || bl.Rows < 1 || bl.Rows > mfg.BlockRows || bl.Step < bl.Len || bl.Rows > 1 && bl.Rows*bl.Len > mfg.BlockStates {
			t.Fatalf("%d × %d: block %+v", L, W, bl)
		}
		if bl.Step == W && bl.Rows > tallest {
			t.Fatalf("%d × %d: block %+v of more than %d runs", L, W, bl, tallest)
		}
		tall = tall || bl.Rows == tallest && bl.Step == W
		for q := range bl.Rows {
			for c := range bl.Len {
				i := (bl.Start+q*bl.Step+c)*A + bl.Action
				if p, ok := want[i]; !ok || p != bl.Pattern || seen[i] {
					t.Fatalf("%d × %d: block %+v: row %d (pattern %d in a long run: %v; listed before: %v)", L, W, bl, i, p, ok, seen[i])
				}
				seen[i] = true
			}
		}
	}
	if len(seen) != len(want) || !tall {
		t.Errorf("%d × %d: the blocks list %d of the long runs' %d rows; %d grid rows in one: %v", L, W, len(seen), len(want), tallest, tall)
	}
}
