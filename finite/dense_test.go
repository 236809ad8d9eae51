package finite

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"meanfield/mfg"
)

// randomStage returns an S-state, A-action stage whose rows all have the successors 0..S-1 in
// order (dense), or, when not dense, each a random number of random successors; probabilities,
// rewards special one time in two.
func randomStage(rng *rand.Rand, S, A int, dense bool) *mfg.MDP {
	n := S * A
	m := &mfg.MDP{States: S, Actions: A, Reward: make([]float64, n), RowStart: make([]int, 1, n+1)}
	for i := range n {
		m.Reward[i] = specialValue(rng)
		k := S
		if !dense {
			k = rng.IntN(S + 1)
		}
		for j := range k {
			next := j
			if !dense {
				next = rng.IntN(S)
			}
			m.Next = append(m.Next, next)
			m.Prob = append(m.Prob, specialValue(rng))
		}
		m.RowStart = append(m.RowStart, len(m.Next))
	}
	return m
}

// TestExpectBothDenseBitForBit checks expectBothDense against expectBoth on random dense stages
// of values special one time in two (±0, ±Inf, NaN, subnormals), bit for bit, and that
// denseLayout tells dense stages from the others.
func TestExpectBothDenseBitForBit(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 300 {
		S, A := 1+rng.IntN(9), 1+rng.IntN(9)
		m := randomStage(rng, S, A, true)
		var d denseLayout
		checked, cached := d.of(m), d.of(m) // the second from the layout remembered
		if !checked || !cached {
			t.Fatalf("trial %d: a dense %d×%d stage not found dense", trial, S, A)
		}
		v := make([]float64, 2*S)
		for j := range v {
			v[j] = specialValue(rng)
		}
		n := S * A
		got0, got1, want0, want1 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		expectBothDense(m, v, got0, got1)
		expectBoth(m, v, want0, want1)
		for i := range got0 {
			if !sameOrNaN(got0[i], want0[i]) || !sameOrNaN(got1[i], want1[i]) {
				t.Fatalf("trial %d (%d×%d): row %d is (%v, %v) dense, (%v, %v) sparse", trial, S, A, i, got0[i], got1[i], want0[i], want1[i])
			}
		}
		sparse := randomStage(rng, S, A, false)
		if d.of(sparse) != isDenseSlow(sparse) {
			t.Fatalf("trial %d: denseLayout says %v for a random stage, want %v", trial, d.of(sparse), isDenseSlow(sparse))
		}
	}
}

// isDenseSlow is isDense by its definition, RowStart[i] = i·S and Next[k] = k mod S.
func isDenseSlow(m *mfg.MDP) bool {
	S := m.States
	if len(m.Next) != len(m.Reward)*S {
		return false
	}
	for i, lo := range m.RowStart {
		if lo != i*S {
			return false
		}
	}
	for k, s := range m.Next {
		if s != k%S {
			return false
		}
	}
	return true
}

// TestDenseLayoutRechecks checks that a layout changed in place under the same slices of other
// lengths, or new slices, is checked again.
func TestDenseLayoutRechecks(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	m := randomStage(rng, 5, 5, true)
	var d denseLayout
	if !d.of(m) {
		t.Fatal("dense stage not found dense")
	}
	other := *m
	other.Next = append([]int(nil), m.Next...)
	other.Next[7] = 0
	if d.of(&other) {
		t.Fatal("a stage with a successor out of order found dense")
	}
	if !d.of(m) {
		t.Fatal("dense stage not found dense after another")
	}
}

// BenchmarkExpectBothDense times expectBoth and expectBothDense on a random dense stage of
// random-linear's size (5 states, 5 actions) and equilibrium-price's (4 × 9).
func BenchmarkExpectBothDense(b *testing.B) {
	for _, sz := range [][2]int{{5, 5}, {4, 9}} {
		rng := rand.New(rand.NewPCG(1, 2))
		m := randomStage(rng, sz[0], sz[1], true)
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

// TestNextStatesDenseBitForBit checks nextStatesDense against nextStates on random dense stages,
// masses special one time in two (zeros included, which both leave out), bit for bit.
func TestNextStatesDenseBitForBit(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 17))
	for trial := range 300 {
		S, A := 1+rng.IntN(9), 1+rng.IntN(9)
		m := randomStage(rng, S, A, true)
		L := mfg.Population{States: S, Actions: A, Mass: make([]float64, S*A)}
		for i := range L.Mass {
			L.Mass[i] = specialValue(rng)
		}
		got, want := make([]float64, S+1), make([]float64, S+1)
		got[S], want[S] = 1, 1 // past the states: cleared by both
		nextStatesDense(m, L, got)
		nextStates(m, L, want)
		for j := range got {
			if !sameOrNaN(got[j], want[j]) {
				t.Fatalf("trial %d (%d×%d): next(%d) is %v dense, %v sparse", trial, S, A, j, got[j], want[j])
			}
		}
	}
}

// BenchmarkNextStatesDense times nextStates and nextStatesDense on a random dense stage of
// random-linear's size (5 states, 5 actions) and equilibrium-price's (4 × 9).
func BenchmarkNextStatesDense(b *testing.B) {
	for _, sz := range [][2]int{{5, 5}, {4, 9}} {
		rng := rand.New(rand.NewPCG(1, 2))
		m := randomStage(rng, sz[0], sz[1], true)
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
