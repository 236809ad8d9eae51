package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"meanfield/mfg"
)

// exploitability computes the commute's exploitability by hand: with every driver at home, the
// shares on the routes are π(·|home) itself, and the best deviation saves Σ_k π_k cost_k − min_k
// cost_k.
func exploitability(routes []Route, pi []float64) float64 {
	var mean float64
	best := math.Inf(1)
	for k, r := range routes {
		c := r.FreeFlow + r.Slope*pi[k]
		mean += pi[k] * c
		best = min(best, c)
	}
	return mean - best
}

// The example solves its game: the conformance kit passes; online mirror descent reaches
// Wardrop's equilibrium of the default routes, worked out by hand below, and fictitious play
// approaches it; each trace's last exploitability equals the one computed by hand from the final
// shares, and falls below a bound.
func TestRun(t *testing.T) {
	var out strings.Builder
	solved, err := Run(&out, DefaultRoutes, 100)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	// Routes 0 and 1 used at a common time λ: 1 + 2·x0 = 1.2 + x1, x0 + x1 = 1 → x0 = 0.4, x1 = 0.6,
	// λ = 1.8 < 3, the bypass's free-flow time, so nobody takes it.
	want := []float64{0.4, 0.6, 0}
	bounds := map[string]struct{ shares, exploitability float64 }{
		"fictitious-play":       {1e-2, 1e-2}, // fictitious play's error falls as 1/k
		"online-mirror-descent": {1e-9, 1e-12},
	}
	if len(solved) != 2 {
		t.Fatalf("%d solves, want 2", len(solved))
	}
	for _, s := range solved {
		b, ok := bounds[s.Algorithm]
		if !ok {
			t.Fatalf("unexpected algorithm %s", s.Algorithm)
		}
		for k := range want {
			if math.Abs(s.Shares[k]-want[k]) > b.shares {
				t.Errorf("%s: share of route %d = %v, want %v within %v", s.Algorithm, k, s.Shares[k], want[k], b.shares)
			}
		}
		last := s.Exploitability[len(s.Exploitability)-1]
		if hand := exploitability(DefaultRoutes, s.Shares); math.Abs(last-hand) > 1e-12 {
			t.Errorf("%s: final exploitability %v, by hand %v", s.Algorithm, last, hand)
		}
		if !(last < b.exploitability) || !(s.Exploitability[0] > 0.5) {
			t.Errorf("%s: exploitability %v at k = 0 and %v at the end, want > 0.5 then < %v", s.Algorithm, s.Exploitability[0], last, b.exploitability)
		}
		if !strings.Contains(out.String(), s.Algorithm+"\n  iteration  exploitability\n") {
			t.Errorf("the output lacks the trace of %s", s.Algorithm)
		}
	}
	if !strings.Contains(out.String(), "PASS commute: 7 of 7 check groups pass") {
		t.Errorf("the output lacks the conformance report's summary:\n%s", out.String())
	}
}

// Wardrop's closed form on instances solved by hand.
func TestWardrop(t *testing.T) {
	for _, c := range []struct {
		routes []Route
		shares []float64
		cost   float64
	}{
		{[]Route{{0, 1}, {0, 1}}, []float64{0.5, 0.5}, 0.5},
		{[]Route{{2, 3}}, []float64{1}, 5},
		{[]Route{{3, 1}, {1, 1}}, []float64{0, 1}, 2}, // unsorted; 1 + 1 = 2 < 3
		// λ = (1 + 1 + 1/2 + 1/4) / (1 + 1/2 + 1/4) = 11/7; x_k = (λ − 1)/c_k = 4/7, 2/7, 1/7.
		{[]Route{{1, 1}, {1, 2}, {1, 4}}, []float64{4.0 / 7, 2.0 / 7, 1.0 / 7}, 11.0 / 7},
	} {
		shares, cost := Wardrop(c.routes)
		if math.Abs(cost-c.cost) > 1e-12 {
			t.Errorf("Wardrop(%v): cost %v, want %v", c.routes, cost, c.cost)
		}
		for k := range shares {
			if math.Abs(shares[k]-c.shares[k]) > 1e-12 {
				t.Errorf("Wardrop(%v): shares %v, want %v", c.routes, shares, c.shares)
				break
			}
		}
	}
}

// Every row of every stage sums to 1 and moves action k to state k+1, at random populations.
func TestStageRows(t *testing.T) {
	g, err := NewCommute(DefaultRoutes)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	S, A := g.States(), g.Actions()
	for range 5 {
		L := mfg.NewPopulation(S, A)
		var total float64
		for i := range L.Mass {
			L.Mass[i] = rng.Float64()
			total += L.Mass[i]
		}
		for i := range L.Mass {
			L.Mass[i] /= total
		}
		for tt := 0; tt <= g.Horizon(); tt++ {
			m, err := g.Stage(tt, L)
			if err != nil {
				t.Fatal(err)
			}
			for s := range S {
				for a := range A {
					next, prob := m.Successors(s, a)
					var sum float64
					for _, p := range prob {
						sum += p
					}
					if math.Abs(sum-1) > 1e-12 || len(next) != 1 || next[0] != a+1 {
						t.Errorf("t = %d: P(·|s=%d, a=%d) = %v on %v, want 1 on state %d", tt, s, a, prob, next, a+1)
					}
				}
			}
		}
	}
}

// NewCommute refuses bad routes, naming the route and the value.
func TestNewCommuteRefuses(t *testing.T) {
	for _, c := range []struct {
		routes []Route
		want   string
	}{
		{nil, "routes: none given"},
		{[]Route{{1, 1}, {1, 0}}, "route 1: slope = 0: must be positive"},
		{[]Route{{math.NaN(), 1}}, "route 0: free-flow time = NaN: must be finite"},
	} {
		if _, err := NewCommute(c.routes); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewCommute(%v): %v, want an error containing %q", c.routes, err, c.want)
		}
	}
}

// Wardrop's equilibrium of the example's routes: the bypass is left empty.
func ExampleWardrop() {
	shares, cost := Wardrop(DefaultRoutes)
	fmt.Printf("shares %.2f, travel time %.2f\n", shares, cost)
	// Output: shares [0.40 0.60 0.00], travel time 1.80
}
