package experiment

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"

	"gonum.org/v1/plot/vg"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
	"meanfield/metrics"
	"meanfield/mfg"
	"meanfield/nplayer"
	"meanfield/plot"
	"meanfield/rl"
	"meanfield/seeds"
)

// CompareAlgorithms are the learners `mfg compare` knows, in the order they are reported.
var CompareAlgorithms = []string{"gmf-q", "il", "mf-q"}

// CompareConfig describes one comparison of GMF-Q, independent learners and MF-Q in the N-player
// auction by C(π). YAML keys are the flag names.
type CompareConfig struct {
	games.AuctionParams `yaml:",inline"`
	// Players is N.
	Players    int      `yaml:"players"`
	Algorithms []string `yaml:"algorithms"`
	// Paths is the number of independent sample paths (training runs) per algorithm.
	Paths int `yaml:"paths"`
	// Checkpoints is the number of evenly spaced points of training at which C(π) is estimated.
	Checkpoints int    `yaml:"checkpoints"`
	Seed        uint64 `yaml:"seed"`

	// GMF-Q: Iterations outer iterations of Steps Q-learning steps on the mean-field simulator.
	Iterations   int     `yaml:"iterations"`
	Steps        int     `yaml:"steps"`
	Temperature  float64 `yaml:"temperature"`
	EpsilonNet   float64 `yaml:"epsilon-net"`
	StepExponent float64 `yaml:"step-exponent"`

	// IL and MF-Q: Rounds of the N-player game; -1 (the default) means the same number of samples
	// as GMF-Q, iterations·steps/players (every round gives each of the N bidders one sample).
	Rounds      int     `yaml:"rounds"`
	BoltzmannC  float64 `yaml:"boltzmann-c"`
	MeanBidBins int     `yaml:"mean-bid-bins"`

	// Deploy maps every learned Q-table to the policy that is evaluated: argmax-e or softmax
	// (softmax_c with c = temperature).
	Deploy string `yaml:"deploy"`

	// The C(π) estimator (see metrics.EstimateC).
	EvalStates         int     `yaml:"eval-states"`
	EvalRollouts       int     `yaml:"eval-rollouts"`
	EvalDeviators      int     `yaml:"eval-deviators"`
	HorizonTolerance   float64 `yaml:"horizon-tolerance"`
	Epsilon0           float64 `yaml:"epsilon0"`
	BestResponseRounds int     `yaml:"best-response-rounds"`
	// BestResponseBudgetBins chooses the best response's class (metrics.Options.BudgetBins):
	// 0, own budget; B >= 2, own budget and the bin of the others' mean budget among B bins.
	BestResponseBudgetBins int `yaml:"best-response-budget-bins"`

	// MaxMemory is the most memory, in bytes, the comparison may be estimated to need (see
	// Memory; RunCompare refuses it otherwise); 0 means the default, 3/4 of the machine's
	// memory. It is no part of the configuration's YAML.
	MaxMemory int64 `yaml:"-"`
}

// DefaultCompareConfig is `mfg compare` with no arguments: S = A = 10, N = 20, 20 sample paths.
func DefaultCompareConfig() CompareConfig {
	return CompareConfig{
		AuctionParams: games.DefaultAuctionParams(),
		Players:       20, Rounds: -1, Algorithms: slices.Clone(CompareAlgorithms), Paths: 20, Checkpoints: 10, Seed: 1,
		Iterations: 20, Steps: 50000, Temperature: algorithms.DefaultTemperature, EpsilonNet: algorithms.DefaultEpsilonNet,
		StepExponent: algorithms.DefaultStepExponent,
		BoltzmannC:   algorithms.DefaultTemperature, MeanBidBins: 10,
		Deploy:     "argmax-e",
		EvalStates: 16, EvalRollouts: 32, EvalDeviators: 4, HorizonTolerance: 1e-3, Epsilon0: 0.1, BestResponseRounds: 4000,
	}
}

