package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"meanfield/experiment"
	"meanfield/npgame"
)

// compareGameLong is appended to mfg compare's help: the comparison on any other game.
const compareGameLong = `

On any other game (--game G, a finite-horizon game or a stationary one with a model, of one
population; --param name=value for its parameters) mfg compare runs, on each of --paths sample
paths: the mean-field game solved by --algorithm (default: gmf-q on a stationary game with a
simulator, else the game's default, fictitious-play on a finite-horizon one; --iterations, 0: ten
times its default), every agent of the N-player game playing its policy; and N independent
learners (IL), each a tabular Q-learner over its own state and action (and time, on a finite
horizon), trained for --episodes episodes of the N-player game (ε-greedy from --explore-start to --explore-end, step
1/n^h with h = --step-exponent), each deploying argmax-e of its Q. Both profiles' ε (what one
agent gains by deviating alone to the best policy of its own state and time) is estimated alike
(package npgame: --eval-train-episodes episodes to learn the deviation, --eval-episodes pairs
with common random numbers, the same seeds for both). It prints per method the mean ε over the
paths with a 90% interval (Student's t for log(mean ε), never below 0), the ratio
ε/(|V+ε|+ε0), the mean over agents of ε_i and of V_i, and names the lower only when the intervals
separate. Defaults there: --paths 10, --checkpoints 4 (IL's ε at 4 points of training),
--horizon-tolerance 1e-6; the auction's own flags are refused. Writes paths.csv, summary.csv,
config.yaml and epsilon.svg (IL's ε against its training episodes, the mean-field solution's as
a line).`

// compareGameFlags are mfg compare's flags for a game other than the auction.
type compareGameFlags struct {
	game, algorithm                 string
	params                          []string
	episodes                        int
	exploreStart, exploreEnd        float64
	evalEpisodes, evalTrainEpisodes int
}

// gameOnlyFlags are read only for a game other than the auction; sharedFlags by both
// comparisons (some with other defaults there: see gameConfig). Any other flag is the auction's.
var (
	gameOnlyFlags = []string{"param", "algorithm", "episodes", "explore-start", "explore-end", "eval-episodes", "eval-train-episodes"}
	sharedFlags   = []string{"game", "players", "paths", "checkpoints", "seed", "iterations", "step-exponent", "horizon-tolerance",
		"epsilon0", "workers", "out", "no-progress", "max-memory"}
)

// addCompareGameFlags registers --game and the flags of the comparison on any other game, and
// appends its help.
func addCompareGameFlags(cmd *cobra.Command) *compareGameFlags {
	def := experiment.DefaultGameCompareConfig()
	gf := &compareGameFlags{}
	f := cmd.Flags()
	f.StringVar(&gf.game, "game", "auction", "the game (mfg games lists them): the auction runs the comparison above; any other game of one population compares its mean-field solution with independent learners by ε")
	f.StringArrayVar(&gf.params, "param", nil, "other games: a parameter of the game as name=value (repeatable)")
	f.StringVar(&gf.algorithm, "algorithm", "", "other games: the algorithm of the mean-field solve (default: gmf-q on a stationary game with a simulator, else fictitious-play)")
	f.IntVar(&gf.episodes, "episodes", def.Episodes, "other games: episodes of the N-player game the independent learners train for")
	f.Float64Var(&gf.exploreStart, "explore-start", def.ExploreStart, "other games: IL's ε-greedy exploration in the first episode")
	f.Float64Var(&gf.exploreEnd, "explore-end", def.ExploreEnd, "other games: IL's ε-greedy exploration in the last episode (linear in between)")
	f.IntVar(&gf.evalEpisodes, "eval-episodes", def.EvalEpisodes, "other games: pairs of episodes of each ε estimate")
	f.IntVar(&gf.evalTrainEpisodes, "eval-train-episodes", def.EvalTrainEpisodes, "other games: episodes that build each ε estimate's deviation")
	cmd.Long += compareGameLong
	return gf
}

// checkAuction refuses, with the auction, the flags only the other games read.
func (gf *compareGameFlags) checkAuction(f *pflag.FlagSet) error {
	for _, name := range gameOnlyFlags {
		if f.Changed(name) {
			return fmt.Errorf("--%s: applies to a game other than the auction (--game); the auction's comparison has its own flags", name)
		}
	}
	return nil
}

