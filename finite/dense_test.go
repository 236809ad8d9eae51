package finite

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"meanfield/mfg"
)

// randomStage returns an S-state, A-action stage of the layout kind: every row with the
// successors 0..S-1 in order (layoutDense), one random successor (layoutSure), or a random number
// of random successors (layoutGeneral); probabilities and rewards special one time in two.
func randomStage(rng *rand.Rand, S, A, kind int) *mfg.MDP {
	n := S * A
	m := &mfg.MDP{States: S, Actions: A, Reward: make([]float64, n), RowStart: make([]int, 1, n+1)}
	for i := range n {
		m.Reward[i] = specialValue(rng)
		k := map[int]int{layoutDense: S, layoutSure: 1, layoutGeneral: rng.IntN(S + 1)}[kind]
		for j := range k {
			next := j
			if kind != layoutDense {
				next = rng.IntN(S)
			}
			m.Next = append(m.Next, next)
			m.Prob = append(m.Prob, specialValue(rng))
		}
		m.RowStart = append(m.RowStart, len(m.Next))
	}
	return m
}

// TestLayoutLoopsBitForBit checks expectBothOf and nextStatesOf against expectBoth and
// nextStates on random dense, sure-move and general stages of values special one time in two
// (±0, ±Inf, NaN, subnormals; masses of zero included, which all leave out), bit for bit, and
// that rowLayout tells the layouts apart, remembered or not.
func TestLayoutLoopsBitForBit(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	var layout rowLayout // one for all: a new stage's layout must be checked again
	for trial := range 900 {
		S, A, kind := 1+rng.IntN(9), 1+rng.IntN(9), trial%3
		m := randomStage(rng, S, A, kind)
		checked, remembered := layout.of(m), layout.of(m)
		if want := layoutSlow(m); checked != want || remembered != want {
			t.Fatalf("trial %d: layout %d then %d, want %d", trial, checked, remembered, want)
		}
		v := make([]float64, 2*S)
		for j := range v {
			v[j] = specialValue(rng)
		}
		n := S * A
		got0, got1, want0, want1 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		expectBothOf(m, v, got0, got1, &layout)
		expectBoth(m, v, want0, want1)
		for i := range got0 {
			if !sameOrNaN(got0[i], want0[i]) || !sameOrNaN(got1[i], want1[i]) {
				t.Fatalf("trial %d (%d×%d, layout %d): row %d is (%v, %v), want (%v, %v)", trial, S, A, kind, i, got0[i], got1[i], want0[i], want1[i])
			}
		}
		L := mfg.Population{States: S, Actions: A, Mass: make([]float64, n)}
		for i := range L.Mass {
			L.Mass[i] = specialValue(rng)
		}
		got, want := make([]float64, S+1), make([]float64, S+1)
		got[S], want[S] = 1, 1 // past the states: cleared by both
		nextStatesOf(m, L, got, &layout)
		nextStates(m, L, want)
		for j := range got {
			if !sameOrNaN(got[j], want[j]) {
				t.Fatalf("trial %d (%d×%d, layout %d): next(%d) is %v, want %v", trial, S, A, kind, j, got[j], want[j])
			}
		}
	}
}

// layoutSlow is rowLayout.of by the definitions: sure moves when RowStart[i] = i, dense when
// RowStart[i] = i·S and Next[k] = k mod S (a one-state game's dense rows are sure moves); sure
// moves' successors must be states; other rows in range (see rowsInRange),
// with some successors, are layoutRows.
func layoutSlow(m *mfg.MDP) int {
	sure, dense := len(m.Next) == len(m.Reward), len(m.Next) == len(m.Reward)*m.States
	for _, j := range m.Next {
		sure = sure && 0 <= j && j < m.States
	}
	for i, lo := range m.RowStart {
		sure = sure && lo == i
		dense = dense && lo == i*m.States
	}
	for k, s := range m.Next {
		dense = dense && s == k%m.States
	}
	rows := len(m.Next) > 0 && len(m.Prob) == len(m.Next) && len(m.RowStart) == len(m.Reward)+1 && m.RowStart[0] >= 0 &&
		m.RowStart[len(m.Reward)] <= len(m.Next)
	for i, lo := range m.RowStart[1:] {
		rows = rows && lo >= m.RowStart[i]
	}
	for _, j := range m.Next {
		rows = rows && 0 <= j && j < m.States
	}
	switch {
	case sure:
		return layoutSure
	case dense:
		return layoutDense
	case rows:
		return layoutRows
	}
	return layoutGeneral
}

// TestDenseLayoutRechecks checks that a dense stage with one successor changed (in new slices)
// is found general (rows in range), and the dense one again after it.
func TestDenseLayoutRechecks(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	var d rowLayout
	for trial := range 200 {
		S, A := 2+rng.IntN(8), 1+rng.IntN(9)
		m := randomStage(rng, S, A, layoutDense)
		if d.of(m) != layoutDense {
			t.Fatalf("trial %d: dense %d×%d stage not found dense", trial, S, A)
		}
		other := *m
		other.Next = append([]int(nil), m.Next...)
		k := rng.IntN(len(other.Next))
		other.Next[k] = (other.Next[k] + 1 + rng.IntN(S-1)) % S
		if d.of(&other) != layoutRows {
			t.Fatalf("trial %d: %d×%d stage with successor %d changed found %d", trial, S, A, k, d.of(&other))
		}
		if d.of(m) != layoutDense {
			t.Fatalf("trial %d: dense stage not found dense after another", trial)
		}
	}
}

