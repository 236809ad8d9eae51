package rl_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/rl"
)

func checkDistribution(t *testing.T, what string, p []float64) {
	t.Helper()
	var sum float64
	for i, x := range p {
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			t.Fatalf("%s: entry %d = %v", what, i, x)
		}
		sum += x
	}
	// n <= 10 terms each <= 1: the sum is within a few ulps of 1.
	if math.Abs(sum-1) > 1e-14 {
		t.Fatalf("%s: sums to %.17g", what, sum)
	}
}

func TestSoftmaxFiniteAndNormalised(t *testing.T) {
	rng := rand.New(rand.NewPCG(501, 502))
	inputs := [][]float64{
		{0, 0, 0},
		{1, 2, 3},
		{-1e300, 1e300, 0},
		{1e300, 1e300, -1e300},
		{math.MaxFloat64, -math.MaxFloat64, 0}, // the spread overflows to Inf
		{-1e308, -1e308 * 1.5},
		{1e-300, -1e-300, 5e-324},
		{42},
	}
	for i := 0; i < 20; i++ {
		x := make([]float64, 1+rng.IntN(10))
		scale := math.Pow(10, float64(rng.IntN(40)-10))
		for j := range x {
			x[j] = scale * rng.NormFloat64()
		}
		inputs = append(inputs, x)
	}
	for _, c := range []float64{0, 1e-6, 1, 4, 1e3, 1e6, 1e300} {
		for _, x := range inputs {
			dst := make([]float64, len(x))
			rl.Softmax(dst, x, c)
			checkDistribution(t, "softmax", dst)
			// Order is preserved: x_i > x_j implies p_i >= p_j.
			for i := range x {
				for j := range x {
					if x[i] > x[j] && dst[i] < dst[j] {
						t.Errorf("c=%v x=%v: p=%v is not monotone in x", c, x, dst)
					}
				}
			}
			// Some maximiser always keeps at least 1/n.
			best := 0
			for i := range x {
				if x[i] > x[best] {
					best = i
				}
			}
			if dst[best] < 1/float64(len(x))-1e-15 {
				t.Errorf("c=%v x=%v: the maximiser has %v < 1/n", c, x, dst[best])
			}
		}
	}
}

// On moderate inputs softmax_c(x)_i = 1 / Σ_j exp(c (x_j - x_i)), a form that needs no shift.
func TestSoftmaxClosedForm(t *testing.T) {
	rng := rand.New(rand.NewPCG(503, 504))
	for trial := 0; trial < 200; trial++ {
		x := make([]float64, 1+rng.IntN(8))
		for j := range x {
			x[j] = rng.NormFloat64()
		}
		c := []float64{1e-6, 0.5, 1, 4, 20}[trial%5]
		dst := make([]float64, len(x))
		rl.Softmax(dst, x, c)
		for i := range x {
			var d float64
			for j := range x {
				d += math.Exp(c * (x[j] - x[i]))
			}
			// Exponents at most ~20·8 = 160: relative error of both forms ~1e-14.
			if want := 1 / d; math.Abs(dst[i]-want) > 1e-13*math.Max(want, 1e-300)+1e-300 {
				t.Fatalf("c=%v x=%v: p[%d] = %.17g, want %.17g", c, x, i, dst[i], want)
			}
		}
	}
	// c -> 0 gives the uniform distribution: with |x| <= 1 and c = 1e-6 every entry is within
	// ~2c of 1/n.
	x := []float64{1, -1, 0.5, 0}
	dst := make([]float64, 4)
	rl.Softmax(dst, x, 1e-6)
	for i := range dst {
		if math.Abs(dst[i]-0.25) > 2e-6 {
			t.Errorf("c=1e-6: p = %v, want about uniform", dst)
		}
	}
}

// As c grows softmax_c tends to argmax-e: with a gap of at least 0.1 below the maximisers the
// other entries carry at most n·exp(-0.1c), which is below 1e-40 at c = 1e3.
func TestSoftmaxTendsToArgmaxE(t *testing.T) {
	cases := [][]float64{
		{1, 1, 0.5},
		{0, 3, 3, 3, -2},
		{2, 1.9},
		{-5, -5},
		{7},
	}
	for _, x := range cases {
		want := make([]float64, len(x))
		rl.ArgmaxE(want, x)
		prevErr := math.Inf(1)
		for _, c := range []float64{1, 10, 100, 1e3, 1e6} {
			dst := make([]float64, len(x))
			rl.Softmax(dst, x, c)
			err := maxAbsDiff(dst, want)
			if err > prevErr+1e-15 {
				t.Errorf("x=%v: distance to argmax-e grew from %v to %v at c=%v", x, prevErr, err, c)
			}
			prevErr = err
			if c >= 1e3 && err > 1e-15 {
				t.Errorf("x=%v c=%v: softmax %v, argmax-e %v", x, c, dst, want)
			}
		}
	}
}

