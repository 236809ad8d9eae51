//go:build !amd64

package finite

// haveStencilAVX is false: the AVX kernels are amd64 assembly.
func haveStencilAVX() bool { return false }

// bothJobsAVX is never called here (stencilAVX is false).
func bothJobsAVX(v, r, d0, d1 *float64, jobs *bothJob, n int) {
	panic("finite: bothJobsAVX without amd64")
}

// byAction5AVX is never called here (stencilAVX is false).
func byAction5AVX(lt, mass []float64, S, count int) { panic("finite: byAction5AVX without amd64") }

// gatherJobsAVX is never called here (stencilAVX is false).
func gatherJobsAVX(lt, next *float64, jobs *gatherJob, n int) {
	panic("finite: gatherJobsAVX without amd64")
}

// fillByAction5AVX is never called here (stencilAVX is false).
func fillByAction5AVX(dst, lt, mu, prob []float64, S, count int) {
	panic("finite: fillByAction5AVX without amd64")
}
