package experiment

import (
	"context"
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

// randomTraceNumber draws a number for a trace: NaN, ±Inf, ±0, subnormals, the extremes, numbers
// near the bounds of the layouts, the number drawn last (a column that settles), and numbers of
// random bits and of every size.
func randomTraceNumber(rng *rand.Rand, last float64, finite bool) float64 {
	special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 5e-324, -2.2250738585072014e-308,
		math.MaxFloat64, 1e-7, 1e-5, 1e21, 123456789, 0.25, -1}
	for {
		var x float64
		switch rng.IntN(5) {
		case 0:
			x = special[rng.IntN(len(special))]
		case 1:
			x = last
		case 2:
			x = math.Float64frombits(rng.Uint64())
		default:
			x = math.Ldexp(rng.Float64(), rng.IntN(120)-100)
		}
		if !finite || !math.IsNaN(x) && !math.IsInf(x, 0) {
			return x
		}
	}
}

// trace.csv, trace.json and result.json, written from the trace forms (appendShortest, a column's
// repeats copied) and appendInt, are the bytes the reference writers (strconv, encoding/csv,
// encoding/json) make of random iterations: random numbers, iteration numbers and inner work,
// values recorded or not. trace.json and result.json refuse a change of L that is not finite, as
// encoding/json does: the changes are drawn finite for trace.json every other round, and the last
// iteration's always (result.json's).
func TestTraceOutputsOfRandomIterations(t *testing.T) {
	cfg, none := DefaultSolveConfig(), 0
	cfg.Run.Game, cfg.Run.Algorithm, cfg.Run.Iterations, cfg.Outputs.TraceMatrices = "left-right", "fictitious-play", 300, &none
	rep, err := RunSolve(context.Background(), cfg, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	for round := range 40 {
		finite := round%2 == 0
		var e, l1, linf float64
		for i := range rep.Result.Trace {
			it := &rep.Result.Trace[i]
			e, l1, linf = randomTraceNumber(rng, e, false), randomTraceNumber(rng, l1, finite), randomTraceNumber(rng, linf, finite)
			it.Exploitability, it.L1Change, it.LInfChange = e, l1, linf
			it.HasExploitability, it.HasChange = rng.IntN(8) > 0, i > 0 && rng.IntN(8) > 0
			it.K = []int{i, rng.IntN(1e9), rng.IntN(100)}[rng.IntN(3)]
			it.InnerWork = []int64{0, rng.Int64N(1e8), rng.Int64(), -rng.Int64N(1000)}[rng.IntN(4)]
		}
		last := &rep.Result.Trace[len(rep.Result.Trace)-1]
		last.L1Change, last.LInfChange = randomTraceNumber(rng, 0, true), randomTraceNumber(rng, 0, true) // result.json's
		name := "random iterations, round " + strconv.Itoa(round)
		sameTraceCSV(t, name, rep)
		sameResultJSON(t, name, rep)
		if finite {
			sameTraceJSON(t, name, rep)
		}
	}
}
