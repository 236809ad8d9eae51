package rl_test

import (
	"math"
	"testing"

	"pgregory.net/rapid"

	"meanfield/rl"
)

// checkSimplex fails unless p is a distribution.
func checkSimplex(t *rapid.T, what string, p []float64) {
	var sum float64
	for _, x := range p {
		if !(x >= 0) || math.IsInf(x, 0) {
			t.Fatalf("%s: entry %v in %v", what, x, p)
		}
		sum += x
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Fatalf("%s: sums to %v: %v", what, sum, p)
	}
}

// softmax_c, the prior-tilted softmax and argmax-e give a distribution for any finite values,
// however large, and any c > 0.
func TestPolicyMapsGiveDistributions(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 8).Draw(t, "n")
		x := rapid.SliceOfN(rapid.Float64Range(-1e300, 1e300), n, n).Draw(t, "x")
		c := rapid.Float64Range(1e-6, 1e6).Draw(t, "c")
		dst := make([]float64, n)
		rl.Softmax(dst, x, c)
		checkSimplex(t, "softmax", dst)
		prior := rapid.SliceOfN(rapid.Float64Range(0, 1), n, n).Draw(t, "prior")
		prior[rapid.IntRange(0, n-1).Draw(t, "positive")] += 1 // some mass
		var sum float64
		for _, w := range prior {
			sum += w
		}
		for i := range prior {
			prior[i] /= sum
		}
		rl.PriorSoftmax(dst, x, c, prior)
		checkSimplex(t, "prior softmax", dst)
		rl.ArgmaxE(dst, x)
		checkSimplex(t, "argmax-e", dst)
	})
}
