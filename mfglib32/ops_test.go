package mfglib32

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// torchOps holds torch 1.13's float32 results, written by testdata/gen_torch_ops.py.
type torchOps struct {
	Log, Exp  struct{ X, Y []uint32 }
	GlibcExpf struct{ X, Y []uint32 } `json:"glibc_expf"`
	Sum       []struct {
		X []uint32
		Y uint32
	}
	SumLastdim []struct {
		Shape []int
		X, Y  []uint32
	} `json:"sum_lastdim"`
	Softmax []struct {
		Shape []int
		X, Y  []uint32
	}
	SoftmaxDim0 []struct {
		Shape []int
		X, Y  []uint32
	} `json:"softmax_dim0"`
	Matmul []struct {
		AShape  []int `json:"a_shape"`
		BShape  []int `json:"b_shape"`
		A, B, Y []uint32
	}
}

func loadTorchOps(t *testing.T) *torchOps {
	t.Helper()
	b, err := os.ReadFile("testdata/torch_ops.json")
	if err != nil {
		t.Fatal(err)
	}
	var ops torchOps
	if err := json.Unmarshal(b, &ops); err != nil {
		t.Fatal(err)
	}
	return &ops
}

func floats(b []uint32) []float32 {
	out := make([]float32, len(b))
	for i, v := range b {
		out[i] = math.Float32frombits(v)
	}
	return out
}

func sameBits(a, b float32) bool {
	if a != a && b != b {
		return true
	}
	return math.Float32bits(a) == math.Float32bits(b)
}

