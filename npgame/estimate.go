package npgame

import (
	"context"
	"fmt"
	"math"
	"runtime"

	"golang.org/x/sync/errgroup"

	"meanfield/exploit"
	"meanfield/internal/stats"
)

// Options of Estimate.
type Options struct {
	// Seed determines every random stream; the results do not depend on Workers.
	Seed uint64
	// Workers run episodes in parallel; 0 means GOMAXPROCS.
	Workers int
	// TrainEpisodes are the episodes simulated to build the deviator's averaged model (0: 200);
	// Episodes the pairs of episodes, with and without the deviation, of the evaluation (0: 1000).
	TrainEpisodes, Episodes int
	// Initial is each agent's start distribution; nil means μ0 on a finite-horizon game and, on a
	// stationary one, the state marginal of the population the first policy sustains
	// (exploit.MeanField) when it is stationary, else of the game's initial population.
	Initial []float64
	// Epsilon0 is ε0 of the normalised ratio (0: 0.1).
	Epsilon0 float64
}

// Defaults of Options.
const (
	DefaultTrainEpisodes = 200
	DefaultEpisodes      = 1000
	DefaultEpsilon0      = 0.1
	// z95 is the standard normal's 97.5% quantile: the half-width of a 95% interval in standard
	// errors.
	z95 = 1.959963984540054
)

// ClassOwnState names the estimator's class of deviations.
const ClassOwnState = "own state and time, learned (best response to the averaged model)"

// Estimate is the Monte Carlo estimate of one deviator's gain.
type Estimate struct {
	// Deviator is the agent that deviates (one per distinct policy of the profile: agents that
	// play the same policy are exchangeable).
	Deviator int
	// Value is V_i(π), the deviator's expected return when nobody deviates, with its standard
	// error; Gain is V_i(σ) − V_i(π) for the learned deviation σ (negative when σ is worse),
	// with the standard error of the paired differences.
	Value, ValueSE float64
	Gain, GainSE   float64
	// Epsilon is max(0, Gain) and [Lower, Upper] its 95% interval, max(0, Gain ∓ 1.96 GainSE):
	// π itself is in the class, so the best of the class gains at least 0.
	Epsilon, Lower, Upper float64
	// Ratio is Epsilon / (|Value + Epsilon| + ε0), the talk's C(π)-style normalisation, and
	// [RatioLower, RatioUpper] the range of that ratio as ε runs over [Lower, Upper] (Value held
	// at its estimate): its denominator moves with ε.
	Ratio, RatioLower, RatioUpper float64
	// BestResponse is σ, one policy per round.
	BestResponse Policy
}

// Result is the ε of a profile: the largest of the deviators' estimates.
type Result struct {
	// Estimates has one entry per distinct policy of the profile; Worst indexes the largest ε.
	Estimates []Estimate
	Worst     int
	// Class is the class of deviations (ClassOwnState), Episodes and TrainEpisodes the work.
	Class                   string
	Episodes, TrainEpisodes int
	N                       int
	Epsilon0                float64
}

// Epsilon is the largest deviator's estimate.
func (r Result) Epsilon() Estimate { return r.Estimates[r.Worst] }

// EstimateEpsilon estimates the ε of the profile in g by Monte Carlo (see the package
// documentation): for one agent of each distinct policy, a deviation of its own state and time
// computed in its averaged model, and the gain it brings measured with common random numbers.
func EstimateEpsilon(ctx context.Context, g *Game, p Profile, opt Options) (Result, error) {
	opt, err := resolveOptions(ctx, g, p, opt)
	if err != nil {
		return Result{}, err
	}
	res := Result{Class: ClassOwnState, Episodes: opt.Episodes, TrainEpisodes: opt.TrainEpisodes, N: g.N, Epsilon0: opt.Epsilon0}
	for k, d := range deviators(g, p) {
		av, err := averageModel(ctx, g, p, d, opt)
		if err != nil {
			return Result{}, err
		}
		_, _, sigma := g.valuesOf(av, nil)
		own := p.Policies[p.policyOf(d)]
		qb, vb, _ := g.valuesOf(av, own)
		qs, vs, _ := g.valuesOf(av, sigma)
		cvs := [2]*control{{q: qb, v: vb, pol: own}, {q: qs, v: vs, pol: sigma}}
		e, err := measureGain(ctx, g, p, d, sigma, cvs, opt)
		if err != nil {
			return Result{}, err
		}
		res.Estimates = append(res.Estimates, e)
		if e.Epsilon > res.Estimates[res.Worst].Epsilon {
			res.Worst = k
		}
	}
	return res, nil
}

// resolveOptions checks the profile and fills the defaults.
func resolveOptions(ctx context.Context, g *Game, p Profile, opt Options) (Options, error) {
	if err := p.validate(g); err != nil {
		return opt, err
	}
	switch {
	case opt.TrainEpisodes < 0:
		return opt, fmt.Errorf("npgame: train episodes = %d: must be non-negative", opt.TrainEpisodes)
	case opt.Episodes < 0:
		return opt, fmt.Errorf("npgame: episodes = %d: must be non-negative", opt.Episodes)
	case opt.Workers < 0:
		return opt, fmt.Errorf("npgame: workers = %d: must be non-negative", opt.Workers)
	case opt.Epsilon0 < 0 || math.IsNaN(opt.Epsilon0) || math.IsInf(opt.Epsilon0, 0):
		return opt, fmt.Errorf("npgame: epsilon0 = %v: must be positive and finite", opt.Epsilon0)
	}
	if opt.TrainEpisodes == 0 {
		opt.TrainEpisodes = DefaultTrainEpisodes
	}
	if opt.Episodes == 0 {
		opt.Episodes = DefaultEpisodes
	}
	if opt.Episodes < 2 {
		return opt, fmt.Errorf("npgame: episodes = %d: at least 2 are needed for an interval", opt.Episodes)
	}
	if opt.Epsilon0 == 0 {
		opt.Epsilon0 = DefaultEpsilon0
	}
	if opt.Workers == 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.Initial == nil {
		init, err := DefaultInitial(ctx, g, p.Policies[0])
		if err != nil {
			return opt, err
		}
		opt.Initial = init
	}
	return opt, nil
}

