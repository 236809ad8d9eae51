package finite

import "golang.org/x/sys/cpu"

// bothJobsAVX is expectBoth on the rows of the jobs jobs[0..n-1], n ≥ 1 (see bothJob), in AVX
// (stencil_amd64.s): v from state 0, r, d0 and d1 from row 0. The caller checks every index.
//
//go:noescape
func bothJobsAVX(v, r, d0, d1 *float64, jobs *bothJob, n int)

// gatherAVX is the gathered inflows of the states j0..j0+count-1 from L stored by action (see
// gatherRunGo), in AVX (stencil_amd64.s).
//
//go:noescape
func gatherAVX(lt []float64, shift []int, prob []float64, next []float64, j0, count int)

// gatherStrideAVX is gatherAVX for the states j0 + c·step, c < count (see gatherStrideGo), in AVX
// (stencil_amd64.s).
//
//go:noescape
func gatherStrideAVX(lt []float64, shift []int, prob []float64, next []float64, j0, step, count int)

// byAction5AVX is byAction's transposition for five actions, of the states s < count (a positive
// multiple of 4), in AVX (stencil_amd64.s): len(mass) ≥ 5·count, len(lt) ≥ 4·S + count.
//
//go:noescape
func byAction5AVX(lt, mass []float64, S, count int)

// haveStencilAVX is cpu.X86.HasAVX (which honours GODEBUG=cpu.avx=off), confirmed on a probe.
func haveStencilAVX() bool { return cpu.X86.HasAVX && probeStencilAVX() }
