package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"meanfield/sweep"
	"meanfield/tune"
)

// tuneFlags holds the flags of mfg tune.
type tuneFlags struct {
	outDir     string
	workers    int
	noProgress bool
	png        bool
	maxMemory  int64
}

// newTuneCmd builds mfg tune.
func newTuneCmd(stdout, stderr io.Writer) *cobra.Command {
	var fl tuneFlags
	cmd := &cobra.Command{
		Use:   "tune FILE.yaml",
		Short: "Search the parameters of an algorithm that minimise an objective of the exploitability over a suite of games",
		Long: `Run the trials of a study file: a base configuration of mfg solve (one game, or a list under
games), the parameters to tune with their ranges (float, int, categorical; log scale), an objective
(the final, lowest or k-th exploitability of each game; their mean, shifted geometric mean or the
share of games not below a threshold), the number of trials, the sampler (tpe, random or grid) and
optional pruning (median or successive-halving). Every trial is written atomically to
OUT/trials/<k>.json as it ends: a study stopped and started again runs only what is missing.

Trial k is proposed from the study's seed and the trials of the batches before its own (batch:
trials proposed from the same history), so the study is the same whatever --workers, and whatever
the processes sharing OUT: each trial is computed under a lock (OUT/trials/<k>.lock), so several
processes (the tasks of a Slurm job array) started on one OUT share the trials between them.

At the end it writes OUT/trials.parquet (one row per trial), OUT/games.parquet (one row per trial
and game), OUT/best.yaml (the best trial's configuration: mfg solve --config OUT/best.yaml), and
OUT/history.svg and OUT/params.svg.

Study file:
  name: omd-evacuation
  seed: 0
  trials: 30
  sampler: tpe
  base: {game: building-evacuation, params: {n-floor: 3, floor-l: 5, floor-w: 5},
         algorithm: online-mirror-descent, iterations: 600}
  params:
    alpha: {type: float, low: 1e-5, high: 1e5, log: true}
  objective: {stat: min, aggregate: geometric-mean}`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTune(cmd.Context(), args[0], fl, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.outDir, "out", "", "study folder (default out/tune-NAME)")
	f.IntVar(&fl.workers, "workers", 0, "trials in parallel (0: all cores; at most 4 × the cores); does not change the results")
	f.BoolVar(&fl.noProgress, "no-progress", false, "do not show progress")
	f.BoolVar(&fl.png, "png", false, "write the figures as PNG too")
	addMaxMemoryFlag(f, &fl.maxMemory)
	return cmd
}

// runTune runs a study and reports its best trial.
func runTune(ctx context.Context, file string, fl tuneFlags, stdout, stderr io.Writer) error {
	s, err := tune.Load(file, fl.maxMemory)
	if err != nil {
		return usage(err)
	}
	if err := s.CheckMemory(fl.workers); err != nil {
		return usage(err)
	}
	limitRuntime(fl.maxMemory)
	dir := fl.outDir
	if dir == "" {
		if s.File.Name == "" {
			return usage(fmt.Errorf("name: %s has none and its file name cannot be one: give name: NAME or --out", file))
		}
		if err := sweep.CheckName(s.File.Name); err != nil {
			return usage(err)
		}
		dir = filepath.Join("out", "tune-"+s.File.Name)
	}
	if err := tune.Prepare(s, dir); err != nil {
		return tuneFolderError(err)
	}
	var prog *progress
	opt := tune.Options{Workers: fl.workers, Progress: func(done, total int) {
		if fl.noProgress {
			return
		}
		if prog == nil {
			prog = newProgress(stderr, "tune "+s.File.Name, total)
		}
		prog.Step(done, "")
	}}
	start := time.Now()
	rep, err := tune.Run(ctx, s, dir, opt)
	prog.Done()
	if rep != nil {
		fmt.Fprintf(stdout, "study %s: %d trials (sampler %s, batch %d); this invocation ran %d and found %d finished, in %s\n",
			s.File.Name, s.File.Trials, s.File.Sampler, s.File.Batch, rep.Ran, rep.Skipped, time.Since(start).Round(time.Millisecond))
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return interrupted(err, fmt.Sprintf("finished trials kept in %s (the same command resumes the study)", filepath.Join(dir, "trials")))
		}
		return tuneFolderError(err)
	}
	return reportStudy(s, dir, fl.png, stdout)
}

// tuneFolderError makes the refusals of a study folder usage errors (exit status 2).
func tuneFolderError(err error) error {
	if errors.Is(err, tune.ErrOtherStudy) || errors.Is(err, tune.ErrForeignRecord) {
		return usage(err)
	}
	return err
}

// reportStudy writes the study's results and prints its best trial.
func reportStudy(s *tune.Study, dir string, png bool, stdout io.Writer) error {
	sum, err := tune.Summarize(s, dir)
	if err != nil {
		return tuneFolderError(err)
	}
	sum.PNG = png
	if err := sum.Write(s, dir); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "trials: %d complete, %d pruned, %d failed\n", sum.Complete, sum.Pruned, sum.Failed)
	for _, r := range sum.Records {
		if r.State == tune.Failed {
			fmt.Fprintf(stdout, "failed trial %d: %s\n", r.Trial, r.Error)
			break
		}
	}
	if sum.Best == nil {
		fmt.Fprintln(stdout, "no trial complete: no best parameters")
	} else {
		b := sum.Best
		fmt.Fprintf(stdout, "best trial %d: objective (%s) %.6g\n", b.Trial, s.Objective.Describe(len(s.Configs)), *b.Value)
		names := make([]string, 0, len(b.Params))
		for n := range b.Params {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(stdout, "  %-20s %v\n", n, b.Params[n])
		}
		for g, gr := range b.Games {
			final := ""
			if s.Objective.Stat != "final" {
				final = fmt.Sprintf("; final exploitability %.6g", gr.Trace[len(gr.Trace)-1])
			}
			fmt.Fprintf(stdout, "  game %d %s: %s %.6g%s after %d iterations (%s)\n", g, gr.Game,
				s.Objective.StatName(), *gr.Stat, final, len(gr.Trace)-1, convergedWord(gr.Converged))
		}
	}
	fmt.Fprintf(stdout, "wrote %s\n", strings.Join(sum.Files, ", "))
	if sum.Best == nil && len(sum.Missing) == 0 {
		// The study gave no answer: a script running it must not take it for one (exit 1).
		return fmt.Errorf("no trial of the study completed (%d pruned, %d failed): it has no best parameters", sum.Pruned, sum.Failed)
	}
	return nil
}

func convergedWord(c bool) string {
	if c {
		return "converged"
	}
	return "not converged: the last iterate, not an equilibrium"
}
