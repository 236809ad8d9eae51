package experiment

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"go.yaml.in/yaml/v3"
	"golang.org/x/sync/errgroup"

	"meanfield/internal/atomicfile"
)

// ReproduceConfig sizes every experiment of the talk. DefaultReproduceConfig is the full
// reproduction; QuickReproduceConfig the same pipeline at a reduced size.
type ReproduceConfig struct {
	Seed uint64 `yaml:"seed"`
	// Quick marks the reduced configuration (for the record; the sizes below are what count).
	Quick   bool             `yaml:"quick"`
	DeltaQ  DeltaQConfig     `yaml:"delta-q"`
	Naive   NaiveConfig      `yaml:"naive"`
	Compare CompareConfig    `yaml:"compare"`
	Setting []CompareSetting `yaml:"compare-settings"`
}

// DeltaQConfig sizes the ΔQ table and the Q-table heat maps: GMF-Q with each T_k against GMF-V,
// both for Iterations outer iterations at softmax parameter Temperature.
type DeltaQConfig struct {
	Steps       []int   `yaml:"steps"`
	Iterations  int     `yaml:"iterations"`
	Sweeps      int     `yaml:"sweeps"`
	Seeds       int     `yaml:"seeds"`
	Temperature float64 `yaml:"temperature"`
	EpsilonNet  float64 `yaml:"epsilon-net"`
}

// NaiveConfig sizes the fluctuation figure: Paths sample paths of the naive algorithm and of
// GMF-Q, Iterations outer iterations of Steps Q-learning steps.
type NaiveConfig struct {
	Paths      int `yaml:"paths"`
	Iterations int `yaml:"iterations"`
	Steps      int `yaml:"steps"`
}

// CompareSetting is one C(π) figure: the auction's size and the number of bidders.
type CompareSetting struct {
	States  int `yaml:"states"`
	Actions int `yaml:"actions"`
	Players int `yaml:"players"`
}

// Name is the experiment's name, e.g. c-pi-10x10-n20.
func (s CompareSetting) Name() string {
	return fmt.Sprintf("c-pi-%dx%d-n%d", s.States, s.Actions, s.Players)
}

// TalkDeltaQ are the ΔQ values of the talk's table, by T_k.
var TalkDeltaQ = map[int]float64{1000: 0.21263, 3000: 0.1294, 5000: 0.10258, 10000: 0.0989}

// DefaultReproduceConfig is the full reproduction of the talk's tables and figures.
func DefaultReproduceConfig() ReproduceConfig {
	return ReproduceConfig{
		Seed:    1,
		DeltaQ:  DeltaQConfig{Steps: []int{1000, 3000, 5000, 10000}, Iterations: 20, Sweeps: 5000, Seeds: 10, Temperature: 4, EpsilonNet: 1e-4},
		Naive:   NaiveConfig{Paths: 30, Iterations: 20, Steps: 10000},
		Compare: DefaultCompareConfig(),
		Setting: []CompareSetting{{10, 10, 20}, {20, 20, 20}, {10, 10, 40}},
	}
}

// QuickReproduceConfig runs the same pipeline at a reduced size, in well under a minute.
func QuickReproduceConfig() ReproduceConfig {
	c := DefaultReproduceConfig()
	c.Quick = true
	c.DeltaQ.Seeds = 2
	c.Naive.Paths = 4
	c.Compare.Paths = 3
	c.Compare.Checkpoints = 2
	c.Compare.Iterations = 10
	c.Compare.Steps = 5000
	c.Compare.EvalStates = 8
	c.Compare.EvalRollouts = 2
	c.Compare.BestResponseRounds = 500
	return c
}

// Experiment is one table or figure of the talk.
type Experiment struct {
	Name, Title string
	// units is the number of progress units the experiment reports.
	units int
	run   func(ctx context.Context, cfg ReproduceConfig, dir string, tick func()) (*Outcome, error)
}

// Experiments lists the experiments of cfg in report order.
func Experiments(cfg ReproduceConfig) []Experiment {
	ex := []Experiment{
		{Name: "delta-q", Title: "Performance against full information: ΔQ table", units: len(cfg.DeltaQ.Steps)*cfg.DeltaQ.Seeds + 1, run: runDeltaQ},
		{Name: "q-heatmaps", Title: "Q-tables: GMF-Q vs GMF-V", units: 2, run: runHeatmaps},
		{Name: "naive", Title: "Fluctuations of the naive algorithm", units: 2*cfg.Naive.Paths + 1, run: runNaive},
	}
	for _, s := range cfg.Setting {
		s := s
		ex = append(ex, Experiment{
			Name: s.Name(), Title: fmt.Sprintf("Learning accuracy by C(π): |S| = %d, |A| = %d, N = %d", s.States, s.Actions, s.Players),
			units: len(cfg.Compare.Algorithms) * cfg.Compare.Paths * cfg.Compare.Checkpoints,
			run: func(ctx context.Context, cfg ReproduceConfig, dir string, tick func()) (*Outcome, error) {
				return runComparison(ctx, cfg, s, dir, tick)
			},
		})
	}
	return ex
}

