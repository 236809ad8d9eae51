package games

import "math"

// exactLog4 reports that log4 and crowdRewards4 run here (amd64 with AVX2) and give math.Log's
// bits on the probes; it is set per architecture at start-up.
var exactLog4 = haveLog4()

// log4Probes are arguments of both branches of the reduction (the fraction above and below √2/2,
// and at it: math.Log's amd64 assembly takes the lower branch there, its Go form the upper one,
// which differ on √2/2·2^32 among all √2/2·2^k), of the smallest and largest exponents, and
// others.
var log4Probes = []float64{1e-10, 0.5, 2, 3, math.Sqrt2 / 2, math.Ldexp(math.Sqrt2/2, 32), math.Sqrt2,
	1 + 1e-10, 2.2250738585072014e-308, math.MaxFloat64, 10.000000000100001, 0.0025000001, 12345.678}

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

// probeRewards4 reports whether crowdRewards4 gives the rewards' bits, near - math.Log of the
// density, on a probe of eight states whose densities are log4Probes' first eight.
func probeRewards4() bool {
	const n = 8
	near, mass, reward := make([]float64, n), make([]float64, 5*n), make([]float64, 5*n)
	for s := range near {
		near[s] = float64(s) / 3
		for a := range 5 {
			mass[5*s+a] = log4Probes[s] / 5 * float64(a+1) / 3 // fifths that add up to about x
		}
	}
	if crowdRewards4(near, mass, reward, 1e-10) != n {
		return false
	}
	for s := range near {
		m := mass[5*s : 5*s+5]
		want := near[s] - math.Log(m[0]+m[1]+m[2]+m[3]+m[4]+1e-10)
		for _, r := range reward[5*s : 5*s+5] {
			if math.Float64bits(r) != math.Float64bits(want) {
				return false
			}
		}
	}
	return true
}
