package sweep

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// loadText loads a sweep from the text of its file.
func loadText(t *testing.T, text string) *Sweep {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sweep.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return mustLoad(t, path)
}

// A group of one run has its value as the mean and no SD or interval (NaN); a group of three has
// a finite interval around the mean of its records.
func TestSummarizeOneRunHasNoInterval(t *testing.T) {
	for _, replicates := range []int{1, 3} {
		s := loadText(t, "name: reps\nseed: 3\nreplicates: "+strconv.Itoa(replicates)+
			"\nbase: {game: auction, iterations: 2, steps: 200, compare-to-gmf-v: false}\naxes: {temperature: [2, 4]}\n")
		dir := t.TempDir()
		if _, err := RunSweep(context.Background(), s, dir, Options{}); err != nil {
			t.Fatal(err)
		}
		groups, err := Summarize(s, dir, []string{"temperature"}, "exploitability")
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range groups {
			var sum float64
			for _, r := range s.Runs {
				if r.Params["temperature"] == g.Key[0] {
					rec, err := ReadRecord(dir, r.ID)
					if err != nil {
						t.Fatal(err)
					}
					sum += *rec.Exploitability
				}
			}
			mean := sum / float64(replicates)
			if g.N != replicates || math.Abs(g.Mean-mean) > 1e-12*math.Abs(mean) {
				t.Errorf("%d replicates, group %v: n %d mean %v, records give %v", replicates, g.Key, g.N, g.Mean, mean)
			}
			none := math.IsNaN(g.SD) && math.IsNaN(g.Lower) && math.IsNaN(g.Upper)
			finite := g.Lower <= g.Mean && g.Mean <= g.Upper && !math.IsInf(g.Upper-g.Lower, 0)
			if replicates == 1 && !none || replicates > 1 && !finite {
				t.Errorf("%d replicates, group %v: SD %v, interval [%v, %v]", replicates, g.Key, g.SD, g.Lower, g.Upper)
			}
		}
	}
}
