package fastmath

import "math"

// In [expLo, expHi] math.Exp's amd64 assembly takes its plain path: k = round(x·log2 e) lies in
// [-1021, 1023], so 2^k is a normal number, and neither its denormal branch (k ≤ -1023) nor its
// overflow branch (k ≥ 1024, or x > 709.78…) is taken.
const (
	expLo = -708
	expHi = 709
)

// exactFMA reports that math.Exp takes the FMA path of its amd64 assembly here (useFMA in package
// math), which expFMA4 follows; it is set per architecture and checked on probes at start-up.
var exactFMA = haveExactFMA()

// ExpFMA reports that ExpInto computes here as math.Exp's FMA path does, four arguments at a time
// in AVX registers (see ExpInto): a kernel doing the same operations, in the same order, then
// gives math.Exp's bits. False on every machine where ExpInto calls math.Exp instead.
func ExpFMA() bool { return exactFMA }

// exactProbes are arguments on which math.Exp's FMA path and its SSE2 path (products unfused, four
// doublings then +1) round differently: each one alone tells the two apart.
var exactProbes = []float64{0.375, -2.375, 2.375, 3.625, -3.75, -5.375, -5.75, 6.125, 6.375,
	-6.625, -6.75, 7.25, -8.625, 10.25, -11.25, -12.125}

// ExpInto sets dst[i] = math.Exp(src[i]) for every i < len(src), bit for bit; dst must be at
// least as long as src, and may be src itself. On amd64 machines with AVX and FMA, where
// math.Exp computes for x in [-708, 709] (its assembly, after Shibata's SLEEF)
//
//	k = round(x·log2 e) (to nearest, ties to even), r = ((x - k·LN2U) - k·LN2L)/16,
//	p = Horner(1/8!, 1/7!, …, 1/2!, 1; r), s = r·p ≈ e^r - 1,
//	three times s ← s·(s + 2) (e^2r - 1 from e^r - 1), e^x = 2^k·(s·(s + 2) + 1),
//
// rounding after every operation, the subtractions of k·LN2U and k·LN2L, Horner's steps and the
// last +1 fused with their products (LN2U + LN2L ≈ ln 2, LN2U short), ExpInto does the same
// operations on four arguments at once in AVX registers, several times faster. Every other
// argument (NaN, ±Inf, results near overflow or subnormal) and every other machine get math.Exp.
func ExpInto(dst, src []float64) {
	dst = dst[:len(src)]
	if !exactFMA {
		for i, x := range src {
			dst[i] = math.Exp(x)
		}
		return
	}
	for {
		done := expFMA4(dst, src) // up to the first four with an argument outside the range
		if done == len(src) {
			return
		}
		dst, src = dst[done:], src[done:]
		n := min(4, len(src)) // those four, or the last one to three
		expFew(dst[:n], src[:n])
		dst, src = dst[n:], src[n:]
	}
}

// expFew is ExpInto of at most four arguments, those outside [expLo, expHi] by math.Exp: the
// others, padded with zeros to four, go through expFMA4 together.
func expFew(dst, src []float64) {
	var x, e [4]float64
	for i, v := range src {
		if v >= expLo && v <= expHi {
			x[i] = v
		}
	}
	expFMA4(e[:], x[:])
	for i, v := range src { // src[i] is read before dst[i], which may be the same number, is set
		if v >= expLo && v <= expHi {
			dst[i] = e[i]
		} else {
			dst[i] = math.Exp(v)
		}
	}
}
