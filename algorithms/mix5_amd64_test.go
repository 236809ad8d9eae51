package algorithms

import (
	"math"
	"math/rand/v2"
	"testing"

	"golang.org/x/sys/cpu"
)

// On a machine with AVX the kernel is in use: its probe passed.
func TestMix5AVXOn(t *testing.T) {
	if !cpu.X86.HasAVX {
		t.Skip("no AVX")
	}
	if !mix5Fast {
		t.Fatal("the processor has AVX but mix5AVX failed its probe")
	}
}

// mix5AVX gives mixGo's bits (NaN as NaN) on random tables of 1 to 13 states, with empty states,
// NaN, ±Inf, negative, subnormal and huge masses, for α = 0, 1, 1/(k+1) and random; it does the
// groups of four states and no more, and leaves the rest of out alone.
func TestMix5AVXMatchesGo(t *testing.T) {
	if !cpu.X86.HasAVX {
		t.Skip("no AVX")
	}
	rng := rand.New(rand.NewPCG(51, 52))
	value := func() float64 { return mixAdversarialValue(rng) }
	for trial := range 20000 {
		S := 1 + rng.IntN(13)
		n := 5 * S
		mass, massBR, o, b := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range n {
			mass[i], massBR[i], o[i], b[i] = rng.Float64(), rng.Float64(), rng.Float64(), rng.Float64()
			if trial%2 == 0 {
				mass[i], massBR[i] = value(), value()
			}
		}
		k := rng.IntN(50)
		alpha := []float64{0, 1, 1 / float64(k+1), rng.Float64()}[rng.IntN(4)]
		got, want := make([]float64, n), make([]float64, n)
		for i := range got {
			got[i] = -7
		}
		done := mix5AVX(got, o, b, mass, massBR, 1-alpha, alpha)
		if done != 20*(S/4) {
			t.Fatalf("trial %d: %d states, mix5AVX did %d entries, want %d", trial, S, done, 20*(S/4))
		}
		mixGo(want, o, b, mass, massBR, alpha, nil, S, 5)
		for i := range n {
			w := want[i]
			if i >= done {
				w = -7
			}
			if math.Float64bits(got[i]) != math.Float64bits(w) && (got[i] == got[i] || w == w) {
				t.Fatalf("trial %d, α = %v, entry %d: mix5AVX = %v, want %v", trial, alpha, i, got[i], w)
			}
		}
	}
}
