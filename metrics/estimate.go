package metrics

import (
	"context"
	"fmt"
	"math"

	"meanfield/mfg"
	"meanfield/nplayer"
	"meanfield/rl"
	"meanfield/seeds"
)

// Options of the C(π) estimator. Zero values mean the defaults in brackets.
type Options struct {
	// InitialStates is K, the joint initial states drawn uniformly from S^N [64].
	InitialStates int
	// Rollouts is R, the rollouts per joint state for each value [8].
	Rollouts int
	// HorizonTolerance truncates rollouts at the first H with γ^H <= it [1e-3].
	HorizonTolerance float64
	// Epsilon0 is the safeguard ε0 of the denominator [0.1].
	Epsilon0 float64
	// BestResponseRounds is how many rounds of the profile are simulated to learn what each
	// bidder faces, from which its best response is computed [4000].
	BestResponseRounds int
	// Deviators is how many bidders, drawn at random per joint state, are evaluated against their
	// best response; 0 or >= N means all (the exact average over i). Fewer is an unbiased,
	// noisier and cheaper estimate of the same average.
	Deviators int
	// Seed determines every random stream of the estimate.
	Seed uint64
}

// validate names the first option out of range; zero values mean the defaults.
func (o Options) validate() error {
	switch {
	case o.InitialStates == 1 || o.InitialStates < 0:
		return fmt.Errorf("eval-states = %d: at least 2 joint states are needed for a standard error (0: the default 64)", o.InitialStates)
	case o.Rollouts < 0:
		return fmt.Errorf("eval-rollouts = %d: must be positive (0: the default 8)", o.Rollouts)
	case math.IsNaN(o.HorizonTolerance) || o.HorizonTolerance < 0 || o.HorizonTolerance >= 1:
		return fmt.Errorf("horizon-tolerance = %v: must be in (0, 1) (0: the default 1e-3)", o.HorizonTolerance)
	case math.IsNaN(o.Epsilon0) || o.Epsilon0 < 0 || math.IsInf(o.Epsilon0, 0):
		return fmt.Errorf("epsilon0 = %v: must be positive and finite (0: the default 0.1)", o.Epsilon0)
	case o.BestResponseRounds < 0:
		return fmt.Errorf("best-response-rounds = %d: must be positive (0: the default 4000)", o.BestResponseRounds)
	case o.Deviators < 0:
		return fmt.Errorf("eval-deviators = %d: must be non-negative (0: every bidder)", o.Deviators)
	}
	return nil
}

func (o Options) withDefaults(n int) Options {
	if o.InitialStates <= 0 {
		o.InitialStates = 64
	}
	if o.Rollouts <= 0 {
		o.Rollouts = 8
	}
	if o.HorizonTolerance <= 0 {
		o.HorizonTolerance = 1e-3
	}
	if o.Epsilon0 <= 0 {
		o.Epsilon0 = 0.1
	}
	if o.BestResponseRounds <= 0 {
		o.BestResponseRounds = 4000
	}
	if o.Deviators <= 0 || o.Deviators > n {
		o.Deviators = n
	}
	return o
}

// Horizon returns the smallest H with γ^H <= tol.
func Horizon(discount, tol float64) int {
	return max(1, int(math.Ceil(math.Log(tol)/math.Log(discount))))
}

// Estimate is an estimate of C(π) with its standard error over the K joint initial states.
type Estimate struct {
	Value, StdErr float64
	// InitialStates, Rollouts, Horizon and Deviators are the sizes used.
	InitialStates, Rollouts, Horizon, Deviators int
	// BestResponses[i] is the policy of own budget used as bidder i's best response.
	BestResponses []mfg.Policy
}

