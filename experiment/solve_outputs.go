package experiment

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot/vg"

	"meanfield/engine"
	"meanfield/finite"
	"meanfield/internal/atomicfile"
	"meanfield/internal/oneline"
	"meanfield/mfg"
	"meanfield/plot"
)

func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// write writes every output of a solve into dir. An interrupted solve gets no convergence plot
// nor population figures (drawing a long trace can take minutes, and an interrupt asks to stop
// now): an earlier run's are removed, and result.json says "interrupted".
func (r *SolveReport) write(dir string) error {
	// The manifest goes last: a folder without one holds no complete set (a run killed, or a disk
	// full, while writing).
	if err := removeStale(dir, ManifestName); err != nil {
		return err
	}
	l := r.log // a streamed solve's, which wrote the trace's text as it went
	if l == nil {
		l = r.newTraceLog(dir, nil, nil)
		l.observeAll(r.Result.Trace)
	}
	l.finish()
	defer l.abort()
	outs := []output{
		{"trace.csv", nil},
		{"result.json", func(w io.Writer) error { return r.writeResultJSONLog(w, l) }},
		{"trace.json", nil},
	}
	commits := map[string]func() error{"trace.csv": l.csv.commit, "trace.json": l.json.commit}
	files, err := writeOutputsCommitting(dir, solveConfigOutputs(r.Given, r.Config, r.Game, outs...), commits)
	r.Files = append(r.Files, files...)
	if err != nil {
		return err
	}
	if r.Interrupted {
		if err := removeStale(dir, append(slices.Clone(convergenceFigures), finiteFigures...)...); err != nil {
			return err
		}
	} else {
		plots, err := r.writeConvergencePlot(dir, l)
		r.Files = append(r.Files, plots...)
		if err != nil {
			return err
		}
		figures, err := r.writeFiniteFigures(dir)
		if r.Files = append(r.Files, figures...); err != nil {
			return err
		}
	}
	return r.writeManifest(dir)
}

// convergenceFigures are the convergence plot's files.
var convergenceFigures = []string{"convergence.png", "convergence.svg"}

// figurePaths are the files the figure base is written to in dir: base.svg, and base.png before
// it when PNG figures are asked for (SolveConfig.PNG). Without them an earlier run's base.png is
// removed, so that the folder holds one run's figures.
func (r *SolveReport) figurePaths(dir, base string) ([]string, error) {
	svg := filepath.Join(dir, base+".svg")
	if r.Config.PNG {
		return []string{filepath.Join(dir, base+".png"), svg}, nil
	}
	return []string{svg}, removeStale(dir, base+".png")
}

// ManifestName is the file a solve writes last into its folder: the files of the set and its
// status. Without it the folder holds no complete set.
const ManifestName = "manifest.json"

// writeManifest writes the list of the files written and the run's status, atomically, last.
func (r *SolveReport) writeManifest(dir string) error {
	names := make([]string, len(r.Files))
	for i, f := range r.Files {
		names[i] = filepath.Base(f)
	}
	fp, err := r.Config.Fingerprint()
	if err != nil {
		return err
	}
	path := filepath.Join(dir, ManifestName)
	err = atomicfile.Write(path, func(w io.Writer) error {
		m := map[string]any{"status": r.Status(), "iterations": r.Result.Final().K, "files": names,
			"game": r.Config.Run.Game, "algorithm": r.Config.Run.Algorithm, "configuration_sha256": fp}
		if r.Config.Run.GameFile != "" {
			m["game_file"], m["game_file_sha256"] = r.Config.Run.GameFile, r.Config.Run.GameFileSHA256
		}
		return json.NewEncoder(w).Encode(m)
	})
	if err == nil {
		r.Files = append(r.Files, path)
	}
	return err
}

