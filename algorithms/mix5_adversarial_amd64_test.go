package algorithms

import (
	"math"
	"math/rand/v2"
	"testing"
)

// mixAdversarialValue draws a table entry: often 0, else NaN (quiet, and one of another payload),
// ±Inf, -0, subnormals, the largest float and values near it, negative values, or a value in [0, 1).
func mixAdversarialValue(rng *rand.Rand) float64 {
	switch rng.IntN(18) {
	case 0, 1, 2:
		return 0
	case 3:
		return math.NaN()
	case 4:
		return math.Inf(1)
	case 5:
		return math.Inf(-1)
	case 6:
		return math.Copysign(0, -1)
	case 7:
		return 5e-324 * float64(rng.IntN(5)-2)
	case 8:
		return math.MaxFloat64
	case 9:
		return math.Float64frombits(0xfff8000000000000)
	case 10:
		return -rng.Float64()
	case 11:
		return 1e-310
	case 12:
		return 1e307 * rng.Float64()
	}
	return rng.Float64()
}

// mix (A = 5, no mask) vs mixGo, every bit (NaN payloads too), unaligned, S 0..14, with specials
// in o and b as well as the masses, and out aliasing o or b.
func TestMix5Adversarial(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	nanDiff := 0
	for trial := range 30000 {
		S := trial % 15
		n := 5 * S
		off := rng.IntN(4)
		mk := func(special bool) []float64 {
			s := make([]float64, n+off+3)[off:]
			for i := range s {
				if special {
					s[i] = mixAdversarialValue(rng)
				} else {
					s[i] = rng.Float64()
				}
			}
			return s
		}
		sp := trial%3 != 0
		mass, massBR := mk(sp), mk(sp)
		o, b := mk(sp && trial%2 == 0), mk(sp && trial%2 == 0)
		alpha := []float64{0, 1, 0.5, 1.0 / 3, rng.Float64(), math.NaN(), -0.5, 2}[rng.IntN(8)]
		alias := rng.IntN(3)
		var got, want []float64
		switch alias {
		case 0:
			got, want = mk(false), nil
			want = append([]float64(nil), got...)
			mix(got, o, b, mass, massBR, alpha, nil, S, 5)
			mixGo(want, o, b, mass, massBR, alpha, nil, S, 5)
		case 1: // out == o
			got, want = append([]float64(nil), o...), append([]float64(nil), o...)
			mix(got, got, b, mass, massBR, alpha, nil, S, 5)
			mixGo(want, want, b, mass, massBR, alpha, nil, S, 5)
		case 2: // out == b
			got, want = append([]float64(nil), b...), append([]float64(nil), b...)
			mix(got, o, got, mass, massBR, alpha, nil, S, 5)
			mixGo(want, o, want, mass, massBR, alpha, nil, S, 5)
		}
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				if got[i] != got[i] && want[i] != want[i] {
					if nanDiff < 5 {
						r := i / 5 * 5
						t.Logf("NaN payload trial %d S %d α %v alias %d entry %d: %#x want %#x; o %v b %v mass %v massBR %v", trial, S, alpha, alias, i,
							math.Float64bits(got[i]), math.Float64bits(want[i]), o[r:r+5], b[r:r+5], mass[r:r+5], massBR[r:r+5])
					}
					nanDiff++
					continue
				}
				t.Fatalf("trial %d S %d α %v alias %d entry %d: %v want %v", trial, S, alpha, alias, i, got[i], want[i])
			}
		}
	}
	if nanDiff > 0 {
		t.Errorf("%d outputs differ in NaN payload only", nanDiff)
	}
}

// Two NaN operands of different payloads in the sum (o's NaN, and Inf·0's default NaN), and a
// signalling NaN in o: every bit.
func TestMix5NaNPayloads(t *testing.T) {
	for _, c := range []struct{ o, b, m, mbr, alpha float64 }{
		{math.NaN(), 0, 1, math.Inf(1), 0.5},
		{0, math.NaN(), math.Inf(1), 1, 0.5},
		{math.Float64frombits(0x7ff0000000000123), math.NaN(), 1, 1, 0.5},
		{math.Float64frombits(0x7ff0000000000123), math.Float64frombits(0xfff0000000000456), 1, 1, 0.5},
		{math.Float64frombits(0x7ff8000000000789), math.Float64frombits(0xfff8000000000456), 1, 1, 0.5},
	} {
		const S = 9
		o, b, mass, massBR := make([]float64, 5*S), make([]float64, 5*S), make([]float64, 5*S), make([]float64, 5*S)
		for i := range o {
			o[i], b[i], mass[i], massBR[i] = c.o, c.b, c.m, c.mbr
		}
		got, want := make([]float64, 5*S), make([]float64, 5*S)
		mix(got, o, b, mass, massBR, c.alpha, nil, S, 5)
		mixGo(want, o, b, mass, massBR, c.alpha, nil, S, 5)
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Errorf("%+v entry %d: %#x want %#x", c, i, math.Float64bits(got[i]), math.Float64bits(want[i]))
				break
			}
		}
		t.Logf("%+v: out[0] %#x, out[44] %#x", c, math.Float64bits(got[0]), math.Float64bits(got[44]))
	}
}
