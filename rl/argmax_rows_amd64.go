package rl

import (
	"math"
	"unsafe"

	"golang.org/x/sys/cpu"
)

// argmax5AVX is ArgmaxERows on the rows 0..4·groups-1 of five actions at x (groups ≥ 1), four
// rows at a time without a branch on the values (argmax_rows_amd64.s): each row's best is its
// first maximum by >, from -Inf (NaN never best), count = #{j : x_j == best}, and dst_j = 1/count
// where x_j == best, +0 elsewhere. It returns the OR over the rows of the old dst bits XOR the new.
//
//go:noescape
func argmax5AVX(dst, x *float64, groups int) uint64

// argmax5On is cpu.X86.HasAVX (GODEBUG=cpu.avx=off honoured), confirmed on a probe.
var argmax5On = cpu.X86.HasAVX && probeArgmax5()

// argmaxERows5 is argmaxERowsGo with A = 5, by argmax5AVX where the processor has AVX, the last
// one to three rows in Go.
func argmaxERows5(dst, x []float64) uint64 {
	if !argmax5On {
		return argmaxERowsGo(dst, x, 5)
	}
	return argmaxERows5AVX(dst, x)
}

// argmaxERows5AVX is argmaxERows5 by the kernel, whatever argmax5On says. Where one to three rows
// are left over and dst does not overlap x, the kernel takes the last four rows again: the rows
// it wrote already get the same bits, whose XOR with themselves is 0, so the difference stands.
// A dst that overlaps x without being x itself goes to the Go loop: the kernel reads four rows
// before it writes them, the loop one row at a time, and a row written may be read again.
func argmaxERows5AVX(dst, x []float64) uint64 {
	dst = dst[:len(x)] // the kernel's every index, checked: its callers give len(dst) >= len(x)
	n := len(x) - len(x)%5
	groups := n / 20
	if groups == 0 {
		return argmaxERowsGo(dst, x, 5)
	}
	same := &dst[0] == &x[0]
	if !same && !apart(dst[:n], x[:n]) {
		return argmaxERowsGo(dst, x, 5)
	}
	diff := argmax5AVX(&dst[0], &x[0], groups)
	switch m := groups * 20; {
	case m == n:
		return diff
	case !same:
		return diff | argmax5AVX(&dst[n-20], &x[n-20], 1)
	default: // dst is x: the rows written would be read again
		return diff | argmaxERowsGo(dst[m:n], x[m:n], 5)
	}
}

// apart reports whether a and b (of one length n > 0) share no memory.
func apart(a, b []float64) bool {
	pa, pb := uintptr(unsafe.Pointer(unsafe.SliceData(a))), uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	size := uintptr(len(a)) * 8
	return pa+size <= pb || pb+size <= pa
}

// argmaxProbes are values that take every path of argmax-e: ties, -0 and +0, ±Inf, NaN (which
// is never best, nor equal to a best of -Inf), and the extremes.
var argmaxProbes = []float64{0, math.Copysign(0, -1), 1, 2, -1, math.NaN(), math.Inf(1), math.Inf(-1),
	1e300, -1e300, 5e-324, 0.5}

// probeArgmax5 reports whether argmaxERows5AVX gives argmaxERowsGo's bits and difference on
// rows drawn from argmaxProbes, all-NaN and all -Inf rows among them, into a dst equal to the
// result and into one not equal; 42 rows, so that the last four are taken again.
func probeArgmax5() bool {
	const rows = 42
	x := make([]float64, rows*5)
	for i := range x {
		x[i] = argmaxProbes[(i*7+i/5+i/11)%len(argmaxProbes)]
	}
	for i := 0; i < 5; i++ {
		x[i], x[5+i], x[10+i] = math.NaN(), math.Inf(-1), 2
	}
	x[7] = math.NaN() // -Inf ties with a NaN among them
	got, want := make([]float64, len(x)), make([]float64, len(x))
	for range 2 { // the second time dst already holds the result: no difference
		if (argmaxERows5AVX(got, x) != 0) != (argmaxERowsGo(want, x, 5) != 0) {
			return false
		}
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				return false
			}
		}
	}
	return true
}