// Resolve fills derived defaults and validates, naming the first bad value.
func (c CompareConfig) Resolve() (CompareConfig, error) {
	a, err := games.NewAuction(c.AuctionParams)
	if err != nil {
		return c, err
	}
	if _, err := nplayer.NewGame(a, c.Players); err != nil {
		return c, err
	}
	if len(c.Algorithms) == 0 {
		return c, fmt.Errorf("algorithms is empty: name at least one of %s", strings.Join(CompareAlgorithms, ", "))
	}
	seen := map[string]bool{}
	for _, name := range c.Algorithms {
		if !slices.Contains(CompareAlgorithms, name) {
			return c, fmt.Errorf("algorithms contains %q: unknown algorithm (known: %s)", name, strings.Join(CompareAlgorithms, ", "))
		}
		if seen[name] {
			return c, fmt.Errorf("algorithms contains %q twice", name)
		}
		seen[name] = true
	}
	switch {
	case c.Paths < 1:
		return c, fmt.Errorf("paths = %d: must be at least 1", c.Paths)
	case c.Iterations < 1:
		return c, fmt.Errorf("iterations = %d: must be at least 1", c.Iterations)
	case c.Steps < 1:
		return c, fmt.Errorf("steps = %d: must be at least 1", c.Steps)
	case c.Rounds == 0 || c.Rounds < -1:
		return c, fmt.Errorf("rounds = %d: must be at least 1 (or -1 for as many samples as GMF-Q)", c.Rounds)
	case c.Checkpoints < 1 || c.Checkpoints > c.Iterations:
		return c, fmt.Errorf("checkpoints = %d: must be between 1 and iterations = %d", c.Checkpoints, c.Iterations)
	case c.Deploy != "argmax-e" && c.Deploy != "softmax":
		return c, fmt.Errorf("deploy = %q: must be argmax-e or softmax", c.Deploy)
	case c.EvalStates < 2:
		return c, fmt.Errorf("eval-states = %d: must be at least 2 (for a standard error)", c.EvalStates)
	case c.EvalRollouts < 1:
		return c, fmt.Errorf("eval-rollouts = %d: must be at least 1", c.EvalRollouts)
	case c.EvalDeviators < 0:
		return c, fmt.Errorf("eval-deviators = %d: must be non-negative (0 = every bidder)", c.EvalDeviators)
	case !(c.HorizonTolerance > 0 && c.HorizonTolerance < 1):
		return c, fmt.Errorf("horizon-tolerance = %v: must be in (0, 1)", c.HorizonTolerance)
	case !(c.Epsilon0 > 0) || math.IsInf(c.Epsilon0, 0):
		return c, fmt.Errorf("epsilon0 = %v: must be positive and finite", c.Epsilon0)
	case c.BestResponseRounds < 1:
		return c, fmt.Errorf("best-response-rounds = %d: must be at least 1", c.BestResponseRounds)
	case c.BestResponseBudgetBins < 0 || c.BestResponseBudgetBins > 100:
		return c, fmt.Errorf("best-response-budget-bins = %d: must be between 0 and 100 (0 or 1: the best response sees its own budget only)", c.BestResponseBudgetBins)
	}
	if c.Rounds == -1 {
		c.Rounds = max(1, c.Iterations*c.Steps/c.Players)
		if c.Rounds < c.Checkpoints {
			return c, fmt.Errorf("players = %d: with rounds = -1 (as many samples as GMF-Q) IL and MF-Q train for iterations × steps / players = %d × %d / %d = %d rounds, fewer than checkpoints = %d; lower players, raise iterations or steps, or set rounds",
				c.Players, c.Iterations, c.Steps, c.Players, c.Iterations*c.Steps/c.Players, c.Checkpoints)
		}
	}
	if err := c.gmfq().Validate(); err != nil {
		return c, err
	}
	if err := c.train(0).Validate(); err != nil {
		return c, err
	}
	return c, nil
}

func (c CompareConfig) deploy() nplayer.Deploy {
	return nplayer.Deploy{Softmax: c.Deploy == "softmax", C: c.Temperature}
}

func (c CompareConfig) gmfq() algorithms.FixedPoint {
	f := algorithms.GMFQ(c.Steps, c.Temperature, c.EpsilonNet)
	f.Inner = algorithms.QLearning{Steps: c.Steps, Step: rl.PowerStep{Exponent: c.StepExponent}, Explore: rl.UniformPairs{}}
	return f
}

func (c CompareConfig) train(seed uint64) nplayer.TrainOptions {
	return nplayer.TrainOptions{
		Rounds: c.Rounds, BoltzmannC: c.BoltzmannC, StepExponent: c.StepExponent, Bins: c.MeanBidBins,
		Checkpoints: c.Checkpoints, Deploy: c.deploy(), Seed: seed,
	}
}

