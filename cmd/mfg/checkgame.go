package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"meanfield/gamefile"
	"meanfield/games"
	"meanfield/games/gamestest"
	"meanfield/mfg"
)

// checkGameLong is the help of mfg check-game.
const checkGameLong = `Run the conformance kit (package games/gamestest) on a registered game, or on the game of a
game file (--game-file, README "Your own game"), its parameters as --param sets them (as in mfg
solve), and print a report: one line per group of checks, PASS, FAIL
or n/a (does not apply to the game), with what it checked, each failure under its group (the
time, population, state and action where it happened), and a summary line with the time taken.

The groups: declaration (name, sizes, kind, horizon or discount, shapes); initial distribution;
shapes (every stage or MDP of the game's sizes); distributions (every transition row sums to 1);
rewards (finite at the uniform policy's mean field, or the initial population, and --populations
random ones); extreme mean fields (the same with all the mass on one state, for --extremes
states: an empty state's log μ must not give -Inf); determinism (equal calls, equal values; L not
written into); fixed moves; sampler; simulator vs model (--samples draws per pair).

--all checks every registered game at its defaults and prints one line per game (its size, the
groups passed, the failures, the time to build and to check it), then each failing game's first
failures.

Exit status: 0 when every check passes, 1 when a check fails, 2 on bad input (an unknown game, a
bad parameter or flag, a game file that does not load: its error names file:line:col).`

// checkGameFlags are the command's choices.
type checkGameFlags struct {
	params                         []string
	gameFile                       string
	seed                           uint64
	populations, samples, extremes int
	all                            bool
}

