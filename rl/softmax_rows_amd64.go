package rl

import (
	"math"

	"golang.org/x/sys/cpu"

	"meanfield/internal/fastmath"
)

// softmax5ZAVX is the first pass of softmaxRows5Go over groups of four rows of 5 (x[20g:20g+20]),
// one row a lane: with best the row's maximum by Go's max (NaN if a value is, +0 over -0), it
// writes z = c·(x − best) and the exponent z' (z if z ≥ -746, else +0, NaN included) into z and e,
// column by column (e[20g+4j+r] for row r's action j). It reports whether some z' ≠ 0.
//
//go:noescape
func softmax5ZAVX(z, e, x *float64, groups int, c float64) bool

// softmax5EAVX is the second pass: with e holding e^z', each weight is 0 where z < -746, else
// e^z' (1 where z is NaN); dst gets each weight divided by its row's sum w0 + w1 + … + w4, added
// in that order.
//
//go:noescape
func softmax5EAVX(dst, z, e *float64, groups int)

// prior5ZAVX is priorSoftmaxRows5Go's first pass over groups of four rows, one row a lane: with
// best the largest x over the actions whose prior is > 0 (-Inf if none; ties and NaN keep the
// first), it writes column by column q = (x == best) as a mask, the prior p, z = c·(x − best)
// and the exponent z' (+0 where z < -746, else z). It reports whether some weight needs e^z (p ≠
// 0, x ≠ best, z not < -746).
//
//go:noescape
func prior5ZAVX(z, e, p, q, x, prior *float64, groups int, c float64) bool

// prior5EAVX is the second pass: with e holding e^z', the weight is 0 where p == 0, else p where
// q, else p·0 where z < -746, else p·e^z'; dst gets each weight over the row's sum 0 + w0 + … + w4,
// or 1/5 where that sum is not > 0.
//
//go:noescape
func prior5EAVX(dst, z, e, p, q *float64, groups int)

// rows5Groups is how many groups of four rows the AVX kernels take between two calls of
// fastmath.ExpTableInto: the scratch columns (4·160 bytes a group) stay in the L1 cache.
const rows5Groups = 8

// rows5AVX is cpu.X86.HasAVX2 (GODEBUG=cpu.avx2=off honoured), confirmed on a probe.
var rows5AVX = cpu.X86.HasAVX2 && probeRows5()

// softmaxRows5 is softmaxRows5Go, four rows at a time in AVX registers where the processor has
// AVX2: the same operations in the same order, so the same bits.
func softmaxRows5(dst, x []float64, c float64) {
	if rows5AVX {
		softmaxRows5AVX(dst, x, c)
		return
	}
	softmaxRows5Go(dst, x, c)
}

// priorSoftmaxRows5 is priorSoftmaxRows5Go, four rows at a time where the processor has AVX2.
func priorSoftmaxRows5(dst, x []float64, c float64, prior []float64) {
	if rows5AVX {
		priorSoftmaxRows5AVX(dst, x, c, prior)
		return
	}
	priorSoftmaxRows5Go(dst, x, c, prior)
}

// softmaxRows5AVX is softmaxRows5Go by the AVX kernels, its last one to three rows in Go. Each
// row's weights are its own (the Go form's chunk-wide skip of the exponentials gives e^0 = 1
// where it calls them, the same bits).
func softmaxRows5AVX(dst, x []float64, c float64) {
	n := len(x) - len(x)%5
	dst, x = dst[:n], x[:n]
	groups := n / 20
	var z, e [rows5Groups * 20]float64
	for g := 0; g < groups; g += rows5Groups {
		k, lo := min(rows5Groups, groups-g), g*20
		if softmax5ZAVX(&z[0], &e[0], &x[lo], k, c) {
			fastmath.ExpTableInto(e[:k*20], e[:k*20])
		} else { // settled rows: every z' is ±0, whose e^z' is 1
			for i := range e[:k*20] {
				e[i] = 1
			}
		}
		softmax5EAVX(&dst[lo], &z[0], &e[0], k)
	}
	if m := groups * 20; m < n {
		softmaxRows5Go(dst[m:], x[m:], c)
	}
}

// priorSoftmaxRows5AVX is priorSoftmaxRows5Go by the AVX kernels, its last one to three rows in
// Go.
func priorSoftmaxRows5AVX(dst, x []float64, c float64, prior []float64) {
	n := len(x) - len(x)%5
	dst, x, prior = dst[:n], x[:n], prior[:n]
	groups := n / 20
	var z, e, p, q [rows5Groups * 20]float64
	for g := 0; g < groups; g += rows5Groups {
		k, lo := min(rows5Groups, groups-g), g*20
		if prior5ZAVX(&z[0], &e[0], &p[0], &q[0], &x[lo], &prior[lo], k, c) {
			fastmath.ExpTableInto(e[:k*20], e[:k*20]) // else no weight reads e
		}
		prior5EAVX(&dst[lo], &z[0], &e[0], &p[0], &q[0], k)
	}
	if m := groups * 20; m < n {
		priorSoftmaxRows5Go(dst[m:], x[m:], c, prior[m:])
	}
}

// rows5Probes are values that take every branch of the kernels: ties, ±0, ±Inf, NaN, spreads
// that underflow or overflow.
var rows5Probes = []float64{0, math.Copysign(0, -1), 1, 2, -1, math.NaN(), math.Inf(1), math.Inf(-1),
	-800, 1e300, -1e300, 0.5, 3.25, -700, 5e-324}

// probeRows5 reports whether the AVX kernels of rows of 5 give the Go kernels' bits on the probe
// rows.
func probeRows5() bool { return probeRows(5, softmaxRows5AVX, priorSoftmaxRows5AVX) }

// probeRows reports whether softmax and prior, table softmaxes of rows of A actions, give the Go
// kernels' bits on rows drawn from rows5Probes (a NaN's payload aside), for several c.
func probeRows(A int, softmax func(dst, x []float64, c float64),
	prior func(dst, x []float64, c float64, prior []float64)) bool {
	const rows = 48
	x, pr := make([]float64, rows*A), make([]float64, rows*A)
	for i := range x {
		x[i] = rows5Probes[(i*7+i/5)%len(rows5Probes)]
		pr[i] = rows5Probes[(i*3+i/7)%len(rows5Probes)]
	}
	softmaxGo, priorGo := rowKernelsGo(A)
	got, want := make([]float64, len(x)), make([]float64, len(x))
	same := func() bool {
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) && (got[i] == got[i] || want[i] == want[i]) {
				return false
			}
		}
		return true
	}
	for _, c := range []float64{1, 0, 2.5, math.Inf(1), -1, 1e-300} {
		softmax(got, x, c)
		softmaxGo(want, x, c)
		if !same() {
			return false
		}
		prior(got, x, c, pr)
		priorGo(want, x, c, pr)
		if !same() {
			return false
		}
	}
	return true
}

// rowKernelsGo returns the Go kernels of the table softmaxes of rows of A = 2, 3, 5 or 9 actions.
func rowKernelsGo(A int) (softmax func(dst, x []float64, c float64),
	prior func(dst, x []float64, c float64, prior []float64)) {
	switch A {
	case 2:
		return softmaxRows2, priorSoftmaxRows2
	case 3:
		return softmaxRows3, priorSoftmaxRows3
	case 5:
		return softmaxRows5Go, priorSoftmaxRows5Go
	case 9:
		return softmaxRows9, priorSoftmaxRows9
	}
	panic("rl: no Go kernel for rows of this width")
}
