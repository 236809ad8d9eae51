package experiment

import (
	"context"
	"fmt"
	"math"
	"runtime"

	"golang.org/x/sync/errgroup"

	"meanfield/metrics"
	"meanfield/mfg"
	"meanfield/npgame"
	"meanfield/rl"
	"meanfield/seeds"
)

// GameCompareConfig is `mfg compare --game G` for any game of one population with an N-player
// game (package npgame): on every sample path, the mean-field game solved by an algorithm, every
// agent playing its policy, against N independent learners (npgame.TrainIndependent) trained in
// the N-player game; both profiles' ε estimated alike (npgame.EstimateEpsilon, the same options
// and seeds).
type GameCompareConfig struct {
	// Solve is the game, its parameters, the algorithm (empty: gmf-q on a stationary game with a
	// simulator, else the game's default, fictitious-play on a finite-horizon one), its
	// iterations (0: NPlayerAccuracy × the algorithm's default) and the master seed.
	Solve SolveConfig `yaml:"solve"`
	// Players is N; Paths the independent sample paths (a solve, a training of IL and their
	// estimates each).
	Players int `yaml:"players"`
	Paths   int `yaml:"paths"`
	// Episodes of the N-player game the independent learners train for; Checkpoints the evenly
	// spaced points of training at which their ε is estimated (the last one is the comparison's).
	Episodes    int `yaml:"episodes"`
	Checkpoints int `yaml:"checkpoints"`
	// ExploreStart and ExploreEnd bound IL's linearly decaying ε-greedy exploration;
	// StepExponent is h of its step size 1/n^h.
	ExploreStart float64 `yaml:"explore-start"`
	ExploreEnd   float64 `yaml:"explore-end"`
	StepExponent float64 `yaml:"step-exponent"`
	// EvalEpisodes and EvalTrainEpisodes are npgame.Options' Episodes and TrainEpisodes;
	// HorizonTolerance truncates a stationary game's horizon (0: 1e-6); Epsilon0 is ε0 of the ratio.
	EvalEpisodes      int     `yaml:"eval-episodes"`
	EvalTrainEpisodes int     `yaml:"eval-train-episodes"`
	HorizonTolerance  float64 `yaml:"horizon-tolerance"`
	Epsilon0          float64 `yaml:"epsilon0"`
	// Accurate is set by Resolve when it chose the iterations.
	Accurate bool `yaml:"-"`
}

// DefaultGameCompareConfig is `mfg compare --game beach-bar` with no other flag: N = 20, 10
// paths, IL trained for 2000 episodes with ε-greedy from 1 to 0.05 and steps 1/n^0.87, ε
// estimated at 4 checkpoints from 1000 pairs of episodes.
func DefaultGameCompareConfig() GameCompareConfig {
	s := DefaultSolveConfig()
	s.Run.Game = "beach-bar"
	return GameCompareConfig{
		Solve: s, Players: 20, Paths: 10, Episodes: 2000, Checkpoints: 4,
		ExploreStart: 1, ExploreEnd: npgame.DefaultExploreEnd, StepExponent: npgame.DefaultILStepExponent,
		EvalEpisodes: npgame.DefaultEpisodes, EvalTrainEpisodes: npgame.DefaultTrainEpisodes, Epsilon0: npgame.DefaultEpsilon0,
	}
}

// maxILEntries bounds players × rows × actions of one path's Q-tables (16 bytes an entry).
const maxILEntries = 1 << 26

