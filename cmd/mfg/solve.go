package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/experiment"
	"meanfield/gamefile"
	"meanfield/games"
	"meanfield/mfg"
	"meanfield/mfglib32"
)

func newSolveCmd(stdout, stderr io.Writer) *cobra.Command {
	cfg := experiment.DefaultSolveConfig()
	var configPath, outDir string
	var noProgress, force bool
	var paramArgs []string
	var maxMemory int64
	cmd := &cobra.Command{
		Use:   "solve",
		Short: "Solve a mean-field game (default: GMF-Q on the repeated auction)",
		Long: `Solve a mean-field game and write the results.

With no arguments it solves the default repeated auction (10 budgets, 10 bids, 5 bidders per
auction) with GMF-Q and compares the result with GMF-V's equilibrium. Parameters come from the
defaults, then --config FILE (YAML: the run keys and the algorithm's parameters at the top level,
the game's parameters under params:), then the flags given. mfg games and mfg algorithms list the
games and algorithms with their parameters; a parameter that does not apply to the chosen game or
algorithm is refused.

Writes into --out: trace.csv (one row per iteration k = 0..K, 0 being the initial policy),
result.json (the final policy, population and numbers), trace.json (every iteration's k,
exploitability and changes, with the policy, population and Q of the iterations --trace-matrices
says: by default none), config.yaml (the configuration as given, reusable with
--config), resolved.yaml (every choice made explicit), convergence.svg and, for a finite-horizon
game on a grid, population.svg (the population over time); with --png each figure as PNG too
(not by default: rasterizing the figures cost several times a small solve).

Before anything is built, the memory the solve needs is estimated from the game's sizes (states ×
actions × times, successors a row), the iterations kept and the outputs; a solve estimated above
--max-memory is refused, naming the product and the parameters to lower.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg.MaxMemory = maxMemory
			return solveCommand(cmd, &cfg, configPath, paramArgs, outDir, force, !noProgress, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&configPath, "config", "", "YAML file of the configuration (keys as the flags; game parameters under params:; at most 16 MiB); flags given override it")
	addMaxMemoryFlag(f, &maxMemory)
	f.StringVar(&outDir, "out", "out", "directory for the results (created if needed)")
	f.BoolVar(&noProgress, "no-progress", false, "do not show progress")
	f.BoolVar(&force, "force", false, "write into --out even if it holds files that mfg solve did not write")
	f.BoolVar(&cfg.PNG, "png", false, "also write the figures as PNG (150 dpi) beside their SVG")
	addRunFlags(f, &cfg)
	f.StringArrayVar(&paramArgs, "param", nil, "a parameter of the game as name=value (repeatable; mfg games lists them), e.g. --param n=6 --param bar-loc=3")
	addAlgorithmFlags(f, &cfg.AlgorithmParams)
	addGameAliasFlags(f, &cfg.Params)
	return cmd
}

// addRunFlags registers the flags of what to run and what to record.
func addRunFlags(f *pflag.FlagSet, cfg *experiment.SolveConfig) {
	f.StringVar(&cfg.Run.Game, "game", cfg.Run.Game, "game: "+strings.Join(games.Names(), ", ")+" (mfg games describes them)")
	f.StringVar(&cfg.Run.GameFile, "game-file", cfg.Run.GameFile, "a game file (Starlark; README \"Your own game\"): its game replaces --game, its params take --param")
	f.Uint64Var(&cfg.Run.GameSteps, "game-steps", cfg.Run.GameSteps, fmt.Sprintf("the most Starlark steps one evaluation of --game-file may take (running the file, building one stage; 0: %d)", gamefile.DefaultMaxSteps))
	f.StringVar(&cfg.Run.Algorithm, "algorithm", cfg.Run.Algorithm, "algorithm: "+strings.Join(algorithms.Names(), ", ")+" (mfg algorithms describes them; default: gmf-q for stationary games, fictitious-play for finite-horizon ones)")
	f.IntVar(&cfg.Run.Iterations, "iterations", cfg.Run.Iterations, "iterations K (0: the algorithm's default, mfg algorithms lists them)")
	f.Uint64Var(&cfg.Run.Seed, "seed", cfg.Run.Seed, "master seed of every random stream of the algorithm (games built from random numbers take --param seed)")
	f.StringVar(&cfg.Run.Arithmetic, "arithmetic", cfg.Run.Arithmetic, "finite-horizon games: float64 (default), or mfglib-float32 for MFGLib 0.3.0's float32 results bit for bit (its games, with "+mfglib32.Algorithms()+")")
	f.BoolVar(&cfg.Outputs.Exploitability, "exploitability", cfg.Outputs.Exploitability, "record the exploitability of every iteration's policy (games whose policies can be evaluated)")
	f.BoolVar(&cfg.Outputs.CompareToGMFV, "compare-to-gmf-v", cfg.Outputs.CompareToGMFV, "stationary games with a model: also solve with GMF-V and record every iteration's distance to its population")
	f.Var(&optionalInt{&cfg.Outputs.TraceMatrices}, "trace-matrices", "iterations whose policy, population and Q are kept and written to trace.json: 0 none (only k, exploitability and changes of L), k every k-th plus the first and the last (default 0: result.json holds the first and last iteration's)")
}

// optionalInt is a flag setting an *int, nil until given.
type optionalInt struct{ p **int }

func (o *optionalInt) String() string {
	if o.p == nil || *o.p == nil {
		return ""
	}
	return strconv.Itoa(**o.p)
}

func (o *optionalInt) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("%q is not a whole number", s)
	}
	*o.p = &n
	return nil
}

func (o *optionalInt) Type() string { return "int" }

// solveCommand is mfg solve: the configuration file under the flags, the game's parameters, the
// checks of what applies, the solve and its summary.
func solveCommand(cmd *cobra.Command, cfg *experiment.SolveConfig, configPath string, paramArgs []string, outDir string, force, showProgress bool, stdout, stderr io.Writer) error {
	if err := applyConfigFile(cmd.Flags(), configPath, cfg); err != nil {
		return usage(err)
	}
	if err := replacePreset(cmd.Flags(), configPath, cfg, stderr); err != nil {
		return usage(err)
	}
	params, err := parseParams(paramArgs)
	if err != nil {
		return usage(err)
	}
	for name := range params {
		if f := cmd.Flags().Lookup(name); f != nil && f.Changed {
			return usage(fmt.Errorf("--%s and --param %s both set %s: give it once", name, name, name))
		}
	}
	if len(params) > 0 {
		if cfg.Params == nil {
			cfg.Params = map[string]any{}
		}
		maps.Copy(cfg.Params, params)
	}
	resolved, err := cfg.Resolve()
	if err != nil {
		return usage(flagError(cmd.Flags(), err))
	}
	if err := checkApplicableFlags(cmd.Flags(), resolved); err != nil {
		return usage(err)
	}
	if err := experiment.CheckOtherRun(outDir, resolved, force); err != nil {
		return usage(err)
	}
	if err := experiment.PrepareOutDir(outDir, force); err != nil {
		return usage(err)
	}
	limitRuntime(cfg.MaxMemory)
	err = runSolve(cmd.Context(), *cfg, resolved, outDir, showProgress, stdout, stderr)
	var fileErr *gamefile.Error
	if errors.As(err, &fileErr) { // a game file's value found wrong during the solve: bad input
		return usage(err)
	}
	return err
}

// replacePreset gives an algorithm named on the command line precedence over a configuration file
// written for another (experiment.SolveConfig.ReplacePreset), and says what it dropped.
func replacePreset(fs *pflag.FlagSet, configPath string, cfg *experiment.SolveConfig, stderr io.Writer) error {
	if configPath == "" || !fs.Changed("algorithm") {
		return nil
	}
	file, err := experiment.LoadYAMLFile(configPath, experiment.SolveConfig{})
	if err != nil || file.Run.Algorithm == "" {
		return err
	}
	notes, err := cfg.ReplacePreset(file.Run.Algorithm)
	for _, n := range notes {
		fmt.Fprintln(stderr, "mfg: note: "+n)
	}
	return err
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// runSolve solves the configuration as given (written to config.yaml, so that a rerun resolves it
// afresh); cfg, its resolved form, sizes the progress.
func runSolve(ctx context.Context, given, cfg experiment.SolveConfig, outDir string, showProgress bool, stdout, stderr io.Writer) error {
	start := time.Now()
	var prog *progress
	var onIteration func(engine.Iteration) // none without progress: no call an iteration
	if showProgress {
		prog = newProgress(stderr, fmt.Sprintf("%s on %s", cfg.Run.Algorithm, cfg.Run.Game), cfg.Run.Iterations)
		onIteration = func(it engine.Iteration) {
			switch {
			case it.K == 0:
			case it.HasExploitability:
				prog.Step(it.K, fmt.Sprintf("exploitability %.3e", it.Exploitability))
			case it.HasChange:
				prog.Step(it.K, fmt.Sprintf("l1 change %.2e", it.L1Change))
			default:
				prog.Step(it.K, "")
			}
		}
	}
	rep, err := experiment.RunResolvedStreamed(ctx, given, cfg, outDir, onIteration)
	prog.Done()
	if rep != nil && rep.Result != nil && len(rep.Result.Trace) > 0 {
		printSummary(ctx, stdout, rep, outDir, time.Since(start))
	}
	return interrupted(err, solveKept(rep, outDir, err))
}

// solveKept says what a solve interrupted with err left in outDir.
func solveKept(rep *experiment.SolveReport, outDir string, err error) string {
	if rep == nil || rep.Result == nil {
		return fmt.Sprintf("nothing written to %s/ (stopped before the first iteration)", outDir)
	}
	for _, f := range rep.Files {
		if filepath.Base(f) == "result.json" {
			return fmt.Sprintf("results so far in %s/ (%d iterations, marked \"interrupted\" in result.json; no plots)", outDir, rep.Result.Final().K)
		}
	}
	return fmt.Sprintf("the results so far could not be written to %s/ (%v)", outDir, err)
}

// flagError names a parameter that does not apply as the flag it was given with, when it was.
func flagError(fs *pflag.FlagSet, err error) error {
	var na *experiment.NotApplicableError
	if errors.As(err, &na) {
		if f := fs.Lookup(na.Key); f != nil && f.Changed {
			return fmt.Errorf("--%w", err)
		}
	}
	return err
}

// checkApplicableFlags refuses run and output flags given on the command line that the resolved
// run would ignore. (The game's and the algorithm's parameters are checked by their registries.)
func checkApplicableFlags(fs *pflag.FlagSet, cfg experiment.SolveConfig) error {
	g, alg, err := cfg.Build()
	if err != nil {
		return err
	}
	if f := fs.Lookup("seed"); f != nil && f.Changed {
		if s, ok := alg.(engine.Seeded); !ok || !s.UsesSeed() {
			return fmt.Errorf("--seed does not apply here: %s draws no random numbers (games built from random numbers take --param seed=N)", cfg.Run.Algorithm)
		}
	}
	if f := fs.Lookup("compare-to-gmf-v"); f != nil && f.Changed && cfg.Outputs.CompareToGMFV {
		if _, ok := g.(mfg.ModelBased); !ok {
			return fmt.Errorf("--compare-to-gmf-v does not apply here: GMF-V needs a stationary game with a model, and %s is not one", cfg.Run.Game)
		}
	}
	return nil
}
