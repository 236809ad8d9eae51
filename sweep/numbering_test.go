package sweep

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"meanfield/experiment"
)

// trace.csv, result.json and the sweep's Parquet iterations number iterations alike for every
// kind of run: rows 0..K, where K is the number of steps (result.json's "iterations").
func TestIterationNumberingAgrees(t *testing.T) {
	for _, run := range []struct {
		name, base string
		steps      int
	}{
		{"fixed point on a stationary game", "{game: congestion, algorithm: gmf-v, params: {locations: 3}, iterations: 3, tolerance: 0, compare-to-gmf-v: false}", 3},
		{"policy method on a stationary game", "{game: congestion, algorithm: fictitious-play, params: {locations: 3}, iterations: 4}", 4},
		{"finite-horizon game", "{game: beach-bar, algorithm: online-mirror-descent, iterations: 5}", 5},
		{"finite-horizon game in MFGLib's arithmetic", "{game: beach-bar, algorithm: prior-descent, iterations: 2, arithmetic: mfglib-float32}", 2},
	} {
		t.Run(run.name, func(t *testing.T) {
			s, err := Parse(fmt.Appendf(nil, "name: numbering\nseed: 1\nbase: %s\n", run.base))
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := s.Config(s.Runs[0])
			if err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			if _, err := experiment.RunSolve(context.Background(), cfg, out, nil); err != nil {
				t.Fatal(err)
			}
			want := make([]int64, run.steps+1)
			for k := range want {
				want[k] = int64(k)
			}
			checkSeq(t, "trace.csv", csvIterations(t, filepath.Join(out, "trace.csv")), want)
			var res struct{ Iterations int }
			readJSON(t, filepath.Join(out, "result.json"), &res)
			if res.Iterations != run.steps {
				t.Errorf("result.json: iterations = %d, want %d", res.Iterations, run.steps)
			}
			dir := t.TempDir()
			if _, err := RunSweep(context.Background(), s, dir, Options{Workers: 1}); err != nil {
				t.Fatal(err)
			}
			if _, err := Merge(s, dir); err != nil {
				t.Fatal(err)
			}
			iters := readArrow(t, filepath.Join(dir, "iterations.parquet"))
			col := column(t, iters, "iteration", arrow.PrimitiveTypes.Int64).(*array.Int64)
			checkSeq(t, "iterations.parquet", col.Int64Values(), want)
		})
	}
}

func checkSeq(t *testing.T, what string, got, want []int64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: iterations %v, want %v", what, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: iterations %v, want %v", what, got, want)
		}
	}
}

func csvIterations(t *testing.T, path string) []int64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var ks []int64
	for _, row := range rows[1:] {
		k, err := strconv.ParseInt(row[0], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		ks = append(ks, k)
	}
	return ks
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}
