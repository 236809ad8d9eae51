package rl

import (
	"math"

	"meanfield/internal/fastmath"
)

// chunkRows is how many rows the table softmaxes take at a time: the second pass over a chunk
// reads the rows' maxima from the first rather than finding them again (the builtin max's NaN and
// ±0 fix-ups make a chain of about 9 cycles a value). A multiple of 4, so that a chunk's
// exponentials fill the four lanes of fastmath.ExpTableInto.
const chunkRows = 16

// SoftmaxRows is Softmax(dst[i·A:(i+1)·A], x[i·A:(i+1)·A], c) for every row i of a table of A
// columns (len(x) a multiple of A, dst at least as long), bit for bit: the exponents of a chunk
// of rows are written into dst and exponentiated in one call (fastmath.ExpTableInto, Exp's own
// bits four at a time), then each row is summed in order and divided, as Softmax does. A chunk
// whose weights are all 1 or +0 (settled rows: one action ahead, the others below e^-746) takes
// no exponential. On amd64 with AVX2, tables of at least four rows of 3, 5 or 9 actions go four
// rows at a time through AVX kernels, one row a lane, with the same operations in the same order.
// dst may not overlap x.
func SoftmaxRows(dst, x []float64, A int, c float64) {
	if lanesAVX && lanesTake(len(x), A, false) {
		softmaxRowsLanes(dst, x, A, c)
		return
	}
	switch A {
	case 2:
		softmaxRows2(dst, x, c)
		return
	case 3:
		softmaxRows3(dst, x, c)
		return
	case 5:
		softmaxRows5(dst, x, c)
		return
	case 9:
		softmaxRows9(dst, x, c)
		return
	}
	n := len(x)
	dst = dst[:n]
	var bests [chunkRows]float64
	for lo := 0; lo < n; {
		hi := min(n, lo+chunkRows*A)
		need := false // some weight other than 1 and +0
		for r, i := 0, lo; i < hi; r, i = r+1, i+A {
			row, out := x[i:i+A], dst[i:i+A]
			best := rowMax(row)
			for j, v := range row {
				z, nj := softmaxZ(c, v-best)
				out[j] = z
				need = need || nj
			}
			bests[r] = best
		}
		if need {
			expInPlace(dst[lo:hi])
		}
		for r := 0; lo < hi; r, lo = r+1, lo+A {
			row, out := x[lo:lo+A], dst[lo:lo+A]
			var sum float64
			for j, v := range row {
				e := softmaxE(c, v-bests[r], out[j], need)
				out[j] = e
				sum += e
			}
			for j := range out {
				out[j] /= sum
			}
		}
	}
}

// lanesWidth reports whether rows of A actions go through the lane kernels where they run
// (lanesAVX): the Go kernels of rows of 2, 3 and 9 branch on every weight's case, which the lanes
// select instead.
func lanesWidth(A int) bool { return A == 2 || A == 3 || A == 9 }

// lanesTake reports whether the lane kernels take a table of n values in rows of A actions where
// they run: rows of a width they take, at least four of them, but for the plain softmax not rows
// of 2, whose Go kernel (no case to branch on but the underflow) measured faster on left-right's
// six rows.
func lanesTake(n, A int, prior bool) bool { return lanesWidth(A) && n >= 4*A && (prior || A != 2) }

// rowMax is Softmax's maximum of a row (the builtin max: NaN if a value is NaN, +0 over -0),
// over two halves at once: the builtin's fix-ups for NaN and ±0 make a chain of about 9 cycles
// a value, which two chains halve; the builtin max is associative and commutative, so the order
// does not change the result (a NaN's payload aside, which no weight reads).
func rowMax(row []float64) float64 {
	b0, b1 := math.Inf(-1), math.Inf(-1)
	if len(row) < 4 { // too short for two chains to pay
		for _, v := range row {
			b0 = max(b0, v)
		}
		return b0
	}
	i := 0
	for ; i+1 < len(row); i += 2 {
		b0, b1 = max(b0, row[i]), max(b1, row[i+1])
	}
	if i < len(row) {
		b0 = max(b0, row[i])
	}
	return max(b0, b1)
}