func newCheckGameCmd(stdout io.Writer) *cobra.Command {
	var f checkGameFlags
	cmd := &cobra.Command{
		Use:   "check-game NAME | --game-file FILE | --all",
		Short: "Run the conformance kit on a game (shapes, distributions, finite rewards, determinism) and report",
		Long:  checkGameLong,
		RunE: func(cmd *cobra.Command, args []string) error {
			opt, err := f.options(args)
			if err != nil {
				return usage(err)
			}
			if f.all {
				return checkGames(cmd.Context(), stdout, opt, games.Names(), func(name string) (mfg.Game, error) { return games.New(name, nil) })
			}
			g, err := f.build(args)
			if err != nil {
				return usage(err)
			}
			return checkGame(stdout, g, opt)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.params, "param", nil, "a parameter of the game as name=value (repeatable; mfg games NAME lists them)")
	fl.Uint64Var(&f.seed, "seed", 1, "seed of the random mean fields, streams and sampled pairs")
	fl.IntVar(&f.populations, "populations", 3, "random mean fields (or populations) probed besides the uniform policy's (or the initial one)")
	fl.IntVar(&f.samples, "samples", 2000, "sampler draws per pair for the simulator-against-model check (0 skips it)")
	fl.IntVar(&f.extremes, "extremes", 4, "states probed with all the mass on them, spread from the first to the last (0: none)")
	fl.StringVar(&f.gameFile, "game-file", "", "check the game of this game file (Starlark) instead of a registered one")
	fl.BoolVar(&f.all, "all", false, "check every registered game at its defaults; print a table")
	return cmd
}

// options checks the arguments and flags and returns the kit's options.
func (f checkGameFlags) options(args []string) (gamestest.Options, error) {
	switch {
	case f.gameFile != "" && (f.all || len(args) > 0):
		return gamestest.Options{}, fmt.Errorf("--game-file %s checks that file's game: give no game name and no --all", f.gameFile)
	case f.gameFile != "":
	case f.all && len(args) > 0:
		return gamestest.Options{}, fmt.Errorf("--all checks every game: give no game name (got %q)", strings.Join(args, " "))
	case f.all && len(f.params) > 0:
		return gamestest.Options{}, fmt.Errorf("--all checks every game at its defaults: --param %s applies to one game", f.params[0])
	case !f.all && len(args) != 1:
		return gamestest.Options{}, fmt.Errorf("give one game name (mfg games lists them) or --all; got %d arguments", len(args))
	}
	opt := gamestest.Options{Seed: f.seed}
	for _, c := range []struct {
		name string
		v    int
		dst  *int
	}{{"populations", f.populations, &opt.Populations}, {"samples", f.samples, &opt.Samples}, {"extremes", f.extremes, &opt.Extremes}} {
		if c.v < 0 {
			return opt, fmt.Errorf("--%s = %d: must be 0 or more", c.name, c.v)
		}
		*c.dst = c.v
		if c.v == 0 {
			*c.dst = -1 // the kit's "none"; its 0 means its default
		}
	}
	return opt, nil
}

// build makes the game checked: the game file's, or the named registered game's.
func (f checkGameFlags) build(args []string) (mfg.Game, error) {
	if f.gameFile == "" {
		return buildGame(args[0], f.params)
	}
	p, err := parseParams(f.params)
	if err != nil {
		return nil, err
	}
	return gamefile.Load(f.gameFile, p)
}

// buildGame builds the named game with the parameters given as name=value.
func buildGame(name string, paramArgs []string) (mfg.Game, error) {
	p, err := parseParams(paramArgs)
	if err != nil {
		return nil, err
	}
	return games.New(name, p)
}

// checkGame runs the conformance kit on g and writes the report to w. A failing check is an error
// (exit status 1) naming the groups that failed; the report says which checks and where.
func checkGame(w io.Writer, g mfg.Game, opt gamestest.Options) error {
	rep := gamestest.Run(g, opt)
	if err := rep.Write(w); err != nil {
		return err
	}
	if rep.Passed() {
		return nil
	}
	var failed []string
	for _, gr := range rep.Groups {
		if gr.Count > 0 {
			failed = append(failed, gr.Group.String())
		}
	}
	return fmt.Errorf("check-game: %s fails %s (see the report above)", rep.Game, strings.Join(failed, ", "))
}

// checkGames checks the named games, each as build makes it (mfg check-game --all: every
// registered game at its defaults), and writes a table, one line per game, then the first failures
// of each failing game. Any failure is an error (exit status 1). A cancelled ctx stops it between
// games.
func checkGames(ctx context.Context, w io.Writer, opt gamestest.Options, names []string, build func(string) (mfg.Game, error)) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "game\tkind\tS×A\tresult\tgroups passed\tfailures\tbuild\tcheck")
	var failing []*gamestest.Report
	start := time.Now()
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			tw.Flush()
			return interrupted(err, "nothing to keep (the games checked are in the table above)")
		}
		t0 := time.Now()
		g, err := build(name)
		built := time.Since(t0)
		if err != nil {
			return fmt.Errorf("game %s at its defaults: %v", name, err)
		}
		rep := gamestest.Run(g, opt)
		result, failures := "PASS", 0
		for _, gr := range rep.Groups {
			failures += gr.Count
		}
		if !rep.Passed() {
			result = "FAIL"
			failing = append(failing, rep)
		}
		kind := "stationary"
		if _, ok := g.(mfg.Finite); ok {
			kind = "finite"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d×%d\t%s\t%d/%d\t%d\t%v\t%v\n", name, kind, g.States(), g.Actions(), result,
			rep.Applied()-rep.Failed(), rep.Applied(), failures, roundDuration(built), roundDuration(rep.Duration))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, rep := range failing {
		fmt.Fprintf(w, "\n%s fails:\n", rep.Game)
		for _, gr := range rep.Groups {
			if gr.Count > 0 && len(gr.Failures) > 0 {
				fmt.Fprintf(w, "  %s: %s (%d failures)\n", gr.Group, strings.TrimPrefix(gr.Failures[0], rep.Game+": "), gr.Count)
			}
		}
	}
	n := len(names)
	if len(failing) > 0 {
		fmt.Fprintf(w, "\nFAIL: %d of %d games fail (mfg check-game NAME reports one in full); %v in all\n", len(failing), n, roundDuration(time.Since(start)))
		return fmt.Errorf("check-game --all: %d of %d games fail", len(failing), n)
	}
	_, err := fmt.Fprintf(w, "\nPASS: all %d games pass every check that applies; %v in all\n", n, roundDuration(time.Since(start)))
	return err
}

// roundDuration keeps three significant digits: 1.23s, 45.6ms, 789µs.
func roundDuration(d time.Duration) time.Duration {
	m := time.Duration(1)
	for d >= 1000*m {
		m *= 10
	}
	return d.Round(m)
}
