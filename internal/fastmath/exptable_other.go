//go:build !amd64

package fastmath

// haveExactTable is false: expTable4 is amd64 assembly (and arm64's Go compiler fuses Exp's
// products into its sums, which expTable4 does not).
func haveExactTable() bool { return false }

// expTable4 is never called here (exactTable is false).
func expTable4(dst, src []float64) int { panic("fastmath: expTable4 without amd64") }
