package algorithms

import (
	"math"

	"golang.org/x/sys/cpu"
)

// mix5AVX is mixGo on rows of five actions without a legal mask (A = 5), four rows at a time in
// AVX registers, for the rows 0, 4, … while four remain in len(out)/5; it returns the entries done
// (a multiple of 20). Each row's marginals are summed from +0 in the order of the row, and
// wOld = float64(beta·μ) with beta = 1-α, wBR = float64(α·μBR), den = wOld + wBR and every output
// (float64(wOld·o) + float64(wBR·b)) / den are rounded as the Go loop's (no FMA), 1/5 where
// !(den > 0). o, b, mass and massBR hold at least len(out) numbers.
//
//go:noescape
func mix5AVX(out, o, b, mass, massBR []float64, beta, alpha float64) int

// mix5Fast is cpu.X86.HasAVX (which honours GODEBUG=cpu.avx=off), confirmed on a probe.
var mix5Fast = cpu.X86.HasAVX && probeMix5()

// mix5 does mix's rows of five without a legal mask four at a time by mix5AVX where the processor
// has AVX, and returns the entries done (0 elsewhere); the slices hold len(out) numbers each.
func mix5(out, o, b, mass, massBR []float64, alpha float64) int {
	if !mix5Fast {
		return 0
	}
	n := len(out)
	return mix5AVX(out, o[:n], b[:n], mass[:n], massBR[:n], 1-alpha, alpha) // every index, checked
}

// probeMix5 reports that mix5AVX gives mixGo's bits on twelve rows: sums and ratios that round,
// an empty state (den = +0), den = -0 (μ = μBR = -5e-324 and α = ½: each product -0, not > 0),
// a NaN and an infinite mass, and subnormal products, so that both of the kernel's paths run (the
// groups of four rows with a uniform row and without). NaN outputs count as equal whatever their
// payloads (which of two NaN operands a scalar product keeps is the compiler's choice of operands).
func probeMix5() bool {
	const S = 12
	mass, massBR, o, b := make([]float64, 5*S), make([]float64, 5*S), make([]float64, 5*S), make([]float64, 5*S)
	for i := range mass {
		x := float64(i + 1)
		mass[i], massBR[i] = 0.1*x, 1/(x+0.3)
		o[i], b[i] = 1/(x+2), math.Sqrt(x)/7
	}
	copy(mass[5:10], []float64{0, 0, 0, 0, 0})
	copy(massBR[5:10], []float64{0, 0, 0, 0, 0})
	mass[11], massBR[16] = math.NaN(), math.Inf(1)
	for i := 20; i < 25; i++ {
		mass[i], massBR[i] = 5e-324, 1e-310
		o[i], b[i] = 0.3, 1e-3
	}
	mass[25], massBR[25] = 1e300, 1e300
	copy(mass[30:35], []float64{-5e-324, 0, 0, 0, math.Copysign(0, -1)})
	copy(massBR[30:35], []float64{-5e-324, math.Copysign(0, -1), 0, 0, 0})
	for _, alpha := range []float64{0.37, 1, 0, 1.0 / 3, 0.5} {
		got, want := make([]float64, 5*S), make([]float64, 5*S)
		if mix5AVX(got, o, b, mass, massBR, 1-alpha, alpha) != len(got) {
			return false
		}
		mixGo(want, o, b, mass, massBR, alpha, nil, S, 5)
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) && (got[i] == got[i] || want[i] == want[i]) {
				return false
			}
		}
	}
	return true
}
