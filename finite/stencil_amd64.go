package finite

import "golang.org/x/sys/cpu"

// bothRunAVX is expectBoth on the rows of runs of states (see bothRunGo), in AVX
// (stencil_amd64.s).
//
//go:noescape
func bothRunAVX(v []float64, s0 int, off []int, prob []float64, r, d0, d1 []float64, stride, count, rows, skip int)

// bothStrideAVX is expectBoth on the rows of one stride (see bothStrideGo), in AVX
// (stencil_amd64.s).
//
//go:noescape
func bothStrideAVX(v []float64, s0, step int, off []int, prob []float64, r, d0, d1 []float64, stride, count int)

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
