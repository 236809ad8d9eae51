package fastmath

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
)

// sameAsLog reports whether LogInto gives math.Log's bits on every x in xs (see agrees).
func sameAsLog(t *testing.T, xs []float64) bool {
	t.Helper()
	return agrees(t, "LogInto", LogInto, math.Log, "math.Log", xs)
}

// The four-lane path is the one under test: on amd64 with AVX2 it must be on.
func TestLogIntoFastPathOn(t *testing.T) {
	if runtime.GOARCH != "amd64" || !cpu.X86.HasAVX2 {
		t.Skip("no AVX2: LogInto calls math.Log")
	}
	if !exactLog {
		t.Fatal("the probes disagree with math.Log: log4 does not follow its assembly")
	}
}

// Millions of arguments, in blocks of odd length (so that the tail is tried as well as the
// lanes): uniform bit patterns (every exponent, negatives, subnormals, NaNs and infinities
// included), positive normal numbers of every exponent, densities in [0, 1] plus 1e-10 or 1e-20
// (the games' stages), and numbers near 1 and near √2/2·2^k, where the reduction changes branch.
func TestLogIntoMatchesMathLogRandom(t *testing.T) {
	inBlocks(t, rand.New(rand.NewPCG(31, 32)), sameAsLog, func(rng *rand.Rand, kind, i int) float64 {
		switch kind {
		case 0:
			return math.Float64frombits(rng.Uint64())
		case 1:
			return math.Ldexp(1+rng.Float64(), rng.IntN(2046)-1022)
		case 2:
			return rng.Float64()/float64(1+rng.IntN(400)) + []float64{1e-10, 1e-20}[i%2]
		case 3:
			return 1 + rng.NormFloat64()*math.Ldexp(1, -rng.IntN(60))
		default:
			h := math.Float64bits(math.Ldexp(math.Sqrt2/2, rng.IntN(2044)-1020))
			return math.Float64frombits(h + uint64(rng.IntN(9)) - 4)
		}
	})
}

// logEdgeArgs are the special arguments (±0, ±Inf, NaNs with payloads, negatives, subnormals, the
// normal extremes), 1, and every power of two and √2/2·2^k, each with its neighbours.
func logEdgeArgs() []float64 {
	centres := []float64{0, 1, 5e-324, 1e-310, 2.2250738585072009e-308, 2.2250738585072014e-308,
		math.MaxFloat64, 1e-10, 1e-20, 1e-25}
	for k := -1074; k <= 1023; k++ {
		centres = append(centres, math.Ldexp(1, k), math.Ldexp(math.Sqrt2/2, k))
	}
	return withNeighbours(centres, 2, 0x7ff4000000000000)
}

func TestLogIntoEdgeCases(t *testing.T) {
	xs := logEdgeArgs()
	sameAsLog(t, xs)
	inEveryLane(t, xs, sameAsLog)
	one := []float64{1, 1, 1, 1, 0}
	if LogInto(one, one); one[0] != 0 || math.Signbit(one[0]) || !math.IsInf(one[4], -1) {
		t.Errorf("LogInto(1, 1, 1, 1, 0) = %v, want +0 four times, then -Inf", one)
	}
}

// The constants of math.Log's amd64 assembly, for archLog.
const (
	ln2Hi = 6.93147180369123816490e-01
	ln2Lo = 1.90821492927058770002e-10
	lg1   = 6.666666666666735130e-01
	lg2   = 3.999999999940941908e-01
	lg3   = 2.857142874366239149e-01
	lg4   = 2.222219843214978396e-01
	lg5   = 1.818357216161805012e-01
	lg6   = 1.531383769920937332e-01
	lg7   = 1.479819860511658591e-01
)

// archLog is LogInto's sequence in scalar Go (products rounded by float64(), so never fused) for a
// positive normal x, taking the lower branch at f1 = √2/2 as math.Log's amd64 assembly does when
// atHalf is true, the upper one as its Go form does otherwise.
func archLog(x float64, atHalf bool) float64 {
	b := math.Float64bits(x)
	f1 := math.Float64frombits(b&(1<<52-1) | 0x3fe0000000000000)
	k := float64(int(b>>52) - 1022)
	if f1 < math.Sqrt2/2 || atHalf && f1 == math.Sqrt2/2 {
		k, f1 = k-1, float64(f1*2)
	}
	f := f1 - 1
	s := f / (2 + f)
	s2 := float64(s * s)
	s4 := float64(s2 * s2)
	t1 := float64(s2 * float64(lg1+float64(s4*float64(lg3+float64(s4*float64(lg5+float64(s4*lg7)))))))
	t2 := float64(s4 * float64(lg2+float64(s4*float64(lg4+float64(s4*lg6)))))
	R := t1 + t2
	hfsq := float64(float64(0.5*f) * f)
	return float64(k*ln2Hi) - ((hfsq - (float64(s*(hfsq+R)) + float64(k*ln2Lo))) - f)
}

// math.Log on amd64 is the sequence LogInto follows, with the lower branch at √2/2, and the probes
// tell that branch from the upper one (which math.Log's Go form takes), so that haveExactLog
// cannot take one for the other.
func TestLogProbesTellTheBranchesApart(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("the probes are those of math.Log's amd64 assembly")
	}
	rng := rand.New(rand.NewPCG(33, 34))
	for range 200000 {
		x := math.Ldexp(0.5+rng.Float64()/2, rng.IntN(2044)-1020)
		if got, want := archLog(x, true), math.Log(x); got != want {
			t.Fatalf("archLog(%v) = %v, math.Log %v", x, got, want)
		}
	}
	apart := false
	for _, x := range logProbes {
		if want := math.Log(x); archLog(x, true) != want {
			t.Errorf("probe %v: archLog %v, math.Log %v", x, archLog(x, true), want)
		}
		apart = apart || archLog(x, false) != archLog(x, true)
	}
	if !apart {
		t.Error("no probe tells the branches at √2/2 apart")
	}
}

func TestLogIntoLengthsAndAliasing(t *testing.T) {
	lengthsAndAliasing(t, "LogInto", LogInto, math.Log, func(_, i int) float64 { return float64(i)*1.375 + 0.25 })
}

func FuzzLogIntoMatchesMathLog(f *testing.F) {
	xs := logEdgeArgs()
	for i := 0; i+5 <= len(xs); i += 97 {
		f.Add(xs[i], xs[i+1], xs[i+2], xs[i+3], xs[i+4])
	}
	f.Fuzz(func(t *testing.T, x0, x1, x2, x3, x4 float64) {
		sameAsLog(t, []float64{x0, x1, x2, x3, x4}) // four lanes and a tail
	})
}

// densityArgs are n densities plus 1e-20, as in the games' stages.
func densityArgs(n int) []float64 {
	rng := rand.New(rand.NewPCG(35, 36))
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = rng.Float64()/float64(n) + 1e-20
	}
	return xs
}

func benchLog(b *testing.B, n int, into func(dst, src []float64)) {
	xs := densityArgs(n)
	dst := make([]float64, n)
	for b.Loop() {
		into(dst, xs)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/log")
}

func mathLogInto(dst, src []float64) {
	for i, x := range src {
		dst[i] = math.Log(x)
	}
}

func BenchmarkLogInto4(b *testing.B)        { benchLog(b, 4, LogInto) }
func BenchmarkLogInto4MathLog(b *testing.B) { benchLog(b, 4, mathLogInto) }
func BenchmarkLogInto(b *testing.B)         { benchLog(b, 400, LogInto) }
func BenchmarkLogIntoMathLog(b *testing.B)  { benchLog(b, 400, mathLogInto) }
