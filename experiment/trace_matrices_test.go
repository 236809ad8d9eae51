package experiment

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// traceMatricesSolve solves GMF-V on the default auction for 7 iterations with trace-matrices
// every (nil: the default) and returns the report and the folder written.
func traceMatricesSolve(t *testing.T, every *int) (*SolveReport, string) {
	t.Helper()
	cfg := DefaultSolveConfig()
	cfg.Run.Algorithm, cfg.Run.Iterations, cfg.Outputs.CompareToGMFV = "gmf-v", 7, false
	cfg.Outputs.TraceMatrices = every
	dir := t.TempDir()
	rep, err := RunSolve(context.Background(), cfg, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep, dir
}

func readFile(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// trace-matrices 0, 1 and 3 keep and write the tables of no iteration, every one, and 0, 3, 6 and
// the last (7); the solve keeps the first's and the last's always; every number is the same.
func TestTraceMatricesKeepsAndWrites(t *testing.T) {
	full, fullDir := traceMatricesSolve(t, nil)
	if last := full.Result.Final().K; last != 7 {
		t.Fatalf("the solve ran %d iterations, want 7", last)
	}
	for _, c := range []struct {
		every         int
		kept, written []int
	}{
		{0, []int{0, 7}, nil},
		{1, []int{0, 1, 2, 3, 4, 5, 6, 7}, []int{0, 1, 2, 3, 4, 5, 6, 7}},
		{3, []int{0, 3, 6, 7}, []int{0, 3, 6, 7}},
	} {
		rep, dir := traceMatricesSolve(t, &c.every)
		var kept []int
		for _, it := range rep.Result.Trace {
			if it.Policy != nil {
				kept = append(kept, it.K)
			}
		}
		if !slices.Equal(kept, c.kept) {
			t.Errorf("trace-matrices %d: tables kept at %v, want %v", c.every, kept, c.kept)
		}
		var tr struct {
			Iterations []map[string]json.RawMessage `json:"iterations"`
		}
		if err := json.Unmarshal(readFile(t, dir, "trace.json"), &tr); err != nil {
			t.Fatal(err)
		}
		var written []int
		for k, it := range tr.Iterations {
			_, pol := it["policy"]
			_, l1 := it["l1_change"]
			if pol {
				written = append(written, k)
			} else if _, e := it["exploitability"]; !e || (k > 0 && !l1) {
				t.Errorf("trace-matrices %d, iteration %d: scalars missing: %v", c.every, k, it)
			}
		}
		if !slices.Equal(written, c.written) || len(tr.Iterations) != 8 {
			t.Errorf("trace-matrices %d: %d iterations, tables written at %v, want 8 and %v", c.every, len(tr.Iterations), written, c.written)
		}
		for _, name := range []string{"trace.csv", "result.json"} {
			if !bytes.Equal(readFile(t, dir, name), readFile(t, fullDir, name)) {
				t.Errorf("trace-matrices %d: %s differs from the default run's", c.every, name)
			}
		}
	}
}

// By default a solve writes no iteration's tables: trace.json is byte for byte the one of
// trace-matrices 0, and not trace-matrices 1's.
func TestTraceMatricesDefaultIsNone(t *testing.T) {
	zero, one := 0, 1
	_, def := traceMatricesSolve(t, nil)
	_, none := traceMatricesSolve(t, &zero)
	_, every := traceMatricesSolve(t, &one)
	if !bytes.Equal(readFile(t, def, "trace.json"), readFile(t, none, "trace.json")) {
		t.Error("trace.json of the default differs from trace-matrices 0's")
	}
	if bytes.Equal(readFile(t, def, "trace.json"), readFile(t, every, "trace.json")) {
		t.Error("trace.json of the default is trace-matrices 1's")
	}
}

// The memory estimate counts the tables kept: the default is 0's, more with 3 and more again
// with 1; a negative value is refused.
func TestTraceMatricesEstimate(t *testing.T) {
	resolve := func(every *int) SolveConfig {
		cfg := DefaultSolveConfig()
		cfg.Run.Algorithm, cfg.Run.Iterations, cfg.Outputs.TraceMatrices = "gmf-v", 100, every
		r, err := cfg.Resolve()
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	zero, one, three := 0, 1, 3
	def := resolve(nil).Memory().Bytes()
	if b := resolve(&zero).Memory().Bytes(); b != def {
		t.Errorf("trace-matrices 0: %v bytes, default %v", b, def)
	}
	if b3, b1 := resolve(&three).Memory().Bytes(), resolve(&one).Memory().Bytes(); !(def < b3 && b3 < b1) {
		t.Errorf("trace-matrices 1: %v bytes, 3: %v, default %v", b1, b3, def)
	}
	if r := resolve(nil); r.TraceEvery() != 0 {
		t.Errorf("trace-matrices %d by default, want 0", r.TraceEvery())
	}
	cfg := DefaultSolveConfig()
	neg := -1
	cfg.Outputs.TraceMatrices = &neg
	if _, err := cfg.Resolve(); err == nil {
		t.Error("trace-matrices -1 accepted")
	}
}

// keptIterations counts the iterations keepsTables and the last keep.
func TestKeptIterations(t *testing.T) {
	for _, iterations := range []int{1, 2, 6, 7, 9} {
		for _, every := range []int{0, 1, 2, 3, 10} {
			n := 0
			for k := 0; k <= iterations; k++ {
				if keepsTables(every, k) || k == iterations {
					n++
				}
			}
			if got := keptIterations(iterations, every); got != n {
				t.Errorf("iterations %d, every %d: %d kept, want %d", iterations, every, got, n)
			}
		}
	}
}