// ComparePoint is C(π) of one algorithm's deployed profile on one sample path at one checkpoint.
type ComparePoint struct {
	Algorithm  string
	Path       int
	Checkpoint int // 1..Checkpoints
	// Samples is the number of transitions the learner had seen: GMF-Q's Q-learning steps, or
	// rounds·N for the N-player learners.
	Samples int64
	// Value, Unfloored and StdErr are metrics.Estimate's: Value = max(0, Unfloored), a lower
	// bound of the literal C(π) for the best response's class (CompareConfig.Class).
	Value, Unfloored, StdErr float64
}

// Class names the class of the C(π) estimator's best responses (metrics.BestResponseClass).
func (c CompareConfig) Class() string { return metrics.BestResponseClass(c.BestResponseBudgetBins) }

// CompareLevel is the confidence level of the intervals of a comparison.
const CompareLevel = 0.9

// CompareSummary is the mean C(π) over sample paths of one algorithm at one checkpoint, with a
// 90% confidence interval for the mean, [Lower90, Upper90]: metrics.MeanInterval of the paths'
// values, Student's t for log(mean C(π)) mapped back, so never below 0 (C(π) is not). It is
// approximate, and with few paths wide; with one path there is none, and both bounds are NaN
// (null in JSON, an empty cell in summary.csv).
type CompareSummary struct {
	Algorithm  string
	Checkpoint int
	Samples    int64
	// SD is the sample standard deviation over the paths (0 with one path, and then an empty
	// cell in summary.csv).
	Mean, SD            float64
	Lower90, Upper90    float64
	Min, Max            float64
	Paths               int
	MeanEstimatorStdErr float64
}

// HasInterval tells whether the summary has a confidence interval (at least 2 paths).
func (s CompareSummary) HasInterval() bool {
	return !math.IsNaN(s.Lower90) && !math.IsNaN(s.Upper90)
}

// compareSummaryJSON is a CompareSummary in JSON: bounds that are NaN (no interval) are null.
type compareSummaryJSON struct {
	plainSummary
	Lower90, Upper90 *float64
}

// plainSummary is CompareSummary without its JSON methods.
type plainSummary CompareSummary

// MarshalJSON writes the summary with null bounds when it has no interval (JSON has no NaN).
func (s CompareSummary) MarshalJSON() ([]byte, error) {
	v := compareSummaryJSON{plainSummary: plainSummary(s)}
	if s.HasInterval() {
		v.Lower90, v.Upper90 = &s.Lower90, &s.Upper90
	}
	return json.Marshal(v)
}

// UnmarshalJSON reads a summary written by MarshalJSON: null bounds are NaN.
func (s *CompareSummary) UnmarshalJSON(b []byte) error {
	var v compareSummaryJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = CompareSummary(v.plainSummary)
	s.Lower90, s.Upper90 = math.NaN(), math.NaN()
	if v.Lower90 != nil && v.Upper90 != nil {
		s.Lower90, s.Upper90 = *v.Lower90, *v.Upper90
	}
	return nil
}

// Lowest names the algorithms that may have the lowest mean C(π) at a checkpoint (see LowestC).
type Lowest struct {
	// Algorithms holds the algorithm of the lowest mean first, then, in the order given, every
	// other one not distinguished from it.
	Algorithms []string
	// Above holds the algorithms whose interval lies wholly above the lowest mean's interval.
	Above []string
}

// Distinguished tells whether one algorithm's mean C(π) is lower than every other's beyond the
// intervals.
func (l Lowest) Distinguished() bool { return len(l.Algorithms) == 1 }

// LowestC returns which of the summaries (one per algorithm, at one checkpoint) may have the
// lowest mean C(π): the one of lowest mean, b, then every other a unless b's interval lies wholly
// below a's (b.Upper90 < a.Lower90). Without intervals (one path) none is distinguished. Two
// disjoint 90% intervals are a conservative test: the difference they show is significant at
// about the 1% level, and a difference can be real though the intervals overlap.
func LowestC(s []CompareSummary) Lowest {
	if len(s) == 0 {
		return Lowest{}
	}
	best := 0
	for i := range s {
		if s[i].Mean < s[best].Mean {
			best = i
		}
	}
	l := Lowest{Algorithms: []string{s[best].Algorithm}}
	for i, a := range s {
		switch {
		case i == best:
		case s[best].Upper90 < a.Lower90:
			l.Above = append(l.Above, a.Algorithm)
		default: // overlapping, or no interval (NaN compares false)
			l.Algorithms = append(l.Algorithms, a.Algorithm)
		}
	}
	return l
}