// layoutCases is stages for the layout benchmarks: random dense ones of random-linear's size (5
// states, 5 actions) and equilibrium-price's (4 × 9), and random sure moves of the latter's size,
// with probabilities in [0, 1).
func layoutCases() map[string]*mfg.MDP {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := map[string]*mfg.MDP{
		"dense5x5": randomStage(rng, 5, 5, layoutDense),
		"dense4x9": randomStage(rng, 4, 9, layoutDense),
		"sure4x9":  randomStage(rng, 4, 9, layoutSure),
	}
	for _, m := range cases {
		for k := range m.Prob {
			m.Prob[k] = rng.Float64()
		}
	}
	return cases
}

// BenchmarkExpectBothLayout times expectBoth and expectBothOf on layoutCases.
func BenchmarkExpectBothLayout(b *testing.B) {
	for name, m := range layoutCases() {
		v := make([]float64, 2*m.States)
		for j := range v {
			v[j] = float64(j)
		}
		d0, d1 := make([]float64, len(m.Reward)), make([]float64, len(m.Reward))
		b.Run(name+"/general", func(b *testing.B) {
			for range b.N {
				expectBoth(m, v, d0, d1)
			}
		})
		b.Run(name+"/layout", func(b *testing.B) {
			for range b.N {
				var layout rowLayout
				expectBothOf(m, v, d0, d1, &layout)
			}
		})
		b.Run(name+"/remembered", func(b *testing.B) {
			var layout rowLayout
			for range b.N {
				expectBothOf(m, v, d0, d1, &layout)
			}
		})
	}
}

// BenchmarkNextStatesLayout times nextStates and nextStatesOf on layoutCases.
func BenchmarkNextStatesLayout(b *testing.B) {
	for name, m := range layoutCases() {
		L := mfg.Population{States: m.States, Actions: m.Actions, Mass: make([]float64, len(m.Reward))}
		for i := range L.Mass {
			L.Mass[i] = float64(i + 1)
		}
		next := make([]float64, m.States)
		b.Run(name+"/general", func(b *testing.B) {
			for range b.N {
				nextStates(m, L, next)
			}
		})
		b.Run(name+"/layout", func(b *testing.B) {
			for range b.N {
				var layout rowLayout
				nextStatesOf(m, L, next, &layout)
			}
		})
		b.Run(name+"/remembered", func(b *testing.B) {
			var layout rowLayout
			for range b.N {
				nextStatesOf(m, L, next, &layout)
			}
		})
	}
}

// scratchGame is testGame whose odd stages list each row's successors in reverse (so not dense),
// its stages' rows written into one buffer that every Stage call writes over (scratch), or into
// new memory (not scratch).
type scratchGame struct {
	*testGame
	scratch bool
	buf     mfg.MDP
}

func (g *scratchGame) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	r, P := g.dense(t, L)
	m := &mfg.MDP{States: g.S, Actions: g.A, Reward: r}
	if g.scratch {
		m.RowStart, m.Next, m.Prob = g.buf.RowStart[:0], g.buf.Next[:0], g.buf.Prob[:0]
	}
	m.RowStart = append(m.RowStart, 0)
	for _, row := range P {
		for k := range row {
			sp := k
			if t%2 == 1 {
				sp = len(row) - 1 - k
			}
			m.Next, m.Prob = append(m.Next, sp), append(m.Prob, row[sp])
		}
		m.RowStart = append(m.RowStart, len(m.Next))
	}
	if g.scratch {
		g.buf = *m
	}
	return m, nil
}

// TestMeanFieldAloneRechecksScratchStages checks that MeanFieldAlone, whose stages are not kept,
// checks the layout of every stage of a game that writes them all into one buffer (a dense stage,
// then one of the same slices in another order), bit for bit as with each in new memory.
func TestMeanFieldAloneRechecksScratchStages(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	base := newTestGame(rng, 4, 5, 3, 0.7, 1.3)
	pi := randomPolicy(rng, 4, 5, 3)
	want, err := MeanFieldAlone(&scratchGame{testGame: base}, pi)
	if err != nil {
		t.Fatal(err)
	}
	got, err := MeanFieldAlone(&scratchGame{testGame: base, scratch: true}, pi)
	if err != nil {
		t.Fatal(err)
	}
	for tt := range want {
		for i, x := range got[tt].Mass {
			if math.Float64bits(x) != math.Float64bits(want[tt].Mass[i]) {
				t.Fatalf("L_%d(%d) is %v from the scratch stages, %v from new memory", tt, i, x, want[tt].Mass[i])
			}
		}
	}
}

