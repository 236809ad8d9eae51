package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"meanfield/experiment"
)

// quickReproduceDir is the default folder of mfg reproduce --quick: apart from the full run's,
// so that a quick run neither hides nor replaces the full run's results in its report.
const quickReproduceDir = "out/reproduce-quick"

func newReproduceCmd(stdout, stderr io.Writer) *cobra.Command {
	var outDir string
	var only []string
	var quick, noProgress bool
	var seed uint64
	cmd := &cobra.Command{
		Use:   "reproduce",
		Short: "Reproduce every table and figure of the talk, with a report",
		Long: `Run every experiment of the talk and write its tables, figures and a report:

  delta-q           ΔQ of GMF-Q against GMF-V for T_k = 1000, 3000, 5000, 10000 (table beside the talk's)
  q-heatmaps        the Q-tables of GMF-Q and GMF-V side by side
  naive             the naive algorithm's fluctuations over 30 sample paths, GMF-Q beside it
  c-pi-10x10-n20    C(π) learning curves of GMF-Q, IL and MF-Q, |S| = |A| = 10, N = 20
  c-pi-20x20-n20    the same with |S| = |A| = 20
  c-pi-10x10-n40    the same with N = 40

Each experiment writes into its own folder of --out and finishes by writing outcome.json
atomically; a run that is interrupted and started again skips finished experiments (with the same
configuration) and recomputes only the rest. report.md and report.html (figures embedded) are
rewritten from every experiment finished there with the same configuration (with --only too),
and say which were computed now, which were kept, and which are missing and why. --quick runs the
same pipeline at reduced sizes, into out/reproduce-quick unless --out is given.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg := experiment.DefaultReproduceConfig()
			if quick {
				cfg = experiment.QuickReproduceConfig()
				if !cmd.Flags().Changed("out") {
					outDir = quickReproduceDir
				}
			}
			cfg.Seed = seed
			if cmd.Flags().Changed("only") && len(only) == 0 {
				return usage(fmt.Errorf("only = \"\": name at least one experiment (known: %s)", strings.Join(experiment.ExperimentNames(cfg), ", ")))
			}
			names := experiment.ExperimentNames(cfg)
			for _, n := range only {
				found := false
				for _, k := range names {
					found = found || k == n
				}
				if !found {
					return usage(fmt.Errorf("only = %q: unknown experiment (known: %s)", n, strings.Join(names, ", ")))
				}
			}
			return runReproduce(cmd.Context(), cfg, outDir, only, !noProgress, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&outDir, "out", "out/reproduce", "directory for the results (created if needed; finished experiments in it are kept); with --quick, "+quickReproduceDir+" by default")
	f.StringSliceVar(&only, "only", nil, "run only these experiments (comma-separated names)")
	f.BoolVar(&quick, "quick", false, "reduced sizes: the whole pipeline in well under a minute")
	f.Uint64Var(&seed, "seed", 1, "master seed of every random stream")
	f.BoolVar(&noProgress, "no-progress", false, "do not show progress")
	return cmd
}

func runReproduce(ctx context.Context, cfg experiment.ReproduceConfig, outDir string, only []string, showProgress bool, stdout, stderr io.Writer) error {
	if err := experiment.CheckOutDir(outDir); err != nil {
		return usage(err)
	}
	start := time.Now()
	var prog *progress
	rep, err := experiment.RunReproduce(ctx, cfg, outDir, only, func(done, total int) {
		if !showProgress {
			return
		}
		if prog == nil {
			prog = newProgress(stderr, "reproduce", total)
		}
		prog.Step(done, "")
	})
	prog.Done()
	if rep != nil {
		printReproduceSummary(stdout, rep, outDir, time.Since(start))
	}
	if errors.Is(err, experiment.ErrUnknownExperiment) {
		return usage(err)
	}
	kept := fmt.Sprintf("nothing finished in %s/", outDir)
	if rep != nil && len(rep.Outcomes) > 0 {
		kept = fmt.Sprintf("%d finished experiments kept in %s/ (report.md says where it stopped; the same command finishes the rest)", len(rep.Outcomes), outDir)
	}
	return interrupted(err, kept)
}

func printReproduceSummary(w io.Writer, rep *experiment.ReproduceReport, outDir string, elapsed time.Duration) {
	fmt.Fprintf(w, "Reproduction in %s/ (%s): ran %s; kept %s finished earlier with the same configuration.\n",
		outDir, elapsed.Round(time.Millisecond), countNames(rep.Ran), countNames(rep.Kept))
	for _, m := range rep.Missing {
		fmt.Fprintf(w, "  not in the report: %s: %s\n", m.Name, m.Reason)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EXPERIMENT\tCLAIM\tHERE")
	for _, o := range rep.Outcomes {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", o.Name, o.Claim, o.Here())
	}
	tw.Flush()
	if len(rep.Files) > 0 {
		fmt.Fprintf(w, "Report: %s\n", strings.Join(rep.Files, ", "))
	}
}

// countNames is "0 experiments", or the number of names and the names: "2 experiments (a, b)".
func countNames(names []string) string {
	switch len(names) {
	case 0:
		return "0 experiments"
	case 1:
		return "1 experiment (" + names[0] + ")"
	}
	return fmt.Sprintf("%d experiments (%s)", len(names), strings.Join(names, ", "))
}
