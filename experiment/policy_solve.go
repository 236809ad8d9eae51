package experiment

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"gonum.org/v1/plot/vg"

	"meanfield/exploit"
	"meanfield/games"
	"meanfield/mfg"
	"meanfield/plot"
	"meanfield/solver"
)

// PolicySolveReport is a policy method's solve of a stationary game.
type PolicySolveReport struct {
	Config SolveConfig
	Game   mfg.Game
	Trace  []solver.PolicyIteration
	Files  []string
}

// RunPolicySolve runs a policy method (fictitious play, mirror descent, prior descent, damped
// fixed point) on a stationary game with a model and writes trace.csv, result.json, config.yaml
// and exploitability.png / .svg into outDir.
func RunPolicySolve(ctx context.Context, cfg SolveConfig, outDir string) (*PolicySolveReport, error) {
	cfg, err := cfg.Resolve()
	if err != nil {
		return nil, err
	}
	g, err := games.New(cfg.Game, cfg.GameParams)
	if err != nil {
		return nil, err
	}
	m, err := cfg.PolicyMethod()
	if err != nil {
		return nil, err
	}
	trace, solveErr := solver.SolvePolicies(ctx, g.(mfg.ModelBased), m, cfg.Iterations, nil, exploit.Options{})
	if len(trace) == 0 {
		return nil, solveErr
	}
	rep := &PolicySolveReport{Config: cfg, Game: g, Trace: trace}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return rep, fmt.Errorf("out = %s: %w", outDir, err)
	}
	ex := make([]float64, len(trace))
	xs := make([]float64, len(trace))
	for i, it := range trace {
		ex[i], xs[i] = it.Exploitability, float64(i)
	}
	final := trace[len(trace)-1]
	A := g.Actions()
	outputs := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"config.yaml", func(w io.Writer) error {
			fmt.Fprintln(w, "# Resolved configuration of this run: `mfg solve --config config.yaml` repeats it.")
			return encodeYAML(w, cfg)
		}},
		{"trace.csv", func(w io.Writer) error {
			cw := csv.NewWriter(w)
			cw.Write([]string{"iteration", "exploitability"})
			for i, e := range ex {
				cw.Write([]string{strconv.Itoa(i), formatFloat(e)})
			}
			cw.Flush()
			return cw.Error()
		}},
		{"result.json", func(w io.Writer) error {
			return json.NewEncoder(w).Encode(map[string]any{
				"game": cfg.Game, "algorithm": cfg.Algorithm, "iterations": len(trace) - 1, "exploitability": ex,
				"policy": matrix(final.Policy.Prob, A), "population": matrix(final.Population.Mass, A),
			})
		}},
	}
	for _, o := range outputs {
		path := filepath.Join(outDir, o.name)
		if err := WriteFileAtomic(path, o.write); err != nil {
			return rep, err
		}
		rep.Files = append(rep.Files, path)
	}
	p, err := plot.Paths(fmt.Sprintf("%s on %s: exploitability per iteration", cfg.Algorithm, cfg.Game), "iteration", "exploitability (log scale)", true,
		plot.PathGroup{Name: cfg.Algorithm, X: xs, Paths: [][]float64{ex}})
	if err != nil {
		return rep, err
	}
	paths := []string{filepath.Join(outDir, "exploitability.png"), filepath.Join(outDir, "exploitability.svg")}
	if err := plot.Save(p, 7*vg.Inch, 4.5*vg.Inch, paths...); err != nil {
		return rep, err
	}
	rep.Files = append(rep.Files, paths...)
	return rep, solveErr
}
