package sweep

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// readArrow reads a Parquet file with Apache Arrow's Go implementation, an independent reader (the
// files are written with parquet-go), as an analyst's pandas or polars would through pyarrow.
func readArrow(t *testing.T, path string) arrow.Table {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := pqarrow.ReadTable(context.Background(), bytes.NewReader(data), parquet.NewReaderProperties(memory.DefaultAllocator), pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return tbl
}

// column returns the named column as one array, with the table's row count.
func column(t *testing.T, tbl arrow.Table, name string, want arrow.DataType) arrow.Array {
	t.Helper()
	idx := tbl.Schema().FieldIndices(name)
	if len(idx) != 1 {
		t.Fatalf("no column %q in %v", name, tbl.Schema())
	}
	col := tbl.Column(idx[0])
	if !arrow.TypeEqual(col.DataType(), want) {
		t.Fatalf("column %q has type %v, want %v", name, col.DataType(), want)
	}
	arrs, err := array.Concatenate(col.Data().Chunks(), memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	return arrs
}

func TestParquetReadByArrow(t *testing.T) {
	s := mustLoad(t, small)
	dir := t.TempDir()
	if _, err := RunSweep(context.Background(), s, dir, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Merge(s, dir); err != nil {
		t.Fatal(err)
	}
	runs := readArrow(t, filepath.Join(dir, "runs.parquet"))
	if int(runs.NumRows()) != len(s.Runs) {
		t.Fatalf("runs.parquet has %d rows, want %d", runs.NumRows(), len(s.Runs))
	}
	ids := column(t, runs, "run_id", arrow.BinaryTypes.String).(*array.String)
	seedCol := column(t, runs, "seed", arrow.PrimitiveTypes.Uint64).(*array.Uint64)
	temps := column(t, runs, "temperature", arrow.PrimitiveTypes.Int64).(*array.Int64)
	states := column(t, runs, "params_states", arrow.PrimitiveTypes.Int64).(*array.Int64)
	expl := column(t, runs, "final_exploitability", arrow.PrimitiveTypes.Float64).(*array.Float64)
	conv := column(t, runs, "converged", arrow.FixedWidthTypes.Boolean).(*array.Boolean)
	status := column(t, runs, "status", arrow.BinaryTypes.String).(*array.String)
	iterCount := column(t, runs, "iterations_run", arrow.PrimitiveTypes.Int64).(*array.Int64)
	l1 := column(t, runs, "final_l1_change", arrow.PrimitiveTypes.Float64).(*array.Float64)
	verdict := column(t, runs, "verdict", arrow.BinaryTypes.String).(*array.String)
	window := column(t, runs, "window_exploitability_mean", arrow.PrimitiveTypes.Float64).(*array.Float64)
	for i, r := range s.Runs {
		rec, err := ReadRecord(dir, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ids.Value(i) != r.ID || seedCol.Value(i) != r.Seed || temps.Value(i) != int64(r.Params["temperature"].(int)) || states.Value(i) != int64(r.Params["params.states"].(int)) {
			t.Fatalf("row %d: id %s seed %d temperature %d states %d, want %+v", i, ids.Value(i), seedCol.Value(i), temps.Value(i), states.Value(i), r)
		}
		if expl.IsNull(i) || expl.Value(i) != *rec.Exploitability || l1.Value(i) != *rec.L1Change || conv.Value(i) != rec.Converged || status.Value(i) != "ok" || iterCount.Value(i) != int64(rec.Iterations) {
			t.Fatalf("row %d: values differ from the record %+v", i, rec)
		}
		// Iterations 3..4, the last half of K = 4: their mean exploitability.
		want := (*rec.Trace[3].Exploitability + *rec.Trace[4].Exploitability) / 2
		if verdict.Value(i) != rec.Verdict().Kind || verdict.Value(i) == "" || window.IsNull(i) || window.Value(i) != want {
			t.Fatalf("row %d: verdict %q window mean %v, want %q and %v", i, verdict.Value(i), window.Value(i), rec.Verdict().Kind, want)
		}
	}
	iters := readArrow(t, filepath.Join(dir, "iterations.parquet"))
	if iters.NumRows() != int64(len(s.Runs)*5) {
		t.Fatalf("iterations.parquet has %d rows, want %d runs × iterations 0..4", iters.NumRows(), len(s.Runs))
	}
	itID := column(t, iters, "run_id", arrow.BinaryTypes.String).(*array.String)
	it := column(t, iters, "iteration", arrow.PrimitiveTypes.Int64).(*array.Int64)
	ex := column(t, iters, "exploitability", arrow.PrimitiveTypes.Float64).(*array.Float64)
	rec0, _ := ReadRecord(dir, s.Runs[0].ID)
	for k := 0; k <= 4; k++ {
		if itID.Value(k) != s.Runs[0].ID || it.Value(k) != int64(k) || ex.Value(k) != *rec0.Trace[k].Exploitability {
			t.Fatalf("iteration row %d: %s %d %v, want %s %d %v", k, itID.Value(k), it.Value(k), ex.Value(k), s.Runs[0].ID, k, *rec0.Trace[k].Exploitability)
		}
	}
}
