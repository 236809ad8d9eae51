package nprand

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"testing"
)

// numpyRef is testdata/numpy_generator.json, written by testdata/gen_numpy.py with NumPy 1.24.2.
type numpyRef struct {
	NumPy string `json:"numpy"`
	Long  int    `json:"long"`
	Seeds []struct {
		Seed      uint64   `json:"seed"`
		SeedWords []uint32 `json:"seed_words"`
		Ops       []struct {
			Op     string            `json:"op"`
			Size   int               `json:"size"`
			K      int               `json:"k"`
			Lo     json.Number       `json:"lo"`
			Hi     json.Number       `json:"hi"`
			Loc    float64           `json:"loc"`
			Scale  float64           `json:"scale"`
			Values []json.RawMessage `json:"values"`
		} `json:"ops"`
		LongNormal      string `json:"long_normal_sha256"`
		LongExponential string `json:"long_exponential_sha256"`
	} `json:"seeds"`
}

func loadNumpyRef(t *testing.T) numpyRef {
	t.Helper()
	data, err := os.ReadFile("testdata/numpy_generator.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref numpyRef
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Seeds) == 0 {
		t.Fatal("no seeds in the reference")
	}
	return ref
}

// TestSeedSequenceAgainstNumPy compares SeedSequence(seed).generate_state(8) with NumPy's, for
// seeds of one and two 32-bit words.
func TestSeedSequenceAgainstNumPy(t *testing.T) {
	for _, s := range loadNumpyRef(t).Seeds {
		got := NewSeedSequence(s.Seed).GenerateState(len(s.SeedWords))
		for i, w := range s.SeedWords {
			if got[i] != w {
				t.Errorf("seed %d: word %d = %d, NumPy %d", s.Seed, i, got[i], w)
			}
		}
	}
}

// TestGeneratorAgainstNumPy replays, on default_rng(seed), the operations gen_numpy.py ran with
// NumPy, comparing every value bit for bit (integers exactly, floats by their bits).
func TestGeneratorAgainstNumPy(t *testing.T) {
	ref := loadNumpyRef(t)
	for _, s := range ref.Seeds {
		g := DefaultRNG(s.Seed)
		for k, op := range s.Ops {
			got := replay(t, g, op.Op, op.Size, op.K, op.Lo, op.Hi, op.Loc, op.Scale)
			if len(got) != len(op.Values) {
				t.Fatalf("seed %d op %d (%s): %d values, NumPy %d", s.Seed, k, op.Op, len(got), len(op.Values))
			}
			for i, raw := range op.Values {
				if !sameValue(t, got[i], raw) {
					t.Fatalf("seed %d op %d (%s) value %d = %v, NumPy %s", s.Seed, k, op.Op, i, got[i], raw)
				}
			}
		}
	}
}

// replay draws one operation's values: uint64 for raw and integers (as int64 bits), float64 else.
func replay(t *testing.T, g *Generator, op string, n, k int, lo, hi json.Number, loc, scale float64) []any {
	t.Helper()
	var out []any
	switch op {
	case "raw":
		for range n {
			out = append(out, g.Bits().Uint64())
		}
	case "integers":
		l, err1 := lo.Int64()
		h, err2 := hi.Int64()
		if err1 != nil || err2 != nil {
			t.Fatalf("integers bounds %s, %s", lo, hi)
		}
		v := make([]int64, n)
		if err := g.Integers(l, h, v); err != nil {
			t.Fatal(err)
		}
		for _, x := range v {
			out = append(out, x)
		}
	case "uniform", "random", "normal", "exponential", "dirichlet_ones":
		out = replayFloats(t, g, op, n, k, lo, hi, loc, scale)
	default:
		t.Fatalf("unknown operation %q", op)
	}
	return out
}

func replayFloats(t *testing.T, g *Generator, op string, n, k int, lo, hi json.Number, loc, scale float64) []any {
	var out []any
	switch op {
	case "uniform":
		l, _ := lo.Float64()
		h, _ := hi.Float64()
		for range n {
			out = append(out, g.Uniform(l, h))
		}
	case "random":
		for range n {
			out = append(out, g.Random())
		}
	case "normal":
		for range n {
			out = append(out, g.Normal(loc, scale))
		}
	case "exponential":
		for range n {
			out = append(out, g.StandardExponential())
		}
	case "dirichlet_ones":
		v := make([]float64, k)
		for range n {
			g.DirichletOnes(v)
			for _, x := range v {
				out = append(out, x)
			}
		}
	}
	return out
}

