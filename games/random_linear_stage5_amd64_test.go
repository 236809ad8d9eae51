package games

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/internal/fastmath"
	"meanfield/mfg"

	"golang.org/x/sys/cpu"
)

// stage5AVX runs wherever its features do: a failed probe would leave every stage to fillPlanes
// and the kernel untested.
func TestStage5Ready(t *testing.T) {
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA && fastmath.ExpFMA() && !stage5Ready {
		t.Fatal("stage5AVX's probe failed on a machine with AVX2 and FMA")
	}
	if stage5Ready && cpu.X86.HasAVX512F && !stage5Wide {
		t.Fatal("stage5AVX's probe with wide failed on a machine with AVX-512F")
	}
}

// stage5Variants are the values of stage5AVX's wide that run here: false, and true where the
// processor has AVX-512F.
func stage5Variants() []bool {
	if cpu.X86.HasAVX512F {
		return []bool{false, true}
	}
	return []bool{false}
}

// stage5AVX gives fillPlanes's bits wherever it takes a stage, on random games with m up to 1000
// (logits far apart, which it must leave to fillPlanes) and mean fields with NaNs, infinities,
// signed zeros, subnormals and huge masses; it takes every stage of an ordinary mean field.
func TestStage5MatchesPlanes(t *testing.T) {
	if !stage5Ready {
		t.Skip("stage5AVX does not run here")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	taken, refused := 0, 0
	for trial := 0; trial < 4000; trial++ {
		m := []float64{0, 1, 10, 100, 1000}[trial%5]
		g, err := NewRandomLinear(RandomLinearParams{T: 1, N: 5, M: m, Seed: int64(trial)})
		if err != nil {
			t.Fatal(err)
		}
		odd := trial%7 == 0
		mass := make([]float64, 25)
		for i := range mass {
			mass[i] = rng.Float64() / 5
			if odd && rng.IntN(4) == 0 {
				mass[i] = oddFloat(rng, 1)
			}
		}
		nProb := 125 * (trial % 2)
		want := &mfg.MDP{Reward: make([]float64, 25), Prob: make([]float64, nProb)}
		g.planes.fillPlanes(mass, want)
		for _, wide := range stage5Variants() {
			got := &mfg.MDP{Reward: make([]float64, 25), Prob: make([]float64, nProb)}
			if !stage5AVX(got.Prob, got.Reward, g.planes.coef, g.planes.tail, mass, wide) {
				refused++
				if !odd && m <= 10 {
					t.Fatalf("wide %v, m = %v, mass %v: refused an ordinary stage", wide, m, mass)
				}
				continue
			}
			taken++
			for _, c := range [][2][]float64{{got.Reward, want.Reward}, {got.Prob, want.Prob}} {
				if same, i := sameBits(c[0], c[1]); !same {
					t.Fatalf("wide %v, m = %v, mass %v: entry %d = %#x, fillPlanes %#x", wide, m, mass, i,
						math.Float64bits(c[0][i]), math.Float64bits(c[1][i]))
				}
			}
		}
	}
	if taken < 2000*len(stage5Variants()) || refused == 0 {
		t.Fatalf("%d stages taken, %d refused: want most taken, some refused", taken, refused)
	}
}

// Where a row's logits are zeros of both signs and ties (P1 all -0, so that a logit is -0 where
// its P2 is), stage5AVX's maximum, whose zero may differ in sign from shiftPlanesAVX's, still
// gives fillPlanes's bits.
func TestStage5SignedZeroLogits(t *testing.T) {
	if !stage5Ready {
		t.Skip("stage5AVX does not run here")
	}
	rng := rand.New(rand.NewPCG(9, 10))
	negZero := math.Copysign(0, -1)
	for trial := 0; trial < 200; trial++ {
		p := RandomLinearParams{T: 1, N: 5, M: 10, Seed: int64(trial), P1: make([]float64, 125), P2: make([]float64, 125)}
		for i := range p.P1 {
			p.P1[i] = negZero
			p.P2[i] = []float64{0, negZero, -1, 2}[rng.IntN(4)]
		}
		g, err := NewRandomLinear(p)
		if err != nil {
			t.Fatal(err)
		}
		mass := make([]float64, 25)
		for i := range mass {
			mass[i] = rng.Float64() / 5
		}
		want := &mfg.MDP{Reward: make([]float64, 25), Prob: make([]float64, 125)}
		g.planes.fillPlanes(mass, want)
		for _, wide := range stage5Variants() {
			got := &mfg.MDP{Reward: make([]float64, 25), Prob: make([]float64, 125)}
			if !stage5AVX(got.Prob, got.Reward, g.planes.coef, g.planes.tail, mass, wide) {
				t.Fatalf("trial %d, wide %v: refused", trial, wide)
			}
			if same, i := sameBits(got.Prob, want.Prob); !same {
				t.Fatalf("trial %d, wide %v: p[%d] = %#x, fillPlanes %#x", trial, wide, i, math.Float64bits(got.Prob[i]), math.Float64bits(want.Prob[i]))
			}
		}
	}
}

// Where only row 24's logits lie far apart (its P2 spread by spread), stage5AVX takes the stage
// while they are within exp's vector range (700) and refuses it beyond (800, which only row 24's
// own check sees), and fill's stage is fillPlanes's either way.
func TestStage5LastRowRange(t *testing.T) {
	if !stage5Ready {
		t.Skip("stage5AVX does not run here")
	}
	for _, c := range []struct {
		spread float64
		take   bool
	}{{700, true}, {-700, true}, {800, false}, {-800, false}} {
		p := RandomLinearParams{T: 1, N: 5, M: 10, P2: make([]float64, 125)}
		for sp := 0; sp < 5; sp++ {
			p.P2[(sp*5+4)*5+4] = c.spread * float64(sp%2) // P2[s', 4, 4]
		}
		g, err := NewRandomLinear(p)
		if err != nil {
			t.Fatal(err)
		}
		mass := make([]float64, 25)
		for i := range mass {
			mass[i] = float64(i%6+1) / 90
		}
		got := &mfg.MDP{Reward: make([]float64, 25), Prob: make([]float64, 125)}
		want := &mfg.MDP{Reward: make([]float64, 25), Prob: make([]float64, 125)}
		for _, wide := range stage5Variants() {
			if took := stage5AVX(got.Prob, got.Reward, g.planes.coef, g.planes.tail, mass, wide); took != c.take {
				t.Fatalf("spread %v, wide %v: took the stage %v, want %v", c.spread, wide, took, c.take)
			}
		}
		g.planes.fill(mass, got)
		g.planes.fillPlanes(mass, want)
		if d := stageDifference(got, want); d != "" {
			t.Fatalf("spread %v: %s", c.spread, d)
		}
	}
}

// stage5AVX refuses a row whose shifted logits reach below -708 (fastmath.ExpInto's vector
// range) and takes one that reaches -708 exactly, in a group of four rows and in row 24, where
// the last logit (d(4), in the kernel's second register) is checked apart from the first four;
// fill's stage is fillPlanes's either way.
func TestStage5RangeEdges(t *testing.T) {
	if !stage5Ready {
		t.Skip("stage5AVX does not run here")
	}
	below := math.Nextafter(-708, -709)
	for _, c := range []struct {
		s, a, sp int // P2[s', s, a], the logit s' of row (s, a)
		v        float64
		take     bool
	}{
		{0, 0, 1, -708, true}, {0, 0, 1, below, false},
		{2, 3, 2, -708, true}, {2, 3, 2, below, false},
		{4, 4, 0, -708, true}, {4, 4, 0, below, false},
		{4, 4, 4, -708, true}, {4, 4, 4, below, false}, {4, 4, 4, -709, false},
	} {
		// P1 zero: every logit is its P2, 0 or v, and every shifted logit the same.
		p := RandomLinearParams{T: 1, N: 5, M: 10, P1: make([]float64, 125), P2: make([]float64, 125)}
		p.P2[(c.sp*5+c.s)*5+c.a] = c.v
		g, err := NewRandomLinear(p)
		if err != nil {
			t.Fatal(err)
		}
		mass := make([]float64, 25)
		for i := range mass {
			mass[i] = float64(i%6+1) / 90
		}
		got := &mfg.MDP{Reward: make([]float64, 25), Prob: make([]float64, 125)}
		want := &mfg.MDP{Reward: make([]float64, 25), Prob: make([]float64, 125)}
		for _, wide := range stage5Variants() {
			if took := stage5AVX(got.Prob, got.Reward, g.planes.coef, g.planes.tail, mass, wide); took != c.take {
				t.Fatalf("%+v, wide %v: took the stage %v, want %v", c, wide, took, c.take)
			}
		}
		g.planes.fill(mass, got)
		g.planes.fillPlanes(mass, want)
		if d := stageDifference(got, want); d != "" {
			t.Fatalf("%+v: %s", c, d)
		}
	}
}

// Where float32(m) overflows (m ≥ 3.41e38, finite as Validate asks), the coefficients drawn are
// NaN (+Inf·u - Inf); with R2 given, a reward's sum starts finite and its first term is NaN·x. Where x
// is a NaN of another payload, the product keeps its first operand's, the coefficient's in
// fillPlanes (c·x), and fill must give those bits: at stage T, where no logit sends the stage back
// to fillPlanes, as at t < T.
func TestStage5NaNCoefficients(t *testing.T) {
	if !stage5Ready {
		t.Skip("stage5AVX does not run here")
	}
	g, err := NewRandomLinear(RandomLinearParams{T: 1, N: 5, M: 1e39, R2: make([]float64, 25)})
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(g.r1[0]) {
		t.Fatalf("R1[0] = %v drawn with m = 1e39, want NaN", g.r1[0])
	}
	mass := make([]float64, 25)
	for i := range mass {
		mass[i] = 0.04
	}
	mass[2] = math.Float64frombits(0x7ff8000000000123) // L(0, 2): the first term of rows (s, 2)
	for _, nProb := range []int{0, 125} {
		got := &mfg.MDP{Reward: make([]float64, 25), Prob: make([]float64, nProb)}
		want := &mfg.MDP{Reward: make([]float64, 25), Prob: make([]float64, nProb)}
		g.planes.fill(mass, got)
		g.planes.fillPlanes(mass, want)
		if d := stageDifference(got, want); d != "" {
			t.Fatalf("%d probabilities: %s", nProb, d)
		}
	}
}

// fill writes m.Prob within fillPlanes's bounds: a Prob shorter than the 125 numbers of n = 5
// (no caller in the game gives one) panics as fillPlanes's m.Prob[:125] does, and nothing past
// its capacity is written.
func TestStage5ShortProb(t *testing.T) {
	if !stage5Ready {
		t.Skip("stage5AVX does not run here")
	}
	g, err := NewRandomLinear(DefaultRandomLinearParams())
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]float64, 200)
	for i := range buf {
		buf[i] = -1
	}
	mass := make([]float64, 25)
	for i := range mass {
		mass[i] = 0.04
	}
	m := &mfg.MDP{Reward: make([]float64, 25), Prob: buf[:5:5]}
	panicked := func() (p bool) {
		defer func() { p = recover() != nil }()
		g.planes.fill(mass, m)
		return false
	}()
	for i, v := range buf[5:] {
		if v != -1 {
			t.Fatalf("Prob of length and capacity 5: buf[%d] = %v written past it", 5+i, v)
		}
	}
	if !panicked {
		t.Fatal("Prob of length and capacity 5: no panic, fillPlanes's m.Prob[:125] panics")
	}
}

