//go:build !amd64

package rl

// argmaxERows5 is argmaxERowsGo with A = 5: the four-row kernel is amd64 assembly.
func argmaxERows5(dst, x []float64) uint64 { return argmaxERowsGo(dst, x, 5) }
