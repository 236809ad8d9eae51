package engine

import (
	"fmt"
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

// isFeasible agrees with its definition, table by table, on policies whose tables share memory
// or lie one after the other: one table repeated for every time (a stationary policy), tables in
// one slab with one bad row at every place (rows the one call takes across tables, and the last
// ones), tables of no rows, tables longer than their rows (overlapping the next) and tables that
// overlap, with the AVX kernel and without.
func TestIsFeasibleSharedAndAdjacentTables(t *testing.T) {
	defer func(avx bool) { feasibleAVX = avx }(feasibleAVX)
	perTable := func(pi []mfg.Policy) bool {
		for _, p := range pi {
			if !feasibleRows(p.Prob[:p.States*p.Actions], p.Actions) {
				return false
			}
		}
		return true
	}
	uniform := func(n int) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = 0.5
		}
		return s
	}
	const T1, S, A = 3, 3, 2 // 9 rows: two groups of four across the tables, then one
	n := S * A
	pol := func(S, A int, prob []float64) mfg.Policy { return mfg.Policy{States: S, Actions: A, Prob: prob} }
	bad := [][2]float64{{0.5, 0.6}, {1.5, -0.5}, {math.NaN(), 1}, {math.Inf(1), 0}}
	for _, avx := range []bool{false, feasibleAVX} {
		feasibleAVX = avx
		check := func(name string, pi []mfg.Policy, adjacent bool) {
			t.Helper()
			if got := adjacentTables(pi); got != adjacent {
				t.Errorf("avx %v, %s: adjacentTables = %v, want %v", avx, name, got, adjacent)
			}
			if got, want := isFeasible(pi), perTable(pi); got != want {
				t.Errorf("avx %v, %s: isFeasible = %v, table by table %v", avx, name, got, want)
			}
		}
		for r := -1; r < T1*S; r++ {
			for k, row := range bad {
				slab := uniform(T1 * n)
				if r >= 0 {
					slab[r*A], slab[r*A+1] = row[0], row[1]
				}
				pi := make([]mfg.Policy, T1)
				for tt := range pi {
					pi[tt] = pol(S, A, slab[tt*n:(tt+1)*n:(tt+1)*n])
				}
				check(fmt.Sprintf("slab, bad row %d (%d)", r, k), pi, true)
				// One table for every time: the tables start at one address.
				one := slab[:n:n]
				stationary := []mfg.Policy{pol(S, A, one), pol(S, A, one), pol(S, A, one)}
				check(fmt.Sprintf("stationary, bad row %d (%d)", r, k), stationary, false)
				// Each table one value longer, over the next's first: only its rows are read.
				longer := make([]mfg.Policy, T1-1)
				for tt := range longer {
					longer[tt] = pol(S, A, slab[tt*n:(tt+1)*n+1])
				}
				check(fmt.Sprintf("longer tables, bad row %d (%d)", r, k), longer, false)
				// Tables that overlap by a row.
				overlap := []mfg.Policy{pol(S, A, slab[0:n]), pol(S, A, slab[n-A:2*n-A])}
				check(fmt.Sprintf("overlapping tables, bad row %d (%d)", r, k), overlap, false)
			}
		}
		empty := make([]float64, 0, 8)
		check("no rows", []mfg.Policy{pol(0, A, empty), pol(0, A, empty), pol(0, A, empty)}, false)
		check("no actions", []mfg.Policy{pol(S, 0, empty), pol(S, 0, empty)}, false)
		check("no times", nil, false)
	}
}
