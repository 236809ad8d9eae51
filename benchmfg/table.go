package benchmfg

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"meanfield/mfg"
)

// Comparison is one game × algorithm of Bench-MFG's published table beside our runs of the same
// learner, hyperparameters and seeds.
type Comparison struct {
	Game      SuiteGame
	Algorithm SuiteAlgorithm
	Published PublishedResult
	// Learner is the best version's learner, nil when there is none here (NotYet says why).
	Learner Learner
	NotYet  string
	Seeds   []uint32
	// Runs[i] is our run of Seeds[i]; Scales[i] its value scale (runScale).
	Runs   []Result
	Scales []float64
}

// Compare runs the learner of the published best version of game × alg on g for each seed,
// stopping between iterations with ctx's error when ctx is done.
// The seeds must be among Bench-MFG's (Seeds). An algorithm without a learner here (none now;
// a directory until a file adds it to learnerMakers) gives a comparison with NotYet set and no runs.
func Compare(ctx context.Context, g mfg.ModelBased, game SuiteGame, alg SuiteAlgorithm, seeds []uint32, opt Options) (Comparison, error) {
	p, err := LoadPublished()
	if err != nil {
		return Comparison{}, err
	}
	pub, err := p.Lookup(game.Env, alg.Dir)
	if err != nil {
		return Comparison{}, err
	}
	c := Comparison{Game: game, Algorithm: alg, Published: pub, Seeds: seeds}
	for _, seed := range seeds {
		if !slices.Contains(Seeds, seed) {
			return Comparison{}, fmt.Errorf("seed = %d: Bench-MFG published seeds %s only", seed, seedList(Seeds))
		}
	}
	if c.Learner, err = LearnerFor(alg.Dir, pub.BestVersion); errors.Is(err, errNoLearner) {
		c.NotYet = "not yet in this table"
		if alg.Dir == "PSO" {
			c.NotYet = "MF-PSO: " + c.NotYet
		}
		return c, nil
	} else if err != nil {
		return Comparison{}, err
	}
	for _, seed := range seeds {
		r, err := TrainContext(ctx, c.Learner, g, seed, opt)
		if err != nil {
			return Comparison{}, err
		}
		scale, err := runScale(g, seed, r, opt)
		if err != nil {
			return Comparison{}, err
		}
		c.Runs = append(c.Runs, r)
		c.Scales = append(c.Scales, scale)
	}
	return c, nil
}

// runScale is the value scale of a run (Evaluation.Scale), the larger of its start (π0 at μ_0)
// and its end (the returned policy at the final mean field): a run's values can shrink to 0 at an
// equilibrium (skew-rps), while its history's float32 rounding was set by the values on the way.
func runScale(g mfg.ModelBased, seed uint32, r Result, opt Options) (float64, error) {
	setup, err := NewSetup(g, seed, opt)
	if err != nil {
		return 0, err
	}
	mu, err := PushForward(g, setup.Initial, setup.Start, opt.LearnerSteps)
	if err != nil {
		return 0, err
	}
	first, err := Evaluate(g, setup.Initial, mu, opt)
	if err != nil {
		return 0, err
	}
	last, err := Evaluate(g, r.Policy, r.MeanField, opt)
	if err != nil {
		return 0, err
	}
	return max(first.Scale(), last.Scale()), nil
}

func seedList(seeds []uint32) string {
	s := make([]string, len(seeds))
	for i, x := range seeds {
		s[i] = strconv.FormatUint(uint64(x), 10)
	}
	return strings.Join(s, ", ")
}

// publishedRun is the published run of Seeds[i].
func (c Comparison) publishedRun(i int) PublishedRun {
	return c.Published.Seeds[strconv.FormatUint(uint64(c.Seeds[i]), 10)]
}

// Finals are our final exploitabilities, one per seed.
func (c Comparison) Finals() []float64 {
	f := make([]float64, len(c.Runs))
	for i, r := range c.Runs {
		f[i] = r.History[len(r.History)-1]
	}
	return f
}

// FinalAgrees reports whether seed i's final exploitability agrees with the published (Agrees).
func (c Comparison) FinalAgrees(i int) bool {
	return Agrees(c.Finals()[i], c.publishedRun(i).Final, c.Scales[i])
}

