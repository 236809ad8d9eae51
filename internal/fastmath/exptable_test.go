package fastmath

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
)

// sameAsExp reports whether ExpTableInto gives Exp's bits on every x in xs (see agrees).
func sameAsExp(t *testing.T, xs []float64) bool {
	t.Helper()
	return agrees(t, "ExpTableInto", ExpTableInto, Exp, "Exp", xs)
}

// The four-lane path is the one under test: on amd64 with AVX2, and Exp compiled unfused (the
// default GOAMD64=v1), it must be on.
func TestExpTableIntoFastPathOn(t *testing.T) {
	if runtime.GOARCH != "amd64" || !cpu.X86.HasAVX2 {
		t.Skip("no AVX2: ExpTableInto calls Exp")
	}
	if expFused() {
		t.Skip("this build's Exp fuses products into sums: ExpTableInto calls Exp")
	}
	if !exactTable {
		t.Fatal("the probes disagree with Exp: expTable4 does not follow it")
	}
}

// Millions of arguments (randomArgs), the fast range [-690, 709).
func TestExpTableIntoMatchesExpRandom(t *testing.T) {
	randomArgs(t, 56, -690, 709, sameAsExp)
}

// tableEdgeArgs are the boundaries of Exp's range and of math.Exp's branches, with their
// neighbours, subnormals, and NaNs with payloads.
func tableEdgeArgs() []float64 {
	return withNeighbours([]float64{0, 1, 690, 709, 708, 745, -745.13321910194110842, 709.782712893384,
		710, 746, 1000, math.MaxFloat64, 5e-324, 1e-310, 2.2250738585072014e-308, 1e-300, 1e-17,
		0.5 / invLn2, 1.5 / invLn2, ln2HiN * 64}, 3, 0x7ff4000000000000)
}

func TestExpTableIntoEdgeCases(t *testing.T) {
	xs := tableEdgeArgs()
	sameAsExp(t, xs)
	inEveryLane(t, xs, sameAsExp)
	one := []float64{0, math.Copysign(0, -1), 0, 0}
	if ExpTableInto(one, one); one[0] != 1 || one[1] != 1 {
		t.Errorf("ExpTableInto(±0) = %v, want 1 exactly", one)
	}
}

// tableTieArgs are arguments x in [-690, 709] whose z = invLn2·x is exactly an integer plus a half,
// so that z + shift is a tie, rounded to the even integer.
func tableTieArgs() []float64 {
	var xs []float64
	for m := -127418; m <= 130928; m += 7 {
		x := (float64(m) + 0.5) / invLn2
		for range 16 {
			if float64(x*invLn2) == float64(m)+0.5 && x >= -690 && x <= 709 {
				xs = append(xs, x)
			}
			x = math.Nextafter(x, math.Inf(1))
		}
	}
	return xs
}

func TestExpTableIntoTies(t *testing.T) {
	xs := tableTieArgs()
	if len(xs) < 1000 {
		t.Fatalf("only %d ties found", len(xs))
	}
	t.Logf("%d ties", len(xs))
	sameAsExp(t, xs)
}

// expFused reports whether this build's Exp differs from Exp written out unfused on a probe: the
// compiler fused some of its products into the following sums (arm64, amd64 with GOAMD64=v3).
func expFused() bool {
	for _, x := range tableProbes {
		if Exp(x) != expVariant(x, -1) {
			return true
		}
	}
	return false
}

var variants = []string{"ties away from zero", "kd·ln2LoN subtracted first", "r·(r·q), not (r·r)·q",
	"scale·(1 + p)", "r + r·r·q fused", "scale + scale·p fused", "r = x - k·(ln2HiN + ln2LoN)",
	"p as (r + r²/2) + r²·(q - 1/2)", "table index from k + 1"}