// ExperimentNames lists the names --only accepts.
func ExperimentNames(cfg ReproduceConfig) []string {
	var names []string
	for _, e := range Experiments(cfg) {
		names = append(names, e.Name)
	}
	return names
}

// Outcome is what a finished experiment leaves for the report: the talk's claim, whether it holds
// here with the numbers, tables and figures. It is written last, atomically, as outcome.json in
// the experiment's folder; its presence with a matching fingerprint marks the experiment done.
type Outcome struct {
	Name, Title string
	// Fingerprint is a hash of the configuration that produced the outcome.
	Fingerprint string
	// Mode ("quick" or "full") and Seed are those of the configuration, to say why an outcome of
	// another configuration is not reported; an outcome written before they were recorded has
	// Mode "".
	Mode  string `json:",omitempty"`
	Seed  uint64
	Claim string
	Holds bool
	// Undecided marks a claim the data cannot decide (Holds is then false): for instance a lowest
	// mean C(π) whose interval overlaps another algorithm's.
	Undecided bool `json:",omitempty"`
	Verdict   string
	// Tables are Markdown-free tables: a header and rows of cells.
	Tables []Table
	// Figures are PNG paths relative to the experiment's folder.
	Figures []Figure
	Seconds float64
	// Finals are the final C(π) summaries, for comparisons across experiments.
	Finals []CompareSummary `json:",omitempty"`
}

// Table is a captioned table of strings.
type Table struct {
	Caption string
	Header  []string
	Rows    [][]string
}

// Figure is a captioned PNG (with an SVG twin of the same name).
type Figure struct {
	Caption string
	PNG     string
}

// fingerprint hashes the parts of the configuration an experiment depends on.
func fingerprint(name string, cfg ReproduceConfig) string {
	var parts []any
	switch {
	case name == "delta-q" || name == "q-heatmaps":
		parts = []any{cfg.Seed, cfg.DeltaQ}
	case name == "naive":
		parts = []any{cfg.Seed, cfg.Naive, cfg.DeltaQ.Temperature, cfg.DeltaQ.EpsilonNet}
	default:
		parts = []any{cfg.Seed, cfg.Compare, name}
	}
	b, _ := json.Marshal(append(parts, name))
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}

// ReproduceReport is the result of RunReproduce.
type ReproduceReport struct {
	Config   ReproduceConfig
	Outcomes []*Outcome
	// Ran names the experiments computed now, Skipped those asked for (every one, or those of
	// only) but found finished with this configuration, and Kept every experiment of the report
	// that was not computed now: the skipped ones and, with only, the others finished earlier
	// with this configuration.
	Ran, Skipped, Kept []string
	// Missing lists the experiments the report lacks, in report order, each with the reason.
	Missing []MissingExperiment
	// Interrupted names the experiment in progress (or next) when the context was cancelled;
	// empty when the reproduction was not interrupted.
	Interrupted string
	Files       []string
}

// ErrUnknownExperiment is returned for a name --only does not know.
var ErrUnknownExperiment = errors.New("unknown experiment")

// RunReproduce runs the experiments (all, or those named in only) into outDir, skipping every
// experiment already finished there with the same configuration, then writes report.md and
// report.html from all finished experiments. progress, when set, receives units done and total.
func RunReproduce(ctx context.Context, cfg ReproduceConfig, outDir string, only []string, progress func(done, total int)) (*ReproduceReport, error) {
	all := Experiments(cfg)
	names := ExperimentNames(cfg)
	for _, n := range only {
		if !slices.Contains(names, n) {
			return nil, fmt.Errorf("only = %q: %w (known: %s)", n, ErrUnknownExperiment, strings.Join(names, ", "))
		}
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("out = %s: %w", outDir, err)
	}
	rep := &ReproduceReport{Config: cfg}
	var todo []Experiment
	total := 0
	for _, e := range all {
		if len(only) > 0 && !slices.Contains(only, e.Name) {
			continue
		}
		if o, err := readOutcome(outDir, e.Name); err == nil && o.Fingerprint == fingerprint(e.Name, cfg) {
			rep.Skipped = append(rep.Skipped, e.Name)
			continue
		}
		todo = append(todo, e)
		total += e.units
	}
	tick := progressTicker(progress, total)
	// One experiment at a time, each spreading its own work (seeds, sample paths) over all cores:
	// an interrupted run loses at most the experiment in progress.
	for _, e := range todo {
		if err := ctx.Err(); err != nil {
			return rep, rep.stop(all, outDir, only, e.Name, err)
		}
		dir := filepath.Join(outDir, e.Name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return rep, err
		}
		start := time.Now()
		o, err := e.run(ctx, cfg, dir, tick)
		if err != nil {
			return rep, rep.stop(all, outDir, only, e.Name, fmt.Errorf("%s: %w", e.Name, err))
		}
		o.Name, o.Title, o.Fingerprint, o.Seconds = e.Name, e.Title, fingerprint(e.Name, cfg), time.Since(start).Seconds()
		o.Mode, o.Seed = configMode(cfg), cfg.Seed
		if err := writeOutcome(dir, o); err != nil {
			return rep, err
		}
		rep.Ran = append(rep.Ran, e.Name)
	}
	rep.collect(all, outDir, only)
	files, err := writeReport(outDir, rep, "")
	rep.Files = files
	return rep, err
}

