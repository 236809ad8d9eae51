package games

import "golang.org/x/sys/cpu"

// log4 writes math.Log(src[i]) into dst[i], four at a time, for i = 0, 4, … while four
// arguments remain and all of them are positive normal numbers; it returns the i where it
// stopped (a multiple of 4). It needs AVX2.
//
//go:noescape
func log4(dst, src []float64) int

// crowdRewards4 writes crowd motion's rewards near[s] - math.Log(x_s) five times (one per action)
// into reward[5s:5s+5], for s = 0, 4, … while four states remain and their densities x_s (the sum
// of L(s, ·) in the order of the actions, plus eps) are positive normal numbers; it returns the s
// where it stopped. It needs AVX2, and mass and reward five entries a state.
//
//go:noescape
func crowdRewards4(near, mass, reward []float64, eps float64) int

// haveLog4 is cpu.X86.HasAVX2 (which honours GODEBUG=cpu.avx2=off), confirmed on probes: math.Log
// on amd64 is its assembly, which log4 and crowdRewards4 follow.
func haveLog4() bool { return cpu.X86.HasAVX2 && probeLog4() && probeRewards4() }
