package rl

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// randomRowsCase draws a table of rows with the values that take each branch of the softmaxes:
// ties for the best, spreads that underflow, ±Inf, NaN, and priors with zeros.
func randomRowsCase(rng *rand.Rand, rows, A int) (x, prior []float64, c float64) {
	x, prior = make([]float64, rows*A), make([]float64, rows*A)
	for i := range x {
		switch rng.IntN(12) {
		case 0:
			x[i] = math.Inf(1 - 2*rng.IntN(2))
		case 1:
			x[i] = math.NaN()
		case 2, 3:
			x[i] = float64(rng.IntN(3)) // ties
		default:
			x[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(7)-2))
		}
		if rng.IntN(4) > 0 {
			prior[i] = rng.Float64()
		}
	}
	c = []float64{0, 1, 0.3, 1e3, 1e6, rng.Float64() * 10}[rng.IntN(6)]
	return x, prior, c
}

func sameBits(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || (a != a && b != b)
}

// The table forms give the row functions' results bit for bit (a NaN's payload aside), whatever
// the number of rows: tables within one chunk of rows, across several, and rows wider than a
// chunk (the wide forms).
func TestSoftmaxRowsAreTheRowFunctions(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 7))
	for trial := 0; trial < 6000; trial++ {
		rows, A := 1+rng.IntN(9), 1+rng.IntN(9)
		switch trial % 10 {
		case 8:
			rows = chunkRows/2 + rng.IntN(4*chunkRows)
		case 9:
			rows, A = 1+rng.IntN(4), 60+rng.IntN(80)
		}
		x, prior, c := randomRowsCase(rng, rows, A)
		got, want := make([]float64, len(x)), make([]float64, len(x))
		SoftmaxRows(got, x, A, c)
		for lo := 0; lo < len(x); lo += A {
			Softmax(want[lo:lo+A], x[lo:lo+A], c)
		}
		for i := range got {
			if !sameBits(got[i], want[i]) {
				t.Fatalf("SoftmaxRows, trial %d (%d×%d, c = %v), entry %d: %v, want %v; x %v", trial, rows, A, c, i, got[i], want[i], x)
			}
		}
		PriorSoftmaxRows(got, x, c, prior, A)
		for lo := 0; lo < len(x); lo += A {
			PriorSoftmax(want[lo:lo+A], x[lo:lo+A], c, prior[lo:lo+A])
		}
		for i := range got {
			if !sameBits(got[i], want[i]) {
				t.Fatalf("PriorSoftmaxRows, trial %d (%d×%d, c = %v), entry %d: %v, want %v; x %v, prior %v", trial, rows, A, c, i, got[i], want[i], x, prior)
			}
		}
	}
}

func BenchmarkSoftmaxRows(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	const rows, A = 1600, 5
	x := make([]float64, rows*A)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	dst := make([]float64, len(x))
	b.Run("rows", func(b *testing.B) {
		for b.Loop() {
			SoftmaxRows(dst, x, A, 1)
		}
	})
	b.Run("row-by-row", func(b *testing.B) {
		for b.Loop() {
			for lo := 0; lo < len(x); lo += A {
				Softmax(dst[lo:lo+A], x[lo:lo+A], 1)
			}
		}
	})
}

// Settled rows: one action far ahead, the others' weights below the underflow bound, where the
// row functions skip the exponential and the table forms take it on a stand-in.
func BenchmarkSoftmaxRowsSettled(b *testing.B) {
	const rows, A = 1600, 5
	x, prior := make([]float64, rows*A), make([]float64, rows*A)
	for i := range x {
		if i%A != 0 {
			x[i] = -1000 - float64(i%7)
		}
		prior[i] = 1.0 / A
	}
	dst := make([]float64, len(x))
	b.Run("rows", func(b *testing.B) {
		for b.Loop() {
			SoftmaxRows(dst, x, A, 1)
		}
	})
	b.Run("row-by-row", func(b *testing.B) {
		for b.Loop() {
			for lo := 0; lo < len(x); lo += A {
				Softmax(dst[lo:lo+A], x[lo:lo+A], 1)
			}
		}
	})
	b.Run("prior-rows", func(b *testing.B) {
		for b.Loop() {
			PriorSoftmaxRows(dst, x, 1, prior, A)
		}
	})
	b.Run("prior-row-by-row", func(b *testing.B) {
		for b.Loop() {
			for lo := 0; lo < len(x); lo += A {
				PriorSoftmax(dst[lo:lo+A], x[lo:lo+A], 1, prior[lo:lo+A])
			}
		}
	})
}

