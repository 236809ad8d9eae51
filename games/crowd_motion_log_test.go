package games

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"

	"meanfield/mfg"
)

// log4 is used where the machine has AVX2: probes that disagree with math.Log turn it off.
func TestLog4OnWithAVX2(t *testing.T) {
	if runtime.GOARCH == "amd64" && cpu.X86.HasAVX2 && !exactLog4 {
		t.Fatal("the probes disagree with math.Log: log4 is off")
	}
}

// TestLogIntoIsLog checks logInto (log4, math.Log where it stops) against math.Log bit for bit on arrays of random lengths whose
// arguments are, one time in three, special (±0, ±Inf, NaN, subnormals, negatives, the normal
// extremes, √2/2 and its neighbours), the others spread over every exponent, densities in [0, 1]
// plus 1e-10 among them.
func TestLogIntoIsLog(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	h := math.Sqrt2 / 2
	specials := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 5e-324, 1e-310,
		-1, -1e-300, 2.2250738585072014e-308, math.MaxFloat64, h, math.Nextafter(h, 0), math.Nextafter(h, 1), math.Ldexp(h, 32), 1, 2}
	for trial := range 2000 {
		src := make([]float64, rng.IntN(40))
		for i := range src {
			switch rng.IntN(3) {
			case 0:
				src[i] = specials[rng.IntN(len(specials))]
			case 1:
				src[i] = rng.Float64()/float64(1+rng.IntN(400)) + 1e-10
			default:
				src[i] = math.Ldexp(1+rng.Float64(), rng.IntN(2046)-1022)
			}
		}
		dst := make([]float64, len(src))
		logInto(dst, src)
		for i, x := range src {
			if math.Float64bits(dst[i]) != math.Float64bits(math.Log(x)) {
				t.Fatalf("trial %d: Log(%v) = %v, logInto gives %v", trial, x, math.Log(x), dst[i])
			}
		}
	}
}

// TestCrowdMotionRewards4 checks WriteStage with the logarithms four at a time against its form
// with math.Log and the cache of repeats, bit for bit, on grids of 1, 63, 130 and 400 cells (blocks
// of four and the last states), densities with repeats, zeros, random ones, and a few that are not
// positive normal numbers (NaN and its payload aside).
func TestCrowdMotionRewards4(t *testing.T) {
	if !exactLog4 {
		t.Skip("the form with math.Log is the only one here")
	}
	rng := rand.New(rand.NewPCG(13, 14))
	for _, shape := range [][2]int{{1, 1}, {9, 7}, {13, 10}, {20, 20}} {
		p := DefaultCrowdMotionParams()
		p.TorusL, p.TorusW = shape[0], shape[1]
		g, err := NewCrowdMotion(p)
		if err != nil {
			t.Fatal(err)
		}
		S := g.S
		for trial := range 8 {
			L := mfg.Population{States: S, Actions: 5, Mass: make([]float64, 5*S)}
			for i := range L.Mass {
				switch rng.IntN(3) {
				case 0: // zero
				case 1:
					L.Mass[i] = float64(rng.IntN(3)) / float64(5*S)
				default:
					L.Mass[i] = rng.Float64() / float64(S)
				}
				if trial >= 6 && rng.IntN(40) == 0 { // densities that are no positive normal numbers
					L.Mass[i] = []float64{math.NaN(), math.Inf(1), -1, -1e-10, 1e-320}[rng.IntN(5)]
				}
			}
			tt := trial % (p.T + 1)
			got, want := &mfg.MDP{Reward: make([]float64, 5*S)}, &mfg.MDP{Reward: make([]float64, 5*S)}
			if err := g.WriteStage(tt, L, got); err != nil {
				t.Fatal(err)
			}
			exactLog4 = false
			err := g.WriteStage(tt, L, want)
			exactLog4 = true
			if err != nil {
				t.Fatal(err)
			}
			for i := range got.Reward {
				if g, w := got.Reward[i], want.Reward[i]; math.Float64bits(g) != math.Float64bits(w) && !(math.IsNaN(g) && math.IsNaN(w)) {
					t.Fatalf("%v, t = %d: reward %d is %v four at a time, %v with math.Log", shape, tt, i, got.Reward[i], want.Reward[i])
				}
			}
		}
	}
}

// logInto sets dst[i] = math.Log(src[i]) for every i < len(src): where log4 runs, four at a time
// (math.Log for the groups with an argument that is not a positive normal number, and for the
// last one to three).
func logInto(dst, src []float64) {
	dst = dst[:len(src)]
	if exactLog4 {
		for {
			done := log4(dst, src)
			dst, src = dst[done:], src[done:]
			if len(src) < 4 {
				break
			}
			for i, x := range src[:4] {
				dst[i] = math.Log(x)
			}
			dst, src = dst[4:], src[4:]
		}
	}
	for i, x := range src {
		dst[i] = math.Log(x)
	}
}
