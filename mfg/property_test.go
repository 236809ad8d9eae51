package mfg_test

import (
	"math"
	"testing"

	"pgregory.net/rapid"

	"meanfield/mfg"
)

// distribution draws n non-negative weights summing to 1 (some may be exactly 0).
func distribution(t *rapid.T, n int, label string) []float64 {
	w := rapid.SliceOfN(rapid.Float64Range(0, 1), n, n).Draw(t, label)
	var sum float64
	for _, x := range w {
		sum += x
	}
	if sum == 0 {
		w[0], sum = 1, 1
	}
	for i := range w {
		w[i] /= sum
	}
	return w
}

// Γ2 conserves mass: for any MDP, population and policy, the next population is a distribution.
func TestNextPopulationConservesMass(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		S, A := rapid.IntRange(1, 6).Draw(t, "S"), rapid.IntRange(1, 4).Draw(t, "A")
		trans := make([]float64, 0, S*A*S)
		for i := 0; i < S*A; i++ {
			trans = append(trans, distribution(t, S, "row")...)
		}
		m, err := mfg.NewDenseMDP(S, A, 0.9, make([]float64, S*A), trans)
		if err != nil {
			t.Fatal(err)
		}
		L := mfg.Population{States: S, Actions: A, Mass: distribution(t, S*A, "L")}
		pi := mfg.NewPolicy(S, A)
		for s := 0; s < S; s++ {
			copy(pi.Row(s), distribution(t, A, "pi"))
		}
		next := mfg.NextPopulation(m, L, pi)
		var sum float64
		for _, x := range next.Mass {
			if x < 0 || math.IsNaN(x) {
				t.Fatalf("mass %v", x)
			}
			sum += x
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Fatalf("total mass %v", sum)
		}
	})
}
