package experiment

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// TestPow10Table recomputes pow10Tab with math/big: each entry g for 10^e is 126 bits long and
// is 10^e · 2^(125−⌊e·log₂10⌋) rounded up to the next integer (an exact product too), so that
// g − 1 ≤ 10^e · 2^(125−⌊e·log₂10⌋) < g.
func TestPow10Table(t *testing.T) {
	if got, want := len(pow10Tab), pow10Max-pow10Min+1; got != want {
		t.Fatalf("%d entries, want %d (10^%d to 10^%d)", got, want, pow10Min, pow10Max)
	}
	// The powers of ten the digits take: 10^-k for k over the exponents of every float64.
	if k := floorLog10Pow2(971); -k != pow10Min {
		t.Errorf("the greatest float64's 10^-k is 10^%d, the table starts at 10^%d", -k, pow10Min)
	}
	if k := floorLog10ThreeQuartersPow2(-1073); -k != pow10Max || floorLog10Pow2(-1074) != k {
		t.Errorf("the least float64's 10^-k is 10^%d, the table ends at 10^%d", -k, pow10Max)
	}
	for i, p := range pow10Tab {
		e := pow10Min + i
		g := new(big.Int).Lsh(new(big.Int).SetUint64(p[0]), 64)
		g.Or(g, new(big.Int).SetUint64(p[1]))
		if g.BitLen() != 126 {
			t.Errorf("10^%d: %#x is %d bits long, want 126", e, p, g.BitLen())
			continue
		}
		// 10^e · 2^s as the fraction num/den.
		s := 125 - floorLog2Pow10(e)
		num, den := big.NewInt(1), big.NewInt(1)
		pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(max(e, -e))), nil)
		if e >= 0 {
			num.Mul(num, pow)
		} else {
			den.Mul(den, pow)
		}
		if s >= 0 {
			num.Lsh(num, uint(s))
		} else {
			den.Lsh(den, uint(-s))
		}
		gm1 := new(big.Int).Sub(g, big.NewInt(1))
		if new(big.Int).Mul(gm1, den).Cmp(num) > 0 || new(big.Int).Mul(g, den).Cmp(num) <= 0 {
			t.Errorf("10^%d: %#x is not ⌊10^%d · 2^%d⌋ + 1", e, p, e, s)
		}
	}
}

// TestFloorLogs holds the three logarithms by multiplication and shift to their definitions on
// and beyond the ranges the digits take (binary exponents -1074..971, decimal -292..324), with
// math/big: ⌊log₁₀ n⌋ is n's decimal length less one, ⌊log₂ n⌋ its bit length less one.
func TestFloorLogs(t *testing.T) {
	ten := big.NewInt(10)
	// floorLog10 returns ⌊log₁₀(m · 2^q)⌋ for a small integer m > 0, through m·2^q or m·5^-q / 10^-q.
	floorLog10 := func(m int64, q int) int {
		if q >= 0 {
			return len(new(big.Int).Lsh(big.NewInt(m), uint(q)).String()) - 1
		}
		n := new(big.Int).Exp(big.NewInt(5), big.NewInt(int64(-q)), nil)
		return len(n.Mul(n, big.NewInt(m)).String()) - 1 + q
	}
	for q := -1100; q <= 1100; q++ {
		if got, want := floorLog10Pow2(q), floorLog10(1, q); got != want {
			t.Errorf("floorLog10Pow2(%d) = %d, want %d", q, got, want)
		}
		// ¾·2^q = 3·2^(q−2).
		if got, want := floorLog10ThreeQuartersPow2(q), floorLog10(3, q-2); got != want {
			t.Errorf("floorLog10ThreeQuartersPow2(%d) = %d, want %d", q, got, want)
		}
	}
	for e := -400; e <= 400; e++ {
		n := new(big.Int).Exp(ten, big.NewInt(int64(max(e, -e))), nil)
		want := n.BitLen() - 1 // 10^e, e ≥ 0
		if e < 0 {
			want = -n.BitLen() // 2^-len < 10^e < 2^(1-len): 10^-e is no power of two
		}
		if got := floorLog2Pow10(e); got != want {
			t.Errorf("floorLog2Pow10(%d) = %d, want %d", e, got, want)
		}
	}
}

