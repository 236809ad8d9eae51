package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"meanfield/experiment"
	"meanfield/games"
)

// compareLong is the help of mfg compare: what it runs, what C(π) is and how it is estimated,
// what it prints and writes.
const compareLong = `Train GMF-Q (on the mean-field simulator), N independent Q-learners (IL) and N mean-field
Q-learners (MF-Q, Yang et al. 2018) in the N-player auction, on --paths independent sample paths
each, and estimate C(π) of the policies they would deploy at --checkpoints points of training.

C(π) is the mean, over bidders i and joint initial budgets s, of

  (V_i(s, (π^-i, BR_i)) - V_i(s, π)) / (|V_i(s, (π^-i, BR_i))| + ε0),

what bidder i gains by switching alone to its best response BR_i, relative to the best
response's value plus ε0 (--epsilon0). Per joint budget, the best response is played if half of
the rollouts say it gains and the gain is measured on the other half (a floor max(0, gain) per
term would be biased upwards where the gain is 0); only the mean is floored at 0. It is 0 at a Nash equilibrium and has no upper bound: it
exceeds 1 when the gain exceeds |the best response's value| + ε0, as when the best response is
worth about 0 and π loses (MF-Q's C(π) of about 20 at |S| = |A| = 20). It is estimated by
metrics.EstimateC: --eval-states joint budgets drawn at random, --eval-rollouts rollouts from each
with common random numbers, a best response per bidder learned by simulating π, and, by default,
only --eval-deviators 4 of the N bidders evaluated per joint state, drawn at random (an unbiased
but noisier estimate of the average over all N; 0 evaluates all). By default IL and MF-Q get as
many samples as GMF-Q (--rounds -1).

The best response BR_i sees bidder i's own budget only (--best-response-budget-bins 0), or also
the bin of the others' mean budget among that many bins: the talk's C(π) lets it see the whole
joint state, so the estimate is a lower bound of that literal C(π) for the class used. Where the
others' bids depend on their budgets the gap can be large: on small auctions computed exactly
(N = 2, S = A = 3) the own-budget estimate finds on average 0.86 of the literal C(π) (at worst
0.06 of it), and with 3 bins, the other's budget there, 0.98 (see metrics.EstimateC).

Prints per algorithm the mean final C(π) over the paths and a 90% confidence interval for it:
Student's t for log(mean C(π)), mapped back, so never below 0; approximate, wide with few paths,
none with one. It names the algorithm of the lowest mean only when its interval lies below every
other's, and otherwise says which are not distinguishable at this number of paths.

Writes into --out: paths.csv (every sample path and checkpoint), summary.csv (mean, sd, the 90%
interval as lower90 and upper90, empty with one path), config.yaml (the resolved configuration) and
c_pi.png / c_pi.svg (the learning curves with their 90% bands).

Sample paths run in parallel on --workers goroutines (at most 4 × the cores); the results do not
depend on their number. Before anything runs, the memory the comparison needs is estimated from
players × the auction's size × the jobs at once (workers, algorithms × paths), the simulated
worlds and the estimates kept; a comparison estimated above --max-memory is refused.`

