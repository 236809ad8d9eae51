//go:build !amd64

package algorithms

// mix5 does nothing here (the four-rows-at-a-time kernel is amd64 assembly): mix's Go loop does
// every row.
func mix5(out, o, b, mass, massBR []float64, alpha float64) int { return 0 }
