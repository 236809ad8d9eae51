//go:build !amd64

package finite

// haveStencilAVX is false: the AVX kernels are amd64 assembly.
func haveStencilAVX() bool { return false }

// bothJobsAVX is never called here (stencilAVX is false).
func bothJobsAVX(v, r, d0, d1 *float64, jobs *bothJob, n int) {
	panic("finite: bothJobsAVX without amd64")
}

// gatherAVX is never called here (stencilAVX is false).
func gatherAVX(lt []float64, shift []int, prob []float64, next []float64, j0, count int) {
	panic("finite: gatherAVX without amd64")
}

// gatherStrideAVX is never called here (stencilAVX is false).
func gatherStrideAVX(lt []float64, shift []int, prob []float64, next []float64, j0, step, count int) {
	panic("finite: gatherStrideAVX without amd64")
}

// byAction5AVX is never called here (stencilAVX is false).
func byAction5AVX(lt, mass []float64, S, count int) { panic("finite: byAction5AVX without amd64") }
