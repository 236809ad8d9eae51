package engine

import "golang.org/x/sys/cpu"

// absDiffSums4AVX writes, for the four times j (x[j] and y[j] point to n entries each, n a
// positive multiple of 4), the sum Σ_i |x_j[i] - y_j[i]| from +0 in the order of i into out[j]
// and the maximum max_i |x_j[i] - y_j[i]| (from +0; not NaN-aware) into out[4+j], in AVX
// (distance_amd64.s).
//
//go:noescape
func absDiffSums4AVX(x, y *[4]*float64, n int, out *[8]float64)

// haveDistanceAVX is cpu.X86.HasAVX (which honours GODEBUG=cpu.avx=off): the kernel's
// subtractions, absolute values, additions and maxima are exact, whatever the unit.
func haveDistanceAVX() bool { return cpu.X86.HasAVX }
