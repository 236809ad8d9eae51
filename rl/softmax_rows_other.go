//go:build !amd64

package rl

// softmaxRows5 is softmaxRows5Go: the four-row kernels are amd64 assembly.
func softmaxRows5(dst, x []float64, c float64) { softmaxRows5Go(dst, x, c) }

// priorSoftmaxRows5 is priorSoftmaxRows5Go.
func priorSoftmaxRows5(dst, x []float64, c float64, prior []float64) {
	priorSoftmaxRows5Go(dst, x, c, prior)
}

// lanesAVX is false: the lane kernels are amd64 assembly.
const lanesAVX = false

// softmaxRowsLanes is never called here (lanesAVX is false).
func softmaxRowsLanes(dst, x []float64, A int, c float64) { panic("rl: lane kernels without amd64") }

// priorSoftmaxRowsLanes is never called here (lanesAVX is false).
func priorSoftmaxRowsLanes(dst, x []float64, c float64, prior []float64, A int) {
	panic("rl: lane kernels without amd64")
}
