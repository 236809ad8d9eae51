package rl

import (
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/internal/fastmath"
)

// divisor's quotient is integer division's: for every i below 2^14 and each d up to 200, and for
// random i below 2^32 and up to the largest numbers below 2^32 with random d.
func TestDivisorIsDivision(t *testing.T) {
	check := func(d, i int) {
		t.Helper()
		if got, want := newDivisor(d, 1<<32).div(i), i/d; got != want {
			t.Fatalf("%d / %d = %d, want %d", i, d, got, want)
		}
	}
	for d := 1; d <= 200; d++ {
		for i := 0; i < 1<<14; i++ {
			check(d, i)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1 << 16 {
		d := 1 + rng.IntN(1<<20)
		if rng.IntN(2) == 0 {
			d = 1 + int(rng.Uint32())
		}
		check(d, int(rng.Uint32()))
		check(d, 1<<32-1-rng.IntN(1000))
	}
	// Beyond 2^32 pairs the division is plain.
	if v := newDivisor(10, 1<<33); v.fast || v.div(1<<33-1) != (1<<33-1)/10 {
		t.Errorf("divisor for 2^33 pairs: %+v", v)
	}
}

// scripted is a rand.Source returning given numbers, then counting up from 1.
type scripted struct {
	xs   []uint64
	next uint64
}

func (s *scripted) Uint64() uint64 {
	if len(s.xs) > 0 {
		x := s.xs[0]
		s.xs = s.xs[1:]
		return x
	}
	s.next++
	return s.next * 0x9e3779b97f4a7c15
}

type pairLog struct{ s, a []int }

func (p *pairLog) Sample(s, a int, _ *rand.Rand) (float64, int) {
	p.s, p.a = append(p.s, s), append(p.a, a)
	return 0, 0
}

// The uniform loop draws the same pairs as i = rng.IntN(S·A), s = i / A, a = i mod A, Lemire's
// rejections included: 3074457345618258603·6 = 2^64 + 2 leaves a low word of 2 < 2^64 mod 6 = 4,
// so with 6 pairs the first two numbers below are rejected, and with other sizes they are not.
func TestUniformPairsAreRandIntN(t *testing.T) {
	script := []uint64{3074457345618258603, 0, 1 << 63, 3074457345618258603, 5, math.MaxUint64}
	for _, size := range [][2]int{{2, 3}, {3, 2}, {1, 6}, {6, 1}, {1, 1}, {4, 4}, {8, 8}, {10, 10}, {7, 13}, {1000, 3}, {3, 1000}} {
		S, A := size[0], size[1]
		l, err := NewQLearner(S, A, 0.5, ConstantStep{Beta: 0.5}, UniformPairs{})
		if err != nil {
			t.Fatal(err)
		}
		const steps = 5000
		log := &pairLog{}
		l.Run(log, steps, rand.New(&scripted{xs: script}))
		ref := rand.New(&scripted{xs: script})
		for k := range steps {
			i := ref.IntN(S * A)
			if log.s[k] != i/A || log.a[k] != i%A {
				t.Fatalf("%d×%d: step %d updated (%d, %d), rng.IntN gives pair %d = (%d, %d)", S, A, k, log.s[k], log.a[k], i, i/A, i%A)
			}
		}
	}
}

// recomputeMax gives math.Max's fold of the row from Q(s,0) on, bit for bit, NaNs, infinities
// and zeros of either sign included.
func TestRecomputeMaxIsMathMax(t *testing.T) {
	values := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 1, -1, 2.5, -2.5, 1e-310}
	rng := rand.New(rand.NewPCG(3, 4))
	const A = 4
	l, err := NewQLearner(1, A, 0.5, ConstantStep{Beta: 0.5}, UniformPairs{})
	if err != nil {
		t.Fatal(err)
	}
	for range 20000 {
		for a := range A {
			l.Q[a] = values[rng.IntN(len(values))]
		}
		want := l.Q[0]
		for _, x := range l.Q[1:] {
			want = math.Max(want, x)
		}
		l.recomputeMax(0)
		if math.Float64bits(l.maxQ[0]) != math.Float64bits(want) {
			t.Fatalf("row %v: max %v, math.Max gives %v", l.Q, l.maxQ[0], want)
		}
	}
}

// The softmaxes skip fastmath.Exp below underflowBelow, where it must give +0 (as math.Exp does):
// checked from the bound down to -Inf, with random points between.
func TestExpIsZeroBelowTheUnderflowBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 46))
	zs := []float64{underflowBelow, math.Nextafter(underflowBelow, math.Inf(-1)), -1000, -1e6, -1e300, -math.MaxFloat64, math.Inf(-1)}
	for i := 0; i < 100000; i++ {
		zs = append(zs, underflowBelow-rng.ExpFloat64()*100)
	}
	for _, z := range zs {
		if e := fastmath.Exp(z); e != 0 || math.Signbit(e) {
			t.Fatalf("fastmath.Exp(%v) = %v, want +0", z, e)
		}
	}
}
