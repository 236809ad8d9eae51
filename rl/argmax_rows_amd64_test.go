package rl

import (
	"math"
	"math/rand/v2"
	"testing"

	"golang.org/x/sys/cpu"
)

// argmaxSpecial are the values put in every position of the rows: ties, -0 and +0, ±Inf, NaN.
var argmaxSpecial = []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), 1, -1,
	5e-324, 1e300}

// checkArgmax5 runs argmaxERows5AVX and argmaxERowsGo (the code ArgmaxERows ran for every A
// before the kernel) on x, into dst as given and again into the result, and fails where their
// bits or their reports of a difference disagree.
func checkArgmax5(t *testing.T, x, dst []float64, what string) {
	t.Helper()
	got, want := append([]float64(nil), dst...), append([]float64(nil), dst...)
	for pass := range 2 { // the second pass finds dst holding the result
		dg, dw := argmaxERows5AVX(got, x), argmaxERowsGo(want, x, 5)
		if (dg != 0) != (dw != 0) {
			t.Fatalf("%s, pass %d: changed %v, want %v", what, pass, dg != 0, dw != 0)
		}
		if pass == 1 && dw != 0 {
			t.Fatalf("%s: the Go code changed its own result", what)
		}
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				r := i / 5 * 5
				t.Fatalf("%s, pass %d, entry %d: %v, want %v; row %v", what, pass, i, got[i], want[i], x[r:min(r+5, len(x))])
			}
		}
	}
}

// The kernel of rows of five gives the Go code's bits and report of a change on random tables of
// 0 to 60 rows (with a partial row left over at times) of values drawn from argmaxSpecial and
// from a few values that tie, into a dst of random bits, of the result's bits, and of the
// result's bits but one.
func TestArgmax5AVXMatchesGo(t *testing.T) {
	if !argmax5On {
		if cpu.X86.HasAVX {
			t.Fatal("the probe rejected the kernel")
		}
		t.Skip("no AVX (or GODEBUG=cpu.avx=off): the Go code runs")
	}
	rng := rand.New(rand.NewPCG(5, 20))
	for trial := range 3000 {
		n := rng.IntN(61)*5 + rng.IntN(5)*(trial%3/2)
		x := make([]float64, n)
		kind := trial % 4
		for i := range x {
			switch {
			case kind == 0:
				x[i] = argmaxSpecial[rng.IntN(len(argmaxSpecial))]
			case kind == 1:
				x[i] = float64(rng.IntN(3)) // many ties
			case kind == 2 && rng.IntN(4) == 0:
				x[i] = argmaxSpecial[rng.IntN(len(argmaxSpecial))]
			default:
				x[i] = rng.NormFloat64()
			}
		}
		dst := make([]float64, n)
		for i := range dst {
			dst[i] = math.Float64frombits(rng.Uint64())
		}
		checkArgmax5(t, x, dst, "random dst")
		argmaxERowsGo(dst, x, 5)
		checkArgmax5(t, x, dst, "dst the result")
		if n > 0 {
			i := rng.IntN(n)
			dst[i] = math.Float64frombits(math.Float64bits(dst[i]) ^ 1<<uint(rng.IntN(64)))
			checkArgmax5(t, x, dst, "dst the result but one bit")
		}
	}
}

// Every row of five drawn from argmaxSpecial with repetition (9^5 of them, all-NaN and all -Inf
// rows, -0 against +0, NaN beside -Inf among them), in each of the four lanes, gives the Go
// code's bits.
func TestArgmax5AVXExhaustive(t *testing.T) {
	if !argmax5On {
		t.Skip("the kernel does not run here")
	}
	k := len(argmaxSpecial)
	rows := k * k * k * k * k
	x := make([]float64, 0, rows*5+20)
	for r := range rows {
		for j, q := 0, r; j < 5; j, q = j+1, q/k {
			x = append(x, argmaxSpecial[q%k])
		}
	}
	for lane := range 4 { // the rows shifted by a lane each time
		checkArgmax5(t, x[lane*5:], make([]float64, len(x)-lane*5), "exhaustive")
	}
}

// ArgmaxERows with A = 5 writes the same bits into x itself as into a separate dst. Of the 23
// rows the kernel does 20 and the Go loop the last 3: row 19, all NaN, must stay +0 (were the
// kernel to take the last four rows again in place, as it does into a separate dst, it would read
// its own output there and write 1/5; argmax-e gives the same on a second pass over a row that
// has a maximum, so only such a row shows it).
func TestArgmaxERows5InPlace(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 23*5)
	for i := range x {
		x[i] = float64(rng.IntN(4)) - 1
	}
	x[3], x[11] = math.NaN(), math.Inf(1)
	for i := 19 * 5; i < 20*5; i++ {
		x[i] = math.NaN()
	}
	want := make([]float64, len(x))
	argmaxERowsGo(want, x, 5)
	if !ArgmaxERows(x, x, 5) {
		t.Fatal("no change reported")
	}
	for i := range x {
		if math.Float64bits(x[i]) != math.Float64bits(want[i]) {
			t.Fatalf("entry %d: %v, want %v", i, x[i], want[i])
		}
	}
}

// apart tells slices that share memory from slices that do not.
func TestApart(t *testing.T) {
	buf := make([]float64, 20)
	for _, c := range []struct {
		a, b []float64
		want bool
	}{{buf[:5], buf[5:10], true}, {buf[5:10], buf[:5], true}, {buf[:6], buf[5:11], false},
		{buf[5:11], buf[:6], false}, {buf[:5], buf[:5], false}, {buf[:5], make([]float64, 5), true}} {
		if got := apart(c.a, c.b); got != c.want {
			t.Errorf("apart(buf[%d:], buf[%d:]) = %v, want %v", cap(buf)-cap(c.a), cap(buf)-cap(c.b), got, c.want)
		}
	}
}
