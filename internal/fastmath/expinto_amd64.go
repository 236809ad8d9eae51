package fastmath

import (
	"math"

	"golang.org/x/sys/cpu"
)

// expFMA4 writes math.Exp's FMA sequence of src[i] into dst[i], four at a time, for i = 0, 4, …
// while four arguments remain and all of them lie in [expLo, expHi]; it returns the i where it
// stopped (a multiple of 4). It needs AVX and FMA.
//
//go:noescape
func expFMA4(dst, src []float64) int

// haveExactFMA is package math's useFMA (cpu.X86.HasAVX && cpu.X86.HasFMA, which honour
// GODEBUG=cpu.avx=off and cpu.fma=off as package math's do), confirmed on probes: should a Go
// release change math.Exp's assembly, ExpInto falls back to math.Exp rather than differ from it.
func haveExactFMA() bool {
	if !cpu.X86.HasAVX || !cpu.X86.HasFMA {
		return false
	}
	e := make([]float64, len(exactProbes))
	if expFMA4(e, exactProbes) != len(exactProbes) {
		return false
	}
	for i, x := range exactProbes {
		if math.Float64bits(e[i]) != math.Float64bits(math.Exp(x)) {
			return false
		}
	}
	return true
}