// The shapes of the calls the solvers make on MFGLib's games: one time step's rows of A actions
// (left-right 3 × 2, beach-bar and rock-paper-scissors 4 × 3, random-linear 5 × 5,
// equilibrium-price 4 × 9, crowd motion 400 × 5), with spread values (every weight an
// exponential) and settled ones (one action ahead, the others' weights below the underflow bound).
func BenchmarkSoftmaxRowsShapes(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, sh := range []struct{ rows, A int }{{3, 2}, {6, 2}, {4, 3}, {8, 3}, {12, 3}, {5, 5}, {4, 9}, {20, 9}, {400, 3}, {400, 5}, {400, 9}} {
		for _, settled := range []bool{false, true} {
			n := sh.rows * sh.A
			x, prior, dst := make([]float64, n), make([]float64, n), make([]float64, n)
			for i := range x {
				x[i] = rng.NormFloat64()
				if settled && i%sh.A != (i/sh.A)%sh.A {
					x[i] = -1000 - rng.Float64()
				}
				prior[i] = 1 / float64(sh.A)
			}
			name := fmt.Sprintf("%dx%d", sh.rows, sh.A)
			if settled {
				name += "-settled"
			}
			b.Run(name+"/softmax", func(b *testing.B) {
				for b.Loop() {
					SoftmaxRows(dst, x, sh.A, 1)
				}
			})
			b.Run(name+"/prior", func(b *testing.B) {
				for b.Loop() {
					PriorSoftmaxRows(dst, x, 1, prior, sh.A)
				}
			})
		}
	}
}

// Settled tables, where no weight needs an exponential and the table forms skip the call (every
// weight 1, +0 or the prior), give the row functions' results too, for each row width with a
// kernel of its own and around them.
func TestSoftmaxRowsSettled(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, A := range []int{1, 2, 3, 4, 5, 6, 8, 9, 10, 70} {
		for _, rows := range []int{1, 2, 3, 7, 40} {
			x, prior := make([]float64, rows*A), make([]float64, rows*A)
			for i := range x {
				x[i] = []float64{-1000, -2000, math.Inf(-1), 0}[rng.IntN(4)]
				if i%A == (i/A)%A {
					x[i] = 0 // one best (or tie) per row
				}
				prior[i] = []float64{0, 0.5, 1}[rng.IntN(3)]
				if i/A == 1 {
					prior[i] = 0 // a row the prior rules out entirely: uniform
				}
			}
			got, want := make([]float64, len(x)), make([]float64, len(x))
			SoftmaxRows(got, x, A, 1)
			for lo := 0; lo < len(x); lo += A {
				Softmax(want[lo:lo+A], x[lo:lo+A], 1)
			}
			for i := range got {
				if !sameBits(got[i], want[i]) {
					t.Fatalf("SoftmaxRows %d×%d, entry %d: %v, want %v", rows, A, i, got[i], want[i])
				}
			}
			PriorSoftmaxRows(got, x, 1, prior, A)
			for lo := 0; lo < len(x); lo += A {
				PriorSoftmax(want[lo:lo+A], x[lo:lo+A], 1, prior[lo:lo+A])
			}
			for i := range got {
				if !sameBits(got[i], want[i]) {
					t.Fatalf("PriorSoftmaxRows %d×%d, entry %d: %v, want %v", rows, A, i, got[i], want[i])
				}
			}
		}
	}
}
