package finite

import "golang.org/x/sys/cpu"

// rowsMaxDotAVX is rowsMaxDotGo in AVX (rows_amd64.s).
//
//go:noescape
func rowsMaxDotAVX(q, p, own, v []float64, A int)

// anyNaNAVX is anyNaNGo in AVX (rows_amd64.s).
//
//go:noescape
func anyNaNAVX(x []float64) bool

// expectDenseAVX is expectDenseGo in AVX (rows_amd64.s).
//
//go:noescape
func expectDenseAVX(prob, v, r, d0, d1 []float64, S int)

// expectSureAVX is expectSureGo in AVX (rows_amd64.s).
//
//go:noescape
func expectSureAVX(to []int, prob, v, r, d0, d1 []float64)

// expectRowsAVX is expectRowsGo in AVX (rows_amd64.s).
//
//go:noescape
func expectRowsAVX(start, to []int, prob, v, r, d0, d1 []float64)

// nextRowsAVX is nextRowsGo in AVX (rows_amd64.s).
//
//go:noescape
func nextRowsAVX(start, to []int, prob, mass, next []float64)

// nextDenseAVX is nextDenseGo in AVX (rows_amd64.s).
//
//go:noescape
func nextDenseAVX(prob, mass, next []float64)

// fillAVX is fillGo in AVX (rows_amd64.s).
//
//go:noescape
func fillAVX(dst, mu, prob []float64, A int)

// haveRowsAVX is cpu.X86.HasAVX (which honours GODEBUG=cpu.avx=off), confirmed on a probe.
func haveRowsAVX() bool { return cpu.X86.HasAVX && probeRowsAVX() }