func newCompareCmd(stdout, stderr io.Writer) *cobra.Command {
	cfg := experiment.DefaultCompareConfig()
	var configPath, outDir string
	var workers int
	var noProgress bool
	var maxMemory int64
	var gf *compareGameFlags // --game and the flags of the comparison on any other game
	cmd := &cobra.Command{
		Use:   "compare",
		Short: "Compare GMF-Q, independent learners (IL) and MF-Q in the N-player auction by C(π); with --game, the mean-field solution and IL on any game by ε",
		Long:  compareLong,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if gf.game != "auction" {
				return runCompareGame(cmd, gf, outDir, workers, maxMemory, !noProgress, stdout, stderr)
			}
			if err := gf.checkAuction(cmd.Flags()); err != nil {
				return usage(err)
			}
			if err := applyConfigFile(cmd.Flags(), configPath, &cfg); err != nil {
				return usage(err)
			}
			resolved, err := cfg.Resolve()
			if err != nil {
				return usage(err)
			}
			if err := experiment.CheckWorkers(workers); err != nil {
				return usage(err)
			}
			resolved.MaxMemory = maxMemory
			if err := resolved.Memory(workers).Check(maxMemory); err != nil {
				return usage(err)
			}
			limitRuntime(maxMemory)
			return runCompare(cmd.Context(), resolved, outDir, workers, !noProgress, stdout, stderr)
		},
	}
	f := cmd.Flags()
	gf = addCompareGameFlags(cmd)
	f.StringVar(&configPath, "config", "", "YAML file of parameters (keys are the flag names; at most 16 MiB); flags given override it")
	f.StringVar(&outDir, "out", "out/compare", "directory for the results (created if needed)")
	f.IntVar(&workers, "workers", 0, "parallel sample paths (0: all cores; at most 4 × the cores); does not change the results")
	addMaxMemoryFlag(f, &maxMemory)
	f.BoolVar(&noProgress, "no-progress", false, "do not show progress")
	addAuctionFlags(f, &cfg.AuctionParams)
	f.IntVar(&cfg.Players, "players", cfg.Players, "number of bidders N in the N-player game")
	f.StringSliceVar(&cfg.Algorithms, "algorithms", cfg.Algorithms, "algorithms to compare: "+strings.Join(experiment.CompareAlgorithms, ", "))
	f.IntVar(&cfg.Paths, "paths", cfg.Paths, "independent sample paths (training runs) per algorithm")
	f.IntVar(&cfg.Checkpoints, "checkpoints", cfg.Checkpoints, "evenly spaced points of training at which C(π) is estimated")
	f.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "master seed of every random stream")
	f.IntVar(&cfg.Iterations, "iterations", cfg.Iterations, "GMF-Q: outer iterations K")
	f.IntVar(&cfg.Steps, "steps", cfg.Steps, "GMF-Q: Q-learning steps T_k per outer iteration")
	f.Float64Var(&cfg.Temperature, "temperature", cfg.Temperature, "GMF-Q: softmax parameter c (and c of a softmax deployment)")
	f.Float64Var(&cfg.EpsilonNet, "epsilon-net", cfg.EpsilonNet, "GMF-Q: ε of the projection net")
	f.Float64Var(&cfg.StepExponent, "step-exponent", cfg.StepExponent, "all learners: step size 1/n^h")
	f.IntVar(&cfg.Rounds, "rounds", cfg.Rounds, "IL and MF-Q: training rounds (-1: as many samples as GMF-Q, iterations·steps/players)")
	f.Float64Var(&cfg.BoltzmannC, "boltzmann-c", cfg.BoltzmannC, "IL and MF-Q: c of the Boltzmann exploration")
	f.IntVar(&cfg.MeanBidBins, "mean-bid-bins", cfg.MeanBidBins, "MF-Q: bins of the others' mean bid")
	f.StringVar(&cfg.Deploy, "deploy", cfg.Deploy, "policy deployed from a Q-table: argmax-e or softmax")
	f.IntVar(&cfg.EvalStates, "eval-states", cfg.EvalStates, "C(π) estimator: joint initial states K")
	f.IntVar(&cfg.EvalRollouts, "eval-rollouts", cfg.EvalRollouts, "C(π) estimator: rollouts R per joint state")
	f.IntVar(&cfg.EvalDeviators, "eval-deviators", cfg.EvalDeviators, "C(π) estimator: bidders evaluated per joint state, drawn at random (0: all N)")
	f.Float64Var(&cfg.HorizonTolerance, "horizon-tolerance", cfg.HorizonTolerance, "C(π) estimator: rollouts stop at the first H with γ^H <= this")
	f.Float64Var(&cfg.Epsilon0, "epsilon0", cfg.Epsilon0, "C(π): safeguard ε0 of the denominator")
	f.IntVar(&cfg.BestResponseRounds, "best-response-rounds", cfg.BestResponseRounds, "C(π) estimator: rounds simulated to learn each bidder's best response")
	f.IntVar(&cfg.BestResponseBudgetBins, "best-response-budget-bins", cfg.BestResponseBudgetBins, "C(π) estimator: the best response also sees the others' mean budget in this many bins (0: own budget only)")
	return cmd
}

func runCompare(ctx context.Context, cfg experiment.CompareConfig, outDir string, workers int, showProgress bool, stdout, stderr io.Writer) error {
	if err := experiment.CheckOutDir(outDir); err != nil {
		return usage(err)
	}
	start := time.Now()
	var prog *progress
	if showProgress {
		prog = newProgress(stderr, "compare", len(cfg.Algorithms)*cfg.Paths*cfg.Checkpoints)
	}
	rep, err := experiment.RunCompare(ctx, cfg, outDir, workers, func(done, _ int) { prog.Step(done, "C(π) estimates") })
	prog.Done()
	if err != nil {
		return interrupted(err, fmt.Sprintf("nothing written to %s/ (a comparison is written only when every estimate is done)", outDir))
	}
	printCompareTable(stdout, rep, outDir, time.Since(start))
	return nil
}

// fewPaths is the number of sample paths below which the table calls its intervals wide and
// approximate: simulated on skewed values, the interval's coverage falls further below its level
// with fewer values (metrics.MeanInterval).
const fewPaths = 10

