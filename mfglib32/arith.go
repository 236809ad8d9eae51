package mfglib32

import (
	"math"
)

// Everything here rounds to float32 after every operation, as torch's float32 kernels do.
// Products that feed a sum are written float32(a*b) so that no compiler fuses them into an FMA
// (the Go spec allows fusion unless a conversion rounds explicitly).

// fma32 is a float32 fused multiply-add, a·b + c rounded once, as AVX2's vfmadd does. The product
// of two float32 values is exact in float64; the float64 sum may round, and a second rounding to
// float32 then differs from a single rounding only when the float64 sum sits exactly on a float32
// midpoint, which its low 29 bits show; fma32Exact settles that case (and float32's subnormal and
// overflow ranges).
func fma32(a, b, c float32) float32 {
	s := float64(a)*float64(b) + float64(c)
	bits := math.Float64bits(s)
	exp := bits >> 52 & 0x7ff
	if bits&(1<<29-1) != 1<<28 && exp > 1023-126 && exp < 1023+127 {
		return float32(s)
	}
	return fma32Exact(a, b, c)
}

// fma32Exact is fma32 for every case: with the float64 sum's exact error e (TwoSum), a float64
// sum on a float32 midpoint rounds toward the side of e.
func fma32Exact(a, b, c float32) float32 {
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
	s := float32(x.hi * y)
	return df{s, fma32(x.lo, y, fma32(x.hi, y, -s))}
}

