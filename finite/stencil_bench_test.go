package finite

import (
	"math/rand/v2"
	"testing"

	"meanfield/mfg"
)

// BenchmarkStencilKernels times nextStates and expectBoth on crowd motion's moves at its defaults
// (20 × 20 cells, 5 actions, p-still 0.5), with the stencil and as sparse rows.
func BenchmarkStencilKernels(b *testing.B) {
	m := gridMoves(b, 20, 20, [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {0, 0}}, [5]float64{0.125, 0.125, 0.125, 0.125, 0.5})
	plain := *m
	plain.Stencil = nil
	rng := rand.New(rand.NewPCG(1, 2))
	S, A := m.States, m.Actions
	L := mfg.Population{States: S, Actions: A, Mass: make([]float64, S*A)}
	for i := range L.Mass {
		L.Mass[i] = rng.Float64()
	}
	v := make([]float64, 2*S)
	for i := range v {
		v[i] = rng.Float64()
	}
	greedy := mfg.Population{States: S, Actions: A, Mass: make([]float64, S*A)} // a best response's
	for s := 0; s < S; s++ {
		greedy.Mass[s*A+rng.IntN(A)] = rng.Float64()
	}
	next := make([]float64, S)
	d0, d1 := make([]float64, S*A), make([]float64, S*A)
	for _, c := range []struct {
		name string
		m    *mfg.MDP
	}{{"stencil", m}, {"sparse", &plain}} {
		b.Run("next/"+c.name, func(b *testing.B) {
			for b.Loop() {
				nextStates(c.m, L, next)
			}
		})
		b.Run("next-greedy/"+c.name, func(b *testing.B) {
			for b.Loop() {
				nextStates(c.m, greedy, next)
			}
		})
		b.Run("both/"+c.name, func(b *testing.B) {
			for b.Loop() {
				expectBoth(c.m, v, d0, d1)
			}
		})
	}
}
