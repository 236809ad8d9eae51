package fastmath

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
)

// The constants of math.Exp's amd64 assembly, for mutant.
const (
	log2e = 1.4426950408889634073599246810018920
	ln2U  = 0.69314718055966295651160180568695068359375
	ln2L  = 0.28235290563031577122588448175013436025525412068e-12
	c2    = 0.5
	c3    = 1.6666666666666666667e-1
	c4    = 4.1666666666666666667e-2
	c5    = 8.3333333333333333333e-3
	c6    = 1.3888888888888888889e-3
	c7    = 1.9841269841269841270e-4
	c8    = 2.4801587301587301587e-5
)

// agrees reports whether into gives ref's bits on every x in xs (NaN payloads too), failing t on
// the first few that differ. It runs xs through into whole, so that the four-lane path and the
// tail both see them.
func agrees(t *testing.T, name string, into func(dst, src []float64), ref func(float64) float64, refName string, xs []float64) bool {
	t.Helper()
	got := make([]float64, len(xs))
	into(got, xs)
	bad := 0
	for i, x := range xs {
		if want := ref(x); math.Float64bits(got[i]) != math.Float64bits(want) {
			if bad++; bad <= 5 {
				t.Errorf("%s(%v (%#016x)) = %v (%#016x), %s %v (%#016x)", name, x,
					math.Float64bits(x), got[i], math.Float64bits(got[i]), refName, want, math.Float64bits(want))
			}
		}
	}
	return bad == 0
}

// sameBits reports whether ExpInto gives math.Exp's bits on every x in xs (see agrees).
func sameBits(t *testing.T, xs []float64) bool {
	t.Helper()
	return agrees(t, "ExpInto", ExpInto, math.Exp, "math.Exp", xs)
}

// randomArgs checks agree on millions of arguments: uniform over [lo, hi) (the fast range) and
// beyond it, the softmax range x ≤ 0, near 0, and uniform bit patterns (every exponent, NaNs and
// infinities included), in blocks of odd length, so that the tail is tried as well as the lanes.
func randomArgs(t *testing.T, seed uint64, lo, hi float64, agree func(*testing.T, []float64) bool) {
	t.Helper()
	inBlocks(t, rand.New(rand.NewPCG(seed, seed+22)), agree, func(rng *rand.Rand, kind, _ int) float64 {
		switch kind {
		case 0:
			return rng.Float64()*1500 - 750
		case 1:
			return -rng.Float64() * 60
		case 2:
			return rng.NormFloat64() * math.Ldexp(1, -rng.IntN(60))
		case 3:
			return math.Float64frombits(rng.Uint64())
		default:
			return lo + rng.Float64()*(hi-lo)
		}
	})
}

// inBlocks checks agree on 16000 blocks (1600 with -short) of 1001 arguments, argument i of
// block b being draw(rng, (b+i) mod 5, i): five kinds of argument, interleaved.
func inBlocks(t *testing.T, rng *rand.Rand, agree func(*testing.T, []float64) bool, draw func(rng *rand.Rand, kind, i int) float64) {
	t.Helper()
	blocks := 16000
	if testing.Short() {
		blocks = 1600
	}
	xs := make([]float64, 1001)
	for b := 0; b < blocks; b++ {
		for i := range xs {
			xs[i] = draw(rng, (b+i)%5, i)
		}
		if !agree(t, xs) {
			return
		}
	}
}

// The fast path is the one under test: on a machine with AVX and FMA it must be on (a probe
// failing would otherwise only make ExpInto slow).
func TestExpIntoFastPathOn(t *testing.T) {
	if runtime.GOARCH != "amd64" || !cpu.X86.HasAVX || !cpu.X86.HasFMA {
		t.Skip("math.Exp has no FMA path here: ExpInto calls it")
	}
	if !exactFMA {
		t.Fatal("the probes disagree with math.Exp: its assembly is not the one ExpInto follows")
	}
}

// Millions of arguments (randomArgs), the fast range [-710, 710).
func TestExpIntoMatchesMathExpRandom(t *testing.T) {
	randomArgs(t, 12, -710, 710, sameBits)
}

// withNeighbours returns each centre and its negation, each with its steps nearest neighbours on
// either side, then ±Inf and NaNs with several payloads (a quiet one, a signalling one, extra).
func withNeighbours(centres []float64, steps int, extraNaNs ...uint64) []float64 {
	var xs []float64
	for _, x := range centres {
		for _, y := range []float64{x, -x} {
			xs = append(xs, y)
			lo, hi := y, y
			for range steps {
				lo, hi = math.Nextafter(lo, math.Inf(-1)), math.Nextafter(hi, math.Inf(1))
				xs = append(xs, lo, hi)
			}
		}
	}
	xs = append(xs, math.Inf(1), math.Inf(-1), math.NaN(), math.Float64frombits(0xfff8000000000123),
		math.Float64frombits(0x7ff0000000000001))
	for _, b := range extraNaNs {
		xs = append(xs, math.Float64frombits(b))
	}
	return xs
}

