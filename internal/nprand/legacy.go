package nprand

import "math"

// Legacy is NumPy's legacy global stream (np.random after np.random.seed(seed), a RandomState):
// an MT19937 seeded by init_genrand(seed) with the cache of the polar method's second normal
// deviate. Its draws in call order are those of np.random.random_sample, uniform and randn.
type Legacy struct {
	mt       *MT19937
	hasGauss bool
	gauss    float64
}

// NewLegacy returns the stream of np.random.seed(seed), which also empties the normal cache.
func NewLegacy(seed uint32) *Legacy { return &Legacy{mt: NewMT19937(seed)} }

// LegacyFrom continues the stream of m with an empty normal cache: np.random after
// np.random.seed and uniform draws only (which leave the cache empty) that m has made.
func LegacyFrom(m *MT19937) *Legacy { return &Legacy{mt: m} }

// Float64 is np.random.random_sample(): MT19937.Float64, a 53-bit double in [0, 1).
func (l *Legacy) Float64() float64 { return l.mt.Float64() }

// Uniform is np.random.uniform(lo, hi): lo + (hi - lo)·Float64().
func (l *Legacy) Uniform(lo, hi float64) float64 { return l.mt.Uniform(lo, hi) }

// NormFloat64 is one deviate of np.random.randn / standard_normal (NumPy's legacy_gauss), the
// polar Box–Muller method (Marsaglia): draw x1 = 2u1 − 1, x2 = 2u2 − 1 until 0 < r² = x1² + x2² < 1,
// let f = √(−2 ln r² / r²); return f·x2 and keep f·x1 for the next call. ln is the correctly
// rounded logarithm (logRounded). NumPy calls the C library's log, glibc's on Linux, whose error
// bound is 0.52 units in the last place: where ln r² lies within about 0.02 units of a rounding
// midpoint (about 3 in 10⁴ logarithms on glibc 2.36 with FMA), glibc may round the other way,
// and NumPy's pair of deviates then differs from these in the last place. An array of n
// deviates is n calls in row-major order, so an odd n leaves a deviate cached for the next one.
func (l *Legacy) NormFloat64() float64 {
	if l.hasGauss {
		l.hasGauss = false
		return l.gauss
	}
	x1, x2, r2 := l.polarPoint()
	var out float64
	l.gauss, out = polarDeviates(x1, x2, r2, logRounded(r2))
	l.hasGauss = true
	return out
}

// polarPoint draws x1 = 2u1 − 1, x2 = 2u2 − 1 until 0 < r² = x1² + x2² < 1.
func (l *Legacy) polarPoint() (x1, x2, r2 float64) {
	for {
		x1 = 2*l.mt.Float64() - 1
		x2 = 2*l.mt.Float64() - 1
		r2 = float64(x1*x1) + float64(x2*x2) // rounded apart, as NumPy's C: no fused multiply-add
		if r2 < 1 && r2 != 0 {
			return x1, x2, r2
		}
	}
}

// polarDeviates returns f·x1 (cached) and f·x2 (returned first), f = √(−2 ln r² / r²), from
// ln = ln r².
func polarDeviates(x1, x2, r2, ln float64) (cached, out float64) {
	f := math.Sqrt(-2 * ln / r2)
	return f * x1, f * x2
}

// ln2Hi + ln2Lo is ln 2 to about 107 bits: ln2Hi is ln 2 rounded to a double.
const ln2Hi, ln2Lo = 0.6931471805599453, 2.319046813846299558e-17

// atanhTerms are 1/(2k+1), k = 0..len-1, as double-doubles, for the series of logRounded.
var atanhTerms = func() [24][2]float64 {
	var t [24][2]float64
	for k := range t {
		t[k] = ddDiv([2]float64{1, 0}, [2]float64{float64(2*k + 1), 0})
	}
	return t
}()

// logRounded is ln x for x > 0 rounded to the nearest double (math.Log's error bound is one unit
// in the last place, and it is that far off a few times as often as glibc's log).
// With x = m·2^e, m in [√½, √2), ln x = e ln 2 + 2 atanh(s), s = (m − 1)/(m + 1), |s| < 0.172, and
// 2 atanh(s) = 2 Σ_k s^(2k+1)/(2k+1), summed in double-double arithmetic (about 104 bits) to
// 24 terms (s^48 < 2^−120), then rounded once.
func logRounded(x float64) float64 { return logDD(x)[0] }

// logDD is ln x as a normalised double-double (hi = fl(hi + lo)) of logRounded.
func logDD(x float64) [2]float64 {
	m, e := math.Frexp(x)
	if m < math.Sqrt2/2 {
		m, e = 2*m, e-1
	}
	num := [2]float64{m - 1, 0} // exact: m is within a factor of 2 of 1 (Sterbenz)
	den := twoSum(m, 1)
	s := ddDiv(num, den)
	s2 := ddMul(s, s)
	acc := atanhTerms[len(atanhTerms)-1]
	for k := len(atanhTerms) - 2; k >= 0; k-- {
		acc = ddAdd(ddMul(acc, s2), atanhTerms[k])
	}
	r := ddMul(s, acc)
	r = [2]float64{2 * r[0], 2 * r[1]}
	fe := float64(e)
	eh, el := float64(fe*ln2Hi), math.FMA(fe, ln2Hi, -fe*ln2Hi)
	return ddAdd(r, [2]float64{eh, el + float64(fe*ln2Lo)})
}

// twoSum returns a + b exactly as a double-double (hi = fl(a + b), lo the rounding error).
func twoSum(a, b float64) [2]float64 {
	s := a + b
	bb := s - a
	return [2]float64{s, (a - (s - bb)) + (b - bb)}
}

// quickTwoSum is twoSum for |a| >= |b|.
func quickTwoSum(a, b float64) [2]float64 {
	s := a + b
	return [2]float64{s, b - (s - a)}
}

// ddAdd is the double-double sum a + b.
func ddAdd(a, b [2]float64) [2]float64 {
	s := twoSum(a[0], b[0])
	t := twoSum(a[1], b[1])
	s[1] += t[0]
	s = quickTwoSum(s[0], s[1])
	s[1] += t[1]
	return quickTwoSum(s[0], s[1])
}

// ddMul is the double-double product a·b (the exact product of the high parts by FMA).
func ddMul(a, b [2]float64) [2]float64 {
	p := float64(a[0] * b[0]) // rounded: quickTwoSum's p + e must not fuse it (GOAMD64=v3)
	e := math.FMA(a[0], b[0], -p)
	e += float64(a[0]*b[1]) + float64(a[1]*b[0])
	return quickTwoSum(p, e)
}

// ddDiv is the double-double quotient a/b: three quotient digits, each from the remainder.
func ddDiv(a, b [2]float64) [2]float64 {
	q1 := a[0] / b[0]
	r := ddAdd(a, ddMul(b, [2]float64{-q1, 0}))
	q2 := r[0] / b[0]
	r = ddAdd(r, ddMul(b, [2]float64{-q2, 0}))
	q3 := r[0] / b[0]
	q := quickTwoSum(q1, q2)
	return ddAdd(q, [2]float64{q3, 0})
}