// flipWriter is testGame as an mfg.StageWriter whose every other stage written lists each row's
// successors in reverse (so not dense), each in new memory, as the contract allows.
type flipWriter struct {
	*testGame
	writes int
}

func (g *flipWriter) WriteStage(t int, L mfg.Population, dst *mfg.MDP) error {
	g.writes++
	sg := &scratchGame{testGame: g.testGame}
	m, err := sg.Stage((g.writes+1)%2, L) // its order alone (stage 1 reversed): dense first, then flipping
	if err != nil {
		return err
	}
	r, P := g.dense(t, L)
	copy(dst.Reward, r)
	dst.States, dst.Actions, dst.RowStart, dst.Next = m.States, m.Actions, m.RowStart, m.Next
	dst.Prob = dst.Prob[:0]
	for k := range m.Next {
		i := sort.SearchInts(m.RowStart, k+1) - 1
		dst.Prob = append(dst.Prob, P[i][m.Next[k]])
	}
	return nil
}

// TestMemoryRechecksWrittenLayouts checks that a Memory, which remembers the layout of the rows of
// the stages it writes from pass to pass, finds the layout of stages written anew in new memory
// (dense, then not, then dense): its mean fields and Q-functions are, bit for bit, those of the
// general loops (nextStates, QFunctions without a Memory) on the stages it wrote.
func TestMemoryRechecksWrittenLayouts(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 4))
	const T, S, A = 2, 4, 3 // three writes an evaluation: a stage's order flips from one to the next
	g := &flipWriter{testGame: newTestGame(rng, T, S, A, 0.7, 1.3)}
	mem := NewMemory(g, nil)
	for trial := range 6 {
		pi := randomPolicy(rng, T, S, A)
		L, stages, err := mem.MeanField(g, pi)
		if err != nil {
			t.Fatal(err)
		}
		qs, qp := mem.QFunctions(stages, pi)
		wantQs, wantQp := QFunctions(stages, pi)
		next := make([]float64, S)
		for tt := range L {
			want := make([]float64, S*A)
			if tt == 0 {
				fillGo(want, g.mu0, pi[0].Prob, A)
			} else {
				nextStates(stages[tt-1], L[tt-1], next)
				fillGo(want, next, pi[tt].Prob, A)
			}
			for i := range want {
				if !sameOrNaN(L[tt].Mass[i], want[i]) || !sameOrNaN(qs[tt][i], wantQs[tt][i]) || !sameOrNaN(qp[tt][i], wantQp[tt][i]) {
					t.Fatalf("trial %d: at t = %d, pair %d: (L, Q*, Q^π) = (%v, %v, %v), want (%v, %v, %v)", trial, tt, i,
						L[tt].Mass[i], qs[tt][i], qp[tt][i], want[i], wantQs[tt][i], wantQp[tt][i])
				}
			}
		}
	}
}

// TestRowsLayoutChecksEveryStage checks that the loops of rows in range (layoutRows), whose AVX
// kernels read unchecked, check each stage's own tables at every call, not only the stage whose
// layout was found: a stage that shares its rows' slices with the last one checked but has fewer
// probabilities than successors (in memory of their length), or fewer states than its successors
// name, panics as the Go loops do, with the kernels and without, rather than read or write past
// its tables' memory.
func TestRowsLayoutChecksEveryStage(t *testing.T) {
	defer func(on bool) { rowsAVX = on }(rowsAVX)
	good := &mfg.MDP{States: 3, Actions: 1, RowStart: []int{0, 2, 2, 5}, Next: []int{2, 0, 1, 1, 2},
		Prob: []float64{0.5, 0.5, 0.2, 0.3, 0.5}, Reward: []float64{1, 2, 3}}
	fewerProbs := *good
	fewerProbs.Prob = append([]float64(nil), good.Prob[:4]...)[:4:4] // the fifth read past the memory
	fewerStates := *good
	fewerStates.States = 2 // successor 2 is no state
	for _, on := range []bool{false, rowsAVX} {
		rowsAVX = on
		for name, bad := range map[string]*mfg.MDP{"fewer probabilities": &fewerProbs, "fewer states": &fewerStates} {
			for _, pass := range []string{"expectBothOf", "nextStatesOf"} {
				var layout rowLayout
				if layout.of(good) != layoutRows {
					t.Fatalf("the stage is not found of rows in range")
				}
				func() {
					defer func() {
						if recover() == nil {
							t.Errorf("AVX %v: %s on a stage of %s after the layout of another: no panic", on, pass, name)
						}
					}()
					if pass == "expectBothOf" {
						v := make([]float64, 2*bad.States)
						d0, d1 := make([]float64, 3), make([]float64, 3)
						expectBothOf(bad, v, d0, d1, &layout)
					} else {
						L := mfg.Population{States: 3, Actions: 1, Mass: []float64{0.2, 0.3, 0.5}}
						nextStatesOf(bad, L, make([]float64, bad.States), &layout)
					}
				}()
			}
		}
	}
}