// Every logit's range is checked, on both paths: with one logit s' of one row (s, a) at -708
// (exp's vector range's edge) and the others 0, stage5AVX takes the stage and gives fillPlanes's
// bits; with it just below, it refuses the stage, whichever the row (its group, its lane in the
// group) and the successor (its register).
func TestStage5RangeEveryLogit(t *testing.T) {
	if !stage5Ready {
		t.Skip("stage5AVX does not run here")
	}
	below := math.Nextafter(-708, -709)
	mass := make([]float64, 25)
	for i := range mass {
		mass[i] = float64(i%6+1) / 90
	}
	for i := 0; i < 125; i++ { // P2[s', s, a] at i = (s'·5 + s)·5 + a
		for _, c := range []struct {
			v    float64
			take bool
		}{{-708, true}, {below, false}} {
			// P1 zero: every logit is its P2, 0 or v, and so is every shifted logit.
			p := RandomLinearParams{T: 1, N: 5, M: 10, P1: make([]float64, 125), P2: make([]float64, 125)}
			p.P2[i] = c.v
			g, err := NewRandomLinear(p)
			if err != nil {
				t.Fatal(err)
			}
			want := &mfg.MDP{Reward: make([]float64, 25), Prob: make([]float64, 125)}
			g.planes.fillPlanes(mass, want)
			for _, wide := range stage5Variants() {
				got := &mfg.MDP{Reward: make([]float64, 25), Prob: make([]float64, 125)}
				took := stage5AVX(got.Prob, got.Reward, g.planes.coef, g.planes.tail, mass, wide)
				if took != c.take {
					t.Fatalf("P2[%d, %d, %d] = %v, wide %v: took the stage %v, want %v", i/25, i/5%5, i%5, c.v, wide, took, c.take)
				}
				if !took {
					continue
				}
				if d := stageDifference(got, want); d != "" {
					t.Fatalf("P2[%d, %d, %d] = %v, wide %v: %s", i/25, i/5%5, i%5, c.v, wide, d)
				}
			}
		}
	}
}

