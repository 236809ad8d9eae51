package games

import (
	"fmt"
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

// sameStageBits is sameBits, but in the race detector's build, where the Go code's additions may
// keep the other of two NaNs, it takes any two NaNs as equal.
func sameStageBits(a, b []float64) (bool, int) {
	if !raceBuild {
		return sameBits(a, b)
	}
	if len(a) != len(b) {
		return false, -1
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) && (a[i] == a[i] || b[i] == b[i]) {
			return false, i
		}
	}
	return true, 0
}

// The stages in planes (n ≤ planesMaxN, below planesMinN too) are the row-by-row stages (fill without planes, which
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
			g.planes = newPlanes(n, g.r1, g.r2, g.p1, g.p2) // n < planesMinN too
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
					if ok, i := sameStageBits(c[0], c[1]); !ok {
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
		if ok, i := sameStageBits(got, want); !ok {
			t.Fatalf("n = %d, %d rows: p[%d] = %#x, rows %#x", n, rows, i, math.Float64bits(got[i]), math.Float64bits(want[i]))
		}
	}
}

// Stages taken at once from several goroutines on one game (one holds the game's scratch, the
// others take new memory) are each the row-by-row stage of their own mean field.
func TestRandomLinearPlanesConcurrentStages(t *testing.T) {
	g, err := NewRandomLinear(DefaultRandomLinearParams())
	if err != nil {
		t.Fatal(err)
	}
	rows := *g
	rows.planes = nil
	const workers, stages = 4, 300
	errs := make(chan string, workers)
	for w := 0; w < workers; w++ {
		go func(seed uint64) {
			rng := rand.New(rand.NewPCG(seed, 1))
			for i := 0; i < stages; i++ {
				L := mfg.Population{States: 5, Actions: 5, Mass: make([]float64, 25)}
				for j := range L.Mass {
					L.Mass[j] = rng.Float64() / 5
				}
				got, _ := g.Stage(0, L)
				want, _ := rows.Stage(0, L)
				if ok, j := sameStageBits(got.Prob, want.Prob); !ok {
					errs <- fmt.Sprintf("worker %d, stage %d: p[%d] = %v, rows %v", seed, i, j, got.Prob[j], want.Prob[j])
					return
				}
			}
			errs <- ""
		}(uint64(w))
	}
	for w := 0; w < workers; w++ {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}

// FuzzRandomLinearPlanesMatchRows: for any n ≤ planesMaxN, seed and mean field (four masses
// given, the others uniform), the stages in planes are the row-by-row stages bit for bit.
func FuzzRandomLinearPlanesMatchRows(f *testing.F) {
	f.Add(uint8(5), int64(0), 0.1, 0.2, 0.0, 1.0)
	f.Add(uint8(3), int64(-7), math.NaN(), math.Inf(1), math.Copysign(0, -1), 5e-324)
	f.Add(uint8(8), int64(1)<<40, math.Inf(-1), 1e300, -1e300, math.Float64frombits(0x7ff8000000000123))
	f.Add(uint8(1), int64(3), 2.0, -3.0, 0.5, math.NaN())
	f.Fuzz(func(t *testing.T, n8 uint8, seed int64, m0, m1, m2, m3 float64) {
		n := 1 + int(n8)%planesMaxN
		g, err := NewRandomLinear(RandomLinearParams{T: 1, N: n, M: 10, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		rows := *g
		rows.planes = nil
		g.planes = newPlanes(n, g.r1, g.r2, g.p1, g.p2) // n < planesMinN too
		L := mfg.Population{States: n, Actions: n, Mass: make([]float64, n*n)}
		for i := range L.Mass {
			L.Mass[i] = 1 / float64(n*n)
		}
		for i, v := range []float64{m0, m1, m2, m3} {
			L.Mass[(i*7+int(uint64(seed)%13))%(n*n)] = v
		}
		for tt := 0; tt <= 1; tt++ {
			got, _ := g.Stage(tt, L)
			want, _ := rows.Stage(tt, L)
			for _, c := range [][2][]float64{{got.Reward, want.Reward}, {got.Prob, want.Prob}} {
				if ok, i := sameStageBits(c[0], c[1]); !ok {
					t.Fatalf("n = %d, t = %d, L = %v: entry %d = %#x, rows %#x", n, tt, L.Mass, i,
						math.Float64bits(c[0][i]), math.Float64bits(c[1][i]))
				}
			}
		}
	})
}
