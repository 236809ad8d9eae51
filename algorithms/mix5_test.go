package algorithms

import (
	"math"
	"math/rand/v2"
	"testing"
)

// mix on rows of five without a legal mask (four states at a time where the kernel runs, the
// states left over one at a time) gives mixGo's bits, NaN as NaN, on 1 to 13 states with empty
// ones, for α = 0, 1, 1/(k+1) and random.
func TestMix5MatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(53, 54))
	for trial := range 3000 {
		S := 1 + rng.IntN(13)
		n := 5 * S
		mass, massBR, o, b := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range n {
			mass[i], massBR[i], o[i], b[i] = rng.Float64(), rng.Float64(), rng.Float64(), rng.Float64()
		}
		for range rng.IntN(3) {
			s := rng.IntN(S)
			for i := 5 * s; i < 5*s+5; i++ {
				mass[i], massBR[i] = 0, 0
			}
		}
		k := rng.IntN(50)
		alpha := []float64{0, 1, 1 / float64(k+1), rng.Float64()}[rng.IntN(4)]
		got, want := make([]float64, n), make([]float64, n)
		mix(got, o, b, mass, massBR, alpha, nil, S, 5)
		mixGo(want, o, b, mass, massBR, alpha, nil, S, 5)
		for i := range n {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) && (got[i] == got[i] || want[i] == want[i]) {
				t.Fatalf("trial %d, α = %v, entry %d: mix = %v, want %v", trial, alpha, i, got[i], want[i])
			}
		}
	}
}

// benchMix5 times mix (or mixGo) on crowd motion's rows: 400 states of five actions, every
// fourth state empty when empty is set.
func benchMix5(b *testing.B, f func(out, o, best, mass, massBR []float64, alpha float64, legal []bool, S, A int), empty bool) {
	const S = 400
	rng := rand.New(rand.NewPCG(55, 56))
	mass, massBR, o, best, out := make([]float64, 5*S), make([]float64, 5*S), make([]float64, 5*S), make([]float64, 5*S), make([]float64, 5*S)
	for i := range mass {
		mass[i], massBR[i], o[i], best[i] = rng.Float64(), rng.Float64(), rng.Float64(), rng.Float64()
		if empty && i/5%4 == 1 {
			mass[i], massBR[i] = 0, 0
		}
	}
	for b.Loop() {
		f(out, o, best, mass, massBR, 0.25, nil, S, 5)
	}
}

func BenchmarkMix5(b *testing.B) {
	b.Run("mix", func(b *testing.B) { benchMix5(b, mix, false) })
	b.Run("go", func(b *testing.B) { benchMix5(b, mixGo, false) })
	b.Run("mix-empty", func(b *testing.B) { benchMix5(b, mix, true) })
	b.Run("go-empty", func(b *testing.B) { benchMix5(b, mixGo, true) })
}
