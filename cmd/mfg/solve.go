package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/experiment"
	"meanfield/games"
)

func newSolveCmd(stdout, stderr io.Writer) *cobra.Command {
	cfg := experiment.DefaultSolveConfig()
	var configPath, outDir string
	var noProgress bool
	var paramArgs []string
	cmd := &cobra.Command{
		Use:   "solve",
		Short: "Solve a mean-field game (default: GMF-Q on the repeated auction)",
		Long: `Solve a mean-field game by the fixed-point scheme and write the results.

With no arguments it solves the default repeated auction (10 budgets, 10 bids, 5 bidders per
auction) with GMF-Q and compares the result with GMF-V's equilibrium. Parameters come from the
defaults, then --config FILE (YAML whose keys are the flag names), then the flags given.

Writes into --out: trace.csv (one row per outer iteration), trace.json (Q, π and L of every
iteration), result.json (final Q, π, L), config.yaml (the configuration as given, reusable with
--config), resolved.yaml (every preset choice made explicit) and convergence.png / convergence.svg.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyConfigFile(cmd.Flags(), configPath, &cfg); err != nil {
				return usage(err)
			}
			params, err := parseParams(paramArgs)
			if err != nil {
				return usage(err)
			}
			if len(params) > 0 {
				if cfg.Params == nil {
					cfg.Params = map[string]any{}
				}
				maps.Copy(cfg.Params, params)
			}
			resolved, err := cfg.Resolve()
			if err != nil {
				return usage(err)
			}
			if err := checkApplicableFlags(cmd.Flags(), resolved); err != nil {
				return usage(err)
			}
			return runSolve(cmd.Context(), cfg, resolved, outDir, !noProgress, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&configPath, "config", "", "YAML file of parameters (keys are the flag names); flags given override it")
	f.StringVar(&outDir, "out", "out", "directory for the results (created if needed)")
	f.BoolVar(&noProgress, "no-progress", false, "do not show progress")

	f.StringVar(&cfg.Game, "game", cfg.Game, "game: "+strings.Join(games.AllNames(), ", ")+" (mfg games describes them)")
	f.StringVar(&cfg.Algorithm, "algorithm", cfg.Algorithm, "algorithm: "+strings.Join(algorithms.Names(), ", ")+" (mfg algorithms describes them; default: gmf-q for stationary games, fictitious-play for finite-horizon ones)")
	f.StringArrayVar(&paramArgs, "param", nil, "finite-horizon games: a game parameter as name=value (repeatable), e.g. --param n=6 --param bar-loc=3")
	f.Float64Var(&cfg.Alpha, "alpha", cfg.Alpha, "fictitious-play: step (0 = 1/(k+2)); online-mirror-descent: learning rate (negative: the algorithm's default, 0 and 1)")
	f.Float64Var(&cfg.Eta, "eta", cfg.Eta, "prior-descent: temperature η")
	f.IntVar(&cfg.NInner, "n-inner", cfg.NInner, "prior-descent: update the prior every n-inner iterations (0: never)")
	f.Float64Var(&cfg.Damping, "damping", cfg.Damping, "damped-fixed-point: step in (0, 1]")
	f.Float64Var(&cfg.TieTolerance, "tie-tolerance", cfg.TieTolerance, "fictitious-play: best responses include every action within this (relative) of the best (0: exact ties, as MFGLib)")
	f.StringVar(&cfg.Arithmetic, "arithmetic", cfg.Arithmetic, "finite-horizon games: float64 (default), or mfglib-float32 for MFGLib 0.3.0's float32 results bit for bit (its ten games; fictitious-play, online-mirror-descent, prior-descent)")
	f.IntVar(&cfg.Iterations, "iterations", cfg.Iterations, "outer iterations K (0: 300 for gmf-v, which stops at convergence; 20 for gmf-q and naive)")
	f.Float64Var(&cfg.Tolerance, "tolerance", cfg.Tolerance, "stop once ||L_{k+1}-L_k||_1 <= tolerance (negative: 1e-12 for gmf-v, never for the others)")
	f.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "master seed of every random stream of the solvers (finite-horizon games built from random numbers take --param seed)")

	addAuctionFlags(f, &cfg.GameParams.Auction)
	f.IntVar(&cfg.GameParams.Congestion.Locations, "locations", cfg.GameParams.Congestion.Locations, "congestion: number of places")

	f.StringVar(&cfg.Inner, "inner", "", "inner solver: value-iteration or q-learning (default: the algorithm's)")
	f.StringVar(&cfg.PolicyMap, "policy-map", "", "policy map: softmax or argmax-e (default: the algorithm's)")
	f.StringVar(&cfg.Projection, "projection", "", "projection: epsilon-net or none (default: the algorithm's)")
	f.StringVar(&cfg.PopulationStep, "population-step", "", "population step: exact or sampled (default: exact)")
	f.Float64Var(&cfg.Temperature, "temperature", cfg.Temperature, "softmax parameter c in softmax_c(x)_i = exp(c x_i)/Σ_j exp(c x_j)")
	f.IntVar(&cfg.Sweeps, "sweeps", cfg.Sweeps, "value iteration: at most this many sweeps per outer iteration")
	f.IntVar(&cfg.Steps, "steps", cfg.Steps, "Q-learning: steps T_k per outer iteration")
	f.StringVar(&cfg.StepSchedule, "step-schedule", cfg.StepSchedule, "Q-learning step size: power (1/n^h) or constant")
	f.Float64Var(&cfg.StepExponent, "step-exponent", cfg.StepExponent, "Q-learning: exponent h of the power schedule")
	f.Float64Var(&cfg.StepConstant, "step-constant", cfg.StepConstant, "Q-learning: β of the constant schedule")
	f.StringVar(&cfg.Exploration, "exploration", cfg.Exploration, "Q-learning: uniform (pairs drawn at random), epsilon-greedy or boltzmann (along a trajectory)")
	f.Float64Var(&cfg.Epsilon, "epsilon", cfg.Epsilon, "Q-learning: ε of epsilon-greedy exploration")
	f.Float64Var(&cfg.BoltzmannC, "boltzmann-c", cfg.BoltzmannC, "Q-learning: c of Boltzmann exploration")
	f.BoolVar(&cfg.ColdRestart, "cold-restart", cfg.ColdRestart, "Q-learning: reset Q and visit counts every outer iteration")
	f.Float64Var(&cfg.EpsilonNet, "epsilon-net", cfg.EpsilonNet, "projection: ε of the net (1/ε a whole number)")
	f.IntVar(&cfg.Agents, "agents", cfg.Agents, "sampled population step: number of agents")
	f.BoolVar(&cfg.Exploitable, "exploitability", cfg.Exploitable, "record the exploitability of every π_k (model-based games)")
	f.BoolVar(&cfg.CompareToGMFV, "compare-to-gmf-v", cfg.CompareToGMFV, "also solve with GMF-V and record the distance to its equilibrium (model-based games)")
	return cmd
}

// addAuctionFlags registers one flag per parameter of the auction, named as in the YAML files.
func addAuctionFlags(f *pflag.FlagSet, a *games.AuctionParams) {
	f.IntVar(&a.States, "states", a.States, "auction: budget levels S (budgets 0..S-1)")
	f.IntVar(&a.Actions, "actions", a.Actions, "auction: bid levels A (bids 0..A-1)")
	f.IntVar(&a.PlayersPerAuction, "players-per-auction", a.PlayersPerAuction, "auction: bidders per auction M (the bidder and M-1 opponents)")
	f.Var(intList{&a.ConversionValues}, "conversion-values", "auction: values of the conversion v")
	f.Var(floatList{&a.ConversionProbs}, "conversion-probs", "auction: probabilities of the conversion values (empty: uniform)")
	f.Float64Var(&a.OverbidPenalty, "overbid-penalty", a.OverbidPenalty, "auction: penalty ρ per unit of price above the budget")
	f.Var(intList{&a.FulfillmentValues}, "fulfillment-values", "auction: values of the budget top-up Δ after each round")
	f.Var(floatList{&a.FulfillmentProbs}, "fulfillment-probs", "auction: probabilities of the top-up values (empty: uniform)")
	f.Float64Var(&a.Discount, "discount", a.Discount, "discount factor γ in (0, 1)")
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
	if showProgress {
		prog = newProgress(stderr, fmt.Sprintf("%s on %s", cfg.Algorithm, cfg.Game), cfg.Iterations)
	}
	rep, err := experiment.RunSolve(ctx, given, outDir, func(it engine.Iteration) {
		if prog == nil || it.K == 0 {
			return
		}
		switch {
		case it.HasExploitability:
			prog.Step(it.K, fmt.Sprintf("exploitability %.3e", it.Exploitability))
		case it.HasChange:
			prog.Step(it.K, fmt.Sprintf("l1 change %.2e", it.L1Change))
		default:
			prog.Step(it.K, "")
		}
	})
	if prog != nil {
		prog.Done()
	}
	if rep != nil && rep.Result != nil && len(rep.Result.Trace) > 0 {
		printSummary(ctx, stdout, rep, outDir, time.Since(start))
	}
	return err
}

// Flags that apply only to some runs; given for another, they would be ignored silently.
var (
	stationaryGameFlags = []string{"states", "actions", "players-per-auction", "conversion-values", "conversion-probs",
		"overbid-penalty", "fulfillment-values", "fulfillment-probs", "discount", "locations"}
	fixedPointFlags = []string{"tolerance", "inner", "policy-map", "projection", "population-step", "temperature", "sweeps",
		"steps", "step-schedule", "step-exponent", "step-constant", "exploration", "epsilon", "boltzmann-c", "cold-restart",
		"epsilon-net", "agents", "exploitability", "compare-to-gmf-v", "seed"}
	policyMethodFlags = []string{"alpha", "eta", "n-inner", "damping", "tie-tolerance"}
)

// checkApplicableFlags refuses flags given on the command line that the resolved run would ignore.
func checkApplicableFlags(fs *pflag.FlagSet, cfg experiment.SolveConfig) error {
	if f := fs.Lookup("arithmetic"); f != nil && f.Changed && !games.IsFinite(cfg.Game) {
		return fmt.Errorf("--arithmetic does not apply here: %s is a stationary game, solved in float64 (--arithmetic chooses how finite-horizon games are computed)", cfg.Game)
	}
	var ignored []string
	var why string
	switch {
	case games.IsFinite(cfg.Game):
		ignored = append(append(ignored, stationaryGameFlags...), fixedPointFlags...)
		why = fmt.Sprintf("%s is a finite-horizon game: its parameters are --param NAME=VALUE (games built from random numbers take --param seed=N)", cfg.Game)
	case !cfg.IsFixedPoint():
		ignored = fixedPointFlags
		why = fmt.Sprintf("%s evaluates each policy exactly at the population it sustains", cfg.Algorithm)
	default:
		ignored = policyMethodFlags
		why = fmt.Sprintf("they set fictitious play, mirror descent, prior descent and the damped fixed point, not %s", cfg.Algorithm)
	}
	for _, name := range ignored {
		if f := fs.Lookup(name); f != nil && f.Changed {
			return fmt.Errorf("--%s does not apply here: %s", name, why)
		}
	}
	return nil
}
