package games

import "math"

// exactLog4 reports that log4 runs here (amd64 with AVX2) and gives math.Log's bits on the
// probes; it is set per architecture at start-up.
var exactLog4 = haveLog4()

// log4Probes are arguments of both branches of the reduction (the fraction above and below √2/2,
// and at it: math.Log's amd64 assembly takes the lower branch there, its Go form the upper one,
// which differ on √2/2·2^32 among all √2/2·2^k), of the smallest and largest exponents, and
// others.
var log4Probes = []float64{1e-10, 0.5, 2, 3, math.Sqrt2 / 2, math.Ldexp(math.Sqrt2/2, 32), math.Sqrt2,
	1 + 1e-10, 2.2250738585072014e-308, math.MaxFloat64, 10.000000000100001, 0.0025000001, 12345.678}

// logInto sets dst[i] = math.Log(src[i]) for every i < len(src), bit for bit; dst must be at
// least as long as src. Where log4 runs, four at a time (math.Log for the groups with an argument
// that is not a positive normal number, and for the last one to three).
func logInto(dst, src []float64) {
	dst = dst[:len(src)]
	if exactLog4 {
		for {
			done := log4(dst, src)
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
	for i, x := range src {
		dst[i] = math.Log(x)
	}
}

// probeLog4 reports whether log4 gives math.Log's bits on every probe.
func probeLog4() bool {
	src := append([]float64(nil), log4Probes...)
	for len(src)%4 != 0 {
		src = append(src, 1)
	}
	dst := make([]float64, len(src))
	if log4(dst, src) != len(src) {
		return false
	}
	for i, x := range src {
		if math.Float64bits(dst[i]) != math.Float64bits(math.Log(x)) {
			return false
		}
	}
	return true
}