// removeStale removes files of an earlier run that this run does not write, so that the folder
// holds one run's results.
func removeStale(dir string, names ...string) error {
	for _, n := range names {
		if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// TraceColumns are the columns of trace.csv, one row per iteration k = 0..K (the state after k
// steps; see package engine). A cell is empty where its value is not defined for the run (the
// exploitability of a model-free game, the change of L before a population is known, ...).
var TraceColumns = []string{"iteration", "exploitability", "exploitability_converged", "l1_change", "linf_change", "inner_work", "inner_converged", "reference_l1", "reference_linf"}

// writeTraceCSV writes trace.csv: the bytes encoding/csv writes for TraceColumns (and a
// multi-population game's populationColumns) and a traceRow an iteration (none of their cells
// needs quoting: numbers, booleans and empty cells), appended into one buffer rather than built
// as nine strings a row (traceLog).
func (r *SolveReport) writeTraceCSV(w io.Writer) error {
	return r.logOf(r.Result.Trace, w, nil).csv.err
}

// appendTraceRow appends one row of trace.csv and its newline: the iteration, its exploitability
// and whether its evaluation converged, the changes of L, the inner work and whether it
// converged, the distances to the reference; a cell is empty where the run does not define it.
// e, l1 and linf are the forms of the exploitability and the changes of L (empty when not
// recorded).
func appendTraceRow(b []byte, it *engine.Iteration, e, l1, linf []byte) []byte {
	b = appendInt(b, int64(it.K))
	b = append(append(b, ','), e...)
	if it.HasExploitability {
		b = strconv.AppendBool(append(b, ','), it.ExploitabilityConverged)
	} else {
		b = append(b, ',')
	}
	b = append(append(b, ','), l1...)
	b = append(append(b, ','), linf...)
	b = appendInt(append(b, ','), it.InnerWork)
	b = append(b, ',')
	if it.InnerConverged != nil {
		b = strconv.AppendBool(b, *it.InnerConverged)
	}
	b = append(b, ',')
	if it.HasReference {
		b = appendShortest(b, it.ReferenceL1)
		b = appendShortest(append(b, ','), it.ReferenceLInf)
	} else {
		b = append(b, ',')
	}
	return append(b, '\n')
}

// matrix turns a flat row-major table into rows.
func matrix(flat []float64, cols int) [][]float64 {
	rows := make([][]float64, len(flat)/cols)
	for i := range rows {
		rows[i] = flat[i*cols : (i+1)*cols]
	}
	return rows
}

// Tables are [t][state][action] tables. In JSON a value that is not finite (a policy that
// overflowed in float32, say) is written as null, which JSON can hold and NaN it cannot.
type Tables [][][]float64

// MarshalJSON writes the tables with null for NaN and ±Inf.
func (t Tables) MarshalJSON() ([]byte, error) {
	var b []byte
	b = append(b, '[')
	for i, m := range t {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for j, row := range m {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendNumbers(b, row)
		}
		b = append(b, ']')
	}
	return append(b, ']'), nil
}

// Numbers are values that may not all be finite; JSON gets null for those that are not.
type Numbers []float64

// MarshalJSON writes the values with null for NaN and ±Inf.
func (n Numbers) MarshalJSON() ([]byte, error) { return appendNumbers(nil, n), nil }

// appendNumbers appends [x, y, ...] with null for values that are not finite.
func appendNumbers(b []byte, xs []float64) []byte { return appendNumbersCached(b, xs, nil) }

// appendNumbersCached is appendNumbers, formatting the numbers through c when it is not nil.
func appendNumbersCached(b []byte, xs []float64, c *numberCache) []byte {
	b = append(b, '[')
	for k, x := range xs {
		if k > 0 {
			b = append(b, ',')
		}
		switch {
		case math.IsNaN(x) || math.IsInf(x, 0):
			b = append(b, "null"...)
		case c != nil:
			b = c.append(b, x)
		default:
			b = appendShortest(b, x)
		}
	}
	return append(b, ']')
}

// numberCache remembers the shortest decimal forms (strconv's 'g', -1) of numbers formatted
// lately, in 4096 slots indexed by a hash of their bits, a number's form replacing the one of its
// slot. The tables of successive iterations repeat most of their numbers (uniform rows of a
// policy, the initial population, rows that no longer change): on building evacuation three
// numbers in four are found, a copy of at most 24 bytes instead of a formatting of about 100 ns.
type numberCache [4096]cachedNumber

// cachedNumber is the form text[:n] of the number of bits bits; n = 0 is an empty slot.
type cachedNumber struct {
	bits uint64
	n    uint8
	text [24]byte // the longest form of a float64, -2.2250738585072014e-308, has 24 bytes
}

// append appends the shortest decimal form of the finite number x, from the slot its bits hash to.
func (c *numberCache) append(b []byte, x float64) []byte {
	return c[(math.Float64bits(x)*0x9E3779B97F4A7C15)>>52].append(b, x) // Fibonacci hashing: the product's top 12 bits
}

// append appends the shortest decimal form of the finite number x: the slot's copy when x has its
// bits, else formatted anew and kept in the slot.
func (s *cachedNumber) append(b []byte, x float64) []byte {
	bits := math.Float64bits(x)
	if s.n > 0 && s.bits == bits {
		return append(b, s.text[:s.n]...)
	}
	start := len(b)
	b = appendShortest(b, x)
	if n := len(b) - start; n <= len(s.text) {
		s.bits, s.n = bits, uint8(n)
		copy(s.text[:], b[start:])
	}
	return b
}

// policyTables returns π_t as [t][state][action].
func policyTables(pi []mfg.Policy) Tables {
	out := make(Tables, len(pi))
	for t, p := range pi {
		out[t] = matrix(p.Prob, p.Actions)
	}
	return out
}

// populationTables returns L_t as [t][state][action] (nil for none).
func populationTables(L []mfg.Population) Tables {
	if L == nil {
		return nil
	}
	out := make(Tables, len(L))
	for t, l := range L {
		out[t] = matrix(l.Mass, l.Actions)
	}
	return out
}

// qTables returns Q_t as [t][state][action] (nil for none).
func qTables(q [][]float64, actions int) Tables {
	if q == nil {
		return nil
	}
	out := make(Tables, len(q))
	for t, x := range q {
		out[t] = matrix(x, actions)
	}
	return out
}

// ResultJSON is the layout of result.json, the same for every kind of run. Tables are indexed
// [t][state][action] with flat state and action indices (StateShape and ActionShape give the
// layout); a stationary game has one time step. Fields that a run does not define are left out.
type ResultJSON struct {
	Game string `json:"game"`
	// GameFile and GameFileSHA256 are the game file the game was read from and the SHA-256 of its
	// contents, for a game read from a file.
	GameFile       string `json:"game_file,omitempty"`
	GameFileSHA256 string `json:"game_file_sha256,omitempty"`
	Algorithm      string `json:"algorithm"`
	// PresetChanges lists the parameters that make the algorithm's preset what it is and that
	// this run changed (SolveConfig.PresetChanges): the run is not the preset its name says.
	PresetChanges []string `json:"preset_changes,omitempty"`
	Arithmetic    string   `json:"arithmetic"`
	Kind          string   `json:"kind"` // "stationary" or "finite-horizon"
	// TimeSteps is T+1 for a finite-horizon game of time steps t = 0..T (the length of the
	// tables' first index), left out for a stationary game.
	TimeSteps   int   `json:"time_steps,omitempty"`
	States      int   `json:"states"`
	Actions     int   `json:"actions"`
	StateShape  []int `json:"state_shape"`
	ActionShape []int `json:"action_shape"`
	// StateLabels and ActionLabels name the flat state and action indices of the tables (the
	// game's mfg.Labeled labels, else the indices): "left", "(3, 4)", "bid 2".
	StateLabels  []string `json:"state_labels"`
	ActionLabels []string `json:"action_labels"`
	// Iterations is K, the steps taken; the trace has iterations 0..K.
	Iterations int `json:"iterations"`
	// Status is "converged" (the algorithm's stopping rule held), "cycled" (the algorithm
	// stopped because its iterates cycle: no equilibrium; CyclePeriod and CycleStart say how),
	// "completed" (all iterations ran, no stopping rule held), "interrupted" (cancelled) or
	// "failed" (Error says why).
	Status string `json:"status"`
	// CyclePeriod p and CycleStart j, when cycled: iteration K = j + p revisited iteration j.
	CyclePeriod int    `json:"cycle_period,omitempty"`
	CycleStart  *int   `json:"cycle_start,omitempty"`
	Error       string `json:"error,omitempty"`
	// Convergence is the verdict on the run's end and what the last policy is worth.
	Convergence      ConvergenceJSON `json:"convergence"`
	Exploitability   *float64        `json:"exploitability,omitempty"` // left out when not finite
	Exploitabilities Numbers         `json:"exploitabilities,omitempty"`
	// BenchMFGExploitability is Bench-MFG's exploitability of the last policy (stationary games
	// with a model): 50 population steps from the initial population and 99 Bellman backups,
	// where Exploitability is this project's, exact at the population the policy sustains.
	BenchMFGExploitability *float64 `json:"benchmfg_exploitability,omitempty"`
	L1Change               *float64 `json:"l1_change,omitempty"`
	LInfChange             *float64 `json:"linf_change,omitempty"`
	ReferenceL1            *float64 `json:"reference_l1,omitempty"`
	ReferenceLInf          *float64 `json:"reference_linf,omitempty"`
	// ReferenceStatus says whether GMF-V's solve, the reference, converged.
	ReferenceStatus string    `json:"reference_status,omitempty"`
	Policy          Tables    `json:"policy"`
	Population      Tables    `json:"population,omitempty"`
	StateMarginal   []Numbers `json:"state_marginal,omitempty"`
	ActionMarginal  []Numbers `json:"action_marginal,omitempty"`
	Q               Tables    `json:"q,omitempty"`
	Initial         Tables    `json:"initial_population,omitempty"`
	Reference       Tables    `json:"reference_population,omitempty"`
	ReferenceQ      Tables    `json:"reference_q,omitempty"`
	// Populations are a multi-population game's populations with their exploitabilities, whose
	// sum is Exploitability (OpenSpiel's NashConv); left out for another game.
	Populations []PopulationJSON `json:"populations,omitempty"`
}

// ConvergenceJSON is result.json's verdict: how the run ended and what its last policy is.
type ConvergenceJSON struct {
	// Verdict is "converged" (the algorithm's stopping rule held), "cycling" (its iterates cycle,
	// with Period: no equilibrium), "oscillating" (at the cap, the exploitability oscillating
	// over the last Window iterations, with Period when periodic), "stopped at the cap" (no
	// stopping rule met, no oscillation seen), "interrupted" or "failed".
	Verdict string `json:"verdict"`
	Period  int    `json:"period,omitempty"`
	Detail  string `json:"detail"`
	// Equilibrium is true only for a converged run: its last policy is the algorithm's
	// equilibrium (of the smoothed game when Smoothing is set).
	Equilibrium bool `json:"equilibrium"`
	// Window, WindowMean, WindowMin, WindowMax: the exploitability over the last Window
	// iterations (left out when it was not recorded).
	Window     int      `json:"window,omitempty"`
	WindowMean *float64 `json:"window_exploitability_mean,omitempty"`
	WindowMin  *float64 `json:"window_exploitability_min,omitempty"`
	WindowMax  *float64 `json:"window_exploitability_max,omitempty"`
	// FixedPointResidual is ||L_K - L_{K-1}||_1 of the fixed-point schemes (GMF-V, GMF-Q, naive).
	FixedPointResidual *float64 `json:"fixed_point_residual_l1,omitempty"`
	// Smoothing describes how the algorithm smooths its policies (softmax_c), and
	// GreedyExploitability scores the greedy deployment of the last policy (each state's most
	// likely actions, ties shared).
	Smoothing            string   `json:"smoothing,omitempty"`
	GreedyExploitability *float64 `json:"greedy_exploitability,omitempty"`
}

// convergenceJSON fills result.json's verdict.
func (r *SolveReport) convergenceJSON() ConvergenceJSON {
	v := r.Verdict()
	out := ConvergenceJSON{Verdict: v.Kind, Period: v.Period, Detail: v.Detail, Equilibrium: v.Kind == engine.VerdictConverged,
		Smoothing: r.Smoothing(), GreedyExploitability: r.Greedy}
	if v.Window > 0 {
		out.Window, out.WindowMean, out.WindowMin, out.WindowMax = v.Window, &v.Mean, &v.Min, &v.Max
	}
	if f := r.Result.Final(); f.HasChange && r.Config.IsFixedPoint() {
		out.FixedPointResidual = &f.L1Change
	}
	return out
}

// Status says how the solve ended: converged, cycled, completed, interrupted or failed.
func (r *SolveReport) Status() string {
	switch {
	case r.Interrupted:
		return "interrupted"
	case r.Failed:
		return "failed"
	case r.Result.Converged:
		return "converged"
	case r.Result.Stop != nil && r.Result.Stop.Reason == engine.StopCycle:
		return "cycled"
	}
	return "completed"
}

func (r *SolveReport) writeResultJSON(w io.Writer) error {
	return r.writeResultJSONLog(w, r.stats())
}

// writeResultJSONLog is writeResultJSON from the log l: the exploitabilities laid out from their
// forms in l (trace.csv's, the same text), the other numbers formatted through l's cache.
func (r *SolveReport) writeResultJSONLog(w io.Writer, l *traceLog) error {
	out, err := r.resultJSONLog(l)
	if err != nil {
		return err
	}
	return writeIndentedJSONFormed(w, out, l.cache, formedList{"exploitabilities", l.exForms.reader()})
}

// resultJSON assembles result.json. The final policy is the feasible version (rows renormalised),
// as its exploitability scores it; its population is the algorithm's, or else its mean field
// computed in float64.
func (r *SolveReport) resultJSON() (ResultJSON, error) { return r.resultJSONLog(r.stats()) }

// resultJSONLog is resultJSON from the log l.
func (r *SolveReport) resultJSONLog(l *traceLog) (ResultJSON, error) {
	g, f := r.Game, r.Result.Final()
	out := ResultJSON{
		Game: r.Config.Run.Game, GameFile: r.Config.Run.GameFile, GameFileSHA256: r.Config.Run.GameFileSHA256,
		Algorithm: r.Config.Run.Algorithm, Arithmetic: r.Config.Run.Arithmetic, Kind: "stationary",
		States: g.States(), Actions: g.Actions(), StateShape: []int{g.States()}, ActionShape: []int{g.Actions()},
		StateLabels: mfg.StateLabels(g), ActionLabels: mfg.ActionLabels(g),
		Iterations: f.K, Status: r.Status(), Q: qTables(f.Q, g.Actions()), Convergence: r.convergenceJSON(),
		PresetChanges: r.Config.PresetChanges(), BenchMFGExploitability: r.BenchMFG,
	}
	if out.Status == "cycled" {
		start := r.Result.Stop.Start
		out.CyclePeriod, out.CycleStart = r.Result.Stop.Period, &start
	}
	if r.Err != nil {
		out.Error = oneline.String(r.Err.Error())
	}
	if fg, ok := g.(mfg.Finite); ok {
		out.Kind, out.TimeSteps, out.StateShape, out.ActionShape = "finite-horizon", fg.Horizon()+1, fg.StateShape(), fg.ActionShape()
	}
	out.Policy = policyTables(finite.Feasible(f.Policy))
	L, err := r.FinalPopulation()
	if err != nil {
		return out, err
	}
	out.Population = populationTables(L)
	for _, l := range L {
		out.StateMarginal = append(out.StateMarginal, l.StateMarginal(nil))
		out.ActionMarginal = append(out.ActionMarginal, l.ActionMarginal(nil))
	}
	r.finalNumbers(&out, f, l)
	return out, nil
}

// finalNumbers fills the final exploitability, changes and reference distances, and the
// exploitabilities and initial population of the log l.
func (r *SolveReport) finalNumbers(out *ResultJSON, f engine.Iteration, l *traceLog) {
	if f.HasExploitability {
		if !math.IsNaN(f.Exploitability) && !math.IsInf(f.Exploitability, 0) {
			out.Exploitability = &f.Exploitability
		}
		out.Exploitabilities = l.expl
	}
	out.Populations = r.populationsJSON(l)
	if f.HasChange {
		out.L1Change, out.LInfChange = &f.L1Change, &f.LInfChange
	}
	out.Initial = populationTables(l.first.Population)
	if f.HasReference && r.Reference != nil {
		out.ReferenceL1, out.ReferenceLInf = &f.ReferenceL1, &f.ReferenceLInf
		ref := r.Reference.Final()
		out.Reference, out.ReferenceQ = populationTables(ref.Population), qTables(ref.Q, r.Game.Actions())
		out.ReferenceStatus = fmt.Sprintf("did not converge in %d iterations: its last population, not an equilibrium", ref.K)
		if r.Reference.Converged {
			out.ReferenceStatus = "converged"
		}
	}
}

// iterationJSON is one iteration in trace.json: its tables where trace-matrices writes them, else
// its changes of L.
type iterationJSON struct {
	K              int      `json:"k"`
	Exploitability *float64 `json:"exploitability,omitempty"`
	L1Change       *float64 `json:"l1_change,omitempty"`
	LInfChange     *float64 `json:"linf_change,omitempty"`
	Policy         Tables   `json:"policy,omitempty"`
	Population     Tables   `json:"population,omitempty"`
	Q              Tables   `json:"q,omitempty"`
}

// tracesTables reports whether trace.json holds the tables of iteration k under trace-matrices
// every: none for 0, else every every-th iteration, the first and the last.
func tracesTables(every, k, last int) bool {
	return every > 0 && (k == 0 || k == last || k%every == 0)
}

// writeTraceJSON writes every iteration's number and exploitability, and the policy, population
// and Q-function, [t][state][action], of those trace-matrices says (else the changes of L): the
// bytes json.NewEncoder(w).Encode(map[string]any{"iterations": its}) writes for its, the
// iterations as iterationJSON, streamed an iteration at a time without building the tables (at
// the sizes trace.json allows, encoding/json spent most of a solve's time building, checking and
// copying them).
func (r *SolveReport) writeTraceJSON(w io.Writer) error {
	return r.logOf(r.Result.Trace, nil, w).json.err
}

// appendIterationJSON appends iteration it as encoding/json writes its iterationJSON: k, the
// exploitability when recorded and finite, and either its tables (those not empty, their numbers
// formatted through c) or its changes of L. The exploitability and the changes of L are laid out
// from e, l1 and linf, their forms in trace.csv.
func (r *SolveReport) appendIterationJSON(b []byte, it *engine.Iteration, tables bool, c *numberCache, e, l1, linf []byte) ([]byte, error) {
	b = appendInt(append(b, `{"k":`...), int64(it.K))
	if x := it.Exploitability; it.HasExploitability && !math.IsNaN(x) && !math.IsInf(x, 0) {
		b, _ = appendJSONFromG(append(b, `,"exploitability":`...), x, e) // finite: no error
	}
	if !tables && it.HasChange {
		var err error
		if b, err = appendJSONFromG(append(b, `,"l1_change":`...), it.L1Change, l1); err != nil {
			return b, err
		}
		if b, err = appendJSONFromG(append(b, `,"linf_change":`...), it.LInfChange, linf); err != nil {
			return b, err
		}
	}
	if tables {
		if len(it.Policy) > 0 {
			b = append(b, `,"policy":[`...)
			for t, p := range it.Policy {
				b = appendTable(b, t, p.Prob, p.Actions, c)
			}
			b = append(b, ']')
		}
		if len(it.Population) > 0 {
			b = append(b, `,"population":[`...)
			for t, l := range it.Population {
				b = appendTable(b, t, l.Mass, l.Actions, c)
			}
			b = append(b, ']')
		}
		if len(it.Q) > 0 {
			b = append(b, `,"q":[`...)
			for t, q := range it.Q {
				b = appendTable(b, t, q, r.Game.Actions(), c)
			}
			b = append(b, ']')
		}
	}
	return append(b, '}'), nil
}

// appendJSONFloat appends x as encoding/json writes a float64: strconv's shortest form in 'f'
// notation, or 'e' for |x| < 1e-6 or ≥ 1e21 with a one-digit exponent kept so (1e-7, not
// 1e-07); NaN and ±Inf are json.Marshal's error.
func appendJSONFloat(b []byte, x float64) ([]byte, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		_, err := json.Marshal(x)
		return b, err
	}
	format := byte('f')
	if a := math.Abs(x); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, x, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2], b = b[n-1], b[:n-1]
	}
	return b, nil
}

