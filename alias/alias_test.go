package alias

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The implied probabilities of a table must equal the normalised weights exactly (up to rounding).
func TestTableImpliedProbabilities(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(12)
		w := make([]float64, n)
		var total float64
		for i := range w {
			if rng.IntN(4) > 0 {
				w[i] = rng.Float64() * 10
			}
			total += w[i]
		}
		if total == 0 {
			w[0], total = 1, 1
		}
		tab, err := New(w)
		if err != nil {
			t.Fatal(err)
		}
		implied := make([]float64, n)
		for i := range w {
			implied[i] += tab.prob[i] / float64(n)
			implied[tab.alias[i]] += (1 - tab.prob[i]) / float64(n)
		}
		for i := range w {
			if math.Abs(implied[i]-w[i]/total) > 1e-12 {
				t.Fatalf("weights %v: outcome %d has probability %v, want %v", w, i, implied[i], w[i]/total)
			}
		}
	}
}

func TestDrawFrequencies(t *testing.T) {
	w := []float64{0.1, 0, 0.5, 0.4}
	tab, err := New(w)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 200000
	counts := make([]float64, len(w))
	for i := 0; i < n; i++ {
		counts[tab.Draw(rng)]++
	}
	for i, p := range w {
		got := counts[i] / n
		se := math.Sqrt(p*(1-p)/n) + 1e-12
		if math.Abs(got-p) > 5*se {
			t.Errorf("outcome %d: frequency %v, want %v ± %v", i, got, p, 5*se)
		}
	}
}

func TestNewRejectsBadWeights(t *testing.T) {
	for _, w := range [][]float64{nil, {0, 0}, {1, -1}, {math.NaN()}, {math.Inf(1)}} {
		if _, err := New(w); err == nil {
			t.Errorf("New(%v) accepted bad weights", w)
		}
	}
}