// Resolve checks the configuration, naming the first bad field and value, and fills the solve's
// defaults (as NPlayerConfig's: NPlayerAccuracy × the algorithm's iterations when none is given).
func (c GameCompareConfig) Resolve() (GameCompareConfig, error) {
	switch {
	case c.Players < 2 || c.Players > 1_000_000:
		return c, fmt.Errorf("players = %d: must be between 2 and 1000000", c.Players)
	case c.Paths < 1:
		return c, fmt.Errorf("paths = %d: must be at least 1", c.Paths)
	case c.Episodes < 1:
		return c, fmt.Errorf("episodes = %d: must be at least 1 (IL's training episodes)", c.Episodes)
	case c.Checkpoints < 1 || c.Checkpoints > c.Episodes:
		return c, fmt.Errorf("checkpoints = %d: must be between 1 and episodes = %d", c.Checkpoints, c.Episodes)
	case c.EvalEpisodes < 2:
		return c, fmt.Errorf("eval-episodes = %d: must be at least 2 (for an interval)", c.EvalEpisodes)
	case c.EvalTrainEpisodes < 1:
		return c, fmt.Errorf("eval-train-episodes = %d: must be at least 1", c.EvalTrainEpisodes)
	case !(c.Epsilon0 > 0) || math.IsInf(c.Epsilon0, 0):
		return c, fmt.Errorf("epsilon0 = %v: must be positive and finite", c.Epsilon0)
	}
	if err := c.il(nil, 0).Validate(); err != nil {
		return c, err
	}
	np, err := NPlayerConfig{Solve: c.Solve, Players: []int{c.Players}, Episodes: c.EvalEpisodes,
		TrainEpisodes: c.EvalTrainEpisodes, HorizonTolerance: c.HorizonTolerance, Epsilon0: c.Epsilon0}.Resolve()
	if err != nil {
		return c, err
	}
	c.Solve, c.Accurate = np.Solve, np.Accurate
	g, _, err := c.Solve.Build()
	if err != nil {
		return c, err
	}
	ng, err := npgame.New(g, c.Players, npgame.Others, c.HorizonTolerance)
	if err != nil {
		return c, fmt.Errorf("game = %s: %w", g.Name(), err)
	}
	if n := float64(c.Players) * float64(ng.Times()*ng.S) * float64(ng.A); n > maxILEntries {
		return c, fmt.Errorf("players = %d: the independent learners' Q-tables would hold %.3g entries (players × times × states × actions), more than %d", c.Players, n, maxILEntries)
	}
	return c, nil
}

// il is the independent learners' options of one path.
func (c GameCompareConfig) il(init []float64, seed uint64) npgame.ILOptions {
	return npgame.ILOptions{Episodes: c.Episodes, ExploreStart: c.ExploreStart, ExploreEnd: c.ExploreEnd, ExploreLiteral: true,
		Step: rl.PowerStep{Exponent: c.StepExponent}, Checkpoints: c.Checkpoints, Initial: init, Seed: seed}
}

// GameComparePoint is the ε of one method's profile on one path at one checkpoint.
type GameComparePoint struct {
	Method string // "mean-field" or "il"
	Path   int
	// Checkpoint is 1..Checkpoints for IL; the mean-field solution has one point, at Checkpoints.
	Checkpoint int
	// Episodes is IL's training episodes so far (0 for the mean-field solution).
	Episodes int
	// Epsilon is npgame's ε, the largest of the deviators' estimates, with its 95% interval and
	// ratio; MeanEpsilon is the mean over agents of their ε_i (ε itself for a symmetric profile);
	// Value the mean over agents of V_i(π); Policies the number of distinct policies deployed.
	Epsilon, Lower, Upper, Ratio float64
	MeanEpsilon, Value           float64
	Policies                     int
	// MFExploitability is the mean-field exploitability of the path's mean-field policy (NaN when
	// it is not computed); Converged whether its solve met its stopping rule.
	MFExploitability float64
	Converged        bool
}

// GameCompareSummary is one method's ε over the paths at one checkpoint: the mean with
// metrics.MeanInterval's 90% interval (never below 0; NaN with one path), the mean ratio, V and
// mean over agents of ε_i.
type GameCompareSummary struct {
	Method                     string
	Checkpoint, Episodes       int
	Mean, Lower90, Upper90     float64
	Ratio, Value, MeanEpsilon  float64
	Paths, Converged, Policies int
}

