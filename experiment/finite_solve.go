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
	"strings"

	"gonum.org/v1/plot/vg"

	"meanfield/finite"
	"meanfield/games"
	"meanfield/mfglib32"
	"meanfield/plot"
)

// FiniteSolveReport is a solve of a finite-horizon game and the files written.
type FiniteSolveReport struct {
	Given  SolveConfig
	Config SolveConfig
	Game   finite.Game
	Result *finite.Result
	Files  []string
}

// SolveFinite solves the finite-horizon game of a resolved configuration with its algorithm, in
// its arithmetic (float64, or MFGLib's float32 with package mfglib32). It returns the game (in
// float64, for its shapes) and the result, which holds the iterations done when the solve stops
// early with an error.
func SolveFinite(ctx context.Context, cfg SolveConfig, onIteration func(finite.Iteration)) (finite.Game, *finite.Result, error) {
	g, err := games.NewFinite(cfg.Game, cfg.Params)
	if err != nil {
		return nil, nil, err
	}
	alg, err := cfg.FiniteAlgorithm()
	if err != nil {
		return nil, nil, err
	}
	switch cfg.Arithmetic {
	case ArithmeticMFGLib:
		g32, err := mfglib32.New(cfg.Game, cfg.Params)
		if err != nil {
			return nil, nil, err
		}
		res, err := mfglib32.Solve(ctx, g32, alg, cfg.Iterations, onIteration)
		return g, res, err
	case ArithmeticFloat64:
		res, err := finite.Solve(ctx, g, alg, finite.Options{Iterations: cfg.Iterations, OnIteration: onIteration})
		return g, res, err
	}
	return nil, nil, fmt.Errorf("arithmetic = %q: must be %s (resolve the configuration first)", cfg.Arithmetic, strings.Join(Arithmetics, " or "))
}

// RunFiniteSolve solves a finite-horizon game with the configured algorithm and writes trace.csv
// (exploitability per iteration), result.json (the final policy and its mean field),
// config.yaml and exploitability.png / .svg into outDir.
func RunFiniteSolve(ctx context.Context, cfg SolveConfig, outDir string, onIteration func(finite.Iteration)) (*FiniteSolveReport, error) {
	given := cfg
	cfg, err := cfg.Resolve()
	if err != nil {
		return nil, err
	}
	g, res, solveErr := SolveFinite(ctx, cfg, onIteration)
	if res == nil {
		return nil, solveErr
	}
	rep := &FiniteSolveReport{Given: given, Config: cfg, Game: g, Result: res}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return rep, fmt.Errorf("out = %s: %w", outDir, err)
	}
	if err := rep.write(outDir); err != nil {
		return rep, err
	}
	return rep, solveErr
}

func (r *FiniteSolveReport) write(dir string) error {
	files, err := writeOutputs(dir, solveConfigOutputs(r.Given, r.Config, []output{
		{"trace.csv", exploitabilityCSV(r.Result.Exploitabilities())},
		{"result.json", r.writeResult},
	}...))
	r.Files = append(r.Files, files...)
	if err != nil {
		return err
	}
	plots, err := writeExploitabilityPlot(dir, r.Config, r.Result.Exploitabilities())
	r.Files = append(r.Files, plots...)
	return err
}

// exploitabilityCSV writes one row per iteration: its index and exploitability.
func exploitabilityCSV(ex []float64) func(io.Writer) error {
	return func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"iteration", "exploitability"})
		for i, e := range ex {
			cw.Write([]string{strconv.Itoa(i), formatFloat(e)})
		}
		cw.Flush()
		return cw.Error()
	}
}

// writeExploitabilityPlot draws the exploitability per iteration on a log axis.
func writeExploitabilityPlot(dir string, cfg SolveConfig, ex []float64) ([]string, error) {
	xs := make([]float64, len(ex))
	for i := range xs {
		xs[i] = float64(i)
	}
	p, err := plot.Paths(fmt.Sprintf("%s on %s: exploitability per iteration", cfg.Algorithm, cfg.Game),
		"iteration", "exploitability (log scale)", true, plot.PathGroup{Name: cfg.Algorithm, X: xs, Paths: [][]float64{ex}})
	if err != nil {
		return nil, fmt.Errorf("exploitability plot: %w", err)
	}
	paths := []string{filepath.Join(dir, "exploitability.png"), filepath.Join(dir, "exploitability.svg")}
	if err := plot.Save(p, 7*vg.Inch, 4.5*vg.Inch, paths...); err != nil {
		return nil, err
	}
	return paths, nil
}

// writeResult writes the final policy π_t(a|s) and its mean field L_t(s, a) as [t][state][action]
// with flat state and action indices (StateShape and ActionShape give the layout). The policy is
// made feasible (rows renormalised) as exploitability scores it; with MFGLib's float32 arithmetic
// it is MFGLib's policy widened to float64 before that, and its mean field is computed in float64.
func (r *FiniteSolveReport) writeResult(w io.Writer) error {
	final := r.Result.Final()
	pi := finite.Feasible(final.Policy)
	L, _, err := finite.MeanFieldOf(r.Game, pi)
	if err != nil {
		return err
	}
	_, A := finite.Dims(r.Game)
	out := struct {
		Game             string        `json:"game"`
		Algorithm        string        `json:"algorithm"`
		Arithmetic       string        `json:"arithmetic"`
		Horizon          int           `json:"horizon"`
		StateShape       []int         `json:"state_shape"`
		ActionShape      []int         `json:"action_shape"`
		Iterations       int           `json:"iterations"`
		Exploitabilities []float64     `json:"exploitability"`
		Policy           [][][]float64 `json:"policy"`
		MeanField        [][][]float64 `json:"mean_field"`
	}{
		Game: r.Config.Game, Algorithm: r.Config.Algorithm, Arithmetic: r.Config.Arithmetic, Horizon: r.Game.Horizon(),
		StateShape: r.Game.StateShape(), ActionShape: r.Game.ActionShape(), Iterations: len(r.Result.Trace) - 1,
		Exploitabilities: r.Result.Exploitabilities(),
	}
	for t := range pi {
		out.Policy = append(out.Policy, matrix(pi[t].Prob, A))
		out.MeanField = append(out.MeanField, matrix(L[t].Mass, A))
	}
	enc := json.NewEncoder(w)
	return enc.Encode(out)
}