// gameConfig is the comparison's configuration from the flags; a flag of the auction's
// comparison is refused naming it.
func (gf *compareGameFlags) gameConfig(f *pflag.FlagSet) (experiment.GameCompareConfig, error) {
	cfg := experiment.DefaultGameCompareConfig()
	var bad string
	f.Visit(func(fl *pflag.Flag) {
		if bad == "" && !slices.Contains(sharedFlags, fl.Name) && !slices.Contains(gameOnlyFlags, fl.Name) {
			bad = fl.Name
		}
	})
	if bad != "" {
		return cfg, fmt.Errorf("--%s: applies to the auction's comparison only, not to --game %s (use --param for the game's parameters)", bad, gf.game)
	}
	params, err := parseParams(gf.params)
	if err != nil {
		return cfg, err
	}
	cfg.Solve.Run.Game, cfg.Solve.Run.Algorithm, cfg.Solve.Params = gf.game, gf.algorithm, maps.Clone(params)
	cfg.Episodes, cfg.ExploreStart, cfg.ExploreEnd = gf.episodes, gf.exploreStart, gf.exploreEnd
	cfg.EvalEpisodes, cfg.EvalTrainEpisodes = gf.evalEpisodes, gf.evalTrainEpisodes
	// The shared flags carry the auction's defaults: read only when given.
	ints := map[string]*int{"players": &cfg.Players, "paths": &cfg.Paths, "checkpoints": &cfg.Checkpoints, "iterations": &cfg.Solve.Run.Iterations}
	floats := map[string]*float64{"step-exponent": &cfg.StepExponent, "horizon-tolerance": &cfg.HorizonTolerance, "epsilon0": &cfg.Epsilon0}
	for name, p := range ints {
		if f.Changed(name) {
			*p, _ = f.GetInt(name)
		}
	}
	for name, p := range floats {
		if f.Changed(name) {
			*p, _ = f.GetFloat64(name)
		}
	}
	cfg.Solve.Run.Seed, _ = f.GetUint64("seed")
	return cfg, nil
}

// runCompareGame is mfg compare on a game other than the auction.
func runCompareGame(cmd *cobra.Command, gf *compareGameFlags, outDir string, workers int, maxMemory int64, showProgress bool, stdout, stderr io.Writer) error {
	cfg, err := gf.gameConfig(cmd.Flags())
	if err != nil {
		return usage(err)
	}
	cfg.Solve.MaxMemory = maxMemory
	resolved, err := cfg.Resolve()
	if err != nil {
		return usage(flagError(cmd.Flags(), err))
	}
	if err := experiment.CheckWorkers(workers); err != nil {
		return usage(err)
	}
	if err := experiment.CheckOutDir(outDir); err != nil {
		return usage(err)
	}
	limitRuntime(maxMemory)
	return runGameCompare(cmd.Context(), resolved, outDir, workers, showProgress, stdout, stderr)
}

func runGameCompare(ctx context.Context, cfg experiment.GameCompareConfig, outDir string, workers int, showProgress bool, stdout, stderr io.Writer) error {
	start := time.Now()
	var prog *progress
	if showProgress {
		prog = newProgress(stderr, "compare", cfg.Paths*(cfg.Checkpoints+1))
	}
	rep, err := experiment.RunGameCompare(ctx, cfg, outDir, workers, func(done, _ int) { prog.Step(done, "ε estimates") })
	prog.Done()
	if err != nil {
		return interrupted(err, fmt.Sprintf("nothing written to %s/ (a comparison is written only when every estimate is done)", outDir))
	}
	printGameCompare(stdout, rep, outDir, time.Since(start))
	return nil
}