// CompareReport is a finished comparison.
type CompareReport struct {
	Config  CompareConfig
	Points  []ComparePoint
	Summary []CompareSummary
	Files   []string
}

// Final returns each algorithm's summary at the last checkpoint, in the configured order.
func (r *CompareReport) Final() []CompareSummary {
	var out []CompareSummary
	for _, s := range r.Summary {
		if s.Checkpoint == r.Config.Checkpoints {
			out = append(out, s)
		}
	}
	return out
}

// RunCompare trains every algorithm on every sample path, estimates C(π) at every checkpoint,
// and writes the results into outDir. Jobs (one per algorithm and path) run on workers goroutines
// (0 = all cores; at most 4 × the cores); every job's random streams are derived from the seed
// and the job's identity, so the results do not depend on the number of workers. A comparison
// whose estimated memory exceeds cfg.MaxMemory is refused (a *MemoryError) before it starts.
// progress, when set, is called after every estimate with the number done and the total.
func RunCompare(ctx context.Context, cfg CompareConfig, outDir string, workers int, progress func(done, total int)) (*CompareReport, error) {
	cfg, auction, ng, err := cfg.prepare(workers)
	if err != nil {
		return nil, err
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	C := cfg.Checkpoints
	points := make([]ComparePoint, len(cfg.Algorithms)*cfg.Paths*C)
	report := progressTicker(progress, len(points))
	// The first failed job cancels the others (through ctx) and stops the handing out of jobs.
	errs := make([]error, len(cfg.Algorithms)*cfg.Paths)
	parent := ctx
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
feed:
	for p := 0; p < cfg.Paths; p++ {
		for a, alg := range cfg.Algorithms {
			if ctx.Err() != nil {
				break feed
			}
			g.Go(func() error {
				if ctx.Err() != nil { // cancelled while waiting for a worker: not started
					return nil
				}
				j := a*cfg.Paths + p
				if err := compareJob(ctx, cfg, auction, ng, alg, p, points[j*C:(j+1)*C], report); err != nil {
					errs[j] = fmt.Errorf("%s, path %d: %w", alg, p, err)
					return errs[j] // cancels ctx
				}
				return nil
			})
		}
	}
	g.Wait()
	if err := parent.Err(); err != nil {
		return nil, err // interrupted: nothing is summarised from a partial comparison
	}
	for _, e := range errs { // the first real error, not the cancellations it caused
		if e != nil && !errors.Is(e, context.Canceled) {
			return nil, e
		}
	}
	for _, e := range errs {
		if e != nil {
			return nil, e
		}
	}
	for _, p := range points {
		if p.Checkpoint == 0 {
			return nil, fmt.Errorf("comparison incomplete: %s, path %d has no estimate", p.Algorithm, p.Path)
		}
	}
	rep := &CompareReport{Config: cfg, Points: points, Summary: summarize(cfg, points)}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return rep, fmt.Errorf("out = %s: %w", outDir, err)
	}
	return rep, rep.write(outDir)
}

// prepare resolves the configuration, checks the workers and the memory, and builds the games.
func (c CompareConfig) prepare(workers int) (CompareConfig, *games.Auction, *nplayer.Game, error) {
	c, err := c.Resolve()
	if err != nil {
		return c, nil, nil, err
	}
	if err := CheckWorkers(workers); err != nil {
		return c, nil, nil, err
	}
	if err := c.Memory(workers).Check(c.MaxMemory); err != nil {
		return c, nil, nil, err
	}
	auction, err := games.NewAuction(c.AuctionParams)
	if err != nil {
		return c, nil, nil, err
	}
	ng, err := nplayer.NewGame(auction, c.Players)
	return c, auction, ng, err
}

