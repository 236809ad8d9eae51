package experiment

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"

	"meanfield/games"
	"meanfield/mfg"
	"meanfield/solver"
)

// SolveReport is what RunSolve did: the resolved configuration, the game, the solve, the GMF-V
// reference solve when one was made, and the files written.
type SolveReport struct {
	// Given is the configuration as given (before the algorithm's presets are filled in); Config
	// the resolved one.
	Given     SolveConfig
	Config    SolveConfig
	Game      mfg.Game
	Result    *solver.Result
	Reference *solver.Result
	Files     []string
}

// ReferenceDistance returns ||L_K - L_GMF-V||_1 and l∞ for the final population, when a reference
// was computed.
func (r *SolveReport) ReferenceDistance() (l1, linf float64, ok bool) {
	if r.Reference == nil || len(r.Result.Trace) == 0 {
		return 0, 0, false
	}
	f := r.Result.Final()
	return f.ReferenceL1, f.ReferenceLInf, f.HasReference
}

// RunSolve resolves cfg, solves, and writes the outputs into outDir (created if needed). When
// onIteration is set it is called after every outer iteration. Interrupting ctx stops the solve;
// the iterations done so far are still written, and the error is returned.
func RunSolve(ctx context.Context, cfg SolveConfig, outDir string, onIteration func(solver.Iteration)) (*SolveReport, error) {
	given := cfg
	cfg, err := cfg.Resolve()
	if err != nil {
		return nil, err
	}
	g, err := games.New(cfg.Game, cfg.GameParams)
	if err != nil {
		return nil, err
	}
	opt, err := cfg.Options()
	if err != nil {
		return nil, err
	}
	rep := &SolveReport{Given: given, Config: cfg, Game: g}
	// Where the model is known, GMF-V's equilibrium (same c) is the yardstick for the others.
	if _, ok := g.(mfg.ModelBased); ok && cfg.CompareToGMFV && cfg.Algorithm != "gmf-v" {
		ref := solver.GMFV(1000, cfg.Temperature)
		ref.Exploitability = false
		rep.Reference, err = solver.Solve(ctx, g, ref)
		if err != nil {
			return nil, fmt.Errorf("GMF-V reference: %w", err)
		}
		L := rep.Reference.Final().Population
		opt.Reference = &L
	}
	opt.OnIteration = onIteration
	res, solveErr := solver.Solve(ctx, g, opt)
	if res == nil {
		return nil, solveErr
	}
	rep.Result = res
	if len(res.Trace) == 0 {
		return rep, solveErr
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return rep, fmt.Errorf("out = %s: %w", outDir, err)
	}
	if err := rep.write(outDir); err != nil {
		return rep, err
	}
	return rep, solveErr
}

func (r *SolveReport) write(dir string) error {
	files, err := writeOutputs(dir, solveConfigOutputs(r.Given, r.Config, []output{
		{"trace.csv", r.writeTraceCSV},
		{"result.json", r.writeResultJSON},
		{"trace.json", r.writeTraceJSON},
	}...))
	r.Files = append(r.Files, files...)
	if err != nil {
		return err
	}
	plots, err := writeConvergencePlots(r, dir)
	r.Files = append(r.Files, plots...)
	return err
}

