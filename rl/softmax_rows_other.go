//go:build !amd64

package rl

// softmaxRows5 is softmaxRows5Go: the four-row kernels are amd64 assembly.
func softmaxRows5(dst, x []float64, c float64) { softmaxRows5Go(dst, x, c) }

// priorSoftmaxRows5 is priorSoftmaxRows5Go.
func priorSoftmaxRows5(dst, x []float64, c float64, prior []float64) {
	priorSoftmaxRows5Go(dst, x, c, prior)
}
