package tune_test

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"meanfield/tune"
)

// readColumn reads one column of a Parquet file with Apache Arrow's Go implementation, an
// independent reader (the files are written with parquet-go).
func readColumn(t *testing.T, path, name string) arrow.Array {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := pqarrow.ReadTable(context.Background(), bytes.NewReader(data), parquet.NewReaderProperties(memory.DefaultAllocator), pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	idx := tbl.Schema().FieldIndices(name)
	if len(idx) != 1 {
		t.Fatalf("%s: no column %q in %v", path, name, tbl.Schema())
	}
	a, err := array.Concatenate(tbl.Column(idx[0]).Data().Chunks(), memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// trials.parquet, read by Arrow, holds one row per trial with the records' states, objectives,
// parameters and the running best; games.parquet one row per trial and game run.
func TestParquetReadByArrow(t *testing.T) {
	s := parse(t, tiny)
	dir := t.TempDir()
	run(t, s, dir, 2)
	sum, err := tune.Summarize(s, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := sum.Write(s, dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "trials.parquet")
	state := readColumn(t, path, "state").(*array.String)
	obj := readColumn(t, path, "objective").(*array.Float64)
	best := readColumn(t, path, "best_so_far").(*array.Float64)
	eta := readColumn(t, path, "param_eta").(*array.Float64)
	inner := readColumn(t, path, "param_n_inner").(*array.Int64)
	if state.Len() != 10 {
		t.Fatalf("%d rows, want 10", state.Len())
	}
	running := math.Inf(1)
	games := 0
	for k, r := range sum.Records {
		games += len(r.Games)
		if state.Value(k) != r.State {
			t.Errorf("row %d: state %q, record %q", k, state.Value(k), r.State)
		}
		if r.State == tune.Complete {
			running = min(running, *r.Value)
			if obj.IsNull(k) || obj.Value(k) != *r.Value {
				t.Errorf("row %d: objective %v, record %v", k, obj.Value(k), *r.Value)
			}
		} else if !obj.IsNull(k) {
			t.Errorf("row %d: a %s trial with objective %v", k, r.State, obj.Value(k))
		}
		if !math.IsInf(running, 1) && (best.IsNull(k) || best.Value(k) != running) {
			t.Errorf("row %d: best so far %v, want %v", k, best.Value(k), running)
		}
		if eta.Value(k) != r.Params["eta"].(float64) || inner.Value(k) != int64(r.Params["n-inner"].(int)) {
			t.Errorf("row %d: parameters %v %v, record %v", k, eta.Value(k), inner.Value(k), r.Params)
		}
		if e := r.Params["eta"].(float64); e < 0.01 || e > 10 {
			t.Errorf("trial %d: eta %v outside [0.01, 10]", k, e)
		}
	}
	if n := readColumn(t, filepath.Join(dir, "games.parquet"), "game").Len(); n != games {
		t.Errorf("games.parquet has %d rows, the records %d games", n, games)
	}
}
