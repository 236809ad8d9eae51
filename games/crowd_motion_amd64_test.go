package games

import (
	"math"
	"math/rand/v2"
	"testing"
)

// rowSums5AVX and spread5AVX give their Go forms' bits on 4 to 64 states of masses and nearness
// that are special one time in four (±0, ±Inf, NaN, subnormals), spread5AVX with lg at the end of
// reward as writeRewardsInto has it (NaN's payload aside).
func TestCrowdMotionKernelsBitForBit(t *testing.T) {
	if !crowdAVX {
		t.Skip("no AVX2 here")
	}
	rng := rand.New(rand.NewPCG(21, 22))
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 5e-324, -1e-310}
	value := func() float64 {
		if rng.IntN(4) == 0 {
			return special[rng.IntN(len(special))]
		}
		return rng.Float64() / 7
	}
	same := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) || x != x && y != y }
	for trial := range 500 {
		n := 4 * (1 + rng.IntN(16))
		mass, near := make([]float64, 5*n), make([]float64, n)
		for i := range mass {
			mass[i] = value()
		}
		for i := range near {
			near[i] = value()
		}
		eps := []float64{1e-10, value()}[trial%2]
		got, want := make([]float64, 5*n), make([]float64, 5*n)
		rowSums5AVX(got[4*n:], mass, eps)
		rowSums5Go(want[4*n:], mass, eps)
		for i := range got {
			if !same(got[i], want[i]) {
				t.Fatalf("trial %d: row sum %d is %v, want %v", trial, i-4*n, got[i], want[i])
			}
		}
		spread5AVX(got, near, got[4*n:])
		spread5Go(want, near, want[4*n:])
		for i := range got {
			if !same(got[i], want[i]) {
				t.Fatalf("trial %d: reward %d is %v, want %v", trial, i, got[i], want[i])
			}
		}
	}
}
