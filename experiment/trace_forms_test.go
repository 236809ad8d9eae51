package experiment

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// appendJSONFromG lays out the 'g' form as encoding/json writes the number, for numbers of every
// magnitude and sign, the bounds of both formats' switches (1e-6, 1e-4, 1e6, 1e21) and the floats
// next to them, and numbers of random bits.
func TestAppendJSONFromG(t *testing.T) {
	xs := []float64{0, math.Copysign(0, -1), 1, -1, 0.25, 123456, 999999, 1e6, 1e20, 1e21, 1e22, 1e-4, 1e-5, 1e-6, 1e-7,
		1.5e-5, 1.2345678901234567e-6, 9.999999999999999e20, 123456789012345680000, 5e-324, math.MaxFloat64,
		math.SmallestNonzeroFloat64, 2.2250738585072014e-308, 1e100, 1e-100}
	for _, b := range []float64{1e-6, 1e-5, 1e-4, 1e5, 1e6, 1e21} {
		lo, hi := b, b
		for range 3 {
			lo, hi = math.Nextafter(lo, 0), math.Nextafter(hi, math.Inf(1))
			xs = append(xs, lo, hi)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		x := math.Float64frombits(rng.Uint64())
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		xs = append(xs, x, math.Ldexp(rng.Float64(), rng.IntN(160)-80)) // random bits, and around 1
	}
	for _, x := range xs {
		for _, x := range []float64{x, -x} {
			want, err := json.Marshal(x)
			if err != nil {
				t.Fatal(err)
			}
			got, err := appendJSONFromG(nil, x, strconv.AppendFloat(nil, x, 'g', -1, 64))
			if err != nil || string(got) != string(want) {
				t.Fatalf("%v (%x): %q, %v; encoding/json writes %q", x, math.Float64bits(x), got, err, want)
			}
		}
	}
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		_, want := json.Marshal(x)
		if _, err := appendJSONFromG(nil, x, strconv.AppendFloat(nil, x, 'g', -1, 64)); err == nil || err.Error() != want.Error() {
			t.Errorf("%v: error %v, encoding/json's %v", x, err, want)
		}
	}
}
