package games

import (
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/mfg"
)

// oddFloat is a random number that is often special: NaNs of several payloads and signs, ±Inf,
// ±0, subnormals, huge values, else uniform on [-scale, scale).
func oddFloat(rng *rand.Rand, scale float64) float64 {
	switch rng.IntN(16) {
	case 0:
		return math.Float64frombits(0x7ff8000000000000 | rng.Uint64N(1<<51) | uint64(rng.IntN(2))<<63)
	case 1:
		return math.Inf(1 - 2*rng.IntN(2))
	case 2:
		return math.Copysign(0, float64(1-2*rng.IntN(2)))
	case 3:
		return math.Float64frombits(rng.Uint64N(1<<52)) * float64(1-2*rng.IntN(2))
	case 4:
		return 1e300 * float64(1-2*rng.IntN(2))
	}
	return scale * (2*rng.Float64() - 1)
}

// The stages in planes (n ≤ planesMaxN) are the row-by-row stages (fill without planes, which
// TestRandomLinearStageMatchesFormulaBitForBit checks against the formula) bit for bit, NaN
// payloads included, for every n ≤ planesMaxN, on mean fields with NaNs of several payloads,
// infinities, signed zeros, subnormals and huge masses, and coefficients with zeros.
func TestRandomLinearPlanesMatchRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 1; n <= planesMaxN; n++ {
		for _, m := range []float64{0, 1, 10, 1000} {
			p := RandomLinearParams{T: 1, N: n, M: m, Seed: int64(n)}
			if m == 1 { // zero coefficients: 0·Inf is NaN
				p.P1 = make([]float64, n*n*n)
				for i := range p.P1 {
					p.P1[i] = float64(rng.IntN(3) - 1)
				}
			}
			g, err := NewRandomLinear(p)
			if err != nil {
				t.Fatal(err)
			}
			rows := *g
			rows.planes = nil
			for trial := 0; trial < 300; trial++ {
				L := mfg.Population{States: n, Actions: n, Mass: make([]float64, n*n)}
				odd := trial%3 == 0
				for i := range L.Mass {
					L.Mass[i] = rng.Float64() / float64(n)
					if odd && rng.IntN(4) == 0 {
						L.Mass[i] = oddFloat(rng, 1)
					}
				}
				tt := trial % 2
				want, _ := rows.Stage(tt, L)
				got, _ := g.Stage(tt, L)
				for _, c := range [][2][]float64{{got.Reward, want.Reward}, {got.Prob, want.Prob}} {
					if ok, i := sameBits(c[0], c[1]); !ok {
						t.Fatalf("n = %d, m = %v, t = %d, L = %v: entry %d = %#x, rows %#x", n, m, tt, L.Mass, i,
							math.Float64bits(c[0][i]), math.Float64bits(c[1][i]))
					}
				}
			}
		}
	}
}

// shiftPlanesGo and dividePlanesGo are shiftByMax and softmaxRows' normalisation of the gathered
// rows, bit for bit, on random planes with special values (ExpInto in between, as softmaxPlanes).
func TestSoftmaxPlanesMatchesRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 2000; trial++ {
		n, rows := 1+rng.IntN(9), 1+rng.IntN(40)
		w := (rows + 3) &^ 3
		z := make([]float64, n*w)
		for i := range z {
			z[i] = 50 * (2*rng.Float64() - 1)
			if trial%2 == 0 && rng.IntN(8) == 0 {
				z[i] = oddFloat(rng, 800)
			}
		}
		want := make([]float64, rows*n)
		for j := 0; j < rows; j++ {
			for sp := 0; sp < n; sp++ {
				want[j*n+sp] = z[sp*w+j]
			}
			shiftByMax(want[j*n : j*n+n])
		}
		softmaxRows(want, n)
		got := make([]float64, rows*n)
		softmaxPlanes(got, z, make([]float64, w), n)
		if ok, i := sameBits(got, want); !ok {
			t.Fatalf("n = %d, %d rows: p[%d] = %#x, rows %#x", n, rows, i, math.Float64bits(got[i]), math.Float64bits(want[i]))
		}
	}
}
