package games

import (
	"math"

	"golang.org/x/sys/cpu"
)

// matVecGroupsAVX is matVecGroupsGo with each group's four sums in the lanes of an AVX register
// (VCVTPS2PD, then VMULPD by the broadcast μ[z], then VADDPD with the sum as first operand, as
// the Go code's): the same operations in the same order, so the same bits. Four groups advance
// together. len(c) ≥ len(out)·len(mu), len(out) a multiple of 4.
//
//go:noescape
func matVecGroupsAVX(c []float32, mu, out []float64)

// garnetAVX is cpu.X86.HasAVX (which honours GODEBUG=cpu.avx=off), confirmed on a probe.
var garnetAVX = cpu.X86.HasAVX && probeMatVecGroups()

// matVecGroups is matVecGroupsAVX where the processor has AVX, else matVecGroupsGo.
func matVecGroups(c []float32, mu, out []float64) {
	if garnetAVX {
		matVecGroupsAVX(c, mu, out)
		return
	}
	matVecGroupsGo(c, mu, out)
}

// probeMatVecGroups reports that matVecGroupsAVX gives matVecGroupsGo's bits on five groups
// (four together, then one) of three columns, with an infinity, a zero times an infinity, signed
// zeros, a subnormal and sums that round; NaNs compare equal to NaNs.
func probeMatVecGroups() bool {
	mu := []float64{0.1, math.Inf(1), 5e-324}
	c := make([]float32, 5*4*len(mu))
	for i := range c {
		c[i] = float32(i%7)*0.37 - 1.1
	}
	c[1], c[4], c[13] = 0, float32(math.Copysign(0, -1)), 3e38
	got, want := make([]float64, 20), make([]float64, 20)
	matVecGroupsAVX(c, mu, got)
	matVecGroupsGo(c, mu, want)
	return sameUpToNaNs(got, want)
}

// hasAVXForGarnet is cpu.X86.HasAVX, for the test that the probe passes where it should.
func hasAVXForGarnet() bool { return cpu.X86.HasAVX }
