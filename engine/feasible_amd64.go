package engine

import "golang.org/x/sys/cpu"

// feasibleRows4AVX reports whether the rows 0..4·groups-1 of A ≥ 1 entries at prob (groups ≥ 1)
// have no entry < 0 and no sum, from +0 in the order of the entries, < lo or > hi: four rows at
// a time in AVX (feasible_amd64.s), each row's sum in its own lane and order.
//
//go:noescape
func feasibleRows4AVX(prob *float64, A, groups int, lo, hi float64) bool

// haveFeasibleAVX is cpu.X86.HasAVX (which honours GODEBUG=cpu.avx=off): the kernel's additions
// and comparisons are exact, whatever the unit.
func haveFeasibleAVX() bool { return cpu.X86.HasAVX }
