package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"meanfield/experiment"
	"meanfield/gamefile"
	"meanfield/npgame"
)

const nplayerLong = `Solve a mean-field game, then measure how far its policy π is from a Nash equilibrium of the
N-player game built from it (package npgame), for each N of --players.

In the N-player game each of N agents has its own state; its reward and moves are the game's,
evaluated at the empirical state-action distribution of the others (--meet others, the default)
or of all (--meet all). ε(N) is what one agent gains by deviating alone while the others keep
playing π, from the start (μ0 i.i.d. per agent; on a stationary game the state distribution of
the population π sustains, the discounted horizon truncated at γ^H <= --horizon-tolerance). The
deviation is a policy of the deviator's own state and time, computed in the model it meets when
everyone plays π, averaged over --train-episodes simulated episodes; its gain is measured on
--episodes pairs of episodes with common random numbers. ε = max(0, gain) with a 95% interval;
the ratio is ε / (|V(π) + ε| + ε0), as the talk's C(π).

The solve runs ten times the algorithm's default iterations unless --iterations is given: as N
grows, ε(N) tends to the mean-field exploitability of π, not to 0, unless π is an equilibrium.

Writes into --out: nplayer.csv (one row per N), fit.csv (the least-squares slope of log ε
against log N over the N whose ε interval excludes 0, with its 95% interval), config.yaml (the solve's configuration) and epsilon.svg
(ε against N on log-log axes with the fit, the 1/√N reference and the floor).`

