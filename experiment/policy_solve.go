package experiment

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"meanfield/exploit"
	"meanfield/games"
	"meanfield/mfg"
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
	given := cfg
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
	for i, it := range trace {
		ex[i] = it.Exploitability
	}
	final := trace[len(trace)-1]
	A := g.Actions()
	files, err := writeOutputs(outDir, solveConfigOutputs(given, cfg, []output{
		{"trace.csv", exploitabilityCSV(ex)},
		{"result.json", func(w io.Writer) error {
			return json.NewEncoder(w).Encode(map[string]any{
				"game": cfg.Game, "algorithm": cfg.Algorithm, "iterations": len(trace) - 1, "exploitability": ex,
				"policy": matrix(final.Policy.Prob, A), "population": matrix(final.Population.Mass, A),
			})
		}},
	}...))
	rep.Files = append(rep.Files, files...)
	if err != nil {
		return rep, err
	}
	plots, err := writeExploitabilityPlot(outDir, cfg, ex)
	rep.Files = append(rep.Files, plots...)
	if err != nil {
		return rep, err
	}
	return rep, solveErr
}
