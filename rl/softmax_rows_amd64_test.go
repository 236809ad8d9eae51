package rl

import (
	"math"
	"math/rand/v2"
	"testing"

	"golang.org/x/sys/cpu"
)

// rows5Special are the values the AVX kernels must treat as the Go kernels do, put in every
// position of the rows.
var rows5Special = []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), -800,
	1e300, -1e300, 5e-324, 1, -1, 709, -746}

// The AVX kernels for rows of 5 give the Go kernels' bits (a NaN's payload aside) on random
// tables of 0 to 40 rows with special values in every position, for c from 0 to +Inf and NaN.
func TestRows5AVXIsGo(t *testing.T) {
	if !rows5AVX {
		if cpu.X86.HasAVX2 {
			t.Fatal("the probe rejected the AVX kernels")
		}
		t.Skip("no AVX2 (or GODEBUG=cpu.avx2=off): the Go kernels run")
	}
	rng := rand.New(rand.NewPCG(5, 11))
	cs := []float64{0, 1, 2.5, math.Inf(1), math.NaN(), 1e-300, -3, 1e6}
	for trial := 0; trial < 4000; trial++ {
		rows := rng.IntN(41)
		x, prior := make([]float64, rows*5), make([]float64, rows*5)
		for i := range x {
			x[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(6)-2))
			if rng.IntN(3) == 0 {
				x[i] = float64(rng.IntN(3)) // ties
			}
			if rng.IntN(6) == 0 {
				x[i] = rows5Special[rng.IntN(len(rows5Special))]
			}
			prior[i] = rng.Float64()
			if rng.IntN(5) == 0 {
				prior[i] = rows5Special[rng.IntN(len(rows5Special))]
			}
		}
		c := cs[trial%len(cs)]
		got, want := make([]float64, len(x)), make([]float64, len(x))
		softmaxRows5AVX(got, x, c)
		softmaxRows5Go(want, x, c)
		for i := range got {
			if !sameBits(got[i], want[i]) {
				t.Fatalf("softmax, trial %d, c = %v, entry %d: %v, want %v; row %v", trial, c, i, got[i], want[i], x[i/5*5:i/5*5+5])
			}
		}
		priorSoftmaxRows5AVX(got, x, c, prior)
		priorSoftmaxRows5Go(want, x, c, prior)
		for i := range got {
			if !sameBits(got[i], want[i]) {
				t.Fatalf("prior softmax, trial %d, c = %v, entry %d: %v, want %v; row %v, prior %v",
					trial, c, i, got[i], want[i], x[i/5*5:i/5*5+5], prior[i/5*5:i/5*5+5])
			}
		}
	}
}

// The AVX kernels skip the exponentials of a block of settled rows (every weight 1, +0 or its
// prior's): one unsettled row, in any lane of any group, must still get them.
func TestRows5AVXOneUnsettledRow(t *testing.T) {
	if !rows5AVX {
		t.Skip("no AVX2 (or GODEBUG=cpu.avx2=off): the Go kernels run")
	}
	for _, rows := range []int{4, 9, 33, 40} {
		for r := 0; r < rows; r++ {
			x, prior := make([]float64, rows*5), make([]float64, rows*5)
			for i := range x {
				x[i], prior[i] = -1000, 0.2
				if i%5 == (i/5)%5 {
					x[i] = 0
				}
				if i/5 == r {
					x[i] = float64(i%5) * 0.25
				}
			}
			got, want := make([]float64, len(x)), make([]float64, len(x))
			softmaxRows5AVX(got, x, 1)
			softmaxRows5Go(want, x, 1)
			for i := range got {
				if !sameBits(got[i], want[i]) {
					t.Fatalf("softmax, %d rows, row %d unsettled, entry %d: %v, want %v", rows, r, i, got[i], want[i])
				}
			}
			priorSoftmaxRows5AVX(got, x, 1, prior)
			priorSoftmaxRows5Go(want, x, 1, prior)
			for i := range got {
				if !sameBits(got[i], want[i]) {
					t.Fatalf("prior softmax, %d rows, row %d unsettled, entry %d: %v, want %v", rows, r, i, got[i], want[i])
				}
			}
		}
	}
}
