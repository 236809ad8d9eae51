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
			c := tab.cols[i]
			implied[i] += c.prob / float64(n)
			implied[c.alias] += (1 - c.prob) / float64(n)
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

// Draws are the same as before the table's columns were laid out together and Pick was split out
// of Draw (issue 12): the outcomes below were recorded at commit 3d70ef7. Each draw uses exactly
// one number of the stream (the next one is the same after 30 draws whatever the weights).
func TestDrawsUnchanged(t *testing.T) {
	cases := []struct {
		weights []float64
		want    []int
	}{
		{[]float64{0.1, 0, 0.5, 0.4}, []int{3, 0, 0, 3, 0, 2, 0, 2, 3, 2, 3, 3, 2, 3, 2, 3, 3, 3, 3, 3, 3, 2, 3, 2, 3, 2, 2, 3, 2, 3}},
		{[]float64{1, 2, 7}, []int{1, 0, 0, 2, 0, 2, 0, 2, 1, 1, 1, 1, 2, 2, 2, 2, 2, 1, 2, 2, 2, 1, 1, 2, 2, 2, 2, 2, 2, 1}},
		{[]float64{3, 1e-9, 2, 2, 5, 0.5, 1}, []int{3, 0, 0, 6, 0, 2, 0, 4, 3, 2, 0, 0, 4, 4, 0, 6, 6, 0, 4, 4, 6, 2, 3, 4, 4, 5, 6, 4, 0, 3}},
	}
	for _, c := range cases {
		tab, err := New(c.weights)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(21, 22))
		for k, want := range c.want {
			if got := tab.Draw(rng); got != want {
				t.Fatalf("weights %v: draw %d = %d, want %d", c.weights, k, got, want)
			}
		}
		if next := rng.Uint64(); next != 10873478939184258403 {
			t.Errorf("weights %v: the stream moved on to %d after 30 draws", c.weights, next)
		}
	}
}
