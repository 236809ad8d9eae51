package rl

import (
	"golang.org/x/sys/cpu"

	"meanfield/internal/fastmath"
)

// softmaxNZAVX is the first pass of the table softmax over groups of four rows of a actions
// (x[4a·g:4a·(g+1)]), one row a lane: with best the row's maximum by Go's max (NaN if a value is,
// +0 over -0), it writes z = c·(x − best) into z and the exponent z' (z if z ≥ -746, else +0, NaN
// included) into e, column by column (z[4a·g+4j+r] for row r's action j). It reports whether
// some z' ≠ 0.
//
//go:noescape
func softmaxNZAVX(z, e, x *float64, groups, a int, c float64) bool

// softmaxNEAVX is the second pass, with dst holding softmaxNZAVX's z and e holding e^z': each
// weight is 0 where z < -746, else e^z' (1 where z is NaN); dst gets each weight divided by its
// row's sum 0 + w0 + w1 + …, added in that order.
//
//go:noescape
func softmaxNEAVX(dst, e *float64, groups, a int)

// priorNZAVX is the prior softmax's first pass over groups of four rows of a actions, one row a
// lane: with best the largest x over the actions whose prior p is > 0 (-Inf if none; ties and NaN
// keep the first), it writes column by column zs = c·(x − best), +0 where x == best, into z and
// the exponent z' into e: zs where the weight needs e^zs (p ≠ 0, zs ≠ 0, zs not < -746), else +0.
// It reports whether some weight needs e^zs.
//
//go:noescape
func priorNZAVX(z, e, x, prior *float64, groups, a int, c float64) bool

// priorNEAVX is the second pass, with dst holding priorNZAVX's zs and e holding e^z': the weight
// is 0 where p == 0, else p where zs is ±0 (a tie for the best: PriorSoftmax's p; or p·e^±0 = p),
// else p·0 where zs < -746, else p·e^z'; dst gets each weight over the row's sum 0 + w0 + w1 + …,
// or u = 1/a where that sum is not > 0.
//
//go:noescape
func priorNEAVX(dst, e, prior *float64, groups, a int, u float64)

// lanesBlock is how many exponents the lane kernels leave between two calls of
// fastmath.ExpTableInto (whole groups of four rows: 4 of rows of 9, 12 of rows of 3).
const lanesBlock = 144

// lanesOnes are e^0, the exponentials of a block of settled rows.
var lanesOnes = func() (o [lanesBlock]float64) {
	for i := range o {
		o[i] = 1
	}
	return o
}()

// lanesMaxA is the widest row the lane kernels take (a group of four rows fits a block).
const lanesMaxA = 9

// lanesAVX is cpu.X86.HasAVX2 (GODEBUG=cpu.avx2=off honoured), confirmed on a probe: the rows
// of the widths lanesWidth names then go four at a time through the lane kernels.
var lanesAVX = cpu.X86.HasAVX2 && probeLanes()

// softmaxRowsLanes is SoftmaxRows for rows of A ≤ lanesMaxA actions by the lane kernels, four
// rows at a time: the Go kernels' operations in their order, so their bits. The last one to three
// rows go with the three before them (which get the same bits again); a table of fewer than four
// rows takes the Go kernel. A table of at most lanesSmall values keeps its exponents in memory of
// that size, whose zeroing at every call costs the smallest games a quarter of the larger's.
func softmaxRowsLanes(dst, x []float64, A int, c float64) {
	n := len(x) - len(x)%A
	if n < 4*A {
		softmaxGo, _ := rowKernelsGo(A)
		softmaxGo(dst, x, c)
		return
	}
	if n <= lanesSmall {
		var e [lanesSmall]float64
		softmaxLanes(dst[:n], x[:n], e[:], A, c)
		return
	}
	var e [lanesBlock]float64
	softmaxLanes(dst[:n], x[:n], e[:], A, c)
}

// softmaxLanes is softmaxRowsLanes's blocks on a table of n = len(x) ≥ 4A values, the exponents
// of a block in e.
func softmaxLanes(dst, x, e []float64, A int, c float64) {
	dst = dst[:len(x)]
	forLaneBlocks(len(x), A, len(e), func(lo, hi int) {
		k, m := (hi-lo)/(4*A), hi-lo
		if softmaxNZAVX(&dst[lo], &e[0], &x[lo], k, A, c) {
			fastmath.ExpTableInto(e[:m], e[:m])
		} else { // settled rows: every z' is ±0, whose e^z' is 1
			copy(e[:m], lanesOnes[:])
		}
		softmaxNEAVX(&dst[lo], &e[0], k, A)
	})
}

// lanesSmall is the most values of a table whose exponents softmaxRowsLanes and
// priorSoftmaxRowsLanes keep in a block of their own size (a whole number of groups of four rows
// of 2, 3 or 9, and at least one group of each).
const lanesSmall = 48

// priorSoftmaxRowsLanes is PriorSoftmaxRows for rows of A ≤ lanesMaxA actions by the lane
// kernels, as softmaxRowsLanes.
func priorSoftmaxRowsLanes(dst, x []float64, c float64, prior []float64, A int) {
	n := len(x) - len(x)%A
	if n < 4*A {
		_, priorGo := rowKernelsGo(A)
		priorGo(dst, x, c, prior)
		return
	}
	if n <= lanesSmall {
		var e [lanesSmall]float64
		priorSoftmaxLanes(dst[:n], x[:n], prior[:n], e[:], A, c)
		return
	}
	var e [lanesBlock]float64
	priorSoftmaxLanes(dst[:n], x[:n], prior[:n], e[:], A, c)
}

// priorSoftmaxLanes is priorSoftmaxRowsLanes's blocks, as softmaxLanes.
func priorSoftmaxLanes(dst, x, prior, e []float64, A int, c float64) {
	dst, prior = dst[:len(x)], prior[:len(x)]
	forLaneBlocks(len(x), A, len(e), func(lo, hi int) {
		k, m := (hi-lo)/(4*A), hi-lo
		if priorNZAVX(&dst[lo], &e[0], &x[lo], &prior[lo], k, A, c) {
			fastmath.ExpTableInto(e[:m], e[:m]) // else no weight reads e
		}
		priorNEAVX(&dst[lo], &e[0], &prior[lo], k, A, 1/float64(A))
	})
}

// forLaneBlocks calls block(lo, hi) on consecutive blocks of whole groups of four rows of A
// actions that cover a table of n ≥ 4A values, each of at most most values (at least 4A): the
// last, when the rows are not a multiple of four, is the table's last four rows, which overlap
// the block before.
func forLaneBlocks(n, A, most int, block func(lo, hi int)) {
	size, m := most-most%(4*A), n-n%(4*A)
	for lo := 0; lo < m; lo += size {
		block(lo, min(m, lo+size))
	}
	if m < n {
		block(n-4*A, n)
	}
}

// probeLanes reports whether the lane kernels give the Go kernels' bits on the probe rows, for
// every width they take.
func probeLanes() bool {
	for A := 1; A <= lanesMaxA; A++ {
		if lanesWidth(A) && !probeRows(A, func(dst, x []float64, c float64) { softmaxRowsLanes(dst, x, A, c) },
			func(dst, x []float64, c float64, prior []float64) { priorSoftmaxRowsLanes(dst, x, c, prior, A) }) {
			return false
		}
	}
	return true
}
