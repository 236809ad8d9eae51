package tune

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/parquet-go/parquet-go"
	"go.yaml.in/yaml/v3"

	"meanfield/internal/atomicfile"
	"meanfield/internal/params"
	"meanfield/internal/wrap"
)

// Summary is a finished study: its records, in trial order, and the best trial.
type Summary struct {
	Records []*Record
	// Best is the complete trial of least objective (the first of equal ones); nil when no trial
	// is complete.
	Best *Record
	// Missing are the trials without a record.
	Missing []int
	// Counts of trials by state.
	Complete, Pruned, Failed int
	// Files written by Write.
	Files []string
	// PNG asks Write for PNG figures beside the SVG ones.
	PNG bool
}

// Summarize reads the study's records in dir and finds the best trial.
func Summarize(s *Study, dir string) (*Summary, error) {
	recs, err := Collect(s, dir)
	if err != nil {
		return nil, err
	}
	sum := &Summary{Records: recs}
	for k, r := range recs {
		if r == nil {
			sum.Missing = append(sum.Missing, k)
			continue
		}
		switch r.State {
		case Complete:
			sum.Complete++
			if sum.Best == nil || *r.Value < *sum.Best.Value {
				sum.Best = r
			}
		case Pruned:
			sum.Pruned++
		default:
			sum.Failed++
		}
	}
	return sum, nil
}

// BestSoFar is, for each trial k, the least objective of the complete trials 0..k (NaN before
// the first complete one).
func (sum *Summary) BestSoFar() []float64 {
	out := make([]float64, len(sum.Records))
	best := nan()
	for k, r := range sum.Records {
		if r != nil && r.State == Complete && !(*r.Value >= best) {
			best = *r.Value
		}
		out[k] = best
	}
	return out
}

// Write writes, atomically into dir, trials.parquet (one row per trial), games.parquet (one row
// per trial and game), best.yaml (the best trial's configuration of the first game, ready for
// mfg solve --config; best-<i>.yaml for game i ≥ 1), history.svg and params.svg (see Plots).
// A study with missing trials is refused.
func (sum *Summary) Write(s *Study, dir string) error {
	if len(sum.Missing) > 0 {
		return fmt.Errorf("out = %s: %d of %d trials have no record (the first: %d): run the study to the end first", dir, len(sum.Missing), len(sum.Records), sum.Missing[0])
	}
	if err := sum.writeTrials(s, dir); err != nil {
		return err
	}
	if err := sum.writeGames(dir); err != nil {
		return err
	}
	if sum.Best != nil {
		for i := range s.Configs {
			name := "best.yaml"
			if i > 0 {
				name = fmt.Sprintf("best-%d.yaml", i)
			}
			if err := sum.writeBest(s, i, filepath.Join(dir, name)); err != nil {
				return err
			}
		}
	}
	files, err := sum.Plots(s, dir)
	sum.Files = append(sum.Files, files...)
	return err
}

// columnName is a parameter as a column: params.n is params_n.
func columnName(p string) string {
	return strings.NewReplacer(".", "_", "-", "_").Replace(p)
}

func (sum *Summary) writeTrials(s *Study, dir string) error {
	opt := func() parquet.Node { return parquet.Optional(parquet.Leaf(parquet.DoubleType)) }
	cols := parquet.Group{
		"trial": parquet.Int(64), "state": parquet.String(), "objective": opt(), "best_so_far": opt(),
		"pruned_at": parquet.Optional(parquet.Int(64)), "error": parquet.String(),
	}
	for _, p := range s.Space {
		switch p.Type {
		case Float:
			cols["param_"+columnName(p.Name)] = parquet.Leaf(parquet.DoubleType)
		case Int:
			cols["param_"+columnName(p.Name)] = parquet.Int(64)
		default:
			cols["param_"+columnName(p.Name)] = parquet.String()
		}
	}
	schema := parquet.NewSchema("trials", cols)
	best := sum.BestSoFar()
	var rows []parquet.Row
	for k, r := range sum.Records {
		row := map[string]any{"trial": int64(k), "state": r.State, "objective": nil, "best_so_far": nil, "pruned_at": nil, "error": r.Error}
		if r.State == Complete {
			row["objective"] = *r.Value
		}
		if r.State == Pruned {
			row["pruned_at"] = int64(r.Step)
		}
		if best[k] == best[k] {
			row["best_so_far"] = best[k]
		}
		for _, p := range s.Space {
			row["param_"+columnName(p.Name)] = paramValue(p, r.Params[p.Name])
		}
		rows = append(rows, schema.Deconstruct(nil, row))
	}
	return sum.writeParquet(filepath.Join(dir, "trials.parquet"), schema, rows)
}

