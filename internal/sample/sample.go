// Package sample draws from discrete distributions.
package sample

import "math/rand/v2"

// Categorical returns index i with probability p[i] (p sums to 1), by inverse transform of one
// uniform u = rng.Float64(): the first i with u < p[0] + ... + p[i] among entries with positive
// mass. When rounding leaves u beyond the total, it returns the last index with positive mass, and
// 0 when no entry is positive. Entries of zero (or negative) mass are never returned otherwise.
func Categorical(p []float64, rng *rand.Rand) int {
	u := rng.Float64()
	last := 0
	for i, w := range p {
		if w > 0 {
			last = i
		}
		u -= w
		if u < 0 && w > 0 {
			return i
		}
	}
	return last
}