func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func (r *SolveReport) writeTraceCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	header := []string{"iteration", "l1_change", "linf_change", "inner_work", "exploitability", "exploitability_converged", "gmfv_l1", "gmfv_linf"}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, it := range r.Result.Trace {
		row := []string{strconv.Itoa(it.K), formatFloat(it.L1Change), formatFloat(it.LInfChange), strconv.FormatInt(it.InnerWork, 10), "", "", "", ""}
		if it.HasExploitability {
			row[4], row[5] = formatFloat(it.Exploitability), strconv.FormatBool(it.ExploitabilityConverged)
		}
		if it.HasReference {
			row[6], row[7] = formatFloat(it.ReferenceL1), formatFloat(it.ReferenceLInf)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// matrix turns a flat row-major table into rows.
func matrix(flat []float64, cols int) [][]float64 {
	rows := make([][]float64, len(flat)/cols)
	for i := range rows {
		rows[i] = flat[i*cols : (i+1)*cols]
	}
	return rows
}

// resultJSON is the layout of result.json: the final Q, π and L as [state][action] matrices.
type resultJSON struct {
	Game              string      `json:"game"`
	Algorithm         string      `json:"algorithm"`
	States            int         `json:"states"`
	Actions           int         `json:"actions"`
	Iterations        int         `json:"iterations"`
	Converged         bool        `json:"converged"`
	L1Change          float64     `json:"l1_change"`
	LInfChange        float64     `json:"linf_change"`
	Exploitability    *float64    `json:"exploitability,omitempty"`
	GMFVDistanceL1    *float64    `json:"gmfv_distance_l1,omitempty"`
	GMFVDistanceLInf  *float64    `json:"gmfv_distance_linf,omitempty"`
	Q                 [][]float64 `json:"q"`
	Policy            [][]float64 `json:"policy"`
	Population        [][]float64 `json:"population"`
	StateMarginal     []float64   `json:"state_marginal"`
	ActionMarginal    []float64   `json:"action_marginal"`
	GMFVPopulation    [][]float64 `json:"gmfv_population,omitempty"`
	GMFVQ             [][]float64 `json:"gmfv_q,omitempty"`
	InitialPopulation [][]float64 `json:"initial_population"`
}

func (r *SolveReport) writeResultJSON(w io.Writer) error {
	f := r.Result.Final()
	A := r.Game.Actions()
	out := resultJSON{
		Game: r.Config.Game, Algorithm: r.Config.Algorithm, States: r.Game.States(), Actions: A,
		Iterations: len(r.Result.Trace), Converged: r.Result.Converged,
		L1Change: f.L1Change, LInfChange: f.LInfChange,
		Q: matrix(f.Q, A), Policy: matrix(f.Policy.Prob, A), Population: matrix(f.Population.Mass, A),
		StateMarginal: f.Population.StateMarginal(nil), ActionMarginal: f.Population.ActionMarginal(nil),
		InitialPopulation: matrix(r.Result.Initial.Mass, A),
	}
	if f.HasExploitability {
		out.Exploitability = &f.Exploitability
	}
	if f.HasReference {
		out.GMFVDistanceL1, out.GMFVDistanceLInf = &f.ReferenceL1, &f.ReferenceLInf
		ref := r.Reference.Final()
		out.GMFVPopulation, out.GMFVQ = matrix(ref.Population.Mass, A), matrix(ref.Q, A)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// iterationJSON is one outer iteration in trace.json.
type iterationJSON struct {
	K              int         `json:"k"`
	L1Change       float64     `json:"l1_change"`
	LInfChange     float64     `json:"linf_change"`
	InnerWork      int64       `json:"inner_work"`
	Exploitability *float64    `json:"exploitability,omitempty"`
	Q              [][]float64 `json:"q"`
	Policy         [][]float64 `json:"policy"`
	Population     [][]float64 `json:"population"`
}

func (r *SolveReport) writeTraceJSON(w io.Writer) error {
	A := r.Game.Actions()
	its := make([]iterationJSON, len(r.Result.Trace))
	for i, it := range r.Result.Trace {
		its[i] = iterationJSON{K: it.K, L1Change: it.L1Change, LInfChange: it.LInfChange, InnerWork: it.InnerWork,
			Q: matrix(it.Q, A), Policy: matrix(it.Policy.Prob, A), Population: matrix(it.Population.Mass, A)}
		if it.HasExploitability {
			e := it.Exploitability
			its[i].Exploitability = &e
		}
	}
	enc := json.NewEncoder(w)
	return enc.Encode(map[string]any{"initial_population": matrix(r.Result.Initial.Mass, A), "iterations": its})
}
