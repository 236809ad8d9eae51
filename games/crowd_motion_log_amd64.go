package games

import "golang.org/x/sys/cpu"

// log4 writes math.Log(src[i]) into dst[i], four at a time, for i = 0, 4, … while four
// arguments remain and all of them are positive normal numbers; it returns the i where it
// stopped (a multiple of 4). It needs AVX2.
//
//go:noescape
func log4(dst, src []float64) int

// haveLog4 is cpu.X86.HasAVX2 (which honours GODEBUG=cpu.avx2=off), confirmed on probes: math.Log
// on amd64 is its assembly, which log4 follows.
func haveLog4() bool { return cpu.X86.HasAVX2 && probeLog4() }