func TestArgmaxE(t *testing.T) {
	cases := []struct{ x, want []float64 }{
		{[]float64{1, 1, 0}, []float64{0.5, 0.5, 0}},
		{[]float64{3, 3, 3}, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}},
		{[]float64{1, 1 - 1e-12}, []float64{1, 0}},
		{[]float64{-1, -2, -1, -1, -3}, []float64{1.0 / 3, 0, 1.0 / 3, 1.0 / 3, 0}},
		{[]float64{0, 5}, []float64{0, 1}},
		{[]float64{math.Inf(-1), math.Inf(-1)}, []float64{0.5, 0.5}},
		{[]float64{-1e300, 1e300}, []float64{0, 1}},
		{[]float64{4}, []float64{1}},
	}
	for _, c := range cases {
		dst := make([]float64, len(c.x))
		for i := range dst {
			dst[i] = 9 // stale contents must be overwritten
		}
		rl.ArgmaxE(dst, c.x)
		for i := range dst {
			if dst[i] != c.want[i] {
				t.Errorf("ArgmaxE(%v) = %v, want %v", c.x, dst, c.want)
				break
			}
		}
	}
	// Random inputs with forced ties: entries are 0 or 1/k with k the number of maximisers.
	rng := rand.New(rand.NewPCG(505, 506))
	for trial := 0; trial < 200; trial++ {
		x := make([]float64, 1+rng.IntN(8))
		for i := range x {
			x[i] = float64(rng.IntN(3))
		}
		best := math.Inf(-1)
		for _, v := range x {
			best = math.Max(best, v)
		}
		k := 0
		for _, v := range x {
			if v == best {
				k++
			}
		}
		dst := make([]float64, len(x))
		rl.ArgmaxE(dst, x)
		for i, v := range x {
			want := 0.0
			if v == best {
				want = 1 / float64(k)
			}
			if dst[i] != want {
				t.Fatalf("ArgmaxE(%v) = %v", x, dst)
			}
		}
	}
}

func TestPolicyMaps(t *testing.T) {
	rng := rand.New(rand.NewPCG(507, 508))
	S, A := 6, 4
	q := make([]float64, S*A)
	for i := range q {
		q[i] = float64(rng.IntN(4)) // ties likely
	}
	soft := rl.SoftmaxPolicy(q, S, A, 4)
	greedy := rl.GreedyPolicy(q, S, A)
	for _, pi := range []struct {
		name string
		p    []float64
	}{{"softmax", soft.Prob}, {"greedy", greedy.Prob}} {
		if len(pi.p) != S*A {
			t.Fatalf("%s policy has %d entries", pi.name, len(pi.p))
		}
	}
	if err := soft.Validate(); err != nil {
		t.Error(err)
	}
	if err := greedy.Validate(); err != nil {
		t.Error(err)
	}
	row := make([]float64, A)
	for s := 0; s < S; s++ {
		rl.Softmax(row, q[s*A:(s+1)*A], 4)
		for a := range row {
			if soft.Prob[s*A+a] != row[a] {
				t.Fatalf("SoftmaxPolicy row %d = %v, Softmax %v", s, soft.Row(s), row)
			}
		}
		rl.ArgmaxE(row, q[s*A:(s+1)*A])
		for a := range row {
			if greedy.Prob[s*A+a] != row[a] {
				t.Fatalf("GreedyPolicy row %d = %v, ArgmaxE %v", s, greedy.Row(s), row)
			}
		}
	}
}

func TestGreedyPolicyWithinTolerance(t *testing.T) {
	q := []float64{1, 1 - 1e-12, 0.5, 2, 2, 2 - 1e-6}
	exact := rl.GreedyPolicy(q, 2, 3)
	loose := rl.GreedyPolicyWithin(q, 2, 3, 1e-9)
	if exact.Prob[0] != 1 || exact.Prob[1] != 0 || loose.Prob[0] != 0.5 || loose.Prob[1] != 0.5 || loose.Prob[2] != 0 {
		t.Errorf("row 0: exact %v, within 1e-9 %v", exact.Prob[:3], loose.Prob[:3])
	}
	if loose.Prob[3] != 0.5 || loose.Prob[4] != 0.5 || loose.Prob[5] != 0 {
		t.Errorf("row 1 within 1e-9: %v (2-1e-6 is not within 1e-9·2)", loose.Prob[3:])
	}
	if same := rl.GreedyPolicyWithin(q, 2, 3, 0); same.Prob[1] != exact.Prob[1] {
		t.Error("tolerance 0 differs from GreedyPolicy")
	}
}

