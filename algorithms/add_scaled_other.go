//go:build !amd64

package algorithms

// addScaled is addScaledGo: the four-at-a-time kernel is amd64 assembly.
func addScaled(y, q []float64, alpha float64) { addScaledGo(y, q, alpha) }
