//go:build !amd64

package games

// haveCrowdAVX is false: the AVX kernels are amd64 assembly.
func haveCrowdAVX() bool { return false }

// rowSums5AVX is never called here (crowdAVX is false).
func rowSums5AVX(lg, mass []float64, eps float64) { panic("games: rowSums5AVX without amd64") }

// spread5AVX is never called here (crowdAVX is false).
func spread5AVX(reward, near, lg []float64) { panic("games: spread5AVX without amd64") }
