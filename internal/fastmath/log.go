package fastmath

import "math"

// exactLog reports that log4 runs here (amd64 with AVX2) and gives math.Log's bits on the probes;
// it is set per architecture at start-up.
var exactLog = haveExactLog()

// logProbes are arguments of both branches of the reduction (the fraction above and below √2/2,
// and at it: math.Log's amd64 assembly takes the lower branch there, its Go form the upper one,
// which differ on √2/2·2^32 among all √2/2·2^k), of the smallest and largest exponents, and
// others; twelve, three groups of four.
var logProbes = []float64{1e-10, 0.5, 2, 3, math.Sqrt2 / 2, math.Ldexp(math.Sqrt2/2, 32), math.Sqrt2,
	1 + 1e-10, 2.2250738585072014e-308, math.MaxFloat64, 10.000000000100001, 0.0025000001}

// LogInto sets dst[i] = math.Log(src[i]) for every i < len(src), bit for bit; dst must be at
// least as long as src, and may be src itself (but no other slice overlapping it). On amd64
// math.Log is its assembly, which computes for a positive normal x, rounding after every
// operation (fdlibm's log with archLog's comparison),
//
//	x = f1·2^k, f1 in [1/2, 1); if f1 ≤ √2/2 { f1 = 2·f1, k = k-1 }; f = f1 - 1,
//	s = f/(2 + f), s2 = s·s, s4 = s2·s2,
//	R = s2·(L1 + s4·(L3 + s4·(L5 + s4·L7))) + s4·(L2 + s4·(L4 + s4·L6)), hfsq = 0.5·f·f,
//	log x = k·Ln2Hi - ((hfsq - (s·(hfsq + R) + k·Ln2Lo)) - f),
//
// and on machines with AVX2 LogInto does the same operations, in the same order and unfused, on
// four arguments at once. A group of four with an argument that is not a positive normal number
// (0, negative, subnormal, +Inf, NaN), the last one to three arguments, and every other machine
// get math.Log itself.
func LogInto(dst, src []float64) {
	dst = dst[:len(src)]
	if exactLog {
		for {
			done := log4(dst, src) // up to the first four with an argument outside the range
			dst, src = dst[done:], src[done:]
			if len(src) < 4 {
				break
			}
			for i, x := range src[:4] {
				dst[i] = math.Log(x)
			}
			dst, src = dst[4:], src[4:]
		}
	}
	for i, x := range src { // src[i] is read before dst[i], which may be the same number, is set
		dst[i] = math.Log(x)
	}
}

// probeLog reports whether log4 gives math.Log's bits on every probe.
func probeLog() bool {
	e := make([]float64, len(logProbes))
	if log4(e, logProbes) != len(logProbes) {
		return false
	}
	for i, x := range logProbes {
		if math.Float64bits(e[i]) != math.Float64bits(math.Log(x)) {
			return false
		}
	}
	return true
}

// LogIntoFourLanes reports whether LogInto takes its logarithms four at a time here; where it does
// not, it calls math.Log for each, and a caller's own scalar shortcuts (a cache of repeated
// arguments) may serve it better.
func LogIntoFourLanes() bool { return exactLog }
