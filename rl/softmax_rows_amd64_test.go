package rl

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"golang.org/x/sys/cpu"
)

// rows5Special are the values the AVX kernels must treat as the Go kernels do, put in every
// position of the rows.
var rows5Special = []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), -800,
	1e300, -1e300, 5e-324, 1, -1, 709, -746}

// avxRowKernels is a width's AVX table softmaxes and whether they run here.
type avxRowKernels struct {
	A       int
	on      bool
	softmax func(dst, x []float64, c float64)
	prior   func(dst, x []float64, c float64, prior []float64)
}

// avxKernels are the AVX table softmaxes of every width that has them: the kernels of rows of 5
// and the lane kernels.
func avxKernels() []avxRowKernels {
	ks := []avxRowKernels{{5, rows5AVX, softmaxRows5AVX, priorSoftmaxRows5AVX}}
	for A := 1; A <= lanesMaxA; A++ {
		if lanesWidth(A) {
			ks = append(ks, avxRowKernels{A, lanesAVX,
				func(dst, x []float64, c float64) { softmaxRowsLanes(dst, x, A, c) },
				func(dst, x []float64, c float64, prior []float64) { priorSoftmaxRowsLanes(dst, x, c, prior, A) }})
		}
	}
	return ks
}

// forAVXKernels runs f on every width's AVX kernels, as a subtest, skipped where they do not run
// (failed where the processor has AVX2 but the probe rejected them).
func forAVXKernels(t *testing.T, f func(t *testing.T, k avxRowKernels)) {
	for _, k := range avxKernels() {
		t.Run(fmt.Sprintf("A=%d", k.A), func(t *testing.T) {
			if !k.on {
				if cpu.X86.HasAVX2 {
					t.Fatal("the probe rejected the AVX kernels")
				}
				t.Skip("no AVX2 (or GODEBUG=cpu.avx2=off): the Go kernels run")
			}
			f(t, k)
		})
	}
}

// compareRowKernels runs the AVX kernels k and the Go kernels of their width on x, prior and c,
// and reports the first entry where their bits differ (a NaN's payload aside).
func compareRowKernels(t *testing.T, k avxRowKernels, x, prior []float64, c float64, what string) {
	t.Helper()
	softmaxGo, priorGo := rowKernelsGo(k.A)
	got, want := make([]float64, len(x)), make([]float64, len(x))
	row := func(v []float64, i int) []float64 { return v[i/k.A*k.A : i/k.A*k.A+k.A] }
	k.softmax(got, x, c)
	softmaxGo(want, x, c)
	for i := range got {
		if !sameBits(got[i], want[i]) {
			t.Fatalf("softmax, %s, c = %v, entry %d: %v, want %v; row %v", what, c, i, got[i], want[i], row(x, i))
		}
	}
	k.prior(got, x, c, prior)
	priorGo(want, x, c, prior)
	for i := range got {
		if !sameBits(got[i], want[i]) {
			t.Fatalf("prior softmax, %s, c = %v, entry %d: %v, want %v; row %v, prior %v",
				what, c, i, got[i], want[i], row(x, i), row(prior, i))
		}
	}
}

// The AVX kernels give the Go kernels' bits (a NaN's payload aside) on random tables of 0 to 40
// rows (one in ten up to 200, over several blocks) with special values in every position, for c
// from 0 to +Inf and NaN.
func TestRowsAVXIsGo(t *testing.T) {
	forAVXKernels(t, func(t *testing.T, k avxRowKernels) {
		rng := rand.New(rand.NewPCG(5, uint64(11+k.A)))
		cs := []float64{0, 1, 2.5, math.Inf(1), math.NaN(), 1e-300, -3, 1e6}
		for trial := 0; trial < 4000; trial++ {
			rows := rng.IntN(41)
			if trial%10 == 0 {
				rows = 41 + rng.IntN(160)
			}
			x, prior := make([]float64, rows*k.A), make([]float64, rows*k.A)
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
			compareRowKernels(t, k, x, prior, cs[trial%len(cs)], fmt.Sprintf("trial %d", trial))
		}
	})
}

// The AVX kernels skip the exponentials of a block of settled rows (every weight 1, +0 or its
// prior's): one unsettled row, in any lane of any group, must still get them.
func TestRowsAVXOneUnsettledRow(t *testing.T) {
	forAVXKernels(t, func(t *testing.T, k avxRowKernels) {
		A := k.A
		for _, rows := range []int{4, 9, 33, 40, 150} {
			for r := 0; r < rows; r++ {
				x, prior := make([]float64, rows*A), make([]float64, rows*A)
				for i := range x {
					x[i], prior[i] = -1000, 1/float64(A)
					if i%A == (i/A)%A {
						x[i] = 0
					}
					if i/A == r {
						x[i] = float64(i%A) * 0.25
					}
				}
				compareRowKernels(t, k, x, prior, 1, fmt.Sprintf("%d rows, row %d unsettled", rows, r))
			}
		}
	})
}
