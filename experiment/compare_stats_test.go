package experiment

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// syntheticPoints returns the points of a comparison of cfg whose values are drawn from a
// skewed nonnegative distribution with exact zeros (as C(π) of a path at an equilibrium).
func syntheticPoints(cfg CompareConfig, seed uint64) []ComparePoint {
	rng := rand.New(rand.NewPCG(seed, 0))
	C := cfg.Checkpoints
	points := make([]ComparePoint, len(cfg.Algorithms)*cfg.Paths*C)
	for a, alg := range cfg.Algorithms {
		for p := 0; p < cfg.Paths; p++ {
			for c := 1; c <= C; c++ {
				v := 0.0
				if rng.IntN(3) > 0 {
					v = math.Exp(3 * rng.NormFloat64())
				}
				points[(a*cfg.Paths+p)*C+c-1] = ComparePoint{Algorithm: alg, Path: p, Checkpoint: c, Samples: int64(c), Value: v}
			}
		}
	}
	return points
}

// Whatever the paths' values, a summary's interval never reaches below 0 and contains the mean;
// with one path there is none.
func TestCompareSummaryIntervalRespectsC(t *testing.T) {
	for seed := range uint64(50) {
		cfg := CompareConfig{Algorithms: []string{"gmf-q", "il"}, Paths: 2 + int(seed%6), Checkpoints: 3}
		for _, s := range summarize(cfg, syntheticPoints(cfg, seed)) {
			if !s.HasInterval() || !(s.Lower90 >= 0) || s.Lower90 > s.Mean*(1+1e-12) || s.Upper90 < s.Mean*(1-1e-12) {
				t.Fatalf("seed %d, %s at checkpoint %d: mean %v, interval [%v, %v]", seed, s.Algorithm, s.Checkpoint, s.Mean, s.Lower90, s.Upper90)
			}
		}
	}
	cfg := CompareConfig{Algorithms: []string{"gmf-q"}, Paths: 1, Checkpoints: 2}
	for _, s := range summarize(cfg, syntheticPoints(cfg, 1)) {
		if s.HasInterval() {
			t.Errorf("one path: interval [%v, %v]", s.Lower90, s.Upper90)
		}
	}
}

// With one path, summary.csv leaves sd and the interval empty, and the summaries go to JSON (which
// has no NaN) and back without an interval; with two, the bounds survive the round trip.
func TestCompareSummaryWithoutInterval(t *testing.T) {
	cfg := CompareConfig{Algorithms: []string{"gmf-q", "il"}, Paths: 1, Checkpoints: 1}
	rep := &CompareReport{Config: cfg, Summary: summarize(cfg, syntheticPoints(cfg, 3))}
	var buf bytes.Buffer
	if err := rep.writeSummary(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		for _, col := range []string{"sd", "lower90", "upper90"} {
			if cell := row[slices.Index(rows[0], col)]; cell != "" {
				t.Errorf("%s = %q with one path, want an empty cell", col, cell)
			}
		}
	}
	for _, paths := range []int{1, 2} {
		cfg.Paths = paths
		in := summarize(cfg, syntheticPoints(cfg, 4))
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatalf("%d paths: %v", paths, err)
		}
		var out []CompareSummary
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		for i := range in {
			same := func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }
			if !same(in[i].Lower90, out[i].Lower90) || !same(in[i].Upper90, out[i].Upper90) || in[i].Mean != out[i].Mean || in[i].HasInterval() != (paths > 1) {
				t.Errorf("%d paths: %+v became %+v", paths, in[i], out[i])
			}
		}
	}
}

// LowestC names one algorithm only when its interval lies below every other's.
func TestLowestC(t *testing.T) {
	sum := func(alg string, mean, lo, hi float64) CompareSummary {
		return CompareSummary{Algorithm: alg, Mean: mean, Lower90: lo, Upper90: hi}
	}
	nan := math.NaN()
	cases := []struct {
		name        string
		s           []CompareSummary
		lowest, abv []string
	}{
		{"apart", []CompareSummary{sum("gmf-q", 0.08, 0.05, 0.1), sum("il", 0.25, 0.2, 0.3), sum("mf-q", 1.5, 1, 2)}, []string{"gmf-q"}, []string{"il", "mf-q"}},
		{"overlap", []CompareSummary{sum("gmf-q", 0.1, 0.04, 0.46), sum("il", 0.29, 0.25, 0.34), sum("mf-q", 1.1, 0.79, 1.56)}, []string{"gmf-q", "il"}, []string{"mf-q"}},
		{"lowest last", []CompareSummary{sum("gmf-q", 0.3, 0.2, 0.4), sum("il", 0.9, 0.5, 1), sum("mf-q", 0.1, 0.05, 0.25)}, []string{"mf-q", "gmf-q"}, []string{"il"}},
		{"touching", []CompareSummary{sum("gmf-q", 0.1, 0.05, 0.2), sum("il", 0.3, 0.2, 0.4)}, []string{"gmf-q", "il"}, nil},
		{"one path", []CompareSummary{sum("gmf-q", 0.1, nan, nan), sum("il", 5, nan, nan)}, []string{"gmf-q", "il"}, nil},
	}
	for _, c := range cases {
		l := LowestC(c.s)
		if !slices.Equal(l.Algorithms, c.lowest) || !slices.Equal(l.Above, c.abv) || l.Distinguished() != (len(c.lowest) == 1) {
			t.Errorf("%s: lowest %v, above %v; want %v, %v", c.name, l.Algorithms, l.Above, c.lowest, c.abv)
		}
	}
}
