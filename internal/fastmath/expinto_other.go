//go:build !amd64

package fastmath

// haveExactFMA is false: expFMA4 follows math.Exp's amd64 assembly, and other architectures
// compute math.Exp otherwise (arm64's assembly, or the pure Go exp).
func haveExactFMA() bool { return false }

// expFMA4 is never called here (exactFMA is false).
func expFMA4(dst, src []float64) int { panic("fastmath: expFMA4 without amd64") }
