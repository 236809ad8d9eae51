package alias

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The implied probabilities of an Outcomes table, cut/2^64 for the column and the rest for its
// alias, equal the normalised weights up to rounding, and every column holds its own outcome.
func TestOutcomesImpliedProbabilities(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(12)
		w := make([]float64, n)
		names := make([]string, n)
		var total float64
		for i := range w {
			if rng.IntN(4) > 0 {
				w[i] = rng.Float64() * 10
			}
			total += w[i]
			names[i] = string(rune('a' + i))
		}
		if total == 0 {
			w[0], total = 1, 1
		}
		tab, err := NewOutcomes(w, names)
		if err != nil {
			t.Fatal(err)
		}
		implied := map[string]float64{}
		for i, c := range tab.cols {
			if c.outs[1] != names[i] {
				t.Fatalf("weights %v: column %d keeps %q, want %q", w, i, c.outs[1], names[i])
			}
			keep := math.Ldexp(float64(c.cut), -64)
			implied[c.outs[1]] += keep / float64(n)
			implied[c.outs[0]] += (1 - keep) / float64(n)
		}
		for i := range w {
			if math.Abs(implied[names[i]]-w[i]/total) > 1e-12 {
				t.Fatalf("weights %v: outcome %d has probability %v, want %v", w, i, implied[names[i]], w[i]/total)
			}
		}
	}
}

func TestOutcomesDrawFrequencies(t *testing.T) {
	w := []float64{0.1, 0, 0.5, 0.4}
	tab, err := NewOutcomes(w, []float64{-1, 0, 1.5, 7})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	const n = 200000
	counts := map[float64]float64{}
	for range n {
		counts[tab.Draw(rng)]++
	}
	for i, v := range []float64{-1, 0, 1.5, 7} {
		p := w[i]
		se := math.Sqrt(p*(1-p)/n) + 1e-12
		if got := counts[v] / n; math.Abs(got-p) > 5*se {
			t.Errorf("outcome %v: frequency %v, want %v ± %v", v, got, p, 5*se)
		}
	}
}

// The extreme uniforms pick the first and last columns, and a column of probability 1 is kept
// even by the largest fraction.
func TestOutcomesPickEnds(t *testing.T) {
	tab, err := NewOutcomes([]float64{1, 1, 1}, []int{10, 11, 12})
	if err != nil {
		t.Fatal(err)
	}
	if got := tab.Pick(0); got != 10 {
		t.Errorf("Pick(0) = %d, want 10", got)
	}
	if got := tab.Pick(math.MaxUint64); got != 12 {
		t.Errorf("Pick(2^64-1) = %d, want 12", got)
	}
	if tab.Len() != 3 {
		t.Errorf("Len() = %d, want 3", tab.Len())
	}
}

func TestNewOutcomesRejectsBadInput(t *testing.T) {
	if _, err := NewOutcomes([]float64{1, 2}, []int{1}); err == nil {
		t.Error("NewOutcomes accepted 1 outcome for 2 weights")
	}
	for _, w := range [][]float64{nil, {0, 0}, {1, -1}, {math.NaN()}, {math.Inf(1)}} {
		if _, err := NewOutcomes(w, make([]int, len(w))); err == nil {
			t.Errorf("NewOutcomes(%v) accepted bad weights", w)
		}
	}
}