func dfDiv(n, d df) df {
	t := 1 / d.hi
	s := float32(n.hi * t)
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
	x2 := float32(x.hi * x.hi)
	t := float32(+0.3027294874e+0)
	t = fma32(t, x2, +0.3996108174e+0)
	t = fma32(t, x2, +0.6666694880e+0)
	s = dfAddDD(s, dfScale(x, 2))
	s = dfAddDF(s, float32(float32(x2*x.hi)*t))
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

// glibc 2.36's expf tables (ARM optimized-routines' exp2f_data.c, 32 entries): tab[i] is the bit
// pattern of 2^(i/32) minus i << 47, and the polynomial coefficients are scaled by 1/32^k.
var (
	expfTab = [32]uint64{
		0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51,
		0x3fef72b83c7d517b, 0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1,
		0x3fef06fe0a31b715, 0x3feef1a7373aa9cb, 0x3feedea64c123422, 0x3feece086061892d,
		0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429, 0x3feea47eb03a5585,
		0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
		0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d,
		0x3feee89f995ad3ad, 0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069,
		0x3fef5818dcfba487, 0x3fef7c97337b9b5f, 0x3fefa4afa2a490da, 0x3fefd0765b6e4540,
	}
	expfC = [3]float64{0x1.c6af84b912394p-5 / 32 / 32 / 32, 0x1.ebfce50fac4f3p-3 / 32 / 32, 0x1.62e42ff0c52d6p-1 / 32}
)

// GlibcExpf is glibc 2.36's expf as x86-64 runs it on a CPU with FMA (its __expf_fma variant,
// where the compiler fuses the polynomial's multiply-adds), which torch's scalar code calls
// through std::exp: a table of 2^(i/32) and a cubic, in float64, rounded once to float32.
func GlibcExpf(x float32) float32 {
	abstop := (math.Float32bits(x) >> 20) & 0x7ff
	if abstop >= math.Float32bits(88)>>20 {
		switch {
		case math.IsInf(float64(x), -1):
			return 0
		case abstop >= math.Float32bits(float32(math.Inf(1)))>>20:
			return x + x
		case x > 0x1.62e42ep6:
			return float32(math.Inf(1))
		case x < -0x1.9fe368p6:
			return 0
		}
	}
	const shift = 0x1.8p+52
	z := float64(0x1.71547652b82fep+0 * 32 * float64(x))
	kd := z + shift
	ki := math.Float64bits(kd)
	kd -= shift
	r := z - kd
	t := expfTab[ki%32] + ki<<(52-5)
	s := math.Float64frombits(t)
	zz := math.FMA(expfC[0], r, expfC[1])
	r2 := float64(r * r)
	y := math.FMA(expfC[2], r, 1)
	y = math.FMA(zz, r2, y)
	return float32(y * s)
}

func ilogb2k(d float32) int32 { return int32((math.Float32bits(d)>>23)&0xff) - 0x7f }

func ldexp3(d float32, q int32) float32 {
	return math.Float32frombits(uint32(int32(math.Float32bits(d)) + q<<23))
}

func pow2i(q int32) float32 { return math.Float32frombits(uint32((q + 0x7f) << 23)) }

// reduceAll is torch's vec::reduce_all over x for float32 AVX2 vectors of 8 lanes: below 8
// elements a left-to-right fold; from 8 on, lane-wise folds of whole vectors, the leftover
// elements folded into the first lanes, and the 8 lanes combined as a shuffle tree
// ((l0∘l4) ∘ (l2∘l6)) ∘ ((l1∘l5) ∘ (l3∘l7)).
func reduceAll(x []float32, op func(a, b float32) float32) float32 {
	n := len(x)
	if n < 8 {
		acc := x[0]
		for _, v := range x[1:] {
			acc = op(acc, v)
		}
		return acc
	}
	var l [8]float32
	copy(l[:], x[:8])
	d := 8
	for ; d < n-n%8; d += 8 {
		for k := range l {
			l[k] = op(l[k], x[d+k])
		}
	}
	for k := 0; d+k < n; k++ {
		l[k] = op(l[k], x[d+k])
	}
	w0, w1, w2, w3 := op(l[0], l[4]), op(l[1], l[5]), op(l[2], l[6]), op(l[3], l[7])
	return op(op(w0, w2), op(w1, w3))
}

func add32(a, b float32) float32 { return a + b }

// max32 is vec::maximum: NaN wins.
func max32(a, b float32) float32 {
	if a != a || b != b {
		return float32(math.NaN())
	}
	return max(a, b)
}

// softmax writes torch.nn.Softmax(dim=-1) of one row into dst, as torch 1.13's vectorised
// last-dimension kernel computes it: the maximum, exp(x − max) with SLEEF, their sum (reduceAll),
// its reciprocal, and a product (not a division).
func softmax(x, dst []float32) {
	m := reduceAll(x, max32)
	for i, v := range x {
		dst[i] = Expf(v - m)
	}
	inv := 1 / reduceAll(dst, add32)
	for i := range dst {
		dst[i] *= inv
	}
}

// softmaxDim0 writes torch.nn.Softmax(dim=0) of x, a dim × inner array (row-major), into dst, as
// torch 1.13's kernel does on one thread: for each column, the maximum, exp(x − max) summed from
// the first row down, and a division by the sum. Columns are done 8 at a time with SLEEF's exp;
// the inner % 8 columns left over take the scalar path, whose exp is glibc's.
func softmaxDim0(x, dst []float32, dim, inner int) {
	vectorized := inner - inner%8
	for j := 0; j < inner; j++ {
		exp := Expf
		if j >= vectorized {
			exp = GlibcExpf
		}
		m := x[j]
		for d := 1; d < dim; d++ {
			m = max32(m, x[d*inner+j])
		}
		var sum float32
		for d := 0; d < dim; d++ {
			e := exp(x[d*inner+j] - m)
			dst[d*inner+j] = e
			sum += e
		}
		for d := 0; d < dim; d++ {
			dst[d*inner+j] /= sum
		}
	}
}

// matmul writes the product of a (n × k) and b (k × m), row-major, into dst (n × m), each entry
// summed from k = 0 up as the reference BLAS's sgemm does.
func matmul(a, b, dst []float32, n, k, m int) {
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			var acc float32
			for l := 0; l < k; l++ {
				acc += float32(a[i*k+l] * b[l*m+j])
			}
			dst[i*m+j] = acc
		}
	}
}
