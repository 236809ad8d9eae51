package fastmath

import "golang.org/x/sys/cpu"

// log4 writes math.Log(src[i]) into dst[i], four at a time, for i = 0, 4, … while four arguments
// remain and all of them are positive normal numbers; it returns the i where it stopped (a
// multiple of 4). It needs AVX2.
//
//go:noescape
func log4(dst, src []float64) int

// haveExactLog is cpu.X86.HasAVX2 (which honours GODEBUG=cpu.avx2=off), confirmed on probes:
// math.Log on amd64 is its assembly, which log4 follows; should a Go release change it, LogInto
// falls back to math.Log rather than differ from it.
func haveExactLog() bool { return cpu.X86.HasAVX2 && probeLog() }
