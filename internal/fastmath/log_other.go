//go:build !amd64

package fastmath

// haveExactLog is false: log4 follows math.Log's amd64 assembly, and other architectures compute
// math.Log otherwise (s390x's assembly, or the pure Go log).
func haveExactLog() bool { return false }

// log4 is never called here (exactLog is false).
func log4(dst, src []float64) int { panic("fastmath: log4 without amd64") }
