package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"meanfield/experiment"
	"meanfield/internal/atomicfile"
	"meanfield/internal/params"
	"meanfield/plot"
	"meanfield/sweep"
)

// sweepFlags holds the flags of mfg sweep.
type sweepFlags struct {
	outDir, shard string
	workers       int
	noProgress    bool
	maxMemory     int64
}

// newSweepCmd builds mfg sweep, with its subcommands merge and summarize.
func newSweepCmd(stdout, stderr io.Writer) *cobra.Command {
	var fl sweepFlags
	cmd := &cobra.Command{
		Use:   "sweep FILE.yaml",
		Short: "Run many solves from a sweep file: axes of parameters × replicates, resumable, shardable",
		Long: `Run the runs of a sweep file (a base configuration of mfg solve, axes of parameter values,
replicates) in parallel. Every finished run is written atomically to OUT/runs/<id>.json: a sweep
that is stopped and started again runs only what is missing; a run that fails is recorded with its
error and the others go on. Without --shard, the results are then merged into OUT/runs.parquet and
OUT/iterations.parquet.

Before anything runs, the memory of every run is estimated (as mfg solve does) and the largest,
times the runs at once (--workers, at most 4 × the cores), is checked against --max-memory; a
sweep file is at most 16 MiB.

--shard i/n runs only the runs whose index is i modulo n (0 <= i < n), so that the n tasks of a
Slurm job array (--shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT) or of a Kubernetes Indexed
Job ($JOB_COMPLETION_INDEX) cover the sweep, writing into a shared OUT; then run
mfg sweep merge FILE.yaml --out OUT. Results do not depend on workers or shards.

OUT belongs to one sweep (OUT/sweep.json, created once): another sweep, or a record in OUT/runs
that is not this sweep's, is refused with exit status 2. Each run is computed under a lock
(OUT/runs/<id>.lock), so shards, or the same sweep started twice, compute every run once. The
name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.

Sweep file:
  name: temperature-study
  seed: 7
  replicates: 3
  base: {game: auction, algorithm: gmf-q, iterations: 20}
  axes:
    temperature: [2, 4, 8]
    steps: {from: 2000, to: 10000, step: 4000}`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSweep(cmd.Context(), args[0], fl, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.outDir, "out", "", "results folder (default out/sweep-NAME)")
	f.StringVar(&fl.shard, "shard", "", "run only shard i/n of the runs (0 <= i < n)")
	f.IntVar(&fl.workers, "workers", 0, "runs in parallel (0: all cores; at most 4 × the cores); does not change the results")
	f.BoolVar(&fl.noProgress, "no-progress", false, "do not show progress")
	addMaxMemoryFlag(cmd.PersistentFlags(), &fl.maxMemory) // merge and summarize resolve the runs too
	cmd.AddCommand(newSweepMergeCmd(stdout, &fl.maxMemory), newSweepSummarizeCmd(stdout, &fl.maxMemory))
	return cmd
}

// runSweep runs the sweep of file as mfg sweep does: the runs of its shard (all without --shard),
// with a progress bar on stderr, a one-line account on stdout and, when unsharded, the merge.
func runSweep(ctx context.Context, file string, fl sweepFlags, stdout, stderr io.Writer) error {
	s, err := sweep.LoadWithin(file, fl.maxMemory)
	if err != nil {
		return usage(err)
	}
	opt, err := sweepOptions(fl)
	if err != nil {
		return usage(err)
	}
	runs := len(s.Runs)
	if opt.Shards > 0 {
		runs = len(s.Shard(opt.Shard, opt.Shards))
	}
	if err := s.CheckMemory(opt.Workers, runs); err != nil {
		return usage(err)
	}
	limitRuntime(fl.maxMemory)
	dir, err := sweepDir(fl.outDir, s, file)
	if err != nil {
		return usage(err)
	}
	if err := sweep.Prepare(s, dir); err != nil {
		return usage(err)
	}
	var prog *progress
	opt.Progress = func(done, total int) { // called under RunSweep's lock
		if fl.noProgress {
			return
		}
		if prog == nil {
			prog = newProgress(stderr, "sweep "+s.File.Name, total)
		}
		prog.Step(done, "")
	}
	start := time.Now()
	rep, err := sweep.RunSweep(ctx, s, dir, opt)
	prog.Done()
	if rep != nil {
		fmt.Fprintf(stdout, "sweep %s: %d runs in all; this invocation ran %d (%d failed) and found %d finished, in %s\n",
			s.File.Name, len(s.Runs), rep.Ran, rep.Failed, rep.Skipped, time.Since(start).Round(time.Millisecond))
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			kept := "nothing run"
			if rep != nil {
				kept = fmt.Sprintf("%d finished runs kept in %s (the same command resumes the sweep); not merged", rep.Ran+rep.Skipped, filepath.Join(dir, "runs"))
			}
			return interrupted(err, kept)
		}
		return folderError(err)
	}
	if opt.Shards == 0 {
		return mergeAndReport(s, dir, stdout)
	}
	return nil
}