// The prior tilts the softmax; an action the prior rules out gets nothing and, however high its
// value, cannot push the allowed actions into underflow.
func TestPriorSoftmax(t *testing.T) {
	dst := make([]float64, 3)
	rl.PriorSoftmax(dst, []float64{0, 1, 5000}, 1, []float64{0.5, 0.5, 0})
	e := math.Exp(1)
	if math.Abs(dst[0]-1/(1+e)) > 1e-15 || math.Abs(dst[1]-e/(1+e)) > 1e-15 || dst[2] != 0 {
		t.Errorf("got %v, want [1/(1+e), e/(1+e), 0]", dst)
	}
	// Infinite values: those equal to the best split by the prior; NaN falls back to uniform.
	for _, c := range []struct {
		x, prior, want []float64
		c              float64
	}{
		{[]float64{math.Inf(-1), math.Inf(-1), 0}, []float64{0.5, 0.5, 0}, []float64{0.5, 0.5, 0}, 1},
		{[]float64{math.Inf(1), 1}, []float64{0.5, 0.5}, []float64{1, 0}, 1},
		{[]float64{math.Inf(1), math.Inf(1), 1}, []float64{0.2, 0.3, 0.5}, []float64{0.4, 0.6, 0}, 1},
		{[]float64{1, 2}, []float64{0.5, 0.5}, []float64{0, 1}, math.Inf(1)},
		{[]float64{math.NaN(), 2}, []float64{0.5, 0.5}, []float64{0.5, 0.5}, 1},
	} {
		dst := make([]float64, len(c.x))
		rl.PriorSoftmax(dst, c.x, c.c, c.prior)
		for a := range dst {
			if math.Abs(dst[a]-c.want[a]) > 1e-15 {
				t.Errorf("PriorSoftmax(%v, c=%v, prior %v) = %v, want %v", c.x, c.c, c.prior, dst, c.want)
				break
			}
		}
	}
}

// argmaxERef is ArgmaxE as it was written before ArgmaxERows, one row at a time: the reference
// that ArgmaxERows must match bit for bit.
func argmaxERef(dst, x []float64) {
	best := math.Inf(-1)
	count := 0
	for _, v := range x {
		switch {
		case v > best:
			best, count = v, 1
		case v == best:
			count++
		}
	}
	w := 1 / float64(count)
	for i, v := range x {
		if v == best {
			dst[i] = w
		} else {
			dst[i] = 0
		}
	}
}

// TestArgmaxERows holds ArgmaxERows to argmaxERef row by row, bit for bit, on random tables with
// ties, infinities, NaNs and signed zeros, over stale tables that equal the result or differ from
// it in one entry (its report: whether a bit changed).
func TestArgmaxERows(t *testing.T) {
	rng := rand.New(rand.NewPCG(509, 510))
	values := []float64{0, math.Copysign(0, -1), 1, 2, -1, math.Inf(1), math.Inf(-1), math.NaN()}
	for trial := 0; trial < 3000; trial++ {
		S, A := rng.IntN(5), 1+rng.IntN(5)
		x := make([]float64, S*A)
		for i := range x {
			if rng.IntN(3) == 0 {
				x[i] = rng.NormFloat64()
			} else {
				x[i] = values[rng.IntN(len(values))]
			}
		}
		want := make([]float64, S*A)
		for i := 0; i < S*A; i += A {
			argmaxERef(want[i:i+A], x[i:i+A])
		}
		dst := append([]float64(nil), want...)
		if rl.ArgmaxERows(dst, x, A) {
			t.Fatalf("ArgmaxERows(%v, A = %d) over its own result reports a change", x, A)
		}
		wantChange := false
		if len(dst) > 0 && rng.IntN(2) == 0 {
			i := rng.IntN(len(dst))
			dst[i] = values[rng.IntN(len(values))]
			wantChange = math.Float64bits(dst[i]) != math.Float64bits(want[i])
		}
		if got := rl.ArgmaxERows(dst, x, A); got != wantChange {
			t.Fatalf("ArgmaxERows(%v, A = %d) reports %v, want %v", x, A, got, wantChange)
		}
		for i := range want {
			if math.Float64bits(dst[i]) != math.Float64bits(want[i]) {
				t.Fatalf("ArgmaxERows(%v, A = %d) = %v, want %v", x, A, dst, want)
			}
		}
		if S == 1 {
			rl.ArgmaxE(dst, x)
			for i := range want {
				if math.Float64bits(dst[i]) != math.Float64bits(want[i]) {
					t.Fatalf("ArgmaxE(%v) = %v, want %v", x, dst, want)
				}
			}
		}
	}
}

// TestArgmaxERowsShortDst checks that a dst shorter than x panics, even with the capacity for x
// (as ArgmaxE's index past len(dst) did), rather than write into its capacity.
func TestArgmaxERowsShortDst(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("ArgmaxERows into a shorter dst did not panic")
		}
	}()
	dst := make([]float64, 2, 4)
	rl.ArgmaxERows(dst, []float64{1, 2, 3, 4}, 2)
}
