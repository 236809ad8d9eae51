package fastmath

import "golang.org/x/sys/cpu"

// expTable4 writes Exp(src[i]) into dst[i], four at a time, for i = 0, 4, … while four arguments
// remain and all of them lie in [-690, 709]; it returns the i where it stopped (a multiple of 4).
// It needs AVX2.
//
//go:noescape
func expTable4(dst, src []float64) int

// haveExactTable is cpu.X86.HasAVX2 (which honours GODEBUG=cpu.avx2=off), confirmed on probes: if
// this build's Exp fuses a product into the following sum (GOAMD64=v3), ExpTableInto falls back to
// Exp rather than differ from it.
func haveExactTable() bool {
	return cpu.X86.HasAVX2 && probeTable()
}