// compareJob trains one algorithm on one sample path and fills its checkpoints' points.
func compareJob(ctx context.Context, cfg CompareConfig, auction *games.Auction, ng *nplayer.Game, alg string, path int, out []ComparePoint, report func()) error {
	algID := uint64(slices.Index(CompareAlgorithms, alg))
	trainSeed := seeds.Sub(cfg.Seed, seeds.Training, uint64(path), algID)
	evaluate := func(c int, samples int64, p *nplayer.Profile) error {
		// The same evaluation seed for every algorithm at a path and checkpoint: common random
		// numbers make the algorithms' differences less noisy.
		est, err := metrics.EstimateC(ctx, ng, p, metrics.Options{
			InitialStates: cfg.EvalStates, Rollouts: cfg.EvalRollouts, HorizonTolerance: cfg.HorizonTolerance,
			Epsilon0: cfg.Epsilon0, BestResponseRounds: cfg.BestResponseRounds, Deviators: cfg.EvalDeviators,
			BudgetBins: cfg.BestResponseBudgetBins,
			Seed:       seeds.Sub(cfg.Seed, seeds.Evaluation, uint64(path), uint64(c)),
		})
		if err != nil {
			return err
		}
		out[c-1] = ComparePoint{Algorithm: alg, Path: path, Checkpoint: c, Samples: samples, Value: est.Value, Unfloored: est.Unfloored, StdErr: est.StdErr}
		report()
		return nil
	}
	switch alg {
	case "gmf-q":
		next := 1
		var evalErr error
		o := engine.Options{Iterations: cfg.Iterations, Seed: trainSeed, FinalOnly: true} // Q is read in OnIteration
		o.OnIteration = func(it engine.Iteration) {
			k := it.K
			if k == 0 || evalErr != nil || k != cfg.Iterations*next/cfg.Checkpoints {
				return
			}
			pi := mfgPolicy(cfg.deploy(), it.Q[0], cfg.States, cfg.Actions)
			evalErr = evaluate(next, int64(k)*int64(cfg.Steps), nplayer.Symmetric(pi, cfg.Players))
			next++
		}
		if _, err := engine.Solve(ctx, auction, cfg.gmfq(), o); err != nil {
			return err
		}
		return evalErr
	case "il", "mf-q":
		train := nplayer.TrainIL
		if alg == "mf-q" {
			train = nplayer.TrainMFQ
		}
		c := 0
		return train(ctx, ng, cfg.train(trainSeed), func(round int, p *nplayer.Profile) error {
			c++
			return evaluate(c, int64(round)*int64(cfg.Players), p)
		})
	}
	return fmt.Errorf("unknown algorithm %q", alg)
}

func summarize(cfg CompareConfig, points []ComparePoint) []CompareSummary {
	var out []CompareSummary
	C := cfg.Checkpoints
	for a, alg := range cfg.Algorithms {
		for c := 1; c <= C; c++ {
			vals := make([]float64, cfg.Paths)
			var se float64
			s := CompareSummary{Algorithm: alg, Checkpoint: c, Paths: cfg.Paths, Min: math.Inf(1), Max: math.Inf(-1)}
			for p := 0; p < cfg.Paths; p++ {
				pt := points[(a*cfg.Paths+p)*C+c-1]
				vals[p] = pt.Value
				s.Samples = pt.Samples
				se += pt.StdErr
				s.Min, s.Max = math.Min(s.Min, pt.Value), math.Max(s.Max, pt.Value)
			}
			s.MeanEstimatorStdErr = se / float64(cfg.Paths)
			s.Mean, s.SD = meanSD(vals)
			s.Lower90, s.Upper90 = metrics.MeanInterval(vals, CompareLevel) // NaN with one path
			out = append(out, s)
		}
	}
	return out
}

func meanSD(x []float64) (mean, sd float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	if len(x) < 2 {
		return mean, 0
	}
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / float64(len(x)-1))
}

func (r *CompareReport) write(dir string) error {
	files, err := writeOutputs(dir, []output{
		configOutput("The resolved configuration of this comparison: `mfg compare --config config.yaml` repeats the run.", r.Config),
		{"paths.csv", r.writePoints},
		{"summary.csv", r.writeSummary},
	})
	r.Files = append(r.Files, files...)
	if err != nil {
		return err
	}
	plots, err := writeComparePlots(r, dir)
	r.Files = append(r.Files, plots...)
	return err
}

