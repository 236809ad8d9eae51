package sample

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The frequencies of 200 000 draws match p within 5 standard errors; zero-mass entries never come.
func TestCategoricalFrequencies(t *testing.T) {
	p := []float64{0.1, 0, 0.25, 0.6, 0, 0.05}
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 200_000
	count := make([]int, len(p))
	for range n {
		count[Categorical(p, rng)]++
	}
	for i, w := range p {
		f := float64(count[i]) / n
		if w == 0 && count[i] != 0 {
			t.Errorf("index %d of zero mass drawn %d times", i, count[i])
		}
		if se := math.Sqrt(w * (1 - w) / n); math.Abs(f-w) > 5*se+1e-12 {
			t.Errorf("index %d: frequency %v, want %v ± %v", i, f, w, 5*se)
		}
	}
}

// Mass that rounds short of 1 leaves u beyond the total: the last index with mass is returned.
func TestCategoricalFallback(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	short := []float64{0, 1e-300, 0} // u almost surely beyond the total
	for range 100 {
		if i := Categorical(short, rng); i != 1 {
			t.Fatalf("drew %d from %v, want 1 (the only index with mass)", i, short)
		}
	}
	if i := Categorical([]float64{0, 0, 0}, rng); i != 0 {
		t.Errorf("no mass: drew %d, want 0", i)
	}
	if i := Categorical([]float64{0, 0, 1}, rng); i != 2 {
		t.Errorf("a point mass at 2: drew %d", i)
	}
}