func printCompareTable(w io.Writer, rep *experiment.CompareReport, outDir string, elapsed time.Duration) {
	cfg := rep.Config
	printCompareHeader(w, cfg, elapsed)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ALGORITHM\tSAMPLES\tMEAN C(π) (LOWER BOUND)\t90% CI OF THE MEAN\tMIN\tMAX")
	final := rep.Final()
	for _, s := range final {
		ci := fmt.Sprintf("[%.4f, %.4f]", s.Lower90, s.Upper90)
		if !s.HasInterval() {
			ci = "n/a (1 path)"
		}
		fmt.Fprintf(tw, "%s\t%d\t%.4f\t%s\t%.4f\t%.4f\n", s.Algorithm, s.Samples, s.Mean, ci, s.Min, s.Max)
	}
	tw.Flush()
	printLowest(w, final, cfg.Paths)
	fmt.Fprintf(w, "Results in %s/: %s\n", outDir, strings.Join(baseNames(rep.Files), ", "))
}

// printCompareHeader prints the setting, what C(π) is, how it was estimated (the bidders
// evaluated among the N) and what the interval is.
func printCompareHeader(w io.Writer, cfg experiment.CompareConfig, elapsed time.Duration) {
	paths := fmt.Sprintf("%d sample paths", cfg.Paths)
	if cfg.Paths == 1 {
		paths = "1 sample path"
	}
	fmt.Fprintf(w, "C(π) at the end of training: auction |S| = %d, |A| = %d, N = %d, M = %d; %s; %s\n",
		cfg.States, cfg.Actions, cfg.Players, cfg.PlayersPerAuction, paths, elapsed.Round(time.Millisecond))
	fmt.Fprintln(w, "C(π): a bidder's gain from switching alone to its best response, over |the best response's value| + ε0")
	fmt.Fprintf(w, "  (ε0 = %g), averaged over bidders and joint initial budgets. 0 at a Nash equilibrium; no upper bound:\n", cfg.Epsilon0)
	fmt.Fprintln(w, "  above 1 when the gain exceeds |best value| + ε0 (a best response worth about 0 against a losing policy).")
	who := fmt.Sprintf("%d of the %d bidders per\n  joint state, drawn at random (--eval-deviators; 0 for all)", cfg.EvalDeviators, cfg.Players)
	if cfg.EvalDeviators == 0 || cfg.EvalDeviators >= cfg.Players {
		who = fmt.Sprintf("all %d bidders", cfg.Players)
	}
	fmt.Fprintf(w, "Estimated per path from %d joint initial budgets × %d rollouts, evaluating %s.\n", cfg.EvalStates, cfg.EvalRollouts, who)
	fmt.Fprintf(w, "Each C(π) is a lower bound of the talk's C(π): the best responses are policies of %s\n", cfg.Class())
	fmt.Fprintln(w, "  (--best-response-budget-bins), not of the joint state; on small exact instances the own-budget")
	fmt.Fprintln(w, "  estimate finds 0.86 of the literal C(π) on average (README, the N-player section).")
	if cfg.Paths < 2 {
		fmt.Fprintln(w, "No interval: one sample path says nothing of the spread between paths.")
		return
	}
	fmt.Fprintf(w, "90%% CI of the mean over the %d paths: Student's t for log(mean C(π)), mapped back, so never below 0;\n  approximate", cfg.Paths)
	if cfg.Paths < fewPaths {
		fmt.Fprint(w, ", and with so few paths wide and likely to cover the mean less often than 90%")
	}
	fmt.Fprintln(w, ".")
}

// printLowest prints which algorithm has the lowest mean C(π), or, when the intervals do not tell
// them apart, that they are not distinguishable (experiment.LowestC); nothing for one algorithm.
func printLowest(w io.Writer, final []experiment.CompareSummary, paths int) {
	if len(final) < 2 {
		return
	}
	low := experiment.LowestC(final)
	if low.Distinguished() {
		fmt.Fprintf(w, "Lowest mean C(π): %s (its 90%% interval lies below every other's).\n", low.Algorithms[0])
		return
	}
	if paths < 2 {
		fmt.Fprintf(w, "Lowest mean C(π): %s are not distinguishable with 1 path (no interval).\n", andList(low.Algorithms))
		return
	}
	fmt.Fprintf(w, "Lowest mean C(π): %s are not distinguishable at %d paths", andList(low.Algorithms), paths)
	if len(low.Above) > 0 {
		verb := "is"
		if len(low.Above) > 1 {
			verb = "are"
		}
		fmt.Fprintf(w, "; %s %s higher", andList(low.Above), verb)
	}
	fmt.Fprintln(w, ".\n  Their 90% intervals overlap; more --paths narrow them.")
}

// andList joins names as "a", "a and b", "a, b and c".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
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