func sameValue(t *testing.T, got any, raw json.RawMessage) bool {
	t.Helper()
	switch v := got.(type) {
	case uint64:
		var w uint64
		return json.Unmarshal(raw, &w) == nil && w == v
	case int64:
		var w int64
		return json.Unmarshal(raw, &w) == nil && w == v
	case float64:
		var w float64
		return json.Unmarshal(raw, &w) == nil && math.Float64bits(w) == math.Float64bits(v)
	}
	return false
}

// TestLongStreamsAgainstNumPy compares 200000 standard normals, then 200000 standard
// exponentials, of each seed's stream with NumPy's by the SHA-256 of their bytes. The streams
// must reach the ziggurats' tails (|x| > R) for the comparison to cover the slow paths.
func TestLongStreamsAgainstNumPy(t *testing.T) {
	ref := loadNumpyRef(t)
	for _, s := range ref.Seeds {
		g := DefaultRNG(s.Seed)
		h := sha256.New()
		var buf [8]byte
		tails := 0
		for range ref.Long {
			x := g.StandardNormal()
			if math.Abs(x) > zigNorR {
				tails++
			}
			binary.LittleEndian.PutUint64(buf[:], math.Float64bits(x))
			h.Write(buf[:])
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != s.LongNormal {
			t.Errorf("seed %d: SHA-256 of %d normals %s, NumPy %s", s.Seed, ref.Long, got, s.LongNormal)
		}
		h.Reset()
		for range ref.Long {
			x := g.StandardExponential()
			if x > zigExpR {
				tails++
			}
			binary.LittleEndian.PutUint64(buf[:], math.Float64bits(x))
			h.Write(buf[:])
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != s.LongExponential {
			t.Errorf("seed %d: SHA-256 of %d exponentials %s, NumPy %s", s.Seed, ref.Long, got, s.LongExponential)
		}
		if tails < 50 {
			t.Errorf("seed %d: only %d tail draws in the long streams", s.Seed, tails)
		}
	}
}

// TestIntegersRejectsBadBounds checks the errors for an empty or too wide range.
func TestIntegersRejectsBadBounds(t *testing.T) {
	g := DefaultRNG(0)
	if err := g.Integers(3, 3, make([]int64, 1)); err == nil {
		t.Error("integers(3, 3) accepted")
	}
	if err := g.Integers(0, 1<<33, make([]int64, 1)); err == nil {
		t.Error("integers(0, 2³³) accepted")
	}
}

// TestZigguratTablesShape checks the copied tables against the construction they come from:
// layer edges x_i = w_i·2⁵² (normal) or w_i·2⁵³ (exponential) increase to R, f_i is the density
// exp(−x_i²/2) or exp(−x_i) at the edge, and k_i = ⌊2⁵²·x_{i−1}/x_i⌋ (resp. 2⁵³) up to rounding.
func TestZigguratTablesShape(t *testing.T) {
	for _, z := range []struct {
		name  string
		k     *[256]uint64
		w, f  *[256]float64
		scale float64
		r     float64
		dens  func(float64) float64
	}{
		{"normal", &kiDouble, &wiDouble, &fiDouble, 1 << 52, zigNorR, func(x float64) float64 { return math.Exp(-x * x / 2) }},
		{"exponential", &keDouble, &weDouble, &feDouble, 1 << 53, zigExpR, func(x float64) float64 { return math.Exp(-x) }},
	} {
		if x := z.w[255] * z.scale; math.Abs(x-z.r) > 1e-14*z.r {
			t.Errorf("%s: outer edge %v, R = %v", z.name, x, z.r)
		}
		for i := 1; i < 256; i++ {
			x := z.w[i] * z.scale
			if i > 1 && !(x > z.w[i-1]*z.scale) {
				t.Errorf("%s: edge %d = %v not above edge %d", z.name, i, x, i-1)
			}
			if d := z.dens(x); math.Abs(z.f[i]-d) > 1e-13*d {
				t.Errorf("%s: f[%d] = %v, density at the edge %v", z.name, i, z.f[i], d)
			}
			if i >= 2 {
				want := z.w[i-1] / z.w[i] * z.scale
				if math.Abs(float64(z.k[i])-want) > 1e-12*z.scale {
					t.Errorf("%s: k[%d] = %d, 2^b·x_{i-1}/x_i = %v", z.name, i, z.k[i], want)
				}
			}
		}
	}
}

func BenchmarkStandardNormal(b *testing.B) {
	g := DefaultRNG(0)
	s := 0.0
	for b.Loop() {
		s += g.StandardNormal()
	}
	_ = s
}