// appendTable appends the t-th table of a Tables, the row-major flat table with cols columns, as
// Tables.MarshalJSON writes it: a comma before all but the first, then [[row], [row], ...]; c
// formats the numbers.
func appendTable(b []byte, t int, flat []float64, cols int, c *numberCache) []byte {
	if t > 0 {
		b = append(b, ',')
	}
	b = append(b, '[')
	for i := range len(flat) / cols {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendNumbersCached(b, flat[i*cols:(i+1)*cols], c)
	}
	return append(b, ']')
}

// referenceSeriesName is the convergence plot's name of the distance to the reference: to GMF-V's
// L* when GMF-V converged, else to its last population, which is no equilibrium.
func (r *SolveReport) referenceSeriesName() string {
	if r.Reference != nil && !r.Reference.Converged {
		return "distance to GMF-V's last L in l1 (GMF-V did not converge)"
	}
	return "distance to GMF-V's L* in l1, ‖L_k − L*‖₁"
}

// writeConvergencePlot draws the change of L, the exploitability and the distance to the
// reference per iteration, on a log axis.
func (r *SolveReport) writeConvergencePlot(dir string, l *traceLog) ([]string, error) {
	l1 := plot.Series{Name: "change of L in l1, ‖L_k − L_{k−1}‖₁"}
	linf := plot.Series{Name: "change of L in l∞, ‖L_k − L_{k−1}‖_{∞}"}
	ex := plot.Series{Name: "exploitability of π_k"}
	ref := plot.Series{Name: r.referenceSeriesName()}
	// The log's arrays themselves where they can be (plot.Convergence only reads them), the l∞
	// curve's iterations those of the l1 curve.
	l1.X, l1.Y = l.series(hasChange, l.l1)
	_, linf.Y = l.series(hasChange, l.linf)
	ex.X, ex.Y = l.series(hasE, l.expl)
	if l.ref != nil {
		ref.X, ref.Y = l.series(hasRef, l.ref)
	}
	linf.X = l1.X
	if len(l1.X)+len(ex.X)+len(ref.X) == 0 { // nothing measured: a model-free game, no exploitability
		return nil, removeStale(dir, convergenceFigures...)
	}
	title := fmt.Sprintf("%s on %s: convergence", strings.ToUpper(r.Config.Run.Algorithm), r.Config.Run.Game)
	p, err := plot.Convergence(title, "iteration k", "distance / exploitability (log scale)", l1, linf, ex, ref)
	if err != nil {
		return nil, fmt.Errorf("convergence plot: %w", err)
	}
	paths, err := r.figurePaths(dir, "convergence")
	if err != nil {
		return nil, err
	}
	if err := plot.Save(p, 7*vg.Inch, 4.5*vg.Inch, paths...); err != nil {
		return nil, err
	}
	return paths, nil
}