// inEveryLane checks each of xs in every lane of a group of four and in the tail (slices of
// lengths 4, 5, 7, 8, 12 and 16 with it at each position: in either group of four that ExpInto's
// eight-lane loop takes together, too), stopping at the first disagreement.
func inEveryLane(t *testing.T, xs []float64, agree func(*testing.T, []float64) bool) {
	for i := range xs {
		for _, n := range []int{4, 5, 7, 8, 12, 16} {
			if !agree(t, append(make([]float64, i%n), xs[i:min(i+n, len(xs))]...)) {
				return
			}
		}
	}
}

// edgeArgs are the boundaries of the fast range and of math.Exp's branches, with their neighbours.
func edgeArgs() []float64 {
	return withNeighbours([]float64{0, 1, expLo, expHi, -708.3964185322641, -708.39641853226410622,
		-708.4, -708.74, -709, -709.08956571282405, -744.44007192138126, -745.13321910194110842,
		-745.2, -746, -1000, 709.43, 709.436, 709.437, 7.09782712893384e+02, 709.79, 710, 1000,
		math.MaxFloat64, 5e-324, 2.2250738585072014e-308, 1e-300, 0.5 / log2e, 1.5 / log2e}, 3)
}

func TestExpIntoEdgeCases(t *testing.T) {
	xs := edgeArgs()
	sameBits(t, xs)
	inEveryLane(t, xs, sameBits)
	one := []float64{0, math.Copysign(0, -1)}
	if ExpInto(one, one); one[0] != 1 || one[1] != 1 || math.Signbit(one[1]) {
		t.Errorf("ExpInto(±0) = %v, want 1 exactly", one)
	}
}

// tieArgs are arguments whose product x·log2e is exactly an integer plus a half, where k is a tie
// (round half to even, as CVTSD2SL in the default rounding mode).
func tieArgs() []float64 {
	var xs []float64
	for m := -1022; m <= 1023; m++ {
		x := (float64(m) + 0.5) / log2e
		for range 64 {
			if float64(x*log2e) == float64(m)+0.5 {
				xs = append(xs, x)
			}
			x = math.Nextafter(x, math.Inf(1))
		}
	}
	return xs
}

func TestExpIntoTies(t *testing.T) {
	xs := tieArgs()
	if len(xs) < 100 {
		t.Fatalf("only %d ties found", len(xs))
	}
	sameBits(t, xs)
}

