package rl

import (
	"math"

	"meanfield/internal/fastmath"
)

// SoftmaxRows is Softmax(dst[i·A:(i+1)·A], x[i·A:(i+1)·A], c) for every row i of a table of A
// columns (len(x) a multiple of A, dst at least as long), bit for bit: every row's exponents are
// written first and exponentiated in one call (fastmath.ExpTableInto, Exp's own bits four at a
// time), then each row is summed in order and divided, as Softmax does. dst may not overlap x.
func SoftmaxRows(dst, x []float64, A int, c float64) {
	n := len(x)
	dst = dst[:n]
	for lo := 0; lo < n; lo += A {
		row, out := x[lo:lo+A], dst[lo:lo+A]
		best := math.Inf(-1)
		for _, v := range row {
			best = max(best, v) // Softmax's maximum: math.Max's NaN and ±0 rules
		}
		for i, v := range row {
			z := c * (v - best)
			if math.IsNaN(z) { // as Softmax: c = 0 times an overflowed spread means uniform
				z = 0
			}
			// Below underflowBelow e^z is +0, set after the call, and 0 stands in: an argument
			// out of ExpTableInto's range sends its group of four to the scalar Exp, and
			// settled policies have many.
			if z < underflowBelow {
				z = 0
			}
			out[i] = z
		}
	}
	fastmath.ExpTableInto(dst, dst)
	for lo := 0; lo < n; lo += A {
		row, out := x[lo:lo+A], dst[lo:lo+A]
		best := math.Inf(-1)
		for _, v := range row {
			best = max(best, v)
		}
		var sum float64
		for i, v := range row {
			if c*(v-best) < underflowBelow { // false for NaN, which Softmax reads as 0
				out[i] = 0
			}
			sum += out[i]
		}
		for i := range out {
			out[i] /= sum
		}
	}
}

// PriorSoftmaxRows is PriorSoftmax(dst[i·A:(i+1)·A], x[i·A:(i+1)·A], c, prior[i·A:(i+1)·A]) for
// every row i of a table of A columns, bit for bit, with every row's exponentials in one call as
// in SoftmaxRows. dst may not overlap x or prior.
func PriorSoftmaxRows(dst, x []float64, c float64, prior []float64, A int) {
	n := len(x)
	dst, prior = dst[:n], prior[:n]
	for lo := 0; lo < n; lo += A {
		row, p, out := x[lo:lo+A], prior[lo:lo+A], dst[lo:lo+A]
		best := priorBest(row, p)
		for a, v := range row {
			z := 0.0 // a ruled-out action or a tie for the best takes no exponential below
			if p[a] != 0 && v != best {
				z = c * (v - best)
			}
			if z < underflowBelow { // +0 is set after the call, as in SoftmaxRows
				z = 0
			}
			out[a] = z
		}
	}
	fastmath.ExpTableInto(dst, dst)
	for lo := 0; lo < n; lo += A {
		row, p, out := x[lo:lo+A], prior[lo:lo+A], dst[lo:lo+A]
		best := priorBest(row, p)
		var sum float64
		for a, v := range row {
			var e float64
			switch pa := p[a]; {
			case pa == 0: // PriorSoftmax's cases, in its order
			case v == best:
				e = pa
			case c*(v-best) < underflowBelow: // e^z = +0, as PriorSoftmax gives it
				e = pa * 0
			default:
				e = pa * out[a]
			}
			out[a] = e
			sum += e
		}
		if !(sum > 0) {
			for a := range out {
				out[a] = 1 / float64(A)
			}
			continue
		}
		for a := range out {
			out[a] /= sum
		}
	}
}

// priorBest is PriorSoftmax's largest value over the actions the prior allows (-Inf if none).
func priorBest(x, prior []float64) float64 {
	best := math.Inf(-1)
	for a, v := range x {
		if prior[a] > 0 && v > best { // plain comparisons: math.Max's NaN and ±0 cases cost here
			best = v
		}
	}
	return best
}
