package mfglib32

import (
	"math"
)

// Everything here rounds to float32 after every operation, as torch's float32 kernels do.
// Products that feed a sum are written float32(a*b) so that no compiler fuses them into an FMA
// (the Go spec allows fusion unless a conversion rounds explicitly).

// fma32 is a float32 fused multiply-add, a·b + c rounded once, as AVX2's vfmadd does. The product
// of two float32 values is exact in float64; the float64 sum may round, and a second rounding to
// float32 would then differ from a single rounding exactly when the float64 result sits on a
// float32 midpoint, so that case is settled by the sign of the float64 sum's error.
func fma32(a, b, c float32) float32 {
	p := float64(a) * float64(b)
	cc := float64(c)
	s := p + cc
	// TwoSum: p + cc = s + e exactly.
	bb := s - p
	e := (p - (s - bb)) + (cc - bb)
	f := float32(s)
	if e == 0 || math.IsInf(s, 0) || math.IsNaN(s) {
		return f
	}
	// The neighbour of f on the other side of s.
	var g float32
	if float64(f) > s {
		g = math.Nextafter32(f, float32(math.Inf(-1)))
	} else if float64(f) < s {
		g = math.Nextafter32(f, float32(math.Inf(1)))
	} else {
		return f // s is a float32: the exact value rounds to it
	}
	if float64(f)+float64(g) != 2*s {
		return f // not a midpoint: the double rounding was harmless
	}
	// s is a midpoint; the exact value lies on the side of e.
	if (e > 0) == (g > f) {
		return g
	}
	return f
}

// Constants of SLEEF 3.5.1 (src/common/misc.h).
const (
	l2Uf  float32 = 0.693145751953125
	l2Lf  float32 = 1.428606765330187045e-06
	rLn2f float32 = 1.442695040888963407359924681001892137426645954152985934135449406931
)

// df is a double-float: an unevaluated sum hi + lo of two float32 values.
type df struct{ hi, lo float32 }

func dfAdd2(x, y float32) df { // |x| and |y| in any order
	s := x + y
	v := s - x
	return df{s, (x - (s - v)) + (y - v)}
}

func dfAddDD(x, y df) df { // |x| >= |y|
	s := x.hi + y.hi
	return df{s, (((x.hi - s) + y.hi) + x.lo) + y.lo}
}

func dfAddDF(x df, y float32) df {
	s := x.hi + y
	return df{s, ((x.hi - s) + y) + x.lo}
}

func dfScale(d df, s float32) df { return df{d.hi * s, d.lo * s} }

func dfMulDF(x df, y float32) df {
	s := x.hi * y
	return df{s, fma32(x.lo, y, fma32(x.hi, y, -s))}
}

func dfDiv(n, d df) df {
	t := 1 / d.hi
	s := n.hi * t
	u := fma32(t, n.hi, -s)
	v := fma32(-d.lo, t, fma32(-d.hi, t, 1))
	return df{s, fma32(s, v, fma32(n.lo, t, u))}
}

// Logf is SLEEF 3.5.1's xlogf_u1 in its AVX2 (FMA) build, which torch 1.13's Sleef_logf8_u10 runs
// for torch.log on float32 tensors: the natural logarithm within 1 ulp, and bit-identical to it.
func Logf(d float32) float32 {
	const fltMin = 1.17549435e-38
	small := d < fltMin
	if small {
		d = d * (float32(1<<32) * float32(1<<32))
	}
	e := ilogb2k(d * float32(1.0/0.75))
	m := ldexp3(d, -e)
	if small {
		e -= 64
	}
	s := dfMulDF(df{0.69314718246459960938, -1.904654323148236017e-09}, float32(e))
	x := dfDiv(dfAdd2(-1, m), dfAdd2(1, m))
	x2 := x.hi * x.hi
	t := float32(+0.3027294874e+0)
	t = fma32(t, x2, +0.3996108174e+0)
	t = fma32(t, x2, +0.6666694880e+0)
	s = dfAddDD(s, dfScale(x, 2))
	s = dfAddDF(s, float32(x2*x.hi)*t)
	r := s.hi + s.lo
	switch {
	case math.IsInf(float64(d), 1):
		r = float32(math.Inf(1))
	case d < 0 || d != d:
		r = float32(math.NaN())
	case d == 0:
		r = float32(math.Inf(-1))
	}
	return r
}

// Expf is SLEEF 3.5.1's xexpf in its AVX2 (FMA) build, which torch 1.13's Sleef_expf8_u10 runs for
// torch.exp (and inside softmax) on float32 tensors.
func Expf(d float32) float32 {
	q := int32(math.RoundToEven(float64(d * rLn2f)))
	qf := float32(q)
	s := fma32(qf, -l2Uf, d)
	s = fma32(qf, -l2Lf, s)
	u := float32(0.000198527617612853646278381)
	u = fma32(u, s, 0.00139304355252534151077271)
	u = fma32(u, s, 0.00833336077630519866943359)
	u = fma32(u, s, 0.0416664853692054748535156)
	u = fma32(u, s, 0.166666671633720397949219)
	u = fma32(u, s, 0.5)
	u = 1 + fma32(s*s, u, s)
	u = u * pow2i(q>>1) * pow2i(q-(q>>1))
	if d < -104 {
		u = 0
	}
	if d > 100 {
		u = float32(math.Inf(1))
	}
	return u
}

func ilogb2k(d float32) int32 { return int32((math.Float32bits(d)>>23)&0xff) - 0x7f }

func ldexp3(d float32, q int32) float32 {
	return math.Float32frombits(uint32(int32(math.Float32bits(d)) + q<<23))
}

func pow2i(q int32) float32 { return math.Float32frombits(uint32((q + 0x7f) << 23)) }

// softmax writes torch.nn.Softmax(dim=-1) of one row of fewer than 8 entries into dst, as torch
// 1.13's vectorised last-dimension kernel computes it: the maximum, exp(x − max) with SLEEF, the
// sum from left to right, its reciprocal, and a product (not a division).
func softmax(x, dst []float32) {
	m := x[0]
	for _, v := range x[1:] {
		if v > m || v != v {
			m = v
		}
	}
	var sum float32
	for i, v := range x {
		dst[i] = Expf(v - m)
		if i == 0 {
			sum = dst[0]
		} else {
			sum += dst[i]
		}
	}
	inv := 1 / sum
	for i := range dst {
		dst[i] *= inv
	}
}
