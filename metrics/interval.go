package metrics

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// MeanInterval returns an approximate confidence interval, at level in (0, 1), for the mean μ of
// a quantity that is never negative, such as C(π) over independent training runs, from
// independent values x_1..x_n with mean x̄ and sample standard deviation s (denominator n-1):
// Student's t interval for log μ, with the delta method's standard error s / (x̄ √n) of log x̄,
// mapped back,
//
//	[x̄ / f, x̄ · f],   f = exp(t_{n-1, (1+level)/2} · s / (x̄ √n)).
//
// Its bounds are never negative, and x̄ lies between them, nearer the lower one: the mean of a
// skewed nonnegative quantity errs upwards more than downwards. When every value is 0 it is
// [0, 0]. For nonnegative values s / x̄ <= √n, so f <= exp(t): the interval is wide when the values
// are few and spread, for instance with 2 values the upper bound can be hundreds of times the
// lower one, which is as much as 2 values say.
//
// It is approximate. Simulated at level 0.9 it covers μ about 88% of the time for exponential
// values (n from 4 to 20), 82% to 84% for log-normal ones (σ = 1), and less with fewer values or
// heavier upper tails; Student's t interval for μ itself, x̄ ± t s/√n, covers less in each of these
// cases (75% to 87%) and can reach below 0.
//
// With fewer than 2 values, a value negative or not finite, or level outside (0, 1) there is no
// interval: it returns NaN, NaN. At a level so near 1 that f overflows, the bounds are 0 and +Inf.
func MeanInterval(x []float64, level float64) (lower, upper float64) {
	n := len(x)
	if n < 2 || !(level > 0 && level < 1) {
		return math.NaN(), math.NaN()
	}
	// The values are scaled by the largest so that squares of large values do not overflow.
	var top float64
	for _, v := range x {
		if !(v >= 0) || math.IsInf(v, 1) {
			return math.NaN(), math.NaN()
		}
		top = math.Max(top, v)
	}
	if top == 0 {
		return 0, 0
	}
	var mean float64
	for _, v := range x {
		mean += v / top
	}
	mean /= float64(n)
	var ss float64
	for _, v := range x {
		ss += (v/top - mean) * (v/top - mean)
	}
	sd := math.Sqrt(ss / float64(n-1))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile((1 + level) / 2)
	f := math.Exp(t * sd / (mean * math.Sqrt(float64(n))))
	return top * mean / f, top * mean * f
}