// PriorSoftmaxRows is PriorSoftmax(dst[i·A:(i+1)·A], x[i·A:(i+1)·A], c, prior[i·A:(i+1)·A]) for
// every row i of a table of A columns, bit for bit, with the exponentials of a chunk of rows in
// one call, skipped when none is needed, as in SoftmaxRows (whose AVX kernels take rows of 2 here
// too). dst may not overlap x or prior.
func PriorSoftmaxRows(dst, x []float64, c float64, prior []float64, A int) {
	if lanesAVX && lanesTake(len(x), A, true) {
		priorSoftmaxRowsLanes(dst, x, c, prior, A)
		return
	}
	switch A {
	case 2:
		priorSoftmaxRows2(dst, x, c, prior)
		return
	case 3:
		priorSoftmaxRows3(dst, x, c, prior)
		return
	case 5:
		priorSoftmaxRows5(dst, x, c, prior)
		return
	case 9:
		priorSoftmaxRows9(dst, x, c, prior)
		return
	}
	n := len(x)
	dst, prior = dst[:n], prior[:n]
	var bests [chunkRows]float64
	for lo := 0; lo < n; {
		hi := min(n, lo+chunkRows*A)
		need := false // some weight that needs an exponential
		for r, i := 0, lo; i < hi; r, i = r+1, i+A {
			row, p, out := x[i:i+A], prior[i:i+A], dst[i:i+A]
			best := priorBest(row, p)
			for a, v := range row {
				z, na := priorZ(c, v, best, p[a])
				out[a] = z
				need = need || na
			}
			bests[r] = best
		}
		if need { // a weight that needs no exponential does not read dst
			expInPlace(dst[lo:hi])
		}
		for r := 0; lo < hi; r, lo = r+1, lo+A {
			row, p, out := x[lo:lo+A], prior[lo:lo+A], dst[lo:lo+A]
			var sum float64
			for a, v := range row {
				e := priorE(c, v, bests[r], p[a], out[a])
				out[a] = e
				sum += e
			}
			if !(sum > 0) { // as PriorSoftmax: no mass left, uniform
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

// softmaxZ is the exponent Softmax takes for a value at distance d = v − best, with the table
// forms' stand-in 0 where e^z is +0 (set after the call), and whether it needs an exponential
// (not 0, whose e^0 = 1 also stands in when no call is made).
func softmaxZ(c, d float64) (float64, bool) {
	z := c * d
	if z != z || z < underflowBelow { // NaN: as Softmax, c = 0 times an overflowed spread
		z = 0
	}
	return z, z != 0
}

// softmaxE is Softmax's weight for the value at distance d, e = e^z read from dst after the
// exponentials (or 1, e^0, where the call was skipped because no weight needed it).
func softmaxE(c, d, e float64, called bool) float64 {
	switch {
	case c*d < underflowBelow: // false for NaN, which Softmax reads as 0
		return 0
	case !called:
		return 1
	}
	return e
}

// expInPlace sets d[i] = fastmath.Exp(d[i]) with the four-lane path for every argument: a short
// table (one time step of a small game) through a buffer padded with zeros to a multiple of four,
// in one call; a longer one in place, with its last one to three arguments through such a buffer.
func expInPlace(d []float64) {
	if len(d) <= 16 {
		var t [16]float64
		copy(t[:], d)
		m := (len(d) + 3) &^ 3
		fastmath.ExpTableInto(t[:m], t[:m])
		copy(d, t[:])
		return
	}
	m := len(d) &^ 3
	fastmath.ExpTableInto(d[:m], d[:m])
	if m < len(d) {
		var t [4]float64
		copy(t[:], d[m:])
		fastmath.ExpTableInto(t[:], t[:])
		copy(d[m:], t[:])
	}
}

// priorZ is the exponent PriorSoftmaxRows takes for value v with prior p: 0 (no exponential)
// where the prior rules v out, v ties the best or e^z underflows (+0, set after the call).
func priorZ(c, v, best, p float64) (float64, bool) {
	if p == 0 || v == best {
		return 0, false
	}
	z := c * (v - best)
	if z < underflowBelow {
		return 0, false
	}
	return z, true
}

// priorE is PriorSoftmax's unnormalised weight of value v with prior p, e = e^z from dst.
func priorE(c, v, best, p, e float64) float64 {
	switch {
	case p == 0: // PriorSoftmax's cases, in its order
		return 0
	case v == best:
		return p
	case c*(v-best) < underflowBelow:
		return p * 0
	}
	return p * e
}
