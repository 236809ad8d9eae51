package gamestest

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"meanfield/internal/wrap"
	"meanfield/mfg"
)

// Group is a family of checks, as a Report lists them.
type Group int

// The groups, in the order a Report lists them.
const (
	// Declaration: Name(), States(), Actions(), the kind, the horizon or discount, the shapes.
	Declaration Group = iota
	// Initial: μ0 (InitialStates) or L_0 (InitialPopulation) is a distribution.
	Initial
	// Shapes: every stage or MDP is returned without error and has the game's sizes and a valid
	// row layout.
	Shapes
	// Rows: every transition row is a distribution over the states.
	Rows
	// Rewards: every reward is finite at the uniform-policy (or initial) and random mean fields.
	Rewards
	// Extreme: the same at populations with all mass on one state.
	Extreme
	// Determinism: equal calls give equal values, L is left alone, a stage keeps its values.
	Determinism
	// Moves: mfg.FixedMoves or mfg.FixedStationaryMoves agree with the stages or MDPs.
	Moves
	// Sampling: a model-free game's sampler draws valid transitions from the caller's stream.
	Sampling
	// Agreement: a game both model-based and model-free simulates its own model.
	Agreement
	numGroups
)

// groupNames are the groups' short names.
var groupNames = [numGroups]string{"declaration", "initial distribution", "shapes", "distributions",
	"rewards", "extreme mean fields", "determinism", "fixed moves", "sampler", "simulator vs model"}

// String is the group's short name, such as "distributions".
func (g Group) String() string {
	if g < 0 || g >= numGroups {
		return fmt.Sprintf("Group(%d)", int(g))
	}
	return groupNames[g]
}

// GroupResult is the outcome of one group of checks.
type GroupResult struct {
	Group Group
	// Checked says in words what the group checked on this game, with its counts.
	Checked string
	// Applies is false when the group does not apply to the game (a sampler check on a game
	// without one); such a group has no failures.
	Applies bool
	// Failures lists the failures, one line each as Check's error has them.
	Failures []string
	// Count is the number of failures: the listed ones and those that repeat, word for word, one
	// listed before at another time or population (counted, not listed). An MDP's problems past
	// the first 5 of a check are one listed line, "and N more problem(s), not listed".
	Count int
}

// Passed reports whether the group applies and found no failure.
func (r GroupResult) Passed() bool { return r.Applies && r.Count == 0 }

// Report is the outcome of Run: every group of checks with what it checked and its failures.
type Report struct {
	// Game is the game's name (its Go type when the name is unusable).
	Game string
	// Kind says what kind of game it is and its sizes, e.g. "finite horizon, 9 states, 3 actions, T = 10".
	Kind string
	// Groups holds every group, in the order of the Group constants.
	Groups []GroupResult
	// Duration is how long the checks took.
	Duration time.Duration
	errs     []error
}

// Passed reports whether no group found a failure.
func (r *Report) Passed() bool {
	for _, g := range r.Groups {
		if g.Count > 0 {
			return false
		}
	}
	return true
}

// Failed is the number of groups that found a failure.
func (r *Report) Failed() int {
	n := 0
	for _, g := range r.Groups {
		if g.Count > 0 {
			n++
		}
	}
	return n
}

// Applied is the number of groups that apply to the game.
func (r *Report) Applied() int {
	n := 0
	for _, g := range r.Groups {
		if g.Applies {
			n++
		}
	}
	return n
}

// Err is the error Check returns: nil when the report passed, else one line per failure listed
// (in the order found) and a last line counting the repeats.
func (r *Report) Err() error { return errors.Join(r.errs...) }

// Run runs every check that applies to g, as Check does, and returns the report.
func Run(g mfg.Game, opt Options) *Report {
	start := time.Now()
	rep := &Report{Game: fmt.Sprintf("(game %T)", g), Groups: make([]GroupResult, numGroups)}
	for i := range rep.Groups {
		rep.Groups[i].Group = Group(i)
	}
	if g == nil {
		rep.Groups[Declaration].Applies = true
		rep.fail(Declaration, "gamestest: nil game")
		rep.Duration = time.Since(start)
		return rep
	}
	if opt.Populations == 0 {
		opt.Populations = defaultPopulations
	}
	if opt.Samples == 0 {
		opt.Samples = defaultSamples
	}
	if opt.Extremes == 0 {
		opt.Extremes = defaultExtremes
	}
	c := &checker{opt: opt, rng: rand.New(rand.NewPCG(opt.Seed, streamPopulations)), seen: map[string]bool{}, rep: rep}
	c.run(g)
	if c.repeats > 0 {
		rep.errs = append(rep.errs, fmt.Errorf("%s: %d more failures repeat the ones above at other times or populations", c.name, c.repeats))
	}
	rep.Game = c.name
	rep.Kind = kindText(g)
	describe(rep, g, opt, c.extremeStates)
	rep.Duration = time.Since(start)
	return rep
}

// fail records a listed failure of group.
func (r *Report) fail(group Group, msg string) {
	r.Groups[group].Failures = append(r.Groups[group].Failures, msg)
	r.Groups[group].Count++
	r.errs = append(r.errs, errors.New(msg))
}

// Write writes the report as text of at most 100 characters a line (but for a failure or a word
// longer): a head line naming the game and its kind, one line per group (PASS, FAIL or "n/a", its
// name and what it checked) followed by its listed failures, indented, and the summary line.
func (r *Report) Write(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", r.Game, r.Kind)
	for _, g := range r.Groups {
		status := "PASS"
		switch {
		case !g.Applies:
			status = "n/a "
		case g.Count > 0:
			status = "FAIL"
		}
		head := fmt.Sprintf("%s  %-20s  ", status, g.Group)
		for _, l := range wrap.Lines(head, strings.Repeat(" ", len("PASS  ")+22), strings.Fields(g.Checked), reportWidth) {
			fmt.Fprintln(&b, l)
		}
		for _, f := range g.Failures {
			fmt.Fprintf(&b, "      - %s\n", strings.TrimPrefix(f, r.Game+": "))
		}
		if n := g.Count - len(g.Failures); n > 0 {
			fmt.Fprintf(&b, "      - and %d more failure(s) repeating ones listed above at other times or populations\n", n)
		}
	}
	fmt.Fprintf(&b, "%s\n", r.Summary())
	_, err := io.WriteString(w, b.String())
	return err
}

// reportWidth is the most characters on a line of Write's report but for failures: a terminal of
// 100 columns shows it unbroken.
const reportWidth = 100

// Summary is the report's last line: whether the game passed, how many groups failed, how long
// the checks took.
func (r *Report) Summary() string {
	failures := 0
	for _, g := range r.Groups {
		failures += g.Count
	}
	verdict := "PASS"
	if failures > 0 {
		verdict = "FAIL"
	}
	return fmt.Sprintf("%s %s: %d of %d check groups pass, %d fail (%d failures); checked in %v",
		verdict, r.Game, r.Applied()-r.Failed(), r.Applied(), r.Failed(), failures, r.Duration.Round(time.Microsecond))
}