// GameCompareReport is a finished comparison.
type GameCompareReport struct {
	Config  GameCompareConfig
	Points  []GameComparePoint
	Summary []GameCompareSummary
	// MFExploitability is the mean over paths of the mean-field policy's exploitability (when
	// HasMF); Stop the detail of a solve stopped by another rule (a cycle), if any.
	MFExploitability float64
	HasMF            bool
	Stop             string
	// Stationary says the game is stationary (IL's Q then has no time index).
	Stationary bool
	Files      []string
}

// Methods of a game comparison.
const (
	MethodMeanField = "mean-field"
	MethodIL        = "il"
)

// RunGameCompare runs every path (on workers goroutines, 0: all cores) and writes the results
// into outDir. Every path's streams are derived from the master seed and the path, so the
// results do not depend on the workers. progress, when set, is called after every estimate.
func RunGameCompare(ctx context.Context, cfg GameCompareConfig, outDir string, workers int, progress func(done, total int)) (*GameCompareReport, error) {
	if err := CheckWorkers(workers); err != nil {
		return nil, err
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	per := cfg.Checkpoints + 1
	points := make([]GameComparePoint, cfg.Paths*per)
	stops := make([]string, cfg.Paths)
	report := progressTicker(progress, len(points))
	eg, gctx := errgroup.WithContext(ctx)
	eg.SetLimit(workers)
	// Workers left over when there are fewer paths run each path's episodes (the estimates do not
	// depend on their number).
	inner := max(1, workers/min(workers, cfg.Paths))
	for p := 0; p < cfg.Paths; p++ {
		eg.Go(func() error {
			stop, err := gameComparePath(gctx, cfg, p, inner, points[p*per:(p+1)*per], report)
			stops[p] = stop
			if err != nil {
				return fmt.Errorf("path %d: %w", p, err)
			}
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	rep := &GameCompareReport{Config: cfg, Points: points, Summary: summarizeGame(cfg, points)}
	g, _, err := cfg.Solve.Build()
	if err != nil {
		return nil, err
	}
	_, rep.Stationary = g.(mfg.Stationary)
	rep.MFExploitability, rep.HasMF = meanExploitability(points)
	for _, s := range stops {
		if s != "" {
			rep.Stop = s
		}
	}
	files, err := rep.write(outDir)
	rep.Files = files
	return rep, err
}

// gameComparePath solves the mean-field game, trains IL, and fills the path's points: IL's at
// out[0..C-1], the mean-field solution's at out[C]. It returns the detail of a solve that
// stopped by a rule other than convergence.
func gameComparePath(ctx context.Context, cfg GameCompareConfig, path, workers int, out []GameComparePoint, report func()) (string, error) {
	master := cfg.Solve.Run.Seed
	solve := cfg.Solve.Clone()
	solve.Run.Seed = seeds.Sub(master, seeds.Training, uint64(path), 0)
	g, res, err := Execute(ctx, solve, nil, nil)
	if err != nil {
		return "", err
	}
	final := res.Final()
	stop := ""
	if res.Stop != nil {
		stop = res.Stop.Detail
	}
	mfExp := math.NaN()
	if final.HasExploitability {
		mfExp = final.Exploitability
	}
	ng, err := npgame.New(g, cfg.Players, npgame.Others, cfg.HorizonTolerance)
	if err != nil {
		return stop, err
	}
	pi := npgame.Policy(final.Policy)
	init, err := npgame.DefaultInitial(ctx, ng, pi)
	if err != nil {
		return stop, err
	}
	// One evaluation seed per path and checkpoint: the mean-field solution and IL's final
	// profile meet the same random numbers.
	estimate := func(method string, c, episodes int, p npgame.Profile) error {
		r, err := npgame.EstimateEpsilon(ctx, ng, p, npgame.Options{
			Seed: seeds.Sub(master, seeds.Evaluation, uint64(path), uint64(c)), Workers: workers,
			Episodes: cfg.EvalEpisodes, TrainEpisodes: cfg.EvalTrainEpisodes, Initial: init, Epsilon0: cfg.Epsilon0,
		})
		if err != nil {
			return fmt.Errorf("%s: %w", method, err)
		}
		pt := pointOf(r, p, cfg.Players)
		pt.Method, pt.Path, pt.Checkpoint, pt.Episodes = method, path, c, episodes
		pt.MFExploitability, pt.Converged = mfExp, res.Converged
		out[map[bool]int{true: cfg.Checkpoints, false: c - 1}[method == MethodMeanField]] = pt
		report()
		return nil
	}
	if err := estimate(MethodMeanField, cfg.Checkpoints, 0, npgame.Symmetric(pi)); err != nil {
		return stop, err
	}
	c := 0
	ilSeed := seeds.Sub(master, seeds.Training, uint64(path), 1)
	_, err = npgame.TrainIndependent(ctx, ng, cfg.il(init, ilSeed), func(episodes int, p npgame.Profile) error {
		c++
		return estimate(MethodIL, c, episodes, p)
	})
	return stop, err
}

// pointOf reads a profile's estimates: ε the largest, and the means over agents of ε_i and V_i
// (each deviator standing for the agents that play its policy).
func pointOf(r npgame.Result, p npgame.Profile, n int) GameComparePoint {
	e := r.Epsilon()
	pt := GameComparePoint{Epsilon: e.Epsilon, Lower: e.Lower, Upper: e.Upper, Ratio: e.Ratio, Policies: len(p.Policies)}
	for _, d := range r.Estimates {
		w := 1.0
		if p.Of != nil {
			k, count := p.Of[d.Deviator], 0
			for _, j := range p.Of {
				if j == k {
					count++
				}
			}
			w = float64(count) / float64(n)
		}
		pt.MeanEpsilon += w * d.Epsilon
		pt.Value += w * d.Value
	}
	return pt
}

// summarizeGame summarises each method at each of its checkpoints over the paths.
func summarizeGame(cfg GameCompareConfig, points []GameComparePoint) []GameCompareSummary {
	per := cfg.Checkpoints + 1
	var out []GameCompareSummary
	for j := 0; j < per; j++ {
		s := GameCompareSummary{Paths: cfg.Paths}
		eps := make([]float64, cfg.Paths)
		for p := 0; p < cfg.Paths; p++ {
			pt := points[p*per+j]
			s.Method, s.Checkpoint, s.Episodes = pt.Method, pt.Checkpoint, pt.Episodes
			eps[p] = pt.Epsilon
			s.Mean += pt.Epsilon / float64(cfg.Paths)
			s.Ratio += pt.Ratio / float64(cfg.Paths)
			s.Value += pt.Value / float64(cfg.Paths)
			s.MeanEpsilon += pt.MeanEpsilon / float64(cfg.Paths)
			s.Policies = max(s.Policies, pt.Policies)
			if pt.Converged {
				s.Converged++
			}
		}
		s.Lower90, s.Upper90 = metrics.MeanInterval(eps, CompareLevel)
		out = append(out, s)
	}
	return out
}

func meanExploitability(points []GameComparePoint) (float64, bool) {
	var sum float64
	n := 0
	for _, p := range points {
		if p.Method == MethodMeanField && !math.IsNaN(p.MFExploitability) {
			sum += p.MFExploitability
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}

// Final is the comparison at the end: the mean-field solution's summary, then IL's last.
func (r *GameCompareReport) Final() []GameCompareSummary {
	C := r.Config.Checkpoints
	return []GameCompareSummary{r.Summary[C], r.Summary[C-1]}
}

// Lowest says which method has the lower mean ε beyond the 90% intervals (see LowestC).
func (r *GameCompareReport) Lowest() Lowest {
	var s []CompareSummary
	for _, f := range r.Final() {
		s = append(s, CompareSummary{Algorithm: f.Method, Mean: f.Mean, Lower90: f.Lower90, Upper90: f.Upper90})
	}
	return LowestC(s)
}

// AlgorithmName is the algorithm that solved the mean-field game.
func (c GameCompareConfig) AlgorithmName() string { return c.Solve.Run.Algorithm }