func checkUnary(t *testing.T, name string, f func(float32) float32, xs, ys []uint32) {
	t.Helper()
	if len(xs) == 0 || len(xs) != len(ys) {
		t.Fatalf("%s: %d inputs, %d outputs", name, len(xs), len(ys))
	}
	bad := 0
	for i, xb := range xs {
		x, want := math.Float32frombits(xb), math.Float32frombits(ys[i])
		if got := f(x); !sameBits(got, want) {
			if bad < 5 {
				t.Errorf("%s(%v) = %v (%#x), torch gives %v (%#x)", name, x, got, math.Float32bits(got), want, ys[i])
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d differ from torch", name, bad, len(xs))
	}
}

func TestLogfMatchesTorchBitForBit(t *testing.T) {
	ops := loadTorchOps(t)
	checkUnary(t, "Logf", Logf, ops.Log.X, ops.Log.Y)
}

func TestExpfMatchesTorchBitForBit(t *testing.T) {
	ops := loadTorchOps(t)
	checkUnary(t, "Expf", Expf, ops.Exp.X, ops.Exp.Y)
}

func TestSumMatchesTorchBitForBit(t *testing.T) {
	ops := loadTorchOps(t)
	if len(ops.Sum) == 0 {
		t.Fatal("no sums")
	}
	seqDiffers := 0
	for _, c := range ops.Sum {
		x := floats(c.X)
		want := math.Float32frombits(c.Y)
		if got := Sum(x); !sameBits(got, want) {
			t.Errorf("Sum of %d elements = %v, torch gives %v", len(x), got, want)
		}
		var seq float32
		for _, v := range x {
			seq += v
		}
		if seq != want {
			seqDiffers++
		}
	}
	// The data must be able to tell the orders apart, or the test proves nothing.
	if seqDiffers == 0 {
		t.Error("a left-to-right sum matches torch everywhere: the test data cannot distinguish summation orders")
	}
	for _, c := range ops.SumLastdim {
		n := c.Shape[len(c.Shape)-1]
		x, y := floats(c.X), floats(c.Y)
		for r := range y {
			if got := Sum(x[r*n : (r+1)*n]); !sameBits(got, y[r]) {
				t.Errorf("sum over a last dimension of %d, row %d = %v, torch gives %v", n, r, got, y[r])
			}
		}
	}
}

func TestSoftmaxMatchesTorchBitForBit(t *testing.T) {
	ops := loadTorchOps(t)
	for _, c := range ops.Softmax {
		n := c.Shape[len(c.Shape)-1]
		x, y := floats(c.X), floats(c.Y)
		got := make([]float32, n)
		for r := 0; r < len(x)/n; r++ {
			softmax(x[r*n:(r+1)*n], got)
			for k := range got {
				if !sameBits(got[k], y[r*n+k]) {
					t.Errorf("softmax of %d, row %d, entry %d = %v, torch gives %v", n, r, k, got[k], y[r*n+k])
				}
			}
		}
	}
}

func TestSoftmaxDim0MatchesTorchBitForBit(t *testing.T) {
	ops := loadTorchOps(t)
	if len(ops.SoftmaxDim0) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range ops.SoftmaxDim0 {
		dim := c.Shape[0]
		inner := len(c.X) / dim
		x, y := floats(c.X), floats(c.Y)
		got := make([]float32, len(x))
		softmaxDim0(x, got, dim, inner)
		for i := range got {
			if !sameBits(got[i], y[i]) {
				t.Errorf("softmax over dim 0 of %v, entry %d = %v, torch gives %v", c.Shape, i, got[i], y[i])
			}
		}
	}
}

func TestMatmulMatchesTorchBitForBit(t *testing.T) {
	ops := loadTorchOps(t)
	if len(ops.Matmul) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range ops.Matmul {
		a, b, y := floats(c.A), floats(c.B), floats(c.Y)
		k, m := c.BShape[0], c.BShape[1]
		n := len(a) / k
		got := make([]float32, n*m)
		matmul(a, b, got, n, k, m)
		for i := range got {
			if !sameBits(got[i], y[i]) {
				t.Errorf("%v @ %v, entry %d = %v, torch gives %v", c.AShape, c.BShape, i, got[i], y[i])
			}
		}
	}
}

func TestGlibcExpfMatchesGlibcBitForBit(t *testing.T) {
	ops := loadTorchOps(t)
	checkUnary(t, "GlibcExpf", GlibcExpf, ops.GlibcExpf.X, ops.GlibcExpf.Y)
}

// fma32 agrees with its exact version, and with math.FMA where float64 holds the exact result;
// the cases include float32 midpoints reached by the float64 sum, where double rounding would err.
func TestFMA32RoundsOnce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	check := func(a, b, c float32) {
		got, want := fma32(a, b, c), fma32Exact(a, b, c)
		if !sameBits(got, want) {
			t.Fatalf("fma32(%v, %v, %v) = %v, exact %v", a, b, c, got, want)
		}
		// When the float64 sum is exact, one rounding of it is the true fused result.
		p := float64(a) * float64(b)
		if s := p + float64(c); s-p == float64(c) && s-float64(c) == p && !sameBits(want, float32(s)) {
			t.Fatalf("fma32Exact(%v, %v, %v) = %v, want %v", a, b, c, want, float32(s))
		}
	}
	for i := 0; i < 200000; i++ {
		a := float32(rng.NormFloat64() * math.Exp(rng.NormFloat64()*5))
		b := float32(rng.NormFloat64() * math.Exp(rng.NormFloat64()*5))
		c := float32(rng.NormFloat64() * math.Exp(rng.NormFloat64()*5))
		check(a, b, c)
	}
	// (1 + 2^-12)² = 1 + 2^-11 + 2^-24 lies half-way between two float32 values; ±2^-80 more
	// decides the rounding, but the float64 sum loses it and lands on the midpoint, where a
	// second rounding (to even) would go down both times.
	a := float32(1 + math.Ldexp(1, -12))
	low, high := float32(1+math.Ldexp(1, -11)), float32(1+math.Ldexp(1, -11)+math.Ldexp(1, -23))
	for _, c := range []struct {
		c, want float32
	}{{float32(math.Ldexp(1, -80)), high}, {-float32(math.Ldexp(1, -80)), low}} {
		if got := fma32(a, a, c.c); got != c.want {
			t.Errorf("fma32(%v, %v, %v) = %v, want %v", a, a, c.c, got, c.want)
		}
		if got := float32(float64(a)*float64(a) + float64(c.c)); c.c > 0 && got == c.want {
			t.Error("the midpoint case does not exercise double rounding")
		}
	}
}