// sweepOptions checks --shard (i/n, 0 <= i < n) and --workers (non-negative, at most 4 × the
// cores) and turns them into the options of sweep.RunSweep; its errors are usage errors.
func sweepOptions(fl sweepFlags) (sweep.Options, error) {
	opt := sweep.Options{Workers: fl.workers}
	if fl.shard != "" {
		var err error
		if opt.Shard, opt.Shards, err = sweep.ParseShard(fl.shard); err != nil {
			return opt, err
		}
	}
	return opt, experiment.CheckWorkers(fl.workers)
}

// sweepDir is the results folder: out when given, else out/sweep-NAME with NAME the sweep's name
// (sweep.Load gives an unnamed sweep its file's base name when that is a valid name). The name is
// checked (sweep.CheckName) before it is used, so the default folder is always inside out; a
// sweep without a usable name needs --out.
func sweepDir(out string, s *sweep.Sweep, file string) (string, error) {
	if out != "" {
		return out, nil
	}
	if s.File.Name == "" {
		return "", fmt.Errorf("name: %s has none and its file name cannot be one (1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit): give name: NAME or --out", file)
	}
	if err := sweep.CheckName(s.File.Name); err != nil {
		return "", err
	}
	return filepath.Join("out", "sweep-"+s.File.Name), nil
}

// folderError makes the refusals of a results folder (another sweep's folder, a foreign record)
// usage errors (exit status 2); other errors are returned as they are.
func folderError(err error) error {
	if errors.Is(err, sweep.ErrOtherSweep) || errors.Is(err, sweep.ErrForeignRecord) {
		return usage(err)
	}
	return err
}

// errIncomplete is returned when a merge finds runs missing.
var errIncomplete = errors.New("the sweep is incomplete")

// mergeAndReport merges the sweep's finished runs in dir into the Parquet files and reports
// failed and missing runs on stdout; missing runs make it fail with errIncomplete.
func mergeAndReport(s *sweep.Sweep, dir string, stdout io.Writer) error {
	rep, err := sweep.Merge(s, dir)
	if err != nil {
		return folderError(err)
	}
	for _, f := range rep.Failed {
		fmt.Fprintf(stdout, "failed run %s %v: %s\n", f.ID, f.Params, f.Error)
	}
	if len(rep.Missing) > 0 {
		shown := rep.Missing
		if len(shown) > 20 {
			shown = shown[:20]
		}
		fmt.Fprintf(stdout, "missing %d of %d runs: %s\n", len(rep.Missing), rep.Runs, strings.Join(shown, " "))
		return fmt.Errorf("%w: %d of %d runs missing in %s", errIncomplete, len(rep.Missing), rep.Runs, dir)
	}
	fmt.Fprintf(stdout, "merged %d runs (%d failed) into %s\n", rep.Runs, len(rep.Failed), strings.Join(rep.Files, ", "))
	return nil
}

// newSweepMergeCmd builds mfg sweep merge.
func newSweepMergeCmd(stdout io.Writer, maxMemory *int64) *cobra.Command {
	var outDir string
	cmd := &cobra.Command{
		Use:   "merge FILE.yaml",
		Short: "Check a sweep's results folder, report missing and failed runs, write the Parquet files",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := sweep.LoadWithin(args[0], *maxMemory)
			if err != nil {
				return usage(err)
			}
			dir, err := sweepDir(outDir, s, args[0])
			if err != nil {
				return usage(err)
			}
			return mergeAndReport(s, dir, stdout)
		},
	}
	cmd.Flags().StringVar(&outDir, "out", "", "results folder (default out/sweep-NAME)")
	return cmd
}

