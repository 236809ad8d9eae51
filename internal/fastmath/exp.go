// Package fastmath computes e^x in float64 about 1.7 times as fast as math.Exp, within 1 ulp, for
// the softmax policies of the solvers, which take tens of thousands of exponentials per iteration.
//
// It is table-driven, as glibc's and ARM's optimized-routines' exp are, with a table rounded
// correctly at start-up from a 256-bit computation, and hands the rare arguments it does not cover
// (results that overflow or are subnormal, NaN, infinities) to math.Exp. (A logarithm written the
// same way measured no faster than math.Log, so there is none.)
//
// ExpInto is math.Exp itself, bit for bit, over a slice: for results pinned to math.Exp's digits
// (golden digests), it runs math.Exp's own amd64 FMA sequence four arguments at a time.
//
// ExpTableInto is Exp itself, bit for bit, over a slice: on amd64 with AVX2 it runs Exp's
// operations, unfused and in Exp's order, four arguments at a time: five times as fast as a loop
// of Exp on long slices, 1.6 and 2.8 times on rows of 5 and 9 (whose last one to three arguments
// take Exp). Where this build's Exp differs (products fused into sums, as GOARCH=arm64 and
// GOAMD64=v3 compile it), and elsewhere, it is that loop.
package fastmath

import (
	"math"
	"math/big"
)

const (
	tableBits = 7
	n         = 1 << tableBits
	// ln 2 / n in two parts: ln2HiN has 17 trailing zero bits, so k·ln2HiN is exact for
	// |k| < 2^17; Exp's range needs |k| ≤ 709·n/ln 2 < 130 928.
	ln2HiN = 0x1.62e42fefa0000p-1 / n
	ln2LoN = 0x1.cf79abc9e3b3ap-40 / n
	invLn2 = 0x1.71547652b82fep0 * n
	shift  = 0x1.8p52 // adding it rounds to an integer held in the low mantissa bits
)

// table[j] is the bit pattern of 2^(j/n) minus j << (52-tableBits), so that adding k << (52-7)
// (k the scaled integer) yields 2^(k/n) directly.
var table = func() [n]uint64 {
	var t [n]uint64
	const prec = 256
	two := new(big.Float).SetPrec(prec).SetInt64(2)
	root := new(big.Float).SetPrec(prec).Set(two)
	for i := 0; i < tableBits; i++ {
		root.Sqrt(root)
	}
	p := new(big.Float).SetPrec(prec).SetInt64(1)
	for j := 0; j < n; j++ {
		v, _ := p.Float64() // nearest float64
		t[j] = math.Float64bits(v) - uint64(j)<<(52-tableBits)
		p.Mul(p, root)
	}
	return t
}()

// Exp returns e^x within 1 ulp for x in [-690, 709], and math.Exp(x) elsewhere (NaN and the
// infinities included). In its range, x = (k + j/128)·ln 2 + r
// with |r| ≤ ln 2/256, e^x = 2^k · 2^(j/128) · e^r, e^r by its Taylor polynomial of degree 5.
func Exp(x float64) float64 {
	// Inside [-690, 709] the result and scale·p below are normal float64 numbers (from -708 on the
	// latter can be subnormal, whose coarser rounding costs up to 0.25 ulp); outside, and for NaN,
	// math.Exp decides.
	if !(x >= -690 && x <= 709) {
		return math.Exp(x)
	}
	z := float64(invLn2 * x)
	kd := float64(z + shift)
	ki := math.Float64bits(kd)
	kd -= shift
	r := float64(x-float64(kd*ln2HiN)) - float64(kd*ln2LoN)
	scale := math.Float64frombits(table[ki%n] + ki<<(52-tableBits))
	// e^r - 1 = r + r²(1/2 + r(1/6 + r(1/24 + r/120))); |r| ≤ 0.0028, so the next term is < 1e-18.
	// Each product rounded before its sum, as the default build computes it (GOAMD64=v3 fuses
	// them otherwise; ExpTableInto's lanes do not either).
	p := r + float64(float64(r*r)*(0.5+float64(r*(1.0/6+float64(r*(1.0/24+float64(r*(1.0/120))))))))
	return scale + float64(scale*p)
}
