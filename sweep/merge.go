package sweep

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/parquet-go/parquet-go"

	"meanfield/internal/atomicfile"
)

// MergeReport lists what Merge found.
type MergeReport struct {
	Runs int
	// Missing are the ids of runs without a record; Failed those recorded with an error.
	Missing []string
	Failed  []*Record
	Files   []string
}

// Collect reads the records of every run of s in dir, in run order; missing runs are nil. A
// record that is not its run's (another sweep's fingerprint or seed, another run's id, index,
// replicate or seed) is an error wrapping ErrForeignRecord that names its file: it is never
// collected.
func Collect(s *Sweep, dir string) ([]*Record, *MergeReport, error) {
	rep := &MergeReport{Runs: len(s.Runs)}
	recs := make([]*Record, len(s.Runs))
	for i, r := range s.Runs {
		rec, err := ReadRecord(dir, r.ID)
		if os.IsNotExist(err) {
			rep.Missing = append(rep.Missing, r.ID)
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("out = %s: %w", dir, err)
		}
		if err := s.belongs(rec, r, recordPath(dir, r.ID)); err != nil {
			return nil, nil, err
		}
		recs[i] = rec
		if rec.Status != "ok" {
			rep.Failed = append(rep.Failed, rec)
		}
	}
	return recs, rep, nil
}

// Merge checks dir against s (ErrOtherSweep, ErrForeignRecord) and, when no run is missing, writes runs.parquet (one row per run)
// and iterations.parquet (one row per run and recorded iteration) atomically. Missing runs are
// reported, and nothing is written.
func Merge(s *Sweep, dir string) (*MergeReport, error) {
	if err := Check(s, dir); err != nil {
		return nil, err
	}
	recs, rep, err := Collect(s, dir)
	if err != nil {
		return nil, err
	}
	if len(rep.Missing) > 0 {
		return rep, nil
	}
	kinds := paramKinds(s)
	paramCols := map[string]parquet.Node{}
	for _, a := range s.Axes {
		paramCols[columnName(a.Name)] = kinds[a.Name].node()
	}
	optDouble := func() parquet.Node { return parquet.Optional(parquet.Leaf(parquet.DoubleType)) }
	runCols := parquet.Group{
		"run_id": parquet.String(), "run_index": parquet.Int(64), "replicate": parquet.Int(64), "seed": parquet.Uint(64),
		"status": parquet.String(), "error": parquet.String(), "game": parquet.String(), "algorithm": parquet.String(),
		"iterations_run": parquet.Int(64), "converged": parquet.Leaf(parquet.BooleanType),
		"final_exploitability": optDouble(), "final_l1_change": optDouble(), "final_linf_change": optDouble(),
		"verdict": parquet.String(), "window_exploitability_mean": optDouble(),
	}
	iterCols := parquet.Group{
		"run_id": parquet.String(), "run_index": parquet.Int(64), "replicate": parquet.Int(64),
		"iteration": parquet.Int(64), "exploitability": optDouble(), "l1_change": optDouble(), "linf_change": optDouble(),
	}
	for name, node := range paramCols {
		// An axis named game or algorithm replaces the result column of the same name, which
		// holds the same value; Parse admits no other clash.
		runCols[name], iterCols[name] = node, node
	}
	runSchema, iterSchema := parquet.NewSchema("runs", runCols), parquet.NewSchema("iterations", iterCols)
	var runRows, iterRows []parquet.Row
	for i, rec := range recs {
		base := map[string]any{"run_id": rec.ID, "run_index": int64(rec.Index), "replicate": int64(rec.Replicate)}
		for _, a := range s.Axes {
			// The values as the sweep file gives them, not as JSON read them back.
			base[columnName(a.Name)] = kinds[a.Name].value(s.Runs[i].Params[a.Name])
		}
		row := runRow(rec)
		for k, v := range base {
			row[k] = v
		}
		runRows = append(runRows, runSchema.Deconstruct(nil, row))
		for _, p := range rec.Trace {
			it := map[string]any{"iteration": int64(p.Iteration), "exploitability": optional(p.Exploitability), "l1_change": optional(p.L1Change), "linf_change": optional(p.LInfChange)}
			for k, v := range base {
				it[k] = v
			}
			iterRows = append(iterRows, iterSchema.Deconstruct(nil, it))
		}
	}
	for _, out := range []struct {
		name   string
		schema *parquet.Schema
		rows   []parquet.Row
	}{{"runs.parquet", runSchema, runRows}, {"iterations.parquet", iterSchema, iterRows}} {
		path := filepath.Join(dir, out.name)
		err := atomicfile.Write(path, func(w io.Writer) error {
			pw := parquet.NewWriter(w, out.schema)
			if _, err := pw.WriteRows(out.rows); err != nil {
				return err
			}
			return pw.Close()
		})
		if err != nil {
			return rep, err
		}
		rep.Files = append(rep.Files, path)
	}
	return rep, nil
}

// runRow is a run's result columns in runs.parquet.
func runRow(rec *Record) map[string]any {
	row := map[string]any{
		"seed": rec.Seed, "status": rec.Status, "error": rec.Error, "game": rec.Game, "algorithm": rec.Algorithm,
		"iterations_run": int64(rec.Iterations), "converged": rec.Converged,
		"final_exploitability": optional(rec.Exploitability), "final_l1_change": optional(rec.L1Change), "final_linf_change": optional(rec.LInfChange),
	}
	v := rec.Verdict()
	row["verdict"], row["window_exploitability_mean"] = v.Kind, optional(nil)
	if v.Window > 0 {
		row["window_exploitability_mean"] = optional(&v.Mean)
	}
	return row
}

func optional(x *float64) any {
	if x == nil {
		return nil
	}
	return *x
}

// columnName is an axis name as a column: dots (params.n) become underscores.
func columnName(axis string) string { return strings.ReplaceAll(axis, ".", "_") }

// kind is the Parquet type of a parameter column, inferred from all its values.
type kind int

const (
	kindInt kind = iota
	kindFloat
	kindBool
	kindString
)

func paramKinds(s *Sweep) map[string]kind {
	out := map[string]kind{}
	for _, a := range s.Axes {
		allInt, allNum, allBool := true, true, true
		for _, v := range a.Values {
			switch v.(type) {
			case int, int64:
				allBool = false
			case float64:
				allInt, allBool = false, false
			case bool:
				allInt, allNum = false, false
			default:
				allInt, allNum, allBool = false, false, false
			}
		}
		switch {
		case allInt:
			out[a.Name] = kindInt
		case allNum:
			out[a.Name] = kindFloat
		case allBool:
			out[a.Name] = kindBool
		default:
			out[a.Name] = kindString
		}
	}
	return out
}

func (k kind) node() parquet.Node {
	switch k {
	case kindInt:
		return parquet.Int(64)
	case kindFloat:
		return parquet.Leaf(parquet.DoubleType)
	case kindBool:
		return parquet.Leaf(parquet.BooleanType)
	}
	return parquet.String()
}

func (k kind) value(v any) any {
	switch k {
	case kindInt:
		switch x := v.(type) {
		case int:
			return int64(x)
		case int64:
			return x
		case float64:
			return int64(x)
		}
	case kindFloat:
		switch x := v.(type) {
		case int:
			return float64(x)
		case int64:
			return float64(x)
		case float64:
			return x
		}
	case kindBool:
		return v
	}
	if s, ok := v.(string); ok {
		return s
	}
	var b bytes.Buffer
	json.NewEncoder(&b).Encode(v)
	return strings.TrimSpace(b.String())
}
