package experiment

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot/vg"

	"meanfield/engine"
	"meanfield/finite"
	"meanfield/mfg"
	"meanfield/plot"
)

// traceJSONLimit is the most numbers trace.json holds: beyond it (large finite-horizon games,
// long solves) the file would take hundreds of megabytes, and it is not written.
const traceJSONLimit = 2_000_000

func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// write writes every output of a solve into dir.
func (r *SolveReport) write(dir string) error {
	outs := []output{{"trace.csv", r.writeTraceCSV}, {"result.json", r.writeResultJSON}}
	if r.traceJSONSize() <= traceJSONLimit {
		outs = append(outs, output{"trace.json", r.writeTraceJSON})
	}
	files, err := writeOutputs(dir, solveConfigOutputs(r.Given, r.Config, outs...))
	r.Files = append(r.Files, files...)
	if err != nil {
		return err
	}
	plots, err := r.writeConvergencePlot(dir)
	r.Files = append(r.Files, plots...)
	return err
}

// traceJSONSize is the number of values trace.json would hold.
func (r *SolveReport) traceJSONSize() int {
	n := 0
	for _, it := range r.Result.Trace {
		n += len(it.Policy) * (r.Game.States() * r.Game.Actions()) * (1 + min(1, len(it.Population)) + min(1, len(it.Q)))
	}
	return n
}

// TraceColumns are the columns of trace.csv, one row per iteration k = 0..K (the state after k
// steps; see package engine). A cell is empty where its value is not defined for the run (the
// exploitability of a model-free game, the change of L before a population is known, ...).
var TraceColumns = []string{"iteration", "exploitability", "exploitability_converged", "l1_change", "linf_change", "inner_work", "reference_l1", "reference_linf"}

