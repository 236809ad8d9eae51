package games

import (
	"math"

	"golang.org/x/sys/cpu"
)

// affinePlanesAVX is affinePlanesGo four lanes at a time in AVX registers (VMULPD then VADDPD,
// the accumulator the first operand of the addition, as the Go code's): the same operations, so
// the same bits. len(x) is a positive multiple of 4·k, len(z) of len(x)/k.
//
//go:noescape
func affinePlanesAVX(z, coef, x []float64, k int)

// affinePlanes5AVX is affinePlanesAVX(z, coef, x, 5), bit for bit: each four lanes' terms x_1..x_5
// loaded once for all planes. len(x) is a positive multiple of 20, len(z) of len(x)/5.
//
//go:noescape
func affinePlanes5AVX(z, coef, x []float64)

// shiftPlanesAVX is shiftPlanesGo where no lane's maximum is NaN, four lanes at a time, Go's max
// computed as Go's amd64 code computes it; where one is, it returns false and leaves z as it was.
// len(best) is a multiple of 4.
//
//go:noescape
func shiftPlanesAVX(z, best []float64, n int) bool

// dividePlanesAVX is dividePlanesGo, four lanes at a time: the same sums and quotients (VADDPD,
// the sum the first operand, VDIVPD), stored a row of four at a time for n = 5. It returns len(p)/n, the lanes done; len(p)/n ≤ w, a
// multiple of 4, and z holds n planes of w lanes.
//
//go:noescape
func dividePlanesAVX(p, z []float64, n, w int) int

// fillLanesAVX is fillLanesGo with the lanes past the n² written as zeros, for n ≤ 8 and w ≥
// n² - n + 8: each row of mass read in two masked loads (lanes a < n, the others zero), stored at
// every lane s·n (eight lanes, the zeros past n overwritten by the next s's).
//
//go:noescape
func fillLanesAVX(x, mass []float64, n int)

// planesAVX is cpu.X86.HasAVX (which honours GODEBUG=cpu.avx=off), confirmed on a probe.
var planesAVX = cpu.X86.HasAVX && probePlanes()

// shiftPlanes is shiftPlanesAVX where the processor has AVX and no lane's maximum is NaN, else
// shiftPlanesGo.
func shiftPlanes(z, best []float64, n int) {
	if !planesAVX || !shiftPlanesAVX(z, best, n) {
		shiftPlanesGo(z, best, n)
	}
}

// dividePlanes is dividePlanesAVX where the processor has AVX, else dividePlanesGo.
func dividePlanes(p, z, sum []float64, n int) {
	if planesAVX {
		dividePlanesAVX(p, z, n, len(sum))
		return
	}
	dividePlanesGo(p, z, sum, n)
}

// fillLanes is fillLanesAVX where the processor has AVX, else fillLanesGo.
func fillLanes(x, mass []float64, action []int, n int) {
	if planesAVX {
		fillLanesAVX(x, mass, n)
		return
	}
	fillLanesGo(x, mass, action, n)
}

// planeSums is affinePlanesAVX where the processor has AVX (affinePlanes5AVX for k = 5, MFGLib's
// n), else affinePlanesGo.
func planeSums(z, coef, x []float64, k int) {
	switch {
	case planesAVX && k == 5:
		affinePlanes5AVX(z, coef, x)
		return
	case planesAVX:
		affinePlanesAVX(z, coef, x, k)
		return
	}
	affinePlanesGo(z, coef, x, k)
}

// probePlanes reports that the four AVX kernels give their Go twins' bits on small planes: the
// sums on NaNs of two payloads, infinities, signed zeros, subnormals and sums that round; the
// maxima and shifts on signed zeros and ties; the quotients; the lanes of a 3×3 mean field. Any
// two NaNs count as equal: which of two NaNs the Go code's sum keeps is the compiler's choice of
// operands (the race detector's build picks the other); the tests check the payloads in the
// ordinary build.
func probePlanes() bool {
	nan1, nan2 := math.Float64frombits(0x7ff8000000000001), math.Float64frombits(0x7ff8000000000002)
	x := []float64{nan1, 1, math.Inf(1), 0.1, math.Copysign(0, -1), 5e-324, 3, nan2,
		nan2, 0.3, 0, -1e308, 2, 1e-310, nan1, 0.7}
	coef := make([]float64, 2*3*8)
	for i := range coef {
		coef[i] = float64(i%7)*0.37 - 1.1
	}
	coef[3], coef[20], coef[30] = math.Copysign(0, -1), 0, 1e308
	got, want := make([]float64, 16), make([]float64, 16)
	affinePlanesAVX(got, coef, x, 2)
	affinePlanesGo(want, coef, x, 2)
	if !sameUpToNaNs(got, want) {
		return false
	}

	z := []float64{0, math.Copysign(0, -1), 1.5, -3, math.Copysign(0, -1), 0, 1.5, 2.25} // 2 planes × 4
	zGo := append([]float64(nil), z...)
	best := make([]float64, 4)
	if !shiftPlanesAVX(z, best, 2) {
		return false
	}
	shiftPlanesGo(zGo, best, 2)
	if !sameUpToNaNs(z, zGo) {
		return false
	}
	e := []float64{0.25, 1, 0.1, 0.7, 1, 0.3, 1, 1e-300} // 3 rows of 2 over planes of 4
	q, qGo := make([]float64, 6), make([]float64, 6)
	if dividePlanesAVX(q, e, 2, 4) != 3 {
		return false
	}
	dividePlanesGo(qGo, e, best, 2)
	if !sameUpToNaNs(q, qGo) {
		return false
	}
	lanes, lanesGo := make([]float64, 3*planesWidth(3)), make([]float64, 3*planesWidth(3))
	fillLanesAVX(lanes, x[:9], 3)
	fillLanesGo(lanesGo, x[:9], []int{0, 1, 2, 0, 1, 2, 0, 1, 2}, 3)
	return sameUpToNaNs(lanes, lanesGo)
}

// sameUpToNaNs reports that a and b have the same bits where either is a number.
func sameUpToNaNs(a, b []float64) bool {
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) && (a[i] == a[i] || b[i] == b[i]) {
			return false
		}
	}
	return true
}
