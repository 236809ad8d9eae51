package nprand

import "math/bits"

// pcgMultHi and pcgMultLo are the 128-bit multiplier 0x2360ED051FC65DA44385DF649FCCF645 of
// PCG64's linear congruential step.
const (
	pcgMultHi = 0x2360ED051FC65DA4
	pcgMultLo = 0x4385DF649FCCF645
)

// PCG64 is NumPy's default bit generator (O'Neill 2014, "PCG-XSL-RR 128/64"): a 128-bit state
// x advanced by x ← a·x + c mod 2¹²⁸ (a the multiplier above, c an odd increment), each 64-bit
// output being the high and low halves of the new state XOR-ed and rotated right by the top six
// bits of the state. 32-bit draws use one 64-bit output in two halves, low first, the high half
// kept for the next 32-bit draw (numpy/random/src/pcg64/pcg64.h, pcg64_next32).
type PCG64 struct {
	hi, lo       uint64 // state
	incHi, incLo uint64 // increment c, odd
	hasHalf      bool   // a 32-bit half is kept for the next Uint32
	half         uint32
}

// NewPCG64 seeds as pcg64_set_seed(state, seed, inc) does: with s = seed[0]·2⁶⁴ + seed[1] and
// i = inc[0]·2⁶⁴ + inc[1], the increment is c = 2i + 1 mod 2¹²⁸ and the state x is 0, stepped,
// plus s, stepped.
func NewPCG64(seed, inc [2]uint64) *PCG64 {
	p := &PCG64{incHi: inc[0]<<1 | inc[1]>>63, incLo: inc[1]<<1 | 1}
	p.step()
	var carry uint64
	p.lo, carry = bits.Add64(p.lo, seed[1], 0)
	p.hi, _ = bits.Add64(p.hi, seed[0], carry)
	p.step()
	return p
}

// NewPCG64FromSeedSequence is NumPy's PCG64(SeedSequence(...)): the first two of four 64-bit
// words from s.GenerateState64 are the seed, the last two the increment.
func NewPCG64FromSeedSequence(s *SeedSequence) *PCG64 {
	w := s.GenerateState64(4)
	return NewPCG64([2]uint64{w[0], w[1]}, [2]uint64{w[2], w[3]})
}

// step is x ← a·x + c mod 2¹²⁸.
func (p *PCG64) step() {
	h, l := bits.Mul64(p.lo, pcgMultLo)
	h += p.hi*pcgMultLo + p.lo*pcgMultHi
	var carry uint64
	p.lo, carry = bits.Add64(l, p.incLo, 0)
	p.hi, _ = bits.Add64(h, p.incHi, carry)
}

// Uint64 steps and returns the XSL-RR output of the new state: (hi ⊕ lo) rotated right by hi>>58.
func (p *PCG64) Uint64() uint64 {
	p.step()
	return bits.RotateLeft64(p.hi^p.lo, -int(p.hi>>58))
}

// Uint32 returns the low half of a new 64-bit output and keeps the high half for the next call.
func (p *PCG64) Uint32() uint32 {
	if p.hasHalf {
		p.hasHalf = false
		return p.half
	}
	x := p.Uint64()
	p.hasHalf, p.half = true, uint32(x>>32)
	return uint32(x)
}

// Float64 is NumPy's next_double: the top 53 bits of a 64-bit output over 2⁵³, in [0, 1).
func (p *PCG64) Float64() float64 {
	return float64(p.Uint64()>>11) * (1.0 / 9007199254740992.0)
}
