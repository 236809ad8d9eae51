package algorithms

import (
	"math"

	"golang.org/x/sys/cpu"
)

// addScaledAVX is addScaledGo four numbers at a time in AVX registers, the same operations with
// the same operands first (so the same NaN payloads), for i = 0, 4, … while four remain; it
// returns the i reached (len(q) rounded down to a multiple of 4). len(y) ≥ len(q).
//
//go:noescape
func addScaledAVX(y, q []float64, alpha float64) int

// addScaledFast is cpu.X86.HasAVX (which honours GODEBUG=cpu.avx=off), confirmed on a probe.
var addScaledFast = cpu.X86.HasAVX && probeAddScaled()

// addScaled sets y[i] += float64(alpha·q[i]) for i < len(q): four at a time by addScaledAVX where
// the processor has AVX, the rest (and everything elsewhere) by addScaledGo.
func addScaled(y, q []float64, alpha float64) {
	y = y[:len(q)] // addScaledAVX's every index, checked
	i := 0
	if addScaledFast {
		i = addScaledAVX(y, q, alpha)
	}
	addScaledGo(y[i:], q[i:], alpha)
}

// probeAddScaled reports that addScaledAVX gives addScaledGo's bits on NaNs of two payloads (in y
// and q at once, and alone), infinities, signed zeros, subnormals and sums that round. Any two
// NaNs count as equal: which of two NaNs the Go loop's sum keeps is the compiler's choice of
// operands (the race detector's build picks the other); the tests check the payloads in the
// ordinary build.
func probeAddScaled() bool {
	nan1, nan2 := math.Float64frombits(0x7ff8000000000001), math.Float64frombits(0x7ff8000000000002)
	q := []float64{nan1, 1, math.Inf(1), 0.1, math.Copysign(0, -1), 5e-324, 3, nan2}
	y := []float64{nan2, 0.3, math.Inf(-1), 0.2, 0, 1e-310, nan1, 0.7}
	got, want := append([]float64(nil), y...), append([]float64(nil), y...)
	if addScaledAVX(got, q, 0.37) != len(q) {
		return false
	}
	addScaledGo(want, q, 0.37)
	for i := range got {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) && (got[i] == got[i] || want[i] == want[i]) {
			return false
		}
	}
	return true
}
