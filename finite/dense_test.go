package finite

import (
	"fmt"
	"math/rand/v2"
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
// RowStart[i] = i·S and Next[k] = k mod S (a one-state game's dense rows are sure moves).
func layoutSlow(m *mfg.MDP) int {
	sure, dense := len(m.Next) == len(m.Reward), len(m.Next) == len(m.Reward)*m.States
	for i, lo := range m.RowStart {
		sure = sure && lo == i
		dense = dense && lo == i*m.States
	}
	for k, s := range m.Next {
		dense = dense && s == k%m.States
	}
	switch {
	case sure:
		return layoutSure
	case dense:
		return layoutDense
	}
	return layoutGeneral
}

// TestDenseLayoutRechecks checks that a stage of new slices is checked again, and the one before
// it too.
func TestDenseLayoutRechecks(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	m := randomStage(rng, 5, 5, layoutDense)
	var d rowLayout
	if d.of(m) != layoutDense {
		t.Fatal("dense stage not found dense")
	}
	other := *m
	other.Next = append([]int(nil), m.Next...)
	other.Next[7] = 0
	if d.of(&other) != layoutGeneral {
		t.Fatal("a stage with a successor out of order found dense")
	}
	if d.of(m) != layoutDense {
		t.Fatal("dense stage not found dense after another")
	}
}

// BenchmarkExpectBothDense times expectBoth and expectBothDense on a random dense stage of
// random-linear's size (5 states, 5 actions) and equilibrium-price's (4 × 9).
func BenchmarkExpectBothDense(b *testing.B) {
	for _, sz := range [][2]int{{5, 5}, {4, 9}} {
		rng := rand.New(rand.NewPCG(1, 2))
		m := randomStage(rng, sz[0], sz[1], layoutDense)
		v := make([]float64, 2*sz[0])
		for j := range v {
			v[j] = rng.Float64()
		}
		d0, d1 := make([]float64, len(m.Reward)), make([]float64, len(m.Reward))
		b.Run(fmt.Sprintf("%dx%d/general", sz[0], sz[1]), func(b *testing.B) {
			for range b.N {
				expectBoth(m, v, d0, d1)
			}
		})
		b.Run(fmt.Sprintf("%dx%d/dense", sz[0], sz[1]), func(b *testing.B) {
			for range b.N {
				expectBothDense(m, v, d0, d1)
			}
		})
	}
}

// BenchmarkNextStatesDense times nextStates and nextStatesDense on a random dense stage of
// random-linear's size (5 states, 5 actions) and equilibrium-price's (4 × 9).
func BenchmarkNextStatesDense(b *testing.B) {
	for _, sz := range [][2]int{{5, 5}, {4, 9}} {
		rng := rand.New(rand.NewPCG(1, 2))
		m := randomStage(rng, sz[0], sz[1], layoutDense)
		for k := range m.Prob {
			m.Prob[k] = rng.Float64()
		}
		L := mfg.Population{States: sz[0], Actions: sz[1], Mass: make([]float64, sz[0]*sz[1])}
		for i := range L.Mass {
			L.Mass[i] = rng.Float64()
		}
		next := make([]float64, sz[0])
		b.Run(fmt.Sprintf("%dx%d/general", sz[0], sz[1]), func(b *testing.B) {
			for range b.N {
				nextStates(m, L, next)
			}
		})
		b.Run(fmt.Sprintf("%dx%d/dense", sz[0], sz[1]), func(b *testing.B) {
			for range b.N {
				nextStatesDense(m, L, next)
			}
		})
	}
}
