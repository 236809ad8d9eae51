package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"meanfield/benchmfg"
	"meanfield/games"
	"meanfield/internal/atomicfile"
	"meanfield/mfg"
)

// benchmfgLong is the help of mfg benchmfg.
const benchmfgLong = `Run Bench-MFG's learners on its eight stationary games with the hyperparameters of each
published best version (lorenzomagnino/Bench-MFG 3ec7b28, src/results/<Env>/<Alg>/best_model.yaml),
over its seeds, and print ours beside the published: per game × algorithm the mean and population
standard deviation (ddof 0) of the final exploitability over the seeds, and per seed both finals,
whether they agree within float32 rounding (|ours − published| ≤ 1e-5·|published| + 1e-4·the
run's value scale) and for how many leading entries the whole exploitability histories agree.

Everything follows Bench-MFG's protocol (package benchmfg): π0 from NumPy's MT19937 stream of the
seed, 150 iterations, the exploitability from the learner's current mean field after 50 population
steps, values truncated at 99 backups. Ours run in float64, Bench-MFG's in float32.

--markdown FILE also writes the table as Markdown (BENCHMFG.md holds the whole suite's).`

// benchmfgFlags are the command's choices.
type benchmfgFlags struct {
	games, algorithms []string
	seeds             []uint
	markdown          string
	noProgress        bool
}

func newBenchMFGCmd(stdout, stderr io.Writer) *cobra.Command {
	var f benchmfgFlags
	cmd := &cobra.Command{
		Use:   "benchmfg",
		Short: "Reproduce Bench-MFG's published results: its learners on its games, ours beside the published",
		Long:  benchmfgLong,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBenchMFG(cmd.Context(), f, stdout, stderr)
		},
	}
	var gameNames, algNames []string
	for _, g := range benchmfg.SuiteGames {
		gameNames = append(gameNames, g.Name)
	}
	for _, a := range benchmfg.SuiteAlgorithms {
		algNames = append(algNames, a.Name)
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&f.games, "games", gameNames, "games: "+strings.Join(gameNames, ", "))
	fl.StringSliceVar(&f.algorithms, "algorithms", algNames, "algorithms (Bench-MFG's result directories): "+strings.Join(algNames, ", "))
	fl.UintSliceVar(&f.seeds, "seeds", []uint{42, 10, 111, 1032}, "seeds, among Bench-MFG's 42, 10, 111, 1032")
	fl.StringVar(&f.markdown, "markdown", "", "also write the table as Markdown to this file")
	fl.BoolVar(&f.noProgress, "no-progress", false, "do not show progress")
	return cmd
}

// benchmfgJob is one game × algorithm to compare.
type benchmfgJob struct {
	game benchmfg.SuiteGame
	alg  benchmfg.SuiteAlgorithm
	g    mfg.ModelBased
}

// benchmfgJobs resolves the names; an unknown one is bad input.
func benchmfgJobs(f benchmfgFlags) ([]benchmfgJob, []uint32, error) {
	var seeds []uint32
	for _, s := range f.seeds {
		if !slices.Contains(benchmfg.Seeds, uint32(s)) || s > 1<<32-1 {
			return nil, nil, fmt.Errorf("--seeds: seed = %d: Bench-MFG published seeds 42, 10, 111, 1032 only", s)
		}
		seeds = append(seeds, uint32(s))
	}
	var algs []benchmfg.SuiteAlgorithm
	for _, name := range f.algorithms {
		a, err := benchmfg.FindAlgorithm(name)
		if err != nil {
			return nil, nil, fmt.Errorf("--algorithms: %w", err)
		}
		algs = append(algs, a)
	}
	var jobs []benchmfgJob
	for _, name := range f.games {
		sg, err := benchmfg.FindGame(name)
		if err != nil {
			return nil, nil, fmt.Errorf("--games: %w", err)
		}
		g, err := games.New(name, nil)
		if err != nil {
			return nil, nil, err
		}
		mb, ok := g.(mfg.ModelBased)
		if !ok {
			return nil, nil, fmt.Errorf("--games: game = %q: not a model-based stationary game", name)
		}
		for _, a := range algs {
			jobs = append(jobs, benchmfgJob{sg, a, mb})
		}
	}
	return jobs, seeds, nil
}

func runBenchMFG(ctx context.Context, f benchmfgFlags, stdout, stderr io.Writer) error {
	jobs, seeds, err := benchmfgJobs(f)
	if err != nil {
		return usage(err)
	}
	opt := benchmfg.DefaultOptions()
	var cs []benchmfg.Comparison
	for i, j := range jobs {
		start := time.Now()
		c, err := benchmfg.Compare(ctx, j.g, j.game, j.alg, seeds, opt)
		if err != nil {
			if ctx.Err() != nil {
				return interrupted(ctx.Err(), "nothing written (the table is written when every run is done)")
			}
			return err
		}
		cs = append(cs, c)
		if !f.noProgress {
			fmt.Fprintf(stderr, "benchmfg: %d/%d %s × %s (%v)\n", i+1, len(jobs), j.game.Name, j.alg.Name, time.Since(start).Round(time.Millisecond))
		}
	}
	if err := benchmfg.WriteText(stdout, cs, opt); err != nil {
		return err
	}
	if f.markdown == "" {
		return nil
	}
	if err := atomicfile.Write(f.markdown, func(w io.Writer) error { return benchmfg.WriteMarkdown(w, cs) }); err != nil {
		return fmt.Errorf("--markdown = %s: %w", f.markdown, err)
	}
	fmt.Fprintf(stdout, "Markdown table written to %s\n", f.markdown)
	return nil
}