// paramValue is a parameter's value as its column holds it.
func paramValue(p *Param, v any) any {
	switch p.Type {
	case Float:
		x, _ := params.Number(v)
		return x
	case Int:
		x, _ := params.Number(v)
		return int64(x)
	}
	return fmt.Sprint(v)
}

func (sum *Summary) writeGames(dir string) error {
	opt := func() parquet.Node { return parquet.Optional(parquet.Leaf(parquet.DoubleType)) }
	schema := parquet.NewSchema("games", parquet.Group{
		"trial": parquet.Int(64), "game_index": parquet.Int(64), "game": parquet.String(), "algorithm": parquet.String(),
		"stat": opt(), "final_exploitability": opt(), "min_exploitability": opt(), "iterations_run": parquet.Int(64),
		"converged": parquet.Leaf(parquet.BooleanType), "pruned": parquet.Leaf(parquet.BooleanType),
		"diverged": parquet.Leaf(parquet.BooleanType),
	})
	var rows []parquet.Row
	for k, r := range sum.Records {
		for g, gr := range r.Games {
			row := map[string]any{"trial": int64(k), "game_index": int64(g), "game": gr.Game, "algorithm": gr.Algorithm,
				"stat": nil, "final_exploitability": nil, "min_exploitability": nil, "iterations_run": int64(max(len(gr.Trace)-1, 0)),
				"converged": gr.Converged, "pruned": gr.Pruned, "diverged": gr.Diverged}
			if gr.Stat != nil {
				row["stat"] = *gr.Stat
			}
			if n := len(gr.Trace); n > 0 {
				lo := gr.Trace[0]
				for _, e := range gr.Trace {
					lo = min(lo, e)
				}
				row["final_exploitability"], row["min_exploitability"] = gr.Trace[n-1], lo
			}
			rows = append(rows, schema.Deconstruct(nil, row))
		}
	}
	return sum.writeParquet(filepath.Join(dir, "games.parquet"), schema, rows)
}

func (sum *Summary) writeParquet(path string, schema *parquet.Schema, rows []parquet.Row) error {
	err := atomicfile.Write(path, func(w io.Writer) error {
		pw := parquet.NewWriter(w, schema)
		if _, err := pw.WriteRows(rows); err != nil {
			return err
		}
		return pw.Close()
	})
	if err == nil {
		sum.Files = append(sum.Files, path)
	}
	return err
}

// writeBest writes game i's configuration with the best trial's values, as mfg solve reads it.
func (sum *Summary) writeBest(s *Study, i int, path string) error {
	b := sum.Best
	header := fmt.Sprintf("The best trial of study %s: trial %d of %d, objective %s = %.6g. "+
		"`mfg solve --config %s` runs it (game %d of the study, seed as in the trial).",
		s.File.Name, b.Trial, len(sum.Records), s.Objective.Describe(len(s.Configs)), *b.Value, filepath.Base(path), i)
	err := atomicfile.Write(path, func(w io.Writer) error {
		for _, l := range wrap.Lines("# ", "# ", strings.Fields(header), 100) {
			if _, err := fmt.Fprintln(w, l); err != nil {
				return err
			}
		}
		enc := yaml.NewEncoder(w)
		enc.SetIndent(2)
		if err := enc.Encode(s.ConfigMap(i, b.Params)); err != nil {
			return err
		}
		return enc.Close()
	})
	if err == nil {
		sum.Files = append(sum.Files, path)
	}
	return err
}