func (r *SolveReport) writeTraceCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(TraceColumns); err != nil {
		return err
	}
	for _, it := range r.Result.Trace {
		if err := cw.Write(traceRow(it)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// traceRow is one row of trace.csv.
func traceRow(it engine.Iteration) []string {
	row := make([]string, len(TraceColumns))
	row[0], row[5] = strconv.Itoa(it.K), strconv.FormatInt(it.InnerWork, 10)
	if it.HasExploitability {
		row[1], row[2] = formatFloat(it.Exploitability), strconv.FormatBool(it.ExploitabilityConverged)
	}
	if it.HasChange {
		row[3], row[4] = formatFloat(it.L1Change), formatFloat(it.LInfChange)
	}
	if it.HasReference {
		row[6], row[7] = formatFloat(it.ReferenceL1), formatFloat(it.ReferenceLInf)
	}
	return row
}

// matrix turns a flat row-major table into rows.
func matrix(flat []float64, cols int) [][]float64 {
	rows := make([][]float64, len(flat)/cols)
	for i := range rows {
		rows[i] = flat[i*cols : (i+1)*cols]
	}
	return rows
}

// policyTables returns π_t as [t][state][action].
func policyTables(pi []mfg.Policy) [][][]float64 {
	out := make([][][]float64, len(pi))
	for t, p := range pi {
		out[t] = matrix(p.Prob, p.Actions)
	}
	return out
}

// populationTables returns L_t as [t][state][action] (nil for none).
func populationTables(L []mfg.Population) [][][]float64 {
	if L == nil {
		return nil
	}
	out := make([][][]float64, len(L))
	for t, l := range L {
		out[t] = matrix(l.Mass, l.Actions)
	}
	return out
}

// qTables returns Q_t as [t][state][action] (nil for none).
func qTables(q [][]float64, actions int) [][][]float64 {
	if q == nil {
		return nil
	}
	out := make([][][]float64, len(q))
	for t, x := range q {
		out[t] = matrix(x, actions)
	}
	return out
}

// ResultJSON is the layout of result.json, the same for every kind of run. Tables are indexed
// [t][state][action] with flat state and action indices (StateShape and ActionShape give the
// layout); a stationary game has one time step. Fields that a run does not define are left out.
type ResultJSON struct {
	Game        string `json:"game"`
	Algorithm   string `json:"algorithm"`
	Arithmetic  string `json:"arithmetic"`
	Kind        string `json:"kind"`              // "stationary" or "finite-horizon"
	Horizon     int    `json:"horizon,omitempty"` // T of a finite-horizon game
	States      int    `json:"states"`
	Actions     int    `json:"actions"`
	StateShape  []int  `json:"state_shape"`
	ActionShape []int  `json:"action_shape"`
	// Iterations is K, the steps taken; the trace has iterations 0..K.
	Iterations int `json:"iterations"`
	// Status is "converged" (the algorithm's stopping rule held), "completed" (all iterations
	// ran, no stopping rule held) or "interrupted".
	Status           string        `json:"status"`
	Exploitability   *float64      `json:"exploitability,omitempty"`
	Exploitabilities []float64     `json:"exploitabilities,omitempty"`
	L1Change         *float64      `json:"l1_change,omitempty"`
	LInfChange       *float64      `json:"linf_change,omitempty"`
	ReferenceL1      *float64      `json:"reference_l1,omitempty"`
	ReferenceLInf    *float64      `json:"reference_linf,omitempty"`
	Policy           [][][]float64 `json:"policy"`
	Population       [][][]float64 `json:"population,omitempty"`
	StateMarginal    [][]float64   `json:"state_marginal,omitempty"`
	ActionMarginal   [][]float64   `json:"action_marginal,omitempty"`
	Q                [][][]float64 `json:"q,omitempty"`
	Initial          [][][]float64 `json:"initial_population,omitempty"`
	Reference        [][][]float64 `json:"reference_population,omitempty"`
	ReferenceQ       [][][]float64 `json:"reference_q,omitempty"`
}

// Status says how the solve ended: converged, completed or interrupted.
func (r *SolveReport) Status() string {
	switch {
	case r.Interrupted:
		return "interrupted"
	case r.Result.Converged:
		return "converged"
	}
	return "completed"
}

func (r *SolveReport) writeResultJSON(w io.Writer) error {
	out, err := r.resultJSON()
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(out)
}

// resultJSON assembles result.json. The final policy is the feasible version (rows renormalised),
// as its exploitability scores it; its population is the algorithm's, or else its mean field
// computed in float64.
func (r *SolveReport) resultJSON() (ResultJSON, error) {
	g, f := r.Game, r.Result.Final()
	out := ResultJSON{
		Game: r.Config.Run.Game, Algorithm: r.Config.Run.Algorithm, Arithmetic: r.Config.Run.Arithmetic, Kind: "stationary",
		States: g.States(), Actions: g.Actions(), StateShape: []int{g.States()}, ActionShape: []int{g.Actions()},
		Iterations: f.K, Status: r.Status(), Q: qTables(f.Q, g.Actions()),
	}
	if fg, ok := g.(mfg.Finite); ok {
		out.Kind, out.Horizon, out.StateShape, out.ActionShape = "finite-horizon", fg.Horizon(), fg.StateShape(), fg.ActionShape()
	}
	pi := finite.Feasible(f.Policy)
	out.Policy = policyTables(pi)
	L := f.Population
	if L == nil {
		if p, err := engine.NewProblem(g, engine.EvaluationOptions{}); err == nil && p.CanEvaluate() == nil {
			if L, err = p.MeanField(context.Background(), pi); err != nil {
				return out, err
			}
		}
	}
	out.Population = populationTables(L)
	for _, l := range L {
		out.StateMarginal = append(out.StateMarginal, l.StateMarginal(nil))
		out.ActionMarginal = append(out.ActionMarginal, l.ActionMarginal(nil))
	}
	r.finalNumbers(&out, f)
	return out, nil
}

// finalNumbers fills the final exploitability, changes and reference distances.
func (r *SolveReport) finalNumbers(out *ResultJSON, f engine.Iteration) {
	if f.HasExploitability {
		out.Exploitability = &f.Exploitability
		out.Exploitabilities = r.Result.Exploitabilities()
	}
	if f.HasChange {
		out.L1Change, out.LInfChange = &f.L1Change, &f.LInfChange
	}
	out.Initial = populationTables(r.Result.Trace[0].Population)
	if f.HasReference && r.Reference != nil {
		out.ReferenceL1, out.ReferenceLInf = &f.ReferenceL1, &f.ReferenceLInf
		ref := r.Reference.Final()
		out.Reference, out.ReferenceQ = populationTables(ref.Population), qTables(ref.Q, r.Game.Actions())
	}
}

// iterationJSON is one iteration in trace.json.
type iterationJSON struct {
	K              int           `json:"k"`
	Exploitability *float64      `json:"exploitability,omitempty"`
	Policy         [][][]float64 `json:"policy"`
	Population     [][][]float64 `json:"population,omitempty"`
	Q              [][][]float64 `json:"q,omitempty"`
}

// writeTraceJSON writes every iteration's policy, population and Q-function, [t][state][action].
func (r *SolveReport) writeTraceJSON(w io.Writer) error {
	its := make([]iterationJSON, len(r.Result.Trace))
	for i, it := range r.Result.Trace {
		its[i] = iterationJSON{K: it.K, Policy: policyTables(it.Policy), Population: populationTables(it.Population), Q: qTables(it.Q, r.Game.Actions())}
		if it.HasExploitability {
			e := it.Exploitability
			its[i].Exploitability = &e
		}
	}
	return json.NewEncoder(w).Encode(map[string]any{"iterations": its})
}

// writeConvergencePlot draws the change of L, the exploitability and the distance to the
// reference per iteration, on a log axis.
func (r *SolveReport) writeConvergencePlot(dir string) ([]string, error) {
	l1 := plot.Series{Name: "l1 change of L from the previous iteration"}
	linf := plot.Series{Name: "l∞ change of L from the previous iteration"}
	ex := plot.Series{Name: "exploitability of π(k)"}
	ref := plot.Series{Name: "l1 distance to GMF-V's L*"}
	for _, it := range r.Result.Trace {
		k := float64(it.K)
		if it.HasChange {
			l1.X, l1.Y = append(l1.X, k), append(l1.Y, it.L1Change)
			linf.X, linf.Y = append(linf.X, k), append(linf.Y, it.LInfChange)
		}
		if it.HasExploitability {
			ex.X, ex.Y = append(ex.X, k), append(ex.Y, it.Exploitability)
		}
		if it.HasReference {
			ref.X, ref.Y = append(ref.X, k), append(ref.Y, it.ReferenceL1)
		}
	}
	if len(l1.X)+len(ex.X)+len(ref.X) == 0 {
		return nil, nil // nothing measured: a single iteration of a model-free game
	}
	title := fmt.Sprintf("%s on %s: convergence", strings.ToUpper(r.Config.Run.Algorithm), r.Config.Run.Game)
	p, err := plot.Convergence(title, "iteration k", l1, linf, ex, ref)
	if err != nil {
		return nil, fmt.Errorf("convergence plot: %w", err)
	}
	paths := []string{filepath.Join(dir, "convergence.png"), filepath.Join(dir, "convergence.svg")}
	if err := plot.Save(p, 7*vg.Inch, 4.5*vg.Inch, paths...); err != nil {
		return nil, err
	}
	return paths, nil
}
