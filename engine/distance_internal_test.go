package engine

import (
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/mfg"
)

// distance sums mfg.Distances over the times, bit for bit (NaN as NaN), with NaN, ±Inf and ±0
// among the masses: its own loops (four times at once in AVX where their lengths agree, two
// times at once, one time alone) stand in for the calls where no difference is NaN, with the AVX
// kernel and without. The times' lengths differ in some trials.
func TestDistanceIsDistancesSummed(t *testing.T) {
	defer func(avx bool) { distanceAVX = avx }(distanceAVX)
	for _, avx := range []bool{false, distanceAVX} {
		distanceAVX = avx
		testDistanceIsDistancesSummed(t)
	}
}

func testDistanceIsDistancesSummed(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 0}
	value := func(p int) float64 {
		if rng.IntN(p) == 0 {
			return special[rng.IntN(len(special))]
		}
		return rng.Float64()
	}
	same := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) || x != x && y != y }
	for trial := range 2000 {
		T1, n, p := 1+rng.IntN(9), 1+rng.IntN(9), 2+rng.IntN(400)
		x, y := make([]mfg.Population, T1), make([]mfg.Population, T1)
		for tt := range x {
			if trial%4 == 0 {
				n = 1 + rng.IntN(9)
			}
			if trial%4 == 1 && tt == 0 {
				n = 1 + rng.IntN(80)
			}
			x[tt].Mass, y[tt].Mass = make([]float64, n), make([]float64, n)
			for i := range n {
				x[tt].Mass[i], y[tt].Mass[i] = value(p), value(p)
			}
		}
		var l1, linf float64
		for tt := range x {
			a, b := mfg.Distances(x[tt].Mass, y[tt].Mass)
			l1 += a
			linf = max(linf, b)
		}
		if a, b := distance(x, y); !same(a, l1) || !same(b, linf) {
			t.Fatalf("trial %d: distance = (%v, %v), mfg.Distances summed (%v, %v)", trial, a, b, l1, linf)
		}
	}
	for _, lengths := range [][]int{{3, 4}, {3, 3, 3, 4}, {3, 4, 3, 3}, {3, 3, 3, 3, 4}, {5, 5, 5, 5, 5, 5, 5, 6}, {5, 6, 5, 5, 5, 5, 5, 5}} {
		x, y := make([]mfg.Population, len(lengths)/2), make([]mfg.Population, len(lengths)/2)
		for tt := range x {
			x[tt].Mass, y[tt].Mass = make([]float64, lengths[2*tt]), make([]float64, lengths[2*tt+1])
		}
		if len(lengths)%2 == 1 {
			x = append(x, mfg.Population{Mass: make([]float64, 3)})
			y = append(y, mfg.Population{Mass: make([]float64, lengths[len(lengths)-1])})
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("populations of lengths %v: no panic", lengths)
				}
			}()
			distance(x, y)
		}()
	}
}