// expVariant is Exp (v < 0), written out with every rounding explicit, or Exp with variants[v]:
// another operation order, another rounding, a fusion.
func expVariant(x float64, v int) float64 {
	z := float64(invLn2 * x)
	kd := float64(z + shift)
	if v == 0 {
		kd = math.Round(z) + shift
	}
	ki := math.Float64bits(kd)
	kd -= shift
	r := float64(x-float64(kd*ln2HiN)) - float64(kd*ln2LoN)
	switch v {
	case 1:
		r = float64(x-float64(kd*ln2LoN)) - float64(kd*ln2HiN)
	case 6:
		r = float64(x - float64(kd*(ln2HiN+ln2LoN)))
	}
	j := ki % n
	if v == 8 {
		j = (ki + 1) % n
	}
	scale := math.Float64frombits(table[j] + ki<<(52-tableBits))
	q := float64(1.0/24 + float64(r*(1.0/120)))
	q = float64(1.0/6 + float64(r*q))
	q = float64(0.5 + float64(r*q))
	var p float64
	switch v {
	case 2:
		p = float64(r + float64(r*float64(r*q)))
	case 4:
		p = math.FMA(float64(r*r), q, r)
	case 7:
		p = float64(float64(r+float64(float64(r*r)*0.5)) + float64(float64(r*r)*float64(q-0.5)))
	default:
		p = float64(r + float64(float64(r*r)*q))
	}
	switch v {
	case 3:
		return float64(scale * float64(1+p))
	case 5:
		return math.FMA(scale, p, scale)
	}
	return float64(scale + float64(scale*p))
}

// The arguments these tests compare tell apart Exp and every variant of it (another order of
// operations, another rounding of k, a fused step): ExpTableInto doing one of them could not pass.
// And the probes catch the fusions of the last two steps, which a fusing compiler makes along with
// the Horner steps'. (Fusing 1/2 + r·q alone changed none of 10^8 random results: |r| ≤ 0.0028
// shrinks its effect below the rounding of p; no test sees it, and none could.)
func TestExpTableIntoTestsSeeEveryVariant(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 11))
	xs := append(append(tableEdgeArgs(), tableTieArgs()...), tableProbes...)
	for range 1000000 {
		xs = append(xs, rng.Float64()*1399-690)
	}
	for v := range variants {
		differs := false
		for _, x := range xs {
			if x >= -690 && x <= 709 && expVariant(x, v) != expVariant(x, -1) {
				differs = true
				break
			}
		}
		if !differs {
			t.Errorf("variant %q agrees with Exp on every argument", variants[v])
		}
	}
	for _, v := range []int{4, 5} {
		caught := false
		for _, x := range tableProbes {
			caught = caught || expVariant(x, v) != expVariant(x, -1)
		}
		if !caught {
			t.Errorf("no probe tells %q from Exp", variants[v])
		}
	}
	if expFused() {
		t.Skip("this build's Exp fuses products into sums: expVariant(x, -1) is not it")
	}
	for _, x := range xs {
		if x >= -690 && x <= 709 && expVariant(x, -1) != Exp(x) {
			t.Fatalf("Exp written out differs from Exp at %v", x)
		}
	}
}

func TestExpTableIntoLengthsAndAliasing(t *testing.T) {
	lengthsAndAliasing(t, "ExpTableInto", ExpTableInto, Exp, func(n, i int) float64 {
		if n == 6 && i == 1 {
			return -700 // a group of four through Exp
		}
		return -float64(i) * 1.375
	})
}

func FuzzExpTableIntoMatchesExp(f *testing.F) {
	xs := append(tableEdgeArgs(), tableTieArgs()[:20]...)
	for i := 0; i+5 <= len(xs); i += 5 {
		f.Add(xs[i], xs[i+1], xs[i+2], xs[i+3], xs[i+4])
	}
	f.Fuzz(func(t *testing.T, x0, x1, x2, x3, x4 float64) {
		sameAsExp(t, []float64{x0, x1, x2, x3, x4}) // four lanes and a tail
	})
}

// BenchmarkExpTableInto times ExpTableInto and a loop of Exp on softmax arguments (z - max z ≤ 0)
// of the lengths the solvers use: rows of 5 and 9 actions, and tables of 8000 entries.
func BenchmarkExpTableInto(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 9))
	for _, size := range []int{5, 9, 8000} {
		xs := make([]float64, size)
		for i := range xs {
			xs[i] = -rng.Float64() * 40
		}
		dst := make([]float64, size)
		b.Run(fmt.Sprintf("n=%d/ExpTableInto", size), func(b *testing.B) {
			for b.Loop() {
				ExpTableInto(dst, xs)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*size), "ns/exp")
		})
		b.Run(fmt.Sprintf("n=%d/Exp", size), func(b *testing.B) {
			for b.Loop() {
				for i, x := range xs {
					dst[i] = Exp(x)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*size), "ns/exp")
		})
	}
}
