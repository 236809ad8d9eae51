//go:build !amd64

package finite

// haveRowsAVX is false: the AVX row kernels are amd64 assembly.
func haveRowsAVX() bool { return false }

// rowsMaxDotAVX is never called here (rowsAVX is false).
func rowsMaxDotAVX(q, p, own, v []float64, A int) { panic("finite: rowsMaxDotAVX without amd64") }

// anyNaNAVX is never called here (rowsAVX is false).
func anyNaNAVX(x []float64) bool { panic("finite: anyNaNAVX without amd64") }

// expectDenseAVX is never called here (rowsAVX is false).
func expectDenseAVX(prob, v, r, d0, d1 []float64, S int) {
	panic("finite: expectDenseAVX without amd64")
}

// expectSureAVX is never called here (rowsAVX is false).
func expectSureAVX(to []int, prob, v, r, d0, d1 []float64) {
	panic("finite: expectSureAVX without amd64")
}

// expectRowsAVX is never called here (rowsAVX is false).
func expectRowsAVX(start, to []int, prob, v, r, d0, d1 []float64) {
	panic("finite: expectRowsAVX without amd64")
}

// nextRowsAVX is never called here (rowsAVX is false).
func nextRowsAVX(start, to []int, prob, mass, next []float64) {
	panic("finite: nextRowsAVX without amd64")
}

// nextDenseAVX is never called here (rowsAVX is false).
func nextDenseAVX(prob, mass, next []float64) { panic("finite: nextDenseAVX without amd64") }

// fillAVX is never called here (rowsAVX is false).
func fillAVX(dst, mu, prob []float64, A int) { panic("finite: fillAVX without amd64") }
