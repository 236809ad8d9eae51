// Package stats holds the summary statistics the estimators share.
package stats

import "math"

// MeanStdErr returns the mean of x and its standard error, the sample standard deviation
// (denominator len(x) − 1) over √len(x): s/√n with s² = Σ (x_i − x̄)² / (n − 1). The standard
// error is NaN for fewer than 2 values.
func MeanStdErr(x []float64) (mean, se float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	if len(x) < 2 {
		return mean, math.NaN()
	}
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / float64(len(x)-1) / float64(len(x)))
}
