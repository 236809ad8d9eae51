package gamestest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"unicode"

	"meanfield/mfg"
)

// Options tunes Check. The zero value checks with seed 0 and the defaults.
type Options struct {
	// Seed drives every random choice: random populations, random streams, sampled pairs.
	Seed uint64
	// Populations is the number of random mean fields (finite games) or random populations
	// (stationary games) probed besides the uniform-policy mean field or the initial population.
	// 0 means 3; a negative number probes none.
	Populations int
	// Samples is the number of sampler draws per pair for the check that a game both model-based
	// and model-free simulates its model. 0 means 2000; a negative number skips that check.
	Samples int
	// Extremes is the number of states s probed with all the mass on s (spread evenly over the
	// actions), the first and last state among them. 0 means 4; a negative number probes none.
	Extremes int
}

const (
	defaultPopulations = 3
	defaultSamples     = 2000
	defaultExtremes    = 4
	// tolerance is how far from 1 a total probability may be.
	tolerance = 1e-9
	// maxPairs bounds the pairs (s, a) of the simulator-against-model check.
	maxPairs = 200
	// rangeDraws is the number of draws per pair for the sampler's range and determinism checks.
	rangeDraws = 3
	// maxReported bounds the problems listed per MDP or per sampler check.
	maxReported = 5
)

// Streams of PCG(seed, stream) for the independent random choices.
const (
	streamPopulations uint64 = 0x6d66672d706f7073 + iota
	streamSampler
	streamPairs
	streamAgreement
)

// Check runs every check that applies to g (see the package documentation) and returns nil if g
// passes them all, or an error joining one line per failure, each naming the game, the check and
// the values.
func Check(g mfg.Game, opt Options) error { return Run(g, opt).Err() }

// checker accumulates the failures of one run of Check.
type checker struct {
	opt  Options
	rng  *rand.Rand // random populations
	name string     // prefix of every failure
	S, A int
	// seen holds every failure message listed (without its context): a failure that repeats at
	// another time or population is counted in repeats instead.
	seen    map[string]bool
	repeats int
	rep     *Report
	// group is the group of the checks under way; values, when not Declaration, takes the place
	// of the value groups (Shapes, Rows, Rewards, Sampling) while an extreme population is probed.
	group, values Group
	// extremeStates are the states probed with all the mass on them.
	extremeStates []int
}

// run checks g, turning a panic outside the guarded calls into a failure.
func (c *checker) run(g mfg.Game) {
	c.name = fmt.Sprintf("(game %T)", g)
	defer func() {
		if r := recover(); r != nil {
			c.errorf("", "panic while checking: %v", r)
		}
	}()
	if !c.common(g) {
		return
	}
	switch g := g.(type) {
	case mfg.Finite:
		c.finite(g)
	case mfg.Stationary:
		c.stationary(g)
	}
}

// errorf records a failure in context where (none when empty), or counts it when the same
// message was listed before in another context.
func (c *checker) errorf(where, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if c.seen[msg] {
		c.repeats++
		c.rep.Groups[c.group].Count++
		return
	}
	c.seen[msg] = true
	if where != "" {
		msg = where + ": " + msg
	}
	c.rep.fail(c.group, c.name+": "+msg)
}

// in makes group the group of the failures recorded next; a value group (Shapes, Rows, Rewards,
// Sampling) gives way to c.values while an extreme population is probed.
func (c *checker) in(group Group) {
	if c.values != Declaration && (group == Shapes || group == Rows || group == Rewards || group == Sampling) {
		group = c.values
	}
	c.group = group
}

// common checks what every game states: its name, its sizes and its kind. It reports whether the
// kind-specific checks can go on (sizes at least 1, exactly one kind).
func (c *checker) common(g mfg.Game) bool {
	c.in(Declaration)
	name := g.Name()
	switch {
	case name == "":
		c.errorf("", "Name() is empty")
	case strings.IndexFunc(name, unicode.IsSpace) >= 0:
		c.name = name
		c.errorf("", "Name() = %q contains white space", name)
	default:
		c.name = name
	}
	c.S, c.A = g.States(), g.Actions()
	ok := true
	if c.S < 1 {
		c.errorf("", "States() = %d: must be at least 1", c.S)
		ok = false
	}
	if c.A < 1 {
		c.errorf("", "Actions() = %d: must be at least 1", c.A)
		ok = false
	}
	_, stationary := g.(mfg.Stationary)
	_, finite := g.(mfg.Finite)
	switch {
	case stationary && finite:
		c.errorf("", "the game is both mfg.Stationary and mfg.Finite: it must be exactly one kind")
		return false
	case !stationary && !finite:
		c.errorf("", "the game is neither mfg.Stationary nor mfg.Finite: it must be exactly one kind")
		return false
	}
	return ok
}

// guard calls f, turning a panic into an error.
func guard[T any](f func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return f()
}

// report lists at most maxReported problems of one context, then their number.
type report struct {
	c     *checker
	where string
	n     int
}

// add lists a problem, or only counts it past maxReported.
func (r *report) add(format string, args ...any) {
	r.n++
	if r.n <= maxReported {
		r.c.errorf(r.where, format, args...)
	}
}

// close reports how many problems were left unlisted.
func (r *report) close() {
	if r.n > maxReported {
		r.c.errorf(r.where, "and %d more problem(s), not listed", r.n-maxReported)
	}
}

// isFinite reports whether x is neither NaN nor infinite.
func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
