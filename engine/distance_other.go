//go:build !amd64

package engine

// haveDistanceAVX is false: the AVX kernel is amd64 assembly.
func haveDistanceAVX() bool { return false }

// absDiffSums4AVX is never called here (distanceAVX is false).
func absDiffSums4AVX(x, y *[4]*float64, n int, out *[8]float64) {
	panic("engine: absDiffSums4AVX without amd64")
}