// Each operation of the sequence matters: changing one (a coefficient in another order, ties
// rounded away from zero, the doublings ending without a fused +1, …) changes math.Exp's bits on
// some of the arguments these tests compare, so none could pass unnoticed. (Unfusing k·LN2U
// changes nothing: LN2U ends in 12 zero bits, so the product is exact. Unfusing k·LN2L changes r
// only when |r| is tiny, which random arguments seldom make.)
func TestExpIntoTestsSeeEveryOperation(t *testing.T) {
	if !exactFMA {
		t.Skip("math.Exp has no FMA path here")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	xs := append(edgeArgs(), tieArgs()...)
	for range 100000 {
		xs = append(xs, rng.Float64()*1417-708)
	}
	for v := range mutations {
		differs := false
		for _, x := range xs {
			if x >= expLo && x <= expHi && mutant(x, v) != math.Exp(x) {
				differs = true
				break
			}
		}
		if !differs {
			t.Errorf("mutation %q agrees with math.Exp on every argument", mutations[v])
		}
	}
	for _, x := range xs { // mutant(x, -1) is the sequence itself
		if x >= expLo && x <= expHi && mutant(x, -1) != math.Exp(x) {
			t.Fatalf("unmutated sequence differs from math.Exp at %v", x)
		}
	}
}

var mutations = []string{"LN2L before LN2U", "LN2L left out", "ties away from zero",
	"1/2 and 1 swapped in Horner", "Horner without the 1/8! term", "r/16 left out",
	"two doublings, not three", "four doublings, then +1 unfused"}

// mutant is ExpInto's sequence (in scalar Go, the products not to be fused into the next
// addition rounded by float64()) with mutation v applied (v < 0: none).
func mutant(x float64, v int) float64 {
	y := float64(x * log2e)
	kd := math.RoundToEven(y)
	if v == 2 {
		kd = math.Round(y)
	}
	var r float64
	switch v {
	case 0:
		r = math.FMA(-ln2U, kd, math.FMA(-ln2L, kd, x))
	case 1:
		r = math.FMA(-ln2U, kd, x)
	default:
		r = math.FMA(-ln2L, kd, math.FMA(-ln2U, kd, x))
	}
	if v != 5 {
		r = float64(r * 0.0625)
	}
	cs := []float64{c8, c7, c6, c5, c4, c3, c2, 1}
	switch v {
	case 3:
		cs[6], cs[7] = 1, c2
	case 4:
		cs = cs[1:]
	}
	p := cs[0]
	for _, c := range cs[1:] {
		p = math.FMA(p, r, c)
	}
	r = float64(r * p)
	doublings := 3
	if v == 6 {
		doublings = 2
	}
	for range doublings {
		r = float64(r * float64(r+2))
	}
	if v == 7 {
		r = float64(float64(r*float64(r+2)) + 1)
	} else {
		r = math.FMA(r, r+2, 1)
	}
	return r * math.Float64frombits(uint64(int64(kd)+1023)<<52)
}

// expSSE2 is math.Exp's amd64 path without FMA: products rounded apart, Horner by multiply and
// add, four doublings and then +1.
func expSSE2(x float64) float64 {
	kd := math.RoundToEven(float64(x * log2e))
	r := float64(float64(x-float64(ln2U*kd)) - float64(ln2L*kd))
	r = float64(r * 0.0625)
	p := float64(c8 * r)
	for _, c := range []float64{c7, c6, c5, c4, c3, c2} {
		p = float64(float64(p+c) * r)
	}
	r = float64(r * float64(p+1))
	for range 4 {
		r = float64(r * float64(r+2))
	}
	return float64(r+1) * math.Float64frombits(uint64(int64(kd)+1023)<<52)
}

// Each probe tells math.Exp's two amd64 paths apart, so that haveExactFMA cannot take one for the
// other; and each path's Go version matches math.Exp wherever that path is taken.
func TestExactProbesTellThePathsApart(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("the probes are those of math.Exp's amd64 assembly")
	}
	for _, x := range exactProbes {
		if mutant(x, -1) == expSSE2(x) {
			t.Errorf("probe %v: the FMA and SSE2 paths agree (%v)", x, expSSE2(x))
		}
	}
	path, exp := "FMA", func(x float64) float64 { return mutant(x, -1) }
	if !cpu.X86.HasAVX || !cpu.X86.HasFMA {
		path, exp = "SSE2", expSSE2
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for range 100000 {
		x := rng.Float64()*1417 - 708
		if got, want := exp(x), math.Exp(x); got != want {
			t.Fatalf("%s path at %v: %v, math.Exp %v", path, x, got, want)
		}
	}
}

// lengthsAndAliasing checks into on lengths 0 to 9, src[i] = arg(n, i), against ref value by
// value: it writes no further than len(src), and gives the same values in place (dst == src).
func lengthsAndAliasing(t *testing.T, name string, into func(dst, src []float64), ref func(float64) float64,
	arg func(n, i int) float64) {
	t.Helper()
	for n := 0; n <= 9; n++ {
		src := make([]float64, n)
		for i := range src {
			src[i] = arg(n, i)
		}
		dst := make([]float64, n+1)
		dst[n] = 42
		into(dst, src)
		if dst[n] != 42 {
			t.Errorf("n = %d: %s wrote past len(src)", n, name)
		}
		want := make([]float64, n)
		for i, x := range src {
			want[i] = ref(x)
		}
		into(src, src)
		for i := range src {
			if dst[i] != want[i] || src[i] != want[i] {
				t.Errorf("n = %d: %s element %d = %v (in place %v), want %v", n, name, i, dst[i], src[i], want[i])
			}
		}
	}
}

func TestExpIntoLengthsAndAliasing(t *testing.T) {
	lengthsAndAliasing(t, "ExpInto", ExpInto, math.Exp, func(_, i int) float64 { return -float64(i) * 1.375 })
}

func FuzzExpIntoMatchesMathExp(f *testing.F) {
	xs := append(edgeArgs(), tieArgs()[:20]...)
	for i := 0; i+5 <= len(xs); i += 5 {
		f.Add(xs[i], xs[i+1], xs[i+2], xs[i+3], xs[i+4])
	}
	f.Fuzz(func(t *testing.T, x0, x1, x2, x3, x4 float64) {
		sameBits(t, []float64{x0, x1, x2, x3, x4}) // four lanes and a tail
	})
}

// softmaxArgs are 125 differences z - max z of a softmax, as in the random-linear game's stages.
func softmaxArgs() []float64 {
	rng := rand.New(rand.NewPCG(7, 8))
	xs := make([]float64, 125)
	for i := range xs {
		xs[i] = -rng.Float64() * 40
	}
	return xs
}

func BenchmarkExpInto(b *testing.B) {
	xs := softmaxArgs()
	dst := make([]float64, len(xs))
	for b.Loop() {
		ExpInto(dst, xs)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(xs)), "ns/exp")
}

func BenchmarkExpIntoMathExp(b *testing.B) {
	xs := softmaxArgs()
	dst := make([]float64, len(xs))
	for b.Loop() {
		for i, x := range xs {
			dst[i] = math.Exp(x)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(xs)), "ns/exp")
}