func (r *CompareReport) writePoints(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"algorithm", "path", "checkpoint", "samples", "c_pi", "c_pi_stderr", "c_pi_unfloored", "best_response_class"})
	class := r.Config.Class()
	for _, p := range r.Points {
		cw.Write([]string{p.Algorithm, strconv.Itoa(p.Path), strconv.Itoa(p.Checkpoint), strconv.FormatInt(p.Samples, 10),
			formatFloat(p.Value), formatFloat(p.StdErr), formatFloat(p.Unfloored), class})
	}
	cw.Flush()
	return cw.Error()
}

// formatBound formats a bound of an interval for a CSV cell: empty when there is no interval.
func formatBound(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return formatFloat(x)
}

func (r *CompareReport) writeSummary(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"algorithm", "checkpoint", "samples", "paths", "mean", "sd", "lower90", "upper90", "min", "max", "mean_estimator_stderr", "best_response_class"})
	class := r.Config.Class()
	for _, s := range r.Summary {
		sd := formatFloat(s.SD)
		if s.Paths < 2 {
			sd = "" // no spread from one path
		}
		cw.Write([]string{s.Algorithm, strconv.Itoa(s.Checkpoint), strconv.FormatInt(s.Samples, 10), strconv.Itoa(s.Paths),
			formatFloat(s.Mean), sd, formatBound(s.Lower90), formatBound(s.Upper90),
			formatFloat(s.Min), formatFloat(s.Max), formatFloat(s.MeanEstimatorStdErr), class})
	}
	cw.Flush()
	return cw.Error()
}

// mfgPolicy deploys a mean-field Q-table as a stationary policy.
func mfgPolicy(d nplayer.Deploy, q []float64, states, actions int) mfg.Policy {
	return mfg.Policy{States: states, Actions: actions, Prob: d.Policy(q, states, actions)}
}

// algorithmLabel is how an algorithm is named in tables and legends.
func algorithmLabel(alg string) string {
	switch alg {
	case "gmf-q":
		return "GMF-Q"
	case "il":
		return "IL (independent learners)"
	case "mf-q":
		return "MF-Q"
	}
	return alg
}

func writeComparePlots(r *CompareReport, dir string) ([]string, error) {
	cfg := r.Config
	var series []plot.Series
	for _, alg := range cfg.Algorithms {
		s := plot.Series{Name: algorithmLabel(alg)}
		for _, x := range r.Summary {
			if x.Algorithm != alg {
				continue
			}
			s.X = append(s.X, float64(x.Samples))
			s.Y = append(s.Y, x.Mean)
			if cfg.Paths > 1 { // one path has no interval, and its curve no band
				s.Lower = append(s.Lower, x.Lower90)
				s.Upper = append(s.Upper, x.Upper90)
			}
		}
		series = append(series, s)
	}
	// A log axis: the algorithms' C(π) differ by orders of magnitude (MF-Q's can be 100 times GMF-Q's).
	p, err := plot.LogLines(comparePlotTitle(cfg), "training samples (transitions observed)", "C(π), log scale (mean relative gain of a best response)", series...)
	if err != nil { // a mean C(π) of exactly 0 (an equilibrium) has no logarithm: use a linear axis
		p, err = plot.Lines(comparePlotTitle(cfg), "training samples (transitions observed)", "C(π) (mean relative gain of a best response)", series...)
	}
	if err != nil {
		return nil, fmt.Errorf("C(π) plot: %w", err)
	}
	paths := []string{filepath.Join(dir, "c_pi.png"), filepath.Join(dir, "c_pi.svg")}
	if err := plot.Save(p, 8*vg.Inch, 5*vg.Inch, paths...); err != nil {
		return nil, err
	}
	return paths, nil
}

// comparePlotTitle is the title of c_pi.png, on two lines: the setting, then what the lines and
// the bands are.
func comparePlotTitle(cfg CompareConfig) string {
	what := "one sample path: no interval"
	if cfg.Paths > 1 {
		what = fmt.Sprintf("mean over %d sample paths; band: 90%% CI of the mean (Student's t on the log scale)", cfg.Paths)
	}
	return fmt.Sprintf("Learning accuracy by C(π): |S| = %d, |A| = %d, N = %d\n%s", cfg.States, cfg.Actions, cfg.Players, what)
}
