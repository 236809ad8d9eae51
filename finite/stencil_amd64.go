package finite

import "golang.org/x/sys/cpu"

// bothJobsAVX is expectBoth on the rows of the jobs jobs[0..n-1], n ≥ 1 (see bothJob), in AVX
// (stencil_amd64.s): v from state 0, r, d0 and d1 from row 0. The caller checks every index.
//
//go:noescape
func bothJobsAVX(v, r, d0, d1 *float64, jobs *bothJob, n int)

// gatherJobsAVX is nextStates' gathers of the jobs jobs[0..n-1], n ≥ 1 (see gatherJob), from L
// stored by action in lt, in AVX (stencil_amd64.s). The caller checks every index.
//
//go:noescape
func gatherJobsAVX(lt, next *float64, jobs *gatherJob, n int)

// byAction5AVX is byAction's transposition for five actions, of the states s < count (a positive
// multiple of 4), in AVX (stencil_amd64.s): len(mass) ≥ 5·count, len(lt) ≥ 4·S + count.
//
//go:noescape
func byAction5AVX(lt, mass []float64, S, count int)

// haveStencilAVX is cpu.X86.HasAVX (which honours GODEBUG=cpu.avx=off), confirmed on a probe.
func haveStencilAVX() bool { return cpu.X86.HasAVX && probeStencilAVX() }

// fillByAction5AVX is fillByActionGo for five actions, of the states s < count (a positive
// multiple of 4), in AVX (stencil_amd64.s): len(dst), len(prob) ≥ 5·count, len(mu) ≥ count,
// len(lt) ≥ 4·S + count.
//
//go:noescape
func fillByAction5AVX(dst, lt, mu, prob []float64, S, count int)