// printGameCompare prints the setting, how each profile was obtained (and whether the solve
// converged), what ε is, the table and which method is lower when the intervals say so.
func printGameCompare(w io.Writer, rep *experiment.GameCompareReport, outDir string, elapsed time.Duration) {
	cfg := rep.Config
	printGameCompareHeader(w, rep, elapsed)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "METHOD\tMEAN ε\t90% CI OF THE MEAN\tMEAN RATIO ε/(|V+ε|+ε0)\tMEAN ε_i OVER AGENTS\tMEAN V_i(π)\tBEST-RESPONSE CLASS")
	for _, s := range rep.Final() {
		ci := fmt.Sprintf("[%.4g, %.4g]", s.Lower90, s.Upper90)
		if cfg.Paths < 2 {
			ci = "n/a (1 path)"
		}
		fmt.Fprintf(tw, "%s\t%.4g\t%s\t%.4g\t%.4g\t%.4g\t%s\n", methodLabel(cfg, s), s.Mean, ci, s.Ratio, s.MeanEpsilon, s.Value, shortClass(npgame.ClassOwnState))
	}
	tw.Flush()
	low := rep.Lowest()
	switch {
	case low.Distinguished():
		fmt.Fprintf(w, "Lower mean ε: %s (its 90%% interval lies below the other's).\n", methodName(low.Algorithms[0]))
	case cfg.Paths < 2:
		fmt.Fprintln(w, "Lower mean ε: not distinguishable with 1 path (no interval).")
	default:
		fmt.Fprintf(w, "Lower mean ε: not distinguishable at %d paths (the 90%% intervals overlap; more --paths narrow them).\n", cfg.Paths)
	}
	fmt.Fprintf(w, "Results in %s/: %s\n", outDir, strings.Join(baseNames(rep.Files), ", "))
}

func printGameCompareHeader(w io.Writer, rep *experiment.GameCompareReport, elapsed time.Duration) {
	cfg := rep.Config
	mf := rep.Final()[0]
	paths := fmt.Sprintf("%d sample paths", cfg.Paths)
	if cfg.Paths == 1 {
		paths = "1 sample path"
	}
	fmt.Fprintf(w, "ε of the mean-field solution and of independent learners: %s, N = %d agents meeting the others; %s; %s\n",
		cfg.Solve.Run.Game, cfg.Players, paths, elapsed.Round(time.Millisecond))
	iters := fmt.Sprintf("%d iterations", cfg.Solve.Run.Iterations)
	if cfg.Accurate {
		iters += fmt.Sprintf(" (%d × its default)", experiment.NPlayerAccuracy)
	}
	status := fmt.Sprintf("converged on %d of %d paths", mf.Converged, cfg.Paths)
	if mf.Converged < cfg.Paths {
		status += "; where not, π is the last iterate, not an equilibrium"
		if rep.Stop != "" {
			status += " (stopped: " + rep.Stop + ")"
		}
	}
	fmt.Fprintf(w, "Mean-field solution: %s, %s, %s", cfg.Solve.Run.Algorithm, iters, status)
	if rep.HasMF {
		fmt.Fprintf(w, "; mean-field exploitability of π %.4g (mean over paths)", rep.MFExploitability)
	}
	fmt.Fprintln(w, "; every agent plays π.")
	over := "(time, own state, own action)"
	if rep.Stationary {
		over = "(own state, own action; discounted, episodes truncated at the horizon)"
	}
	fmt.Fprintf(w, "IL: each of the %d agents learns its own Q over %s for %d episodes, ε-greedy %g → %g, step 1/n^%g, and deploys argmax-e of it.\n",
		cfg.Players, over, cfg.Episodes, cfg.ExploreStart, cfg.ExploreEnd, cfg.StepExponent)
	fmt.Fprintf(w, "ε: one agent's gain from deviating alone to the best policy of its own state and time, learned from %d episodes,\n", cfg.EvalTrainEpisodes)
	fmt.Fprintf(w, "  measured on %d pairs of episodes with common random numbers (the same seeds for both methods); ε0 = %g.\n", cfg.EvalEpisodes, cfg.Epsilon0)
	fmt.Fprintln(w, "  IL's ε is the largest of its agents' (one estimate per distinct policy, each noisy: the largest errs upward); MEAN ε_i averages them.")
	if cfg.Paths < 2 {
		fmt.Fprintln(w, "No interval: one sample path says nothing of the spread between paths.")
		return
	}
	fmt.Fprintf(w, "90%% CI of the mean over the %d paths: Student's t for log(mean ε), mapped back, so never below 0; approximate", cfg.Paths)
	if cfg.Paths < fewPaths {
		fmt.Fprint(w, ", and with so few paths wide")
	}
	fmt.Fprintln(w, ".")
}

func methodName(m string) string {
	if m == experiment.MethodIL {
		return "IL"
	}
	return "the mean-field solution"
}

func methodLabel(cfg experiment.GameCompareConfig, s experiment.GameCompareSummary) string {
	if s.Method == experiment.MethodIL {
		return fmt.Sprintf("IL (%d episodes)", s.Episodes)
	}
	return fmt.Sprintf("mean-field (%s)", cfg.Solve.Run.Algorithm)
}