// AgreesThrough returns the number of leading history entries of seed i that agree with the
// published history (Agrees, at the run's value scale): the whole length when all do.
func (c Comparison) AgreesThrough(i int) int {
	ours, pub := c.Runs[i].History, c.publishedRun(i).History
	n := min(len(ours), len(pub))
	for k := 0; k < n; k++ {
		if !Agrees(ours[k], pub[k], c.Scales[i]) {
			return k
		}
	}
	return n
}

// MeanStd returns the mean and the population standard deviation (ddof 0, as Bench-MFG's) of x.
func MeanStd(x []float64) (mean, std float64) {
	if len(x) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		std += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(std / float64(len(x)))
}

// g6 formats a value with 6 significant digits.
func g6(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

// agreement says in words how seed i agrees: the final value, and the history's leading entries.
func (c Comparison) agreement(i int) string {
	final := "final agrees"
	if !c.FinalAgrees(i) {
		final = "final differs"
	}
	n, total := c.AgreesThrough(i), len(c.publishedRun(i).History)
	if n == total && len(c.Runs[i].History) == total {
		return final + ", whole history agrees"
	}
	return fmt.Sprintf("%s, history agrees for its first %d of %d entries", final, n, total)
}

// agreementSummary is the agreement of all seeds in a few words: how many finals agree, how many
// whole histories, and for the others how far their histories agree.
func (c Comparison) agreementSummary() string {
	finals, whole := 0, 0
	var partial []string
	for i, seed := range c.Seeds {
		if c.FinalAgrees(i) {
			finals++
		}
		n, total := c.AgreesThrough(i), len(c.publishedRun(i).History)
		if n == total && len(c.Runs[i].History) == total {
			whole++
			continue
		}
		partial = append(partial, fmt.Sprintf("%d: first %d of %d", seed, n, total))
	}
	out := fmt.Sprintf("finals agree %d/%d; whole histories %d/%d", finals, len(c.Seeds), whole, len(c.Seeds))
	if len(partial) > 0 {
		out += " (" + strings.Join(partial, ", ") + ")"
	}
	return out
}

// WriteText writes the comparisons as labelled text blocks, one per game × algorithm.
func WriteText(w io.Writer, cs []Comparison, opt Options) error {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%s × %s (Bench-MFG %s/%s, best version %s)\n", c.Game.Name, c.Algorithm.Name, c.Game.Env, c.Algorithm.Dir, c.Published.BestVersion)
		fmt.Fprintf(&b, "  published final exploitability: mean %s, std %s (over seeds %s)\n", g6(c.Published.Mean), g6(c.Published.Std), seedList(Seeds))
		if c.NotYet != "" {
			fmt.Fprintf(&b, "  ours: %s\n", c.NotYet)
			continue
		}
		m, s := MeanStd(c.Finals())
		fmt.Fprintf(&b, "  ours (%s, %d iterations): mean %s, std %s (over seeds %s)\n", c.Learner.Name(), opt.Iterations, g6(m), g6(s), seedList(c.Seeds))
		for i, seed := range c.Seeds {
			fmt.Fprintf(&b, "  seed %d: published %s, ours %s, tolerance %s: %s\n", seed, g6(c.publishedRun(i).Final), g6(c.Finals()[i]),
				g6(1e-5*math.Abs(c.publishedRun(i).Final)+1e-4*c.Scales[i]), c.agreement(i))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the comparisons as one Markdown table.
func WriteMarkdown(w io.Writer, cs []Comparison) error {
	var b strings.Builder
	b.WriteString("| game | algorithm | Bench-MFG best_version | published mean ± std | ours mean ± std | per seed: ours / published | agreement (finals; whole histories, else for how many entries) |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	for _, c := range cs {
		pub := g6(c.Published.Mean) + " ± " + g6(c.Published.Std)
		if c.NotYet != "" {
			fmt.Fprintf(&b, "| %s | %s | `%s` | %s | %s | | |\n", c.Game.Name, c.Algorithm.Name, c.Published.BestVersion, pub, c.NotYet)
			continue
		}
		m, s := MeanStd(c.Finals())
		var seeds []string
		for i, seed := range c.Seeds {
			seeds = append(seeds, fmt.Sprintf("%d: %s / %s", seed, g6(c.Finals()[i]), g6(c.publishedRun(i).Final)))
		}
		fmt.Fprintf(&b, "| %s | %s | `%s` | %s | %s ± %s | %s | %s |\n", c.Game.Name, c.Algorithm.Name, c.Published.BestVersion, pub, g6(m), g6(s),
			strings.Join(seeds, "<br>"), c.agreementSummary())
	}
	_, err := io.WriteString(w, b.String())
	return err
}