// checkShortest fails t unless appendShortest writes x as strconv's 'g' with precision -1 does,
// after the bytes already in a buffer: one without room (appended) and one with (stored in words).
func checkShortest(t testing.TB, x float64) {
	t.Helper()
	want := strconv.AppendFloat([]byte("ab"), x, 'g', -1, 64)
	for _, b := range roomAndNone() {
		if got := appendShortest(b, x); string(got) != string(want) {
			t.Fatalf("appendShortest(%#x) on a buffer of room %d = %q, want %q", math.Float64bits(x), cap(b)-len(b), got, want)
		}
	}
}

// roomAndNone returns "ab" in a buffer of no room beyond and in one of 80 bytes of room, these
// filled with 'x' (which a form's bytes must overwrite).
func roomAndNone() [2][]byte {
	roomy := append(make([]byte, 0, 82), "ab"...)
	copy(roomy[2:82], strings.Repeat("x", 80))
	return [2][]byte{[]byte("ab")[:2:2], roomy}
}

// TestAppendShortest compares appendShortest with strconv on the edges (zeros, NaN, ±Inf,
// subnormals, the extremes, every power of two, powers of ten and their neighbours, the bounds of
// the positional layout) and on random values: any bits, and numbers of every size and length.
func TestAppendShortest(t *testing.T) {
	edges := []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), math.SmallestNonzeroFloat64,
		math.Float64frombits(1<<52 - 1), 0x1p-1022, math.MaxFloat64, 1, -1, 0.1, 1.0 / 3, 5e-324, 9007199254740993,
		123456, 1234567, 0.0001, 0.00012345, 1e-5, 999999, 1e21, 1e22, 1e23, 5.551115123125783e-16, -2.2250738585072014e-308}
	for e := -1074; e <= 1023; e++ {
		edges = append(edges, math.Ldexp(1, e))
	}
	for k := -325; k <= 308; k++ {
		p, _ := strconv.ParseFloat("1e"+strconv.Itoa(k), 64)
		edges = append(edges, p, math.Nextafter(p, 0), math.Nextafter(p, math.Inf(1)))
	}
	for _, x := range edges {
		checkShortest(t, x)
		checkShortest(t, -x)
	}
	rng := rand.New(rand.NewPCG(12, 4))
	n := 1_000_000
	if testing.Short() {
		n = 100_000
	}
	for range n {
		checkShortest(t, math.Float64frombits(rng.Uint64())) // every exponent, NaNs among them
		// Numbers of the sizes a solve writes, of every length: digits rounded off at random.
		x := math.Ldexp(rng.Float64(), rng.IntN(200)-150)
		checkShortest(t, x)
		y, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 1+rng.IntN(17), 64), 64)
		checkShortest(t, y)
		checkShortest(t, float64(rng.IntN(1<<20))*math.Pow(10, float64(rng.IntN(12)-6)))
	}
}

