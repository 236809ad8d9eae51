package algorithms

import (
	"math"
	"math/rand/v2"
	"testing"
)

// addScaled (the AVX kernel where the processor has it) gives addScaledGo's bits, NaN payloads
// included (but in the race detector's build, whose Go loop keeps the other NaN), on random tables of every length up to 41 with NaNs of several payloads in y, in q
// or in both at once, infinities, signed zeros and subnormals, and writes nothing past len(q).
func TestAddScaledMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(71, 72))
	odd := func() float64 {
		switch rng.IntN(12) {
		case 0:
			return math.Float64frombits(0x7ff8000000000000 | rng.Uint64()&0xfffff)
		case 1:
			return math.Inf(2*rng.IntN(2) - 1)
		case 2:
			return math.Copysign(0, float64(2*rng.IntN(2)-1))
		case 3:
			return 5e-324 * float64(rng.IntN(100))
		default:
			return rng.NormFloat64() * 10
		}
	}
	for trial := 0; trial < 5000; trial++ {
		n := rng.IntN(42)
		q, y := make([]float64, n), make([]float64, n+3)
		for i := range q {
			q[i] = odd()
		}
		for i := range y {
			y[i] = odd()
		}
		alpha := []float64{0.37, 1, 1e-300, 3.5}[trial%4]
		got, want := append([]float64(nil), y...), append([]float64(nil), y...)
		addScaled(got, q, alpha)
		addScaledGo(want[:n], q, alpha)
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) && (!raceBuild || got[i] == got[i] || want[i] == want[i]) {
				t.Fatalf("n = %d, alpha = %v: y[%d] = %#x, Go %#x", n, alpha, i, math.Float64bits(got[i]), math.Float64bits(want[i]))
			}
		}
	}
}

// addScaled with y shorter than q panics, as addScaledGo does, before it writes anything past
// len(y) (the AVX kernel writes four numbers at a time up to len(q)).
func TestAddScaledShortYPanics(t *testing.T) {
	buf := make([]float64, 12)
	y, q := buf[:4:4], make([]float64, 9) // the kernel would write buf[4:8]
	for i := range q {
		q[i] = 1
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("y shorter than q: no panic")
			}
		}()
		addScaled(y, q, 1)
	}()
	for i, v := range buf[len(y):] {
		if v != 0 {
			t.Fatalf("y[%d] = %v written past len(y) = %d", len(y)+i, v, len(y))
		}
	}
}

// TestFlatTables checks that flatTables joins tables only when the entry past q's length is a
// slice of exactly their values, each table where the one before ends: one slab's rows, not rows
// apart, of other lengths, out of order, nor an entry longer or of other memory, nor none.
func TestFlatTables(t *testing.T) {
	slab := []float64{0, 1, 2, 3, 4, 5, 6, 7}
	with := func(all []float64, q ...[]float64) [][]float64 { return append(q, all)[:len(q)] }
	if got := flatTables(with(slab[0:6:6], slab[0:2:2], slab[2:4:4], slab[4:6:6]), 2); len(got) != 6 || &got[0] != &slab[0] || got[5] != 5 {
		t.Errorf("one slab's rows: got %v", got)
	}
	for name, q := range map[string][][]float64{
		"gap":        with(slab[0:4], slab[0:2], slab[3:5]),
		"order":      with(slab[0:4], slab[2:4], slab[0:2]),
		"length":     with(slab[0:5], slab[0:2], slab[2:5]),
		"longer":     with(slab[0:6], slab[0:2], slab[2:4]),
		"other":      with([]float64{0, 1, 2, 3}, slab[0:2], slab[2:4]),
		"no entry":   {slab[0:2], slab[2:4]},
		"empty":      with(nil),
		"none":       {},
		"shifted":    with(slab[1:5], slab[0:2], slab[2:4]),
		"past first": with(slab[2:6], slab[2:4], slab[0:2]),
	} {
		if got := flatTables(q, 2); got != nil {
			t.Errorf("%s: got %v, want nil", name, got)
		}
	}
}
