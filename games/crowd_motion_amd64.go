package games

import "golang.org/x/sys/cpu"

// rowSums5AVX is rowSums5Go four states at a time in AVX (crowd_motion_amd64.s): len(lg) a
// positive multiple of 4, len(mass) ≥ 5·len(lg).
//
//go:noescape
func rowSums5AVX(lg, mass []float64, eps float64)

// spread5AVX is spread5Go four states at a time in AVX2 (crowd_motion_amd64.s): len(near) a
// positive multiple of 4, len(lg) ≥ len(near), len(reward) ≥ 5·len(near); lg may be
// reward[4·len(near):].
//
//go:noescape
func spread5AVX(reward, near, lg []float64)

// haveCrowdAVX is cpu.X86.HasAVX2 (which honours GODEBUG=cpu.avx2=off): the kernels' additions,
// subtractions and moves are exact, whatever the unit.
func haveCrowdAVX() bool { return cpu.X86.HasAVX2 }