// stage5AVX keeps fillPlanes's NaN payloads and gives its bits wherever it takes a stage (at stage
// T always: no logit to refuse): on mean fields where two NaNs of different payloads meet in one
// column L(·, a) (the sums' order decides which survives), with infinities and signed zeros, for an
// ordinary m and where float32(2m) overflows but float32(m) does not (1.71e38 ≤ m < 3.41e38): the
// coefficients drawn are then +Inf (+Inf·u - m), none NaN unless a draw u is 0, so stage5AVX runs
// on them, its products 0·Inf the default NaN whichever operand comes first.
func TestStage5NaNPayloadsAndInfiniteCoefficients(t *testing.T) {
	if !stage5Ready {
		t.Skip("stage5AVX does not run here")
	}
	rng := rand.New(rand.NewPCG(13, 14))
	nan := func() float64 {
		return math.Float64frombits(0x7ff8000000000000 | (1 + rng.Uint64N(1<<51-1)) | uint64(rng.IntN(2))<<63)
	}
	stageT := 0
	for trial := 0; trial < 600; trial++ {
		p := RandomLinearParams{T: 1, N: 5, M: []float64{1, 2e38, 3.4e38}[trial%3], Seed: int64(trial)}
		if trial%4 == 0 {
			p.R2 = make([]float64, 25) // finite b: the terms' NaNs and infinities decide
		}
		g, err := NewRandomLinear(p)
		if err != nil {
			t.Fatal(err)
		}
		if g.planes.tail == nil || p.M > 1 && !math.IsInf(g.r1[0], 1) {
			t.Fatalf("m = %v, seed %d: R1[0] = %v, tail %v: want stage5AVX's coefficients, +Inf for m > 1", p.M, trial, g.r1[0], g.planes.tail != nil)
		}
		mass := make([]float64, 25)
		for i := range mass {
			mass[i] = rng.Float64() / 5
			if rng.IntN(4) == 0 {
				mass[i] = oddFloat(rng, 1)
			}
		}
		a, k := rng.IntN(5), rng.IntN(4)
		mass[5*k+a], mass[5*(k+1+rng.IntN(4-k))+a] = nan(), nan()
		nProb := 125 * (trial / 3 % 2)
		want := &mfg.MDP{Reward: make([]float64, 25), Prob: make([]float64, nProb)}
		g.planes.fillPlanes(mass, want)
		for _, wide := range stage5Variants() {
			got := &mfg.MDP{Reward: make([]float64, 25), Prob: make([]float64, nProb)}
			if !stage5AVX(got.Prob, got.Reward, g.planes.coef, g.planes.tail, mass, wide) {
				if nProb == 0 {
					t.Fatalf("m = %v, seed %d, wide %v: refused stage T", p.M, trial, wide)
				}
				continue
			}
			stageT += 1 - nProb/125
			for _, c := range [][2][]float64{{got.Reward, want.Reward}, {got.Prob, want.Prob}} {
				if same, i := sameBits(c[0], c[1]); !same {
					t.Fatalf("m = %v, seed %d, wide %v, mass %v: entry %d = %#x, fillPlanes %#x", p.M, trial, wide, mass, i,
						math.Float64bits(c[0][i]), math.Float64bits(c[1][i]))
				}
			}
		}
	}
	if stageT < 300*len(stage5Variants()) {
		t.Fatalf("%d stages T taken, want all 300 on each path", stageT)
	}
}

// stageDifference is "" where got's rewards and probabilities have want's bits (fillPlanes's),
// else the first entry that differs, with both numbers' bits.
func stageDifference(got, want *mfg.MDP) string {
	for _, x := range [][2][]float64{{got.Reward, want.Reward}, {got.Prob, want.Prob}} {
		if same, i := sameBits(x[0], x[1]); !same {
			if i < 0 {
				return fmt.Sprintf("%d numbers, fillPlanes %d", len(x[0]), len(x[1]))
			}
			return fmt.Sprintf("entry %d = %#x, fillPlanes %#x", i, math.Float64bits(x[0][i]), math.Float64bits(x[1][i]))
		}
	}
	return ""
}