// EstimateC estimates C(π) of the profile p in the N-player auction g:
//
//  1. Best responses. The profile is played for BestResponseRounds rounds, restarting from a
//     uniform joint state every H rounds; for each bidder i the highest opponent bid it meets and
//     its multiplicity are tallied with weight γ^t (t the rounds since the restart, the weight
//     that round has in a value from the start). Bidder i's best response is the optimal policy
//     of its own budget in the MDP of the auction against those statistics
//     (games.Auction.MDPAgainst), deployed as argmax-e. This ignores the effect of i's own bids on
//     the others' budgets and, for MF-Q, on the mean bid they observe; it is exact when the
//     others' bids do not depend on their state.
//  2. Values. K joint states are drawn uniformly from S^N. From each, R rollouts of H rounds are
//     played in the world of the profile and, with the same random numbers (bid uniforms,
//     opponents, tie-breaks, conversions, top-ups), in one world per evaluated bidder i in which
//     i alone plays its best response. V_i(s, π) and V_i(s, (π^{-i}, BR_i)) are the mean
//     discounted returns.
//  3. Per joint state, term = mean over the evaluated bidders of
//     (max(V_BR, V) - V) / (|max(V_BR, V)| + ε0), each >= 0. The estimate is the mean of the K
//     terms and its standard error their standard deviation over √K.
//
// The floor at 0 of a difference of two noisy means makes the estimate biased upwards where the
// best response and π are close; common random numbers keep that bias small (a few thousandths on
// the tested instances), more rollouts R shrink it, and the standard error does not include it.
func EstimateC(ctx context.Context, g *nplayer.Game, p *nplayer.Profile, opt Options) (Estimate, error) {
	if err := p.Validate(g); err != nil {
		return Estimate{}, err
	}
	if err := opt.validate(); err != nil {
		return Estimate{}, err
	}
	opt = opt.withDefaults(g.N)
	H := Horizon(g.Discount, opt.HorizonTolerance)
	est := Estimate{InitialStates: opt.InitialStates, Rollouts: opt.Rollouts, Horizon: H, Deviators: opt.Deviators}
	br, err := bestResponses(ctx, g, p, opt, H)
	if err != nil {
		return est, err
	}
	est.BestResponses = br
	devPolicies := make([]nplayer.BidderPolicy, g.N)
	for i, pi := range br {
		devPolicies[i] = nplayer.FromPolicy(pi)
	}

	N := g.N
	start := make([]int, N)
	base := g.NewWorld(start, p.Bins)
	worlds := make([]*nplayer.World, opt.Deviators)
	for d := range worlds {
		worlds[d] = g.NewWorld(start, p.Bins)
	}
	noise := g.NewNoise()
	diverged := make([]bool, opt.Deviators)
	prevBudgets, prevContext := make([]int, N), make([]int, N)
	devs := make([]int, N)
	v := make([]float64, N)
	vdev := make([]float64, opt.Deviators)
	terms := make([]float64, opt.InitialStates)
	for k := range terms {
		if err := ctx.Err(); err != nil {
			return est, err
		}
		rng := seeds.New(opt.Seed, seeds.Evaluation, uint64(k))
		g.RandomBudgets(start, rng)
		for i := range devs {
			devs[i] = i
		}
		if opt.Deviators < N { // a uniform random subset, by a partial shuffle
			for d := 0; d < opt.Deviators; d++ {
				j := d + rng.IntN(N-d)
				devs[d], devs[j] = devs[j], devs[d]
			}
		}
		clear(v)
		clear(vdev)
		for r := 0; r < opt.Rollouts; r++ {
			base.Reset(start)
			for d := range worlds {
				diverged[d] = false
			}
			disc := 1.0
			for t := 0; t < H; t++ {
				g.DrawNoise(noise, rng)
				base.ChooseBids(p, -1, nil, noise)
				copy(prevBudgets, base.Budgets)
				copy(prevContext, base.Context)
				base.SettleNoise(noise)
				for i, x := range base.Rewards {
					v[i] += disc * x
				}
				for d, w := range worlds {
					i := devs[d]
					if !diverged[d] {
						// Until bidder i's best response bids differently from π^i, its world is the
						// base world: same state, same round, same rewards.
						bid := devPolicies[i].Row(prevContext[i], prevBudgets[i])
						if nplayer.InverseCDF(bid, noise.BidU[i]) == base.Bids[i] {
							vdev[d] += disc * base.Rewards[i]
							continue
						}
						diverged[d] = true
						copy(w.Budgets, prevBudgets)
						copy(w.Context, prevContext)
					}
					w.ChooseBids(p, i, &devPolicies[i], noise)
					w.SettleNoise(noise)
					vdev[d] += disc * w.Rewards[i]
				}
				disc *= g.Discount
			}
		}
		var term float64
		for d := range worlds {
			i := devs[d]
			vi, best := v[i]/float64(opt.Rollouts), vdev[d]/float64(opt.Rollouts)
			best = math.Max(best, vi)
			term += (best - vi) / (math.Abs(best) + opt.Epsilon0)
		}
		terms[k] = term / float64(opt.Deviators)
	}
	est.Value, est.StdErr = meanAndStdErr(terms)
	return est, nil
}

func meanAndStdErr(x []float64) (mean, se float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	if len(x) < 2 {
		return mean, math.NaN()
	}
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / float64(len(x)-1) / float64(len(x)))
}

// bestResponses computes each bidder's best response of own budget to what it faces under p.
func bestResponses(ctx context.Context, g *nplayer.Game, p *nplayer.Profile, opt Options, H int) ([]mfg.Policy, error) {
	N, k := g.N, g.M-1
	faced := make([][][]float64, N) // faced[i][m][c-1]
	for i := range faced {
		faced[i] = make([][]float64, g.Actions)
		for m := range faced[i] {
			faced[i][m] = make([]float64, k)
		}
	}
	rng := seeds.New(opt.Seed, seeds.Training)
	start := make([]int, N)
	w := g.NewWorld(start, p.Bins)
	disc := 1.0
	for t := 0; t < opt.BestResponseRounds; t++ {
		if t%H == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			g.RandomBudgets(start, rng)
			w.Reset(start)
			disc = 1
		}
		w.Play(p, rng)
		for i, f := range w.Faced {
			faced[i][f.Highest][f.Count-1] += disc
		}
		disc *= g.Discount
	}
	out := make([]mfg.Policy, N)
	for i, stats := range faced {
		var total float64
		for _, row := range stats {
			for _, q := range row {
				total += q
			}
		}
		for _, row := range stats {
			for c := range row {
				row[c] /= total
			}
		}
		m, err := g.Auction.MDPAgainst(stats)
		if err != nil {
			return nil, fmt.Errorf("best response of bidder %d: %w", i, err)
		}
		q, _ := rl.ValueIteration(m, nil, rl.ValueIterationOptions{})
		out[i] = rl.GreedyPolicy(q, g.States, g.Actions)
	}
	return out, nil
}
