//go:build !amd64

package engine

// haveFeasibleAVX is false: the AVX kernel is amd64 assembly.
func haveFeasibleAVX() bool { return false }

// feasibleRows4AVX is never called here (feasibleAVX is false).
func feasibleRows4AVX(prob *float64, A, groups int, lo, hi float64) bool {
	panic("engine: feasibleRows4AVX without amd64")
}