// newSweepSummarizeCmd builds mfg sweep summarize.
func newSweepSummarizeCmd(stdout io.Writer, maxMemory *int64) *cobra.Command {
	var outDir, metric string
	var by []string
	cmd := &cobra.Command{
		Use:   "summarize FILE.yaml --by AXIS[,AXIS...]",
		Short: "Mean and 95% confidence interval of a final metric, grouped by axes; a table, a CSV and a plot",
		Long: `Group the finished runs of a sweep by the values of the axes named by --by and print, per
group, the number of runs with a value of --metric, their mean, the 95% confidence interval of the
mean (Student's t for the log of the mean, mapped back: never below 0, as no metric is) and their standard deviation, with the runs that failed or are
missing. A group of one run has no interval and no standard deviation: the table says "n/a (1 run)"
and summary.csv leaves lower95, upper95 and sd empty (and mean too for a group without a run).

Writes OUT/summary.csv and, when the first --by axis is numeric, OUT/summary.png / summary.svg: the
mean against that axis, one curve per value of the other axes, with a 95% band on the curves
whose every point has 2 runs or more; the title says "over replicates" only then.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := sweep.LoadWithin(args[0], *maxMemory)
			if err != nil {
				return usage(err)
			}
			dir, err := sweepDir(outDir, s, args[0])
			if err != nil {
				return usage(err)
			}
			groups, err := sweep.Summarize(s, dir, by, metric)
			if err != nil {
				return usage(err)
			}
			printSweepSummary(stdout, by, metric, groups)
			return writeSummary(dir, by, metric, groups, stdout)
		},
	}
	f := cmd.Flags()
	f.StringVar(&outDir, "out", "", "results folder (default out/sweep-NAME)")
	f.StringSliceVar(&by, "by", nil, "axes to group by (the first is the x axis of the plot)")
	f.StringVar(&metric, "metric", "exploitability", "final value to summarise: "+strings.Join(sweep.Metrics, ", "))
	return cmd
}

// joinAny joins the values, each formatted with fmt.Sprint, with sep.
func joinAny(vals []any, sep string) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, sep)
}

// printSweepSummary prints the table of mfg sweep summarize: per group its runs, mean, 95%
// interval and SD, or "n/a" where a group has too few runs for them.
func printSweepSummary(w io.Writer, by []string, metric string, groups []sweep.Group) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\tRUNS\tMEAN %s\t95%% CI OF THE MEAN\tSD\tFAILED\tMISSING\n", strings.ToUpper(strings.Join(by, "\t")), metric)
	for _, g := range groups {
		mean, ci, sd := fmt.Sprintf("%.6g", g.Mean), fmt.Sprintf("[%.6g, %.6g]", g.Lower, g.Upper), fmt.Sprintf("%.3g", g.SD)
		switch g.N {
		case 0:
			mean, ci, sd = "n/a", "n/a (no run)", "n/a"
		case 1:
			ci, sd = "n/a (1 run)", "n/a"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%d\t%d\n", joinAny(g.Key, "\t"), g.N, mean, ci, sd, g.Failed, g.Absent)
	}
	tw.Flush()
}

// writeSummary writes summary.csv and, when the first grouping axis is numeric, summary.png/svg
// with one curve (and confidence band) per value of the other axes.
func writeSummary(dir string, by []string, metric string, groups []sweep.Group, stdout io.Writer) error {
	path := filepath.Join(dir, "summary.csv")
	if err := atomicfile.Write(path, func(w io.Writer) error { return writeSummaryCSV(w, by, groups) }); err != nil {
		return err
	}
	files := []string{path}
	if p := summaryPlot(by, metric, groups); p != nil {
		png, svg := filepath.Join(dir, "summary.png"), filepath.Join(dir, "summary.svg")
		if err := plot.Save(p, 7*vg.Inch, 4.5*vg.Inch, png, svg); err != nil {
			return err
		}
		files = append(files, png, svg)
	}
	fmt.Fprintf(stdout, "Summary in %s\n", strings.Join(files, ", "))
	return nil
}

// writeSummaryCSV writes the groups as CSV: the grouping values, then runs, mean, lower95,
// upper95, sd, failed and missing; a value a group has not (NaN: no interval or SD from one run,
// no mean from none) is an empty cell.
func writeSummaryCSV(w io.Writer, by []string, groups []sweep.Group) error {
	cell := func(x float64) string {
		if math.IsNaN(x) {
			return ""
		}
		return fmt.Sprint(x)
	}
	cw := csv.NewWriter(w)
	cw.Write(append(append([]string{}, by...), "runs", "mean", "lower95", "upper95", "sd", "failed", "missing"))
	for _, g := range groups {
		row := strings.Split(joinAny(g.Key, "\x00"), "\x00")
		if len(by) == 0 {
			row = nil
		}
		cw.Write(append(row, strconv.Itoa(g.N), cell(g.Mean), cell(g.Lower), cell(g.Upper), cell(g.SD), strconv.Itoa(g.Failed), strconv.Itoa(g.Absent)))
	}
	cw.Flush()
	return cw.Error()
}

// summaryPlot draws the curves of summarySeries, or returns nil when there are none.
func summaryPlot(by []string, metric string, groups []sweep.Group) *gplot.Plot {
	series, title := summarySeries(by, metric, groups)
	if len(series) == 0 {
		return nil
	}
	p, err := plot.Lines(title, by[0], metric, series...)
	if err != nil {
		return nil
	}
	return p
}

// summarySeries returns the curves of the summary plot and its title: the mean of the metric
// against the first grouping axis, one curve per value of the other axes; none when there is no
// such axis, it is not numeric, or no group has a run. A curve has a 95% band only when every
// point of it has 2 runs or more (one run has no interval), and the title says what the points
// and bands are.
func summarySeries(by []string, metric string, groups []sweep.Group) ([]plot.Series, string) {
	if len(by) == 0 {
		return nil, ""
	}
	series := map[string]*plot.Series{}
	single := map[string]bool{} // the curves with a point of one run
	allSingle := true
	var order []string
	for _, g := range groups {
		x, ok := params.Number(g.Key[0])
		if !ok {
			return nil, ""
		}
		if g.N == 0 {
			continue
		}
		name := metric
		if len(by) > 1 {
			var parts []string
			for k := 1; k < len(by); k++ {
				parts = append(parts, fmt.Sprintf("%s = %v", by[k], g.Key[k]))
			}
			name = strings.Join(parts, ", ")
		}
		s, ok := series[name]
		if !ok {
			s = &plot.Series{Name: name}
			series[name] = s
			order = append(order, name)
		}
		s.X, s.Y = append(s.X, x), append(s.Y, g.Mean)
		s.Lower, s.Upper = append(s.Lower, g.Lower), append(s.Upper, g.Upper)
		single[name] = single[name] || g.N < 2
		allSingle = allSingle && g.N < 2
	}
	var all []plot.Series
	banded := 0
	for _, n := range order {
		s := *series[n]
		if single[n] {
			s.Lower, s.Upper = nil, nil
		} else {
			banded++
		}
		all = append(all, s)
	}
	return all, summaryPlotTitle(metric, by[0], allSingle, banded, len(all))
}

// summaryPlotTitle is the title of a summary plot whose curves (banded of them with a band) have
// points of one run only (allSingle) or not: "over replicates" only when points are means of
// several runs, and "confidence interval" only when every curve has its band.
func summaryPlotTitle(metric, axis string, allSingle bool, banded, curves int) string {
	switch {
	case allSingle:
		return fmt.Sprintf("%s by %s (one run per point: no confidence interval)", metric, axis)
	case banded == curves:
		return fmt.Sprintf("%s by %s (mean and 95%% confidence interval over replicates)", metric, axis)
	}
	return fmt.Sprintf("%s by %s\nmean over replicates; 95%% band only on curves with 2 runs or more at every point", metric, axis)
}