func newNPlayerCmd(stdout, stderr io.Writer) *cobra.Command {
	cfg := experiment.NPlayerConfig{Solve: experiment.DefaultSolveConfig(), Players: []int{2, 5, 10, 20, 50, 100}}
	cfg.Solve.Run.Game = "beach-bar" // seconds; the auction's estimates take minutes
	var outDir string
	var paramArgs []string
	var noProgress bool
	cmd := &cobra.Command{
		Use:   "nplayer",
		Short: "Measure the ε of a mean-field solution in the N-player game, against N",
		Long:  nplayerLong,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			params, err := parseParams(paramArgs)
			if err != nil {
				return usage(err)
			}
			if len(params) > 0 {
				if cfg.Solve.Params == nil {
					cfg.Solve.Params = map[string]any{}
				}
				maps.Copy(cfg.Solve.Params, params)
			}
			resolved, err := cfg.Resolve()
			if err != nil {
				return usage(flagError(cmd.Flags(), err))
			}
			if err := experiment.CheckWorkers(resolved.Workers); err != nil {
				return usage(err)
			}
			if err := experiment.CheckOutDir(outDir); err != nil {
				return usage(err)
			}
			return runNPlayer(cmd.Context(), resolved, outDir, !noProgress, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Solve.Run.Game, "game", cfg.Solve.Run.Game, "game (mfg games lists them): a finite-horizon game or a stationary one with a model, of one population (the auction takes minutes: each round builds its model, 12 µs, once per occupied pair)")
	f.StringVar(&cfg.Solve.Run.GameFile, "game-file", "", "a game file (Starlark; README \"Your own game\"): its game replaces --game, its params take --param")
	f.Uint64Var(&cfg.Solve.Run.GameSteps, "game-steps", 0, fmt.Sprintf("the most Starlark steps one evaluation of --game-file may take (0: %d)", gamefile.DefaultMaxSteps))
	f.StringVar(&cfg.Solve.Run.Algorithm, "algorithm", "", "algorithm of the solve (default: gmf-q for stationary games, fictitious-play for finite-horizon ones)")
	f.IntVar(&cfg.Solve.Run.Iterations, "iterations", 0, fmt.Sprintf("iterations of the solve (0: %d × the algorithm's default)", experiment.NPlayerAccuracy))
	f.Uint64Var(&cfg.Solve.Run.Seed, "seed", cfg.Solve.Run.Seed, "master seed of every random stream (the solve's and the estimates')")
	f.StringArrayVar(&paramArgs, "param", nil, "a parameter of the game as name=value (repeatable)")
	f.IntSliceVar(&cfg.Players, "players", cfg.Players, "the numbers of agents N, increasing")
	f.StringVar(&cfg.Meet, "meet", "others", "the distribution an agent meets: others (L_{-i}) or all (L^N)")
	f.IntVar(&cfg.Episodes, "episodes", 0, fmt.Sprintf("pairs of evaluation episodes per N (0: %d)", npgame.DefaultEpisodes))
	f.IntVar(&cfg.TrainEpisodes, "train-episodes", 0, fmt.Sprintf("episodes averaged into the deviator's model per N (0: %d)", npgame.DefaultTrainEpisodes))
	f.Float64Var(&cfg.HorizonTolerance, "horizon-tolerance", 0, fmt.Sprintf("stationary games: the horizon is the first H with γ^H <= this (0: %g)", npgame.DefaultHorizonTolerance))
	f.Float64Var(&cfg.Epsilon0, "epsilon0", 0, fmt.Sprintf("ε0 of the ratio's denominator (0: %g)", npgame.DefaultEpsilon0))
	f.IntVar(&cfg.FitFrom, "fit-from", 0, "fit the slope over the N at least this (0: every N)")
	f.IntVar(&cfg.Workers, "workers", 0, "parallel episodes (0: every core; at most 4 × the cores); does not change the results")
	f.StringVar(&outDir, "out", "out/nplayer", "directory for the results (created if needed)")
	f.BoolVar(&cfg.PNG, "png", false, "also write the figure as PNG")
	f.BoolVar(&noProgress, "no-progress", false, "do not show progress")
	addAlgorithmFlags(f, &cfg.Solve.AlgorithmParams)
	return cmd
}

func runNPlayer(ctx context.Context, cfg experiment.NPlayerConfig, outDir string, showProgress bool, stdout, stderr io.Writer) error {
	start := time.Now()
	var prog *progress
	if showProgress {
		prog = newProgress(stderr, "nplayer", len(cfg.Players))
	}
	rep, err := experiment.RunNPlayer(ctx, cfg, outDir, func(done, _ int) { prog.Step(done, "values of N") })
	prog.Done()
	if err != nil {
		return interrupted(err, fmt.Sprintf("nothing written to %s/ (the results are written when every N is done)", outDir))
	}
	printNPlayer(stdout, rep, outDir, time.Since(start))
	return nil
}

func printNPlayer(w io.Writer, rep *experiment.NPlayerReport, outDir string, elapsed time.Duration) {
	cfg := rep.Config
	iters := fmt.Sprintf("%d iterations", rep.Iterations)
	if cfg.Accurate {
		iters += fmt.Sprintf(" (%d × its default, for accuracy: --iterations sets them)", experiment.NPlayerAccuracy)
	}
	fmt.Fprintf(w, "%s, solved by %s: %s, %s\n", cfg.Solve.Run.Game, cfg.Solve.Run.Algorithm, iters, solveStatus(rep))
	if rep.HasMF {
		fmt.Fprintf(w, "Mean-field exploitability of π: %.6g (the limit of ε(N) as N grows)\n", rep.MFExploitability)
	}
	meets := "the others' empirical distribution"
	if cfg.Meet == "all" {
		meets = "everyone's empirical distribution, their own included"
	}
	fmt.Fprintf(w, "ε(N): one agent's gain from deviating alone (agents meet %s); %d evaluation pairs, %d training episodes per N; %s\n",
		meets, orDefault(cfg.Episodes, npgame.DefaultEpisodes), orDefault(cfg.TrainEpisodes, npgame.DefaultTrainEpisodes), elapsed.Round(time.Millisecond))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "N\tε ESTIMATE\t95% INTERVAL\tRATIO ε/(|V+ε|+ε0)\tV(π)\tBEST-RESPONSE CLASS")
	for _, r := range rep.Rows {
		e := r.Estimate
		fmt.Fprintf(tw, "%d\t%.4g\t[%.4g, %.4g]\t%.4g\t%.4g ± %.2g\t%s\n", r.N, e.Epsilon, e.Lower, e.Upper, e.Ratio, e.Value, 1.96*e.ValueSE, shortClass(r.Class))
	}
	tw.Flush()
	fit := rep.Fit
	switch {
	case fit.HasInterval:
		fmt.Fprintf(w, "Slope of log ε against log N (least squares over the %d N%s whose interval excludes 0): %.3f, 95%% interval [%.3f, %.3f]; 1/√N is -0.5\n", fit.Points, fitFrom(cfg.FitFrom), fit.Slope, fit.Lower, fit.Upper)
	case fit.HasSlope:
		fmt.Fprintf(w, "Slope of log ε against log N (2 points, no interval): %.3f; 1/√N is -0.5\n", fit.Slope)
	default:
		fmt.Fprintln(w, "Slope of log ε against log N: not fitted (fewer than 2 values of N whose ε interval excludes 0: more --episodes narrow them)")
	}
	if rep.Floor > 0 {
		fmt.Fprintf(w, "From N = %d on, ε(N)'s interval reaches the mean-field exploitability of π: ε has met its floor there, and the slope measures the floor rather than 1/√N.\n", rep.Floor)
	}
	fmt.Fprintf(w, "Results in %s/: %s\n", outDir, strings.Join(baseNames(rep.Files), ", "))
}

func fitFrom(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" ≥ %d", n)
}

// solveStatus says whether the solve met its stopping rule; a solve that did not is not called
// an equilibrium.
func solveStatus(rep *experiment.NPlayerReport) string {
	if rep.Converged {
		return "converged (the algorithm's stopping rule held)"
	}
	if rep.Stop != "" {
		return "not converged: stopped because " + rep.Stop + " (π is the last iterate, not an equilibrium)"
	}
	return "not converged (no stopping rule held: π is the last iterate, an approximate equilibrium at best)"
}

func orDefault(x, def int) int {
	if x == 0 {
		return def
	}
	return x
}

// shortClass is the class's name up to its parenthesis.
func shortClass(c string) string {
	if i := strings.Index(c, " ("); i > 0 {
		return c[:i]
	}
	return c
}