// TestAppendShortestHardCases compares appendShortest with strconv where shortest digits are
// hardest to get right, at random: every binary exponent (subnormals too) with random
// significands, few-bit and all-ones ones among them; a few ulps around every power of ten and
// decimals just above and below them; the least subnormals and the greatest finite values;
// integers up to 2^53 and those times powers of ten; decimals ending in 5 one place past
// 15 to 17 digits (the nearest float64 is near a tie between two shortest forms), and the exact
// ties, x = (s + ½)·10^k with both s·10^k and (s+1)·10^k reading back as x.
func TestAppendShortestHardCases(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 20))
	rounds := 40
	if testing.Short() {
		rounds = 4
	}
	check := func(u uint64) { checkShortest(t, math.Float64frombits(u)) }
	for range rounds {
		for be := uint64(0); be <= 2046; be++ {
			for range 8 {
				check(be<<52 | rng.Uint64()&(1<<52-1))
			}
			n := uint(rng.IntN(53))
			check(be<<52 | rng.Uint64()&(1<<n-1))              // few low bits
			check(be<<52 | (1<<52-1)&^(rng.Uint64()&(1<<n-1))) // all ones but a few
			check(be<<52 | (rng.Uint64()<<n)&(1<<52-1))        // trailing zero bits
		}
		for k := -323; k <= 308; k++ {
			p, _ := strconv.ParseFloat("1e"+strconv.Itoa(k), 64)
			u := math.Float64bits(p)
			for d := uint64(1); d <= 4; d++ {
				check(u + d)
				check(u - d)
			}
			check(u + 1 + rng.Uint64N(1<<20))
			check(u - 1 - rng.Uint64N(1<<20))
			// 9.99…9 × 10^(k−1) and 1.00…01 × 10^k with random lengths.
			n := 1 + rng.IntN(17)
			nines := strings.Repeat("9", n) + "e" + strconv.Itoa(k-n)
			ones := "1" + strings.Repeat("0", n) + strconv.Itoa(1+rng.IntN(9)) + "e" + strconv.Itoa(k-n-1)
			for _, s := range []string{nines, ones} {
				x, _ := strconv.ParseFloat(s, 64)
				check(math.Float64bits(x))
			}
		}
	}
	n := 500_000
	if testing.Short() {
		n = 50_000
	}
	maxBits := math.Float64bits(math.MaxFloat64)
	for i := range uint64(n) {
		check(i%2048 + 1)                               // the least subnormals
		check(rng.Uint64N(1<<uint(1+rng.IntN(52))) + 1) // subnormals of every size
		check(maxBits - i%2048)                         // the greatest finite values
		m := rng.Uint64N(1<<uint(1+rng.IntN(53))) + 1   // integers up to 2^53
		check(math.Float64bits(float64(m)))
		check(math.Float64bits(float64(m) * math.Pow(10, float64(rng.IntN(40)-20))))
		digits := strconv.FormatUint(1e16+rng.Uint64N(9e16), 10)
		digits = digits[:15+rng.IntN(3)] + "5e" + strconv.Itoa(rng.IntN(600)-300)
		x, _ := strconv.ParseFloat(digits, 64)
		check(math.Float64bits(x))
		check(exactTie(rng))
	}
}

// exactTie returns the bits of a float64 c × 2^q, 2^52 ≤ c < 2^53, -60 ≤ q < 0, whose c has
// exactly z = k − q − 1 trailing zero bits for 10^k ≤ 2^q < 10^(k+1) (z ≥ 0 from q = -2 on):
// then 2x·10^-k is an odd integer, and x lies halfway between two multiples of 10^k, both in its
// rounding interval.
func exactTie(rng *rand.Rand) uint64 {
	q := -2 - rng.IntN(59)
	z := floorLog10Pow2(q) - q - 1
	c := ((rng.Uint64() | 1) << uint(z)) | 1<<52
	return uint64(q+1075)<<52 | c&(1<<52-1)
}

// TestAppendInt compares appendInt with strconv on every bound of its digit counts and random
// numbers of every length.
func TestAppendInt(t *testing.T) {
	ns := []int64{0, 1, 9, 10, 99, 100, 1e8 - 1, 1e8, 1e8 + 1, -1, -10, math.MaxInt64, math.MinInt64}
	for p := int64(1); p <= 1e18; p *= 10 {
		ns = append(ns, p-1, p, p+1)
	}
	rng := rand.New(rand.NewPCG(3, 5))
	for range 100000 {
		ns = append(ns, rng.Int64N(1e8), rng.Int64N(1<<uint(1+rng.IntN(62))))
	}
	for _, n := range ns {
		want := strconv.AppendInt([]byte("ab"), n, 10)
		for _, b := range roomAndNone() {
			if got := appendInt(b, n); string(got) != string(want) {
				t.Fatalf("appendInt(%d) on a buffer of room %d = %q, want %q", n, cap(b)-len(b), got, want)
			}
		}
	}
}