// DefaultInitial is the start distribution Estimate uses when none is given: μ0 on a
// finite-horizon game; on a stationary game the state marginal of the population pi sustains
// (exploit.MeanField) when pi is one stationary policy, else of the game's initial population.
func DefaultInitial(ctx context.Context, g *Game, pi Policy) ([]float64, error) {
	if g.model == nil || len(pi) != 1 {
		return g.InitialStates(), nil
	}
	L, _, _, err := exploit.MeanField(ctx, g.model, pi[0], exploit.Options{})
	if err != nil {
		return nil, fmt.Errorf("npgame: the population π sustains: %w", err)
	}
	mu := L.StateMarginal(nil)
	for s, x := range mu { // rounding can leave -1e-17
		mu[s] = max(x, 0)
	}
	return mu, nil
}

// deviators is one agent per distinct policy of the profile, the first that plays it.
func deviators(g *Game, p Profile) []int {
	if p.Of == nil {
		return []int{0}
	}
	seen := make(map[int]bool)
	var out []int
	for i, k := range p.Of {
		if !seen[k] {
			seen[k] = true
			out = append(out, i)
		}
	}
	return out
}

// blocks splits n episodes into a fixed number of contiguous blocks (not depending on the
// workers), so that sums over blocks, added in block order, are the same whatever the workers.
func blocks(n int) [][2]int {
	nb := min(n, 64)
	out := make([][2]int, nb)
	for b := range out {
		out[b] = [2]int{b * n / nb, (b + 1) * n / nb}
	}
	return out
}

// forBlocks runs fn on every block on at most workers goroutines, each with its own world.
func forBlocks(ctx context.Context, g *Game, opt Options, n int, fn func(w *World, b int, lo, hi int) error) error {
	bs := blocks(n)
	eg, ctx := errgroup.WithContext(ctx)
	eg.SetLimit(opt.Workers)
	for b, r := range bs {
		eg.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			w, err := NewWorld(g, opt.Initial)
			if err != nil {
				return err
			}
			return fn(w, b, r[0], r[1])
		})
	}
	return eg.Wait()
}

// Purposes of the streams, after seeds' own.
const (
	purposeTrain uint64 = 101 + iota
	purposeEval
)

// measureGain plays opt.Episodes pairs of episodes, without and with the deviation σ of agent
// d, each pair on one stream, and returns the estimates.
func measureGain(ctx context.Context, g *Game, p Profile, d int, sigma Policy, cvs [2]*control, opt Options) (Estimate, error) {
	base, baseOf := compileProfile(g, p)
	dev := append(append([]cumulative(nil), base...), compile(sigma, g.times, g.A))
	devOf := make([]int32, g.N)
	for i := range devOf {
		devOf[i] = int32(p.policyOf(i))
	}
	devOf[d] = int32(len(dev) - 1)
	values := make([]float64, opt.Episodes)
	gains := make([]float64, opt.Episodes)
	err := forBlocks(ctx, g, opt, opt.Episodes, func(w *World, _ int, lo, hi int) error {
		for m := lo; m < hi; m++ {
			v0, err := w.returnOf(ctx, d, base, baseOf, stream(opt.Seed, purposeEval, uint64(d), uint64(m)), cvs[0])
			if err != nil {
				return err
			}
			v1, err := w.returnOf(ctx, d, dev, devOf, stream(opt.Seed, purposeEval, uint64(d), uint64(m)), cvs[1])
			if err != nil {
				return err
			}
			values[m], gains[m] = v0, v1-v0
		}
		return nil
	})
	if err != nil {
		return Estimate{}, err
	}
	return summarize(d, sigma, values, gains, opt.Epsilon0), nil
}

// summarize is the estimate of deviator d from the paired episodes' values and gains.
func summarize(d int, sigma Policy, values, gains []float64, epsilon0 float64) Estimate {
	e := Estimate{Deviator: d, BestResponse: sigma}
	e.Value, e.ValueSE = stats.MeanStdErr(values)
	e.Gain, e.GainSE = stats.MeanStdErr(gains)
	e.Epsilon = max(e.Gain, 0)
	e.Lower, e.Upper = max(e.Gain-z95*e.GainSE, 0), max(e.Gain+z95*e.GainSE, 0)
	e.Ratio = ratio(e.Value, e.Epsilon, epsilon0)
	e.RatioLower, e.RatioUpper = ratioBounds(e.Value, e.Lower, e.Upper, epsilon0)
	return e
}

// ratio is ε / (|v + ε| + ε0).
func ratio(v, eps, epsilon0 float64) float64 { return eps / (math.Abs(v+eps) + epsilon0) }

// ratioBounds is the range of ratio(v, x, ε0) over x in [lo, hi], v held at its estimate. As a
// function of x ≥ 0 the ratio rises up to x = −v and then rises or falls (as v + ε0 is positive
// or negative): its least value is at an end, its largest at an end or at −v.
func ratioBounds(v, lo, hi, epsilon0 float64) (float64, float64) {
	a, b := ratio(v, lo, epsilon0), ratio(v, hi, epsilon0)
	rl, ru := min(a, b), max(a, b)
	if x := -v; x > lo && x < hi {
		ru = max(ru, ratio(v, x, epsilon0))
	}
	return rl, ru
}
