package nprand

import (
	"fmt"
	"math"
)

// Generator is NumPy's numpy.random.Generator over a PCG64 bit generator, with the samplers of
// numpy/random/src/distributions/distributions.c that draw the same values from the same stream.
type Generator struct {
	bits *PCG64
}

// DefaultRNG is numpy.random.default_rng(seed) for a non-negative integer seed:
// Generator(PCG64(SeedSequence(seed))).
func DefaultRNG(seed uint64) *Generator {
	return &Generator{bits: NewPCG64FromSeedSequence(NewSeedSequence(seed))}
}

// Bits returns the bit generator the draws come from.
func (g *Generator) Bits() *PCG64 { return g.bits }

// Random is Generator.random(): a 53-bit double in [0, 1).
func (g *Generator) Random() float64 { return g.bits.Float64() }

// Uniform is Generator.uniform(lo, hi): lo + (hi − lo)·U, U = Random().
func (g *Generator) Uniform(lo, hi float64) float64 { return lo + float64((hi-lo)*g.bits.Float64()) }

// Integers fills out with Generator.integers(lo, hi, size=len(out)) of the default int64 dtype:
// uniform integers in [lo, hi). NumPy draws them as lo + v, v uniform on 0..hi−lo−1: for a range
// hi − lo ≤ 2³² by Lemire's multiply-and-reject on 32-bit draws (numpy's
// buffered_bounded_lemire_uint32, whose 32-bit draws share PCG64's kept half). Wider ranges are
// not implemented and give an error, as does hi ≤ lo.
func (g *Generator) Integers(lo, hi int64, out []int64) error {
	if hi <= lo {
		return fmt.Errorf("integers: high = %d must be greater than low = %d", hi, lo)
	}
	rng := uint64(hi-lo) - 1 // inclusive range, as NumPy passes it
	switch {
	case rng == 0:
		for i := range out {
			out[i] = lo
		}
	case rng < 0xFFFFFFFF:
		for i := range out {
			out[i] = lo + int64(g.lemire32(uint32(rng)))
		}
	case rng == 0xFFFFFFFF:
		for i := range out {
			out[i] = lo + int64(g.bits.Uint32())
		}
	default:
		return fmt.Errorf("integers: range high − low = %d above 2³² is not implemented", uint64(hi-lo))
	}
	return nil
}

// lemire32 is a uniform integer on 0..rng (rng < 2³² − 1): with n = rng + 1, m = x·n for a 32-bit
// draw x, accepted when its low 32 bits are at least 2³² mod n, and then m >> 32 is the value.
func (g *Generator) lemire32(rng uint32) uint32 {
	n := uint64(rng) + 1
	m := uint64(g.bits.Uint32()) * n
	if low := uint32(m); uint64(low) < n {
		threshold := uint32((0xFFFFFFFF - uint64(rng)) % n) // 2³² mod n
		for low < threshold {
			m = uint64(g.bits.Uint32()) * n
			low = uint32(m)
		}
	}
	return uint32(m >> 32)
}

// StandardNormal is NumPy's Generator.standard_normal(): a 256-layer ziggurat (Marsaglia and
// Tsang 2000) on one 64-bit draw r: layer i = r & 0xff, sign the next bit, a 52-bit magnitude
// k; x = ±k·w_i is accepted at once when k < k_i. Otherwise layer 0 samples the tail beyond
// R = 3.6541…: x = −log1p(−U₁)/R, y = −log1p(−U₂), accepted when 2y > x², giving ±(R + x)
// (sign from bit 8 of k); layer i > 0 accepts x when f_i + (f_{i−1} − f_i)·U < exp(−x²/2);
// rejections start over with a new draw.
func (g *Generator) StandardNormal() float64 {
	for {
		r := g.bits.Uint64()
		idx := r & 0xff
		r >>= 8
		neg := r&1 != 0
		rabs := (r >> 1) & 0x000fffffffffffff
		x := float64(rabs) * wiDouble[idx]
		if neg {
			x = -x
		}
		if rabs < kiDouble[idx] {
			return x
		}
		if idx == 0 {
			for {
				xx := float64(-zigNorInvR * math.Log1p(-g.bits.Float64()))
				yy := -math.Log1p(-g.bits.Float64())
				if yy+yy > xx*xx {
					if (rabs>>8)&1 != 0 {
						return -(zigNorR + xx)
					}
					return zigNorR + xx
				}
			}
		}
		if float64((fiDouble[idx-1]-fiDouble[idx])*g.bits.Float64())+fiDouble[idx] < math.Exp(-0.5*x*x) {
			return x
		}
	}
}

// Normal is Generator.normal(loc, scale): loc + scale·StandardNormal().
func (g *Generator) Normal(loc, scale float64) float64 { return loc + scale*g.StandardNormal() }

// StandardExponential is NumPy's Generator.standard_exponential(): a 256-layer ziggurat on one
// 64-bit draw shifted right by 3: layer i = its low 8 bits, k the 53 bits above; x = k·w_i is
// accepted when k < k_i. Otherwise layer 0 returns R − log1p(−U) (R = 7.6971…, the tail is
// memoryless); layer i > 0 accepts x when f_i + (f_{i−1} − f_i)·U < exp(−x), else draws anew.
func (g *Generator) StandardExponential() float64 {
	for {
		r := g.bits.Uint64() >> 3
		idx := r & 0xff
		r >>= 8
		x := float64(r) * weDouble[idx]
		if r < keDouble[idx] {
			return x
		}
		if idx == 0 {
			return zigExpR - math.Log1p(-g.bits.Float64())
		}
		if float64((feDouble[idx-1]-feDouble[idx])*g.bits.Float64())+feDouble[idx] < math.Exp(-x) {
			return x
		}
	}
}

// DirichletOnes fills out with Generator.dirichlet(np.ones(len(out))), the uniform law on the
// simplex: NumPy draws standard_gamma(1) = StandardExponential() for each coordinate, in order,
// and multiplies each by 1/Σ (the reciprocal once, as NumPy does, not a division per entry).
func (g *Generator) DirichletOnes(out []float64) {
	acc := 0.0
	for j := range out {
		out[j] = g.StandardExponential()
		acc += out[j]
	}
	inv := 1 / acc
	for j := range out {
		out[j] *= inv
	}
}
