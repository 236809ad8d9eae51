package fastmath

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

const prec = 256

// bigLn2 is ln 2 = Σ_{k≥1} 1/(k·2^k) to 256 bits.
var bigLn2 = func() *big.Float {
	sum := new(big.Float).SetPrec(prec)
	pow := new(big.Float).SetPrec(prec).SetInt64(1)
	for k := 1; k < 300; k++ {
		pow.Quo(pow, big.NewFloat(2))
		term := new(big.Float).SetPrec(prec).Quo(pow, new(big.Float).SetPrec(prec).SetInt64(int64(k)))
		sum.Add(sum, term)
	}
	return sum
}()

// bigExp is e^x to about 250 bits: x = k·ln 2 + r, e^r by its Taylor series, times 2^k.
func bigExp(x float64) *big.Float {
	k := math.Round(x / math.Ln2)
	r := new(big.Float).SetPrec(prec).SetFloat64(x)
	r.Sub(r, new(big.Float).SetPrec(prec).Mul(bigLn2, new(big.Float).SetPrec(prec).SetFloat64(k)))
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	for i := 1; i < 60; i++ {
		term.Mul(term, r)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(int64(i)))
		sum.Add(sum, term)
	}
	return sum.SetMantExp(sum, int(k))
}

// ulps is the distance from got to e^x in units in the last place of e^x.
func ulps(x, got float64) float64 {
	exact := bigExp(x)
	e, _ := exact.Float64()
	ulp := math.Nextafter(e, math.Inf(1)) - e
	// The ratio in 256-bit arithmetic: near the bottom of the range the difference itself would be
	// a subnormal float64, rounded too coarsely to measure.
	diff := new(big.Float).SetPrec(prec).SetFloat64(got)
	diff.Sub(diff, exact)
	diff.Quo(diff, new(big.Float).SetPrec(prec).SetFloat64(ulp))
	r, _ := diff.Float64()
	return math.Abs(r)
}

func TestExpWithinOneUlp(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	worst := 0.0
	for i := 0; i < 30000; i++ {
		var x float64
		switch i % 3 {
		case 0:
			x = rng.Float64()*1399 - 690 // the whole fast range
		case 1:
			x = -rng.Float64() * 50 // softmax arguments: x − max ≤ 0
		default:
			x = rng.NormFloat64() * 1e-3 // near 0
		}
		u := ulps(x, Exp(x))
		worst = math.Max(worst, u)
		if !(u <= 1.0) {
			t.Fatalf("Exp(%v) = %v, %.2f ulp from e^x (math.Exp %v)", x, Exp(x), u, math.Exp(x))
		}
	}
	t.Logf("largest error %.3f ulp", worst)
}

func TestExpSpecialCases(t *testing.T) {
	for _, x := range []float64{0, math.Copysign(0, -1), 1, -1, 708, 709, -690, -707.0512204884204, -708, 709.7, 710, -745, -746, -800, 800, math.Inf(1), math.Inf(-1)} {
		got, want := Exp(x), math.Exp(x)
		if x >= -690 && x <= 709 {
			if math.Abs(got-want) > 2e-16*want {
				t.Errorf("Exp(%v) = %v, math.Exp %v", x, got, want)
			}
			continue
		}
		if got != want {
			t.Errorf("Exp(%v) = %v, math.Exp %v", x, got, want)
		}
	}
	if Exp(0) != 1 {
		t.Errorf("Exp(0) = %v, want exactly 1", Exp(0))
	}
	if !math.IsNaN(Exp(math.NaN())) {
		t.Error("Exp(NaN) is not NaN")
	}
}

func BenchmarkExp(b *testing.B) {
	xs := make([]float64, 1024)
	for i := range xs {
		xs[i] = -float64(i) / 30
	}
	var s float64
	for b.Loop() {
		for _, x := range xs {
			s += Exp(x)
		}
	}
	_ = s
}

func BenchmarkMathExp(b *testing.B) {
	xs := make([]float64, 1024)
	for i := range xs {
		xs[i] = -float64(i) / 30
	}
	var s float64
	for b.Loop() {
		for _, x := range xs {
			s += math.Exp(x)
		}
	}
	_ = s
}
