package rl

import (
	"math"
	"math/rand/v2"
	"testing"
)

// adversarialValue draws a table entry: NaN (quiet, signalling, the default), ±0, ±Inf, the
// largest and smallest floats of either sign, or one of three values that tie often.
func adversarialValue(rng *rand.Rand) float64 {
	switch rng.IntN(14) {
	case 0:
		return math.NaN()
	case 1:
		return math.Copysign(0, -1)
	case 2:
		return 0
	case 3:
		return math.Inf(1)
	case 4:
		return math.Inf(-1)
	case 5:
		return math.MaxFloat64
	case 6:
		return -math.MaxFloat64
	case 7:
		return 5e-324
	case 8:
		return -5e-324
	case 9:
		return math.Float64frombits(0x7ff0000000000123) // signalling NaN
	case 10:
		return math.Float64frombits(0xfff8000000000000) // default NaN
	}
	return float64(rng.IntN(3))
}

// ArgmaxERows(·, ·, 5) vs the Go loop on every length 0..130, dst longer than x, at odd offsets
// (unaligned), dst random/equal result, and dst == x.
func TestArgmaxERows5Adversarial(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 4000 {
		n := trial % 131
		extra := rng.IntN(7)
		xoff, doff := rng.IntN(4), rng.IntN(4)
		xb := make([]float64, n+xoff)
		x := xb[xoff:]
		for i := range x {
			x[i] = adversarialValue(rng)
		}
		db := make([]float64, n+extra+doff)
		for i := range db {
			db[i] = math.Float64frombits(rng.Uint64())
		}
		if trial%3 == 0 {
			argmaxERowsGo(db[doff:doff+n], x, 5)
		}
		want := append([]float64(nil), db...)
		got := append([]float64(nil), db...)
		cw := argmaxERowsGo(want[doff:doff+n], x, 5) != 0
		cg := ArgmaxERows(got[doff:], x, 5)
		if cw != cg {
			t.Fatalf("trial %d n %d: changed %v want %v", trial, n, cg, cw)
		}
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("trial %d n %d: entry %d %x want %x", trial, n, i-doff, math.Float64bits(got[i]), math.Float64bits(want[i]))
			}
		}
		// in place
		xw := append([]float64(nil), x...)
		xg := append([]float64(nil), x...)
		cw = argmaxERowsGo(xw, xw, 5) != 0
		cg = ArgmaxERows(xg, xg, 5)
		if cw != cg {
			t.Fatalf("in place trial %d n %d: changed %v want %v", trial, n, cg, cw)
		}
		for i := range xg {
			if math.Float64bits(xg[i]) != math.Float64bits(xw[i]) {
				t.Fatalf("in place trial %d n %d: entry %d %v want %v", trial, n, i, xg[i], xw[i])
			}
		}
	}
}

// Partial overlap: dst = buf[k:], x = buf[:n] (or the other way): the Go loop's result, row by
// row, against ArgmaxERows's (which sends such a dst to the Go loop: the kernel reads four rows
// before it writes them, and with dst ahead of x within them the two differ).
func TestArgmaxERows5Overlap(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for trial := range 2000 {
		n := 5 * (1 + rng.IntN(12))
		k := 1 + rng.IntN(30)
		buf := make([]float64, n+k)
		for i := range buf {
			buf[i] = float64(rng.IntN(3))
		}
		w, g := append([]float64(nil), buf...), append([]float64(nil), buf...)
		var cw, cg bool
		if trial%2 == 0 {
			cw = argmaxERowsGo(w[k:], w[:n], 5) != 0
			cg = ArgmaxERows(g[k:], g[:n], 5)
		} else {
			cw = argmaxERowsGo(w[:n], w[k:], 5) != 0
			cg = ArgmaxERows(g[:n], g[k:], 5)
		}
		if cw != cg {
			t.Fatalf("trial %d n %d k %d dir %d: changed %v want %v", trial, n, k, trial%2, cg, cw)
		}
		for i := range g {
			if math.Float64bits(g[i]) != math.Float64bits(w[i]) {
				t.Fatalf("trial %d n %d k %d dir %d: buf[%d] = %v want %v", trial, n, k, trial%2, i, g[i], w[i])
			}
		}
	}
}