// stop ends a reproduction (of the experiments only, or all) stopped by err at the experiment
// name (interrupted, or failed): the report is rewritten from every experiment finished so far and says where and why it stopped.
// It returns err.
func (rep *ReproduceReport) stop(all []Experiment, outDir string, only []string, name string, err error) error {
	rep.collect(all, outDir, only)
	note := fmt.Sprintf("**Stopped by an error in `%s`** (the error is in the command's output): it and the experiments after it are missing.", name)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		rep.Interrupted = name
		note = fmt.Sprintf("**Interrupted during `%s`:** it and the experiments after it are missing. `mfg reproduce` with the same options finishes them and keeps those finished.", name)
	}
	rep.Files, _ = writeReport(outDir, rep, note)
	return err
}

// MissingExperiment is an experiment a reproduction's report lacks, and why.
type MissingExperiment struct {
	Name, Reason string
}

// collect fills rep's Outcomes with the experiments finished in outDir with rep's configuration,
// in report order, Kept with those of them not computed now, and Missing with the others and
// why (only is the run's --only list, to tell an experiment it left out).
func (rep *ReproduceReport) collect(all []Experiment, outDir string, only []string) {
	rep.Outcomes, rep.Kept, rep.Missing = nil, nil, nil
	for _, e := range all {
		o, err := readOutcome(outDir, e.Name)
		if err == nil && o.Fingerprint == fingerprint(e.Name, rep.Config) {
			rep.Outcomes = append(rep.Outcomes, o)
			if !slices.Contains(rep.Ran, e.Name) {
				rep.Kept = append(rep.Kept, e.Name)
			}
			continue
		}
		reason := missingReason(o, err, rep.Config)
		if len(only) > 0 && !slices.Contains(only, e.Name) && errors.Is(err, fs.ErrNotExist) {
			reason += ": --only left it out"
		}
		rep.Missing = append(rep.Missing, MissingExperiment{Name: e.Name, Reason: reason})
	}
}

// missingReason says why an experiment is not reported: its outcome o, read with error err, is
// missing, unreadable, or of another configuration than cfg.
func missingReason(o *Outcome, err error, cfg ReproduceConfig) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "not run in this folder yet"
	case err != nil:
		return "its outcome.json cannot be read: " + err.Error()
	case o.Mode != "" && o.Mode != configMode(cfg):
		return fmt.Sprintf("its configuration differs: finished earlier %s, this run is %s", modeText(o.Mode), modeText(configMode(cfg)))
	case o.Mode != "" && o.Seed != cfg.Seed:
		return fmt.Sprintf("its configuration differs: finished earlier with seed %d, this run's seed is %d", o.Seed, cfg.Seed)
	}
	return "its configuration differs: finished earlier with other sizes"
}

// modeText describes a mode: "full", or "quick (--quick)".
func modeText(mode string) string {
	if mode == "quick" {
		return "quick (--quick)"
	}
	return mode
}

// configMode is "quick" for the reduced configuration, else "full".
func configMode(cfg ReproduceConfig) string {
	if cfg.Quick {
		return "quick"
	}
	return "full"
}

func readOutcome(outDir, name string) (*Outcome, error) {
	b, err := os.ReadFile(filepath.Join(outDir, name, "outcome.json"))
	if err != nil {
		return nil, err
	}
	var o Outcome
	if err := json.Unmarshal(b, &o); err != nil {
		return nil, fmt.Errorf("%s/outcome.json: %w", name, err)
	}
	return &o, nil
}

func writeOutcome(dir string, o *Outcome) error {
	return atomicfile.Write(filepath.Join(dir, "outcome.json"), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(o)
	})
}

// writeYAML writes v as YAML with a comment line on top.
func writeYAML(path, comment string, v any) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		if comment != "" {
			fmt.Fprintf(w, "# %s\n", comment)
		}
		return encodeYAML(w, v)
	})
}

// encodeYAML writes v as YAML indented by 2.
func encodeYAML(w io.Writer, v any) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return err
	}
	return enc.Close()
}

// parallelFor runs f(0..n-1) on all cores, stopping at the first error: once an f has failed or
// ctx is cancelled, no further i is started, and those already started finish. It returns every
// error joined in the order of i, or ctx's error if it stopped before starting every i.
func parallelFor(ctx context.Context, n int, f func(i int) error) error {
	errs := make([]error, n)
	var failed atomic.Bool
	var g errgroup.Group
	g.SetLimit(maxWorkers())
	sent := 0
	for i := range n {
		if ctx.Err() != nil || failed.Load() {
			break
		}
		sent++
		g.Go(func() error {
			if errs[i] = f(i); errs[i] != nil {
				failed.Store(true)
			}
			return nil // errs keeps every error, in the order of i
		})
	}
	g.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if sent < n { // interrupted before every item was handed out
		return ctx.Err()
	}
	return nil
}
