package engine

import (
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/mfg"
)

// isFeasible agrees with its definition, row by row, on policies near feasibility with negative
// entries, NaN, ±Inf, ±0 and sums just inside and outside 1 ± 1e-12, for 1 to 13 rows (four at a
// time and the rest) of 1 to 9 actions, with the AVX kernel and without.
func TestIsFeasibleMatchesDefinition(t *testing.T) {
	defer func(avx bool) { feasibleAVX = avx }(feasibleAVX)
	for _, avx := range []bool{false, feasibleAVX} {
		feasibleAVX = avx
		testIsFeasibleMatchesDefinition(t)
	}
}

func testIsFeasibleMatchesDefinition(t *testing.T) {
	feasible := func(pi []mfg.Policy) bool {
		for _, p := range pi {
			for s := range p.States {
				var sum float64
				for _, x := range p.Row(s) {
					if x < 0 {
						return false
					}
					sum += x
				}
				if sum < 1-1e-12 || sum > 1+1e-12 {
					return false
				}
			}
		}
		return true
	}
	rng := rand.New(rand.NewPCG(7, 8))
	special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 0, -1e-300, 1}
	edges := []float64{1, sumLo, sumHi, math.Nextafter(sumLo, 0), math.Nextafter(sumHi, 2)}
	var yes, no int
	for trial := range 20000 {
		T1, S, A := 1+rng.IntN(3), 1+rng.IntN(13), 1+rng.IntN(9)
		pi := make([]mfg.Policy, T1)
		for tt := range pi {
			pi[tt] = mfg.UniformPolicy(S, A)
			for s := range S {
				row := pi[tt].Row(s)
				if rng.IntN(4) == 0 { // one entry on or next to a bound of the sum, the others ±0
					for a := range row {
						row[a] = math.Copysign(0, float64(rng.IntN(2)-1))
					}
					row[rng.IntN(A)] = edges[rng.IntN(len(edges))]
					continue
				}
				if rng.IntN(2) == 0 { // a random split of 1, nudged by a few ulps to 1e-12
					var sum float64
					for a := range row {
						row[a] = rng.Float64()
						sum += row[a]
					}
					for a := range row {
						row[a] /= sum
					}
					row[rng.IntN(A)] += float64(rng.IntN(5)-2) * 6e-13
				}
				if A > 1 && rng.IntN(3*T1*S) == 0 { // a negative entry in a row summing to 1
					a, b := rng.IntN(A), rng.IntN(A-1)
					if b >= a {
						b++
					}
					clear(row)
					row[a], row[b] = 1+1e-13, -1e-13
				}
				if rng.IntN(3*T1*S) == 0 {
					row[rng.IntN(A)] = special[rng.IntN(len(special))]
				}
			}
		}
		if trial%2 == 0 { // the tables in one slab, as the engine's chunks hold them: one pass
			slab := make([]float64, 0, T1*S*A)
			for tt := range pi {
				slab = append(slab, pi[tt].Prob...)
				pi[tt].Prob = slab[tt*S*A : (tt+1)*S*A : (tt+1)*S*A]
			}
			if !adjacentTables(pi) {
				t.Fatalf("trial %d: a slab's tables not seen as adjacent", trial)
			}
		}
		got, want := isFeasible(pi), feasible(pi)
		if got != want {
			t.Fatalf("trial %d: isFeasible = %v, want %v for %v", trial, got, want, pi)
		}
		if want {
			yes++
		} else {
			no++
		}
	}
	if yes < 1000 || no < 1000 {
		t.Fatalf("%d feasible and %d infeasible cases: too few of one kind", yes, no)
	}
}

// adjacentTables tells the tables that lie one after the other, of one shape, from others.
func TestAdjacentTables(t *testing.T) {
	slab := make([]float64, 12)
	pol := func(lo, S, A int) mfg.Policy { return mfg.Policy{States: S, Actions: A, Prob: slab[lo : lo+S*A]} }
	if !adjacentTables([]mfg.Policy{pol(0, 2, 2), pol(4, 2, 2), pol(8, 2, 2)}) {
		t.Error("one slab's tables in order: not adjacent")
	}
	for name, pi := range map[string][]mfg.Policy{
		"gap":    {pol(0, 2, 2), pol(5, 1, 2)},
		"order":  {pol(4, 2, 2), pol(0, 2, 2)},
		"shape":  {pol(0, 2, 2), pol(4, 1, 4)},
		"length": {pol(0, 2, 2), {States: 2, Actions: 2, Prob: slab[4:9]}},
		"none":   {},
	} {
		if adjacentTables(pi) {
			t.Errorf("%s: adjacent", name)
		}
	}
}