// FuzzAppendShortest compares appendShortest with strconv on the float64 of any bits.
func FuzzAppendShortest(f *testing.F) {
	for _, u := range []uint64{0, 1, 1 << 52, 0x3ff0000000000000, 0x7ff0000000000000, 0x7fefffffffffffff, 0x8000000000000001} {
		f.Add(u)
	}
	f.Fuzz(func(t *testing.T, u uint64) { checkShortest(t, math.Float64frombits(u)) })
}

// BenchmarkAppendShortest is appendShortest against strconv on the exploitabilities of a run.
func BenchmarkAppendShortest(b *testing.B) {
	xs := make([]float64, 1024)
	for i := range xs {
		xs[i] = 0.25 / float64(i+3)
	}
	benchShortest(b, xs)
}

// BenchmarkAppendShortestMixed is appendShortest against strconv on float64s of any bits (NaN and
// ±Inf left out), integers and short decimals, a quarter each of 4096.
func BenchmarkAppendShortestMixed(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 7))
	xs := make([]float64, 4096)
	for i := range xs {
		switch i % 4 {
		case 0, 1:
			xs[i] = math.Float64frombits(rng.Uint64N(0x7ff0000000000000) | rng.Uint64()&(1<<63)) // finite
		case 2:
			xs[i] = float64(rng.IntN(1 << 30))
		default:
			xs[i], _ = strconv.ParseFloat(strconv.Itoa(rng.IntN(100000))+"e"+strconv.Itoa(rng.IntN(40)-20), 64)
		}
	}
	benchShortest(b, xs)
}

// benchShortest times appendShortest and strconv's 'g' -1 on xs in turn, as sub-benchmarks.
func benchShortest(b *testing.B, xs []float64) {
	for _, f := range []struct {
		name   string
		append func([]byte, float64) []byte
	}{
		{"appendShortest", appendShortest},
		{"strconv", func(b []byte, x float64) []byte { return strconv.AppendFloat(b, x, 'g', -1, 64) }},
	} {
		b.Run(f.name, func(b *testing.B) {
			buf := make([]byte, 0, 64)
			for i := 0; b.Loop(); i++ {
				buf = f.append(buf[:0], xs[i%len(xs)])
			}
		})
	}
}

// appendInt and appendShortest give strconv's bytes on buffers of every room from none to past
// what their word stores need (8 and gRoom bytes), the bounds included, and leave the buffer's
// bytes before its length alone.
func TestAppendIntAndShortestEveryRoom(t *testing.T) {
	ints := []int64{0, 7, 10, 12345678, 99999999, 1e8, -1, math.MinInt64, math.MaxInt64}
	floats := []float64{0, math.Copysign(0, -1), 1, -2.5, 1e-7, 123456.75, 1e21, -2.2250738585072014e-308, 5e-324, math.MaxFloat64, 0.000123456789012345, math.NaN(), math.Inf(-1)}
	for room := 0; room <= gRoom+8; room++ {
		fresh := func() []byte {
			b := append(make([]byte, 0, 2+room), "ab"...)
			copy(b[2:cap(b)], strings.Repeat("x", room))
			return b
		}
		for _, n := range ints {
			if got, want := appendInt(fresh(), n), strconv.AppendInt([]byte("ab"), n, 10); string(got) != string(want) {
				t.Fatalf("appendInt(%d), room %d: %q, want %q", n, room, got, want)
			}
		}
		for _, x := range floats {
			if got, want := appendShortest(fresh(), x), strconv.AppendFloat([]byte("ab"), x, 'g', -1, 64); string(got) != string(want) {
				t.Fatalf("appendShortest(%v), room %d: %q, want %q", x, room, got, want)
			}
		}
	}
}
