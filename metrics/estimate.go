package metrics

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"meanfield/internal/cancel"
	"meanfield/internal/stats"
	"meanfield/nplayer"
	"meanfield/seeds"
)

// Options of the C(π) estimator. Zero values mean the defaults in brackets.
type Options struct {
	// InitialStates is K, the joint initial states drawn uniformly from S^N [16].
	InitialStates int
	// Rollouts is R, the rollouts per joint state for each value [32]. The per-state gains are
	// cross-fitted on two halves of the rollouts, so R sets how well the choice of where to
	// deviate is made: at the cost of K = 64, R = 8, the defaults K = 16, R = 32 estimate a
	// near-equilibrium profile's C(π) about as K = 64, R = 64 does, where R = 8 gives about 0.
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
	// BudgetBins chooses the class of the best response: 0 or 1, policies of the bidder's own
	// budget; B >= 2, policies of its own budget and of the bin of the others' mean budget among
	// B equal-width bins of [0, S-1] (at most 100). A richer class gives a larger best response
	// gain, nearer the literal C(π) (see EstimateC).
	BudgetBins int
	// Seed determines every random stream of the estimate.
	Seed uint64
}

// validate names the first option out of range; zero values mean the defaults.
func (o Options) validate() error {
	switch {
	case o.InitialStates == 1 || o.InitialStates < 0:
		return fmt.Errorf("eval-states = %d: at least 2 joint states are needed for a standard error (0: the default 16)", o.InitialStates)
	case o.Rollouts < 0:
		return fmt.Errorf("eval-rollouts = %d: must be positive (0: the default 32)", o.Rollouts)
	case math.IsNaN(o.HorizonTolerance) || o.HorizonTolerance < 0 || o.HorizonTolerance >= 1:
		return fmt.Errorf("horizon-tolerance = %v: must be in (0, 1) (0: the default 1e-3)", o.HorizonTolerance)
	case math.IsNaN(o.Epsilon0) || o.Epsilon0 < 0 || math.IsInf(o.Epsilon0, 0):
		return fmt.Errorf("epsilon0 = %v: must be positive and finite (0: the default 0.1)", o.Epsilon0)
	case o.BestResponseRounds < 0:
		return fmt.Errorf("best-response-rounds = %d: must be positive (0: the default 4000)", o.BestResponseRounds)
	case o.Deviators < 0:
		return fmt.Errorf("eval-deviators = %d: must be non-negative (0: every bidder)", o.Deviators)
	case o.BudgetBins < 0 || o.BudgetBins > maxBudgetBins:
		return fmt.Errorf("best-response-budget-bins = %d: must be between 0 and %d (0 or 1: the best response sees its own budget only)", o.BudgetBins, maxBudgetBins)
	}
	return nil
}

func (o Options) withDefaults(n int) Options {
	if o.InitialStates <= 0 {
		o.InitialStates = 16
	}
	if o.Rollouts <= 0 {
		o.Rollouts = 32
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

// maxBudgetBins is the most bins of the others' mean budget a best response may observe.
const maxBudgetBins = 100

// Horizon returns the smallest H with γ^H <= tol.
func Horizon(discount, tol float64) int {
	return max(1, int(math.Ceil(math.Log(tol)/math.Log(discount))))
}

// Estimate is an estimate of C(π) with its standard error over the K joint initial states. It
// estimates the gain of one best response per bidder from a restricted class (Class), so it is
// a lower bound of the literal C(π), whose best response sees the whole joint state (see
// EstimateC for the measured gap).
type Estimate struct {
	// Value is max(0, Unfloored): C(π) is not negative. Unfloored is the mean of the K
	// cross-fitted per-state terms before that floor, which can fall below 0 by noise or where
	// the best response found is worse than π; StdErr is its standard error.
	Value, Unfloored, StdErr float64
	// InitialStates, Rollouts, Horizon and Deviators are the sizes used.
	InitialStates, Rollouts, Horizon, Deviators int
	// Class names the best response's class: BestResponseClass(Options.BudgetBins).
	Class string
	// BestResponses[i] is bidder i's best response: a policy of its own budget whose context is
	// the bin of the others' mean budget (one context unless Options.BudgetBins >= 2; not the
	// mean-bid context of MF-Q policies). metrics.ExactDeviationC evaluates it exactly.
	BestResponses []nplayer.BidderPolicy
}

// EstimateC estimates C(π) of the profile p in the N-player auction g, with bidder i's best
// response sought in a restricted class (Options.BudgetBins, named in Estimate.Class):
//
//  1. Best responses. The profile is played for BestResponseRounds rounds, restarting from a
//     uniform joint state every H rounds; for each bidder i the highest opponent bid it meets and
//     its multiplicity are tallied with weight γ^t (t the rounds since the restart, the weight
//     that round has in a value from the start). With the default class, bidder i's best
//     response is the optimal policy of its own budget in the MDP of the auction against those
//     statistics (games.Auction.MDPAgainst), deployed as argmax-e. With B = BudgetBins >= 2 it
//     is a policy of its own budget and of the bin b of the others' mean budget among B bins:
//     the tally is by bin b before the round and bin b' after it, b' counted for every bid i could
//     have placed (the others' auctions settled again with the round's random numbers), and the
//     MDP on (b, own budget) draws (highest bid, multiplicity, b') from it. Either ignores the
//     effect of i's deviation on the states the others visit beyond one round and, for MF-Q, on
//     the mean bid they observe.
//  2. Values. K joint states are drawn uniformly from S^N. From each, R rollouts of H rounds are
//     played in the world of the profile and, with the same random numbers (bid uniforms,
//     opponents, tie-breaks, conversions, top-ups), in one world per evaluated bidder i in which
//     i alone plays its best response BR_i. V_i(s, π) and V_i(s, (π^{-i}, BR_i)) are the mean
//     discounted returns.
//  3. Per joint state, term = mean over the evaluated bidders of a cross-fitted gain: the
//     rollouts are split into halves A (even) and B (odd), each giving g_h = V_BR,h - V_h and
//     t_h = g_h / (|V_BR,h| + ε0), and the bidder's term is (1{g_A > 0} t_B + 1{g_B > 0} t_A) / 2
//     (with one rollout, t of it). Unfloored is the mean of the K terms, StdErr their standard
//     deviation over √K, and Value = max(0, Unfloored).
//
// Why cross-fitted. The talk's term takes the better of the best response and π^i at each joint
// state, max(g, 0) for the true gain g. The plug-in max(ĝ, 0) of a noisy ĝ is biased upwards
// wherever g is near 0, by up to 0.4 of ĝ's noise, which the standard error does not show, and
// divided by ε0 where the values are 0: 6.5 StdErr on an exact best response
// (TestEstimateUnbiasedAtBestResponse); in mfg compare it made most of the 0.09 and 0.10 that
// GMF-Q and IL scored by default, falling to 0.07 with 64 rollouts. Choosing on one half and measuring on the other (the double
// estimator of a maximum) has mean P(ĝ_A > 0) g per half, which is 0 when g = 0, at most g when
// g > 0 and at least g when g < 0: never above max(g, 0), so still a lower bound, unbiased at an
// equilibrium, and conservative where the gain is small against the noise: with few rollouts per
// half, switching where BR_i is in fact worse than π^i counts negative gains, and the estimate
// of a near-equilibrium profile is a loose lower bound (GMF-Q's and IL's at 8 rollouts, about 0,
// against 0.03 at 32 or 64; README). Only the mean is
// floored (Value), as C(π) >= 0; the floor of a mean whose true value is 0 adds at most 0.4
// StdErr. Not fixed: the division by the noisy |V_BR,h| + ε0 is biased (relative O(Var/R)), most
// where |V_BR| is near 0, as where π always bids the top bid (16.1 ± 0.8 against an exact 32.5
// on N = 2, S = A = 3 at the default sizes, 23.1 ± 0.6 with R = 64); more rollouts R shrink it.
//
// What it estimates lies between the C(π) of the learned best responses BR_i played from every
// joint state and played from the joint states where they gain (ExactDeviationC's Unfloored and
// Value on small instances), which is at most the C(π) of the best member of the class at each
// joint state (ExactClassC), itself at most the literal C(π) of the talk, whose best response sees
// the whole joint state (ExactC) — at every joint state where V_i(s, π) >= -ε0; below that the
// relative term is not monotone in the best value. So the estimate is a lower bound of the
// literal C(π) for the class used. The bounds are tight where the others' bids do not depend on
// their budgets (then what i faces does not depend on the joint state). Where they do, measured
// on the 27 symmetric pure profiles of a small auction (N = 2, S = A = 3;
// TestBestResponseClassGap), the own-budget class reaches on average 0.93 of the literal C(π)
// (at worst 0.10: C = 0.019 against 0.192, TestEstimateBudgetDependentGap), the learned
// own-budget responses 0.86 (at worst 0.07) and the estimate 0.86; with 3 bins of the others'
// mean budget (for N = 2, the other's budget) the learned responses reach 1.00 and the estimate
// 0.98.
//
// A done ctx stops the estimate within a few thousand bidder moves (cancel.Every), with ctx's
// error; the checks draw no random numbers.
func EstimateC(ctx context.Context, g *nplayer.Game, p *nplayer.Profile, opt Options) (Estimate, error) {
	if err := p.Validate(g); err != nil {
		return Estimate{}, err
	}
	if err := opt.validate(); err != nil {
		return Estimate{}, err
	}
	opt = opt.withDefaults(g.N)
	H := Horizon(g.Discount, opt.HorizonTolerance)
	est := Estimate{InitialStates: opt.InitialStates, Rollouts: opt.Rollouts, Horizon: H, Deviators: opt.Deviators, Class: BestResponseClass(opt.BudgetBins)}
	br, err := bestResponses(ctx, g, p, opt, H)
	if err != nil {
		return est, err
	}
	est.BestResponses = br
	ev := newEvaluator(g, p, br, opt, H)
	// A round of a rollout plays the base world and up to one world per evaluated bidder.
	ev.tick = cancel.Every(ctx, nplayer.RoundCost(g)*(1+opt.Deviators))
	terms := make([]float64, opt.InitialStates)
	for k := range terms {
		if terms[k], err = ev.term(k); err != nil {
			return est, err
		}
	}
	est.Unfloored, est.StdErr = stats.MeanStdErr(terms)
	est.Value = max(0, est.Unfloored)
	return est, nil
}

// evaluator runs steps 2 and 3 of EstimateC, one joint initial state at a time: the rollouts in
// the world of the profile and, with common random numbers, in one world per evaluated bidder
// who alone plays its best response. Its worlds and scratch are reused across joint states.
type evaluator struct {
	g       *nplayer.Game
	p       *nplayer.Profile
	opt     Options // with defaults
	horizon int     // H, the rounds of a rollout
	// devPolicies[i] is bidder i's best response; its context is the bin of the others' mean
	// budget among bins bins.
	devPolicies []nplayer.BidderPolicy
	bins        int
	start       []int            // the joint initial state s
	base        *nplayer.World   // the world of the profile π
	worlds      []*nplayer.World // worlds[d]: bidder devs[d] plays its best response
	noise       *nplayer.Noise   // the random numbers of one round, shared by all worlds
	// diverged[d] tells whether worlds[d] has left the base world in the current rollout.
	diverged []bool
	// prevBudgets and prevContext are the base world's state before the current round settles.
	prevBudgets, prevContext []int
	// devs[:Deviators] are the evaluated bidders of the current joint state.
	devs []int
	// v[h][i] and vdev[h][d] sum the discounted returns of bidder i under π and of bidder
	// devs[d] under (π^{-i}, BR_i) over the rollouts r of the current joint state with r%2 = h,
	// the current one half.
	v, vdev [2][]float64
	half    int
	// tick checks the estimate's context between rounds of the rollouts.
	tick cancel.Ticker
}

// newEvaluator allocates the worlds and scratch of the values step for the best responses br.
func newEvaluator(g *nplayer.Game, p *nplayer.Profile, br []nplayer.BidderPolicy, opt Options, H int) *evaluator {
	N := g.N
	e := &evaluator{
		g:           g,
		p:           p,
		opt:         opt,
		horizon:     H,
		devPolicies: br,
		bins:        max(opt.BudgetBins, 1),
		start:       make([]int, N),
		worlds:      make([]*nplayer.World, opt.Deviators),
		noise:       g.NewNoise(),
		diverged:    make([]bool, opt.Deviators),
		prevBudgets: make([]int, N),
		prevContext: make([]int, N),
		devs:        make([]int, N),
	}
	for h := range e.v {
		e.v[h], e.vdev[h] = make([]float64, N), make([]float64, opt.Deviators)
	}
	e.base = g.NewWorld(e.start, p.Bins)
	for d := range e.worlds {
		e.worlds[d] = g.NewWorld(e.start, p.Bins)
	}
	return e
}

// term returns the term of the k-th joint initial state: it draws the state s uniformly from
// S^N and the evaluated bidders, from the k-th evaluation stream, plays the R rollouts and
// returns the mean over the evaluated bidders of their cross-fitted terms (crossFitted). It
// returns the context's error when the context is done.
func (e *evaluator) term(k int) (float64, error) {
	rng := seeds.New(e.opt.Seed, seeds.Evaluation, uint64(k))
	e.g.RandomBudgets(e.start, rng)
	e.drawDeviators(rng)
	for h := range e.v {
		clear(e.v[h])
		clear(e.vdev[h])
	}
	for r := 0; r < e.opt.Rollouts; r++ {
		e.half = r % 2
		if err := e.rollout(rng); err != nil {
			return 0, err
		}
	}
	var term float64
	for d := range e.worlds {
		term += e.crossFitted(d)
	}
	return term / float64(e.opt.Deviators), nil
}

// crossFitted returns evaluated bidder devs[d]'s term at the current joint state. With the
// rollouts split into halves A (even) and B (odd), each half's mean returns give a gain
// g_h = V_BR,h - V_h and a relative gain t_h = g_h / (|V_BR,h| + ε0), and the term is
// (1{g_A > 0} t_B + 1{g_B > 0} t_A) / 2: the best response is played from this joint state if
// one half says it gains, and the gain is measured on the other half. With one rollout it is
// t of that rollout.
func (e *evaluator) crossFitted(d int) float64 {
	i, eps := e.devs[d], e.opt.Epsilon0
	if e.opt.Rollouts < 2 {
		return (e.vdev[0][d] - e.v[0][i]) / (math.Abs(e.vdev[0][d]) + eps)
	}
	var g, t [2]float64
	for h, n := range [2]int{(e.opt.Rollouts + 1) / 2, e.opt.Rollouts / 2} {
		best := e.vdev[h][d] / float64(n)
		g[h] = best - e.v[h][i]/float64(n)
		t[h] = g[h] / (math.Abs(best) + eps)
	}
	var term float64
	if g[0] > 0 {
		term += t[1]
	}
	if g[1] > 0 {
		term += t[0]
	}
	return term / 2
}

// drawDeviators sets devs[:Deviators] to the evaluated bidders: all N in order, or, when fewer
// are evaluated, a uniform random subset drawn by a partial Fisher-Yates shuffle.
func (e *evaluator) drawDeviators(rng *rand.Rand) {
	for i := range e.devs {
		e.devs[i] = i
	}
	if N := len(e.devs); e.opt.Deviators < N {
		for d := 0; d < e.opt.Deviators; d++ {
			j := d + rng.IntN(N-d)
			e.devs[d], e.devs[j] = e.devs[j], e.devs[d]
		}
	}
}

// rollout plays H rounds from the joint state start in the base world and in every deviator's
// world with the same random numbers, adding γ^t times each round's rewards to v and vdev. It
// checks the context between rounds (e.tick) and returns its error when it is done.
func (e *evaluator) rollout(rng *rand.Rand) error {
	e.base.Reset(e.start)
	clear(e.diverged)
	disc := 1.0
	for t := 0; t < e.horizon; t++ {
		if err := e.tick.Tick(); err != nil {
			return err
		}
		e.g.DrawNoise(e.noise, rng)
		e.base.ChooseBids(e.p, -1, nil, e.noise)
		copy(e.prevBudgets, e.base.Budgets)
		copy(e.prevContext, e.base.Context)
		e.base.SettleNoise(e.noise)
		for i, x := range e.base.Rewards {
			e.v[e.half][i] += disc * x
		}
		e.stepDeviators(disc)
		disc *= e.g.Discount
	}
	return nil
}

// stepDeviators plays the current round (its noise drawn, the base world settled) in every
// deviator's world and adds disc times the deviator's reward to vdev. Until bidder i's best
// response bids differently from π^i, its world is the base world: same state, same round, same
// rewards; at the first different bid it copies the base world's state before the round and
// plays on by itself.
func (e *evaluator) stepDeviators(disc float64) {
	for d, w := range e.worlds {
		i := e.devs[d]
		if !e.diverged[d] {
			if e.devBid(i, e.prevBudgets) == e.base.Bids[i] {
				e.vdev[e.half][d] += disc * e.base.Rewards[i]
				continue
			}
			e.diverged[d] = true
			copy(w.Budgets, e.prevBudgets)
			copy(w.Context, e.prevContext)
		}
		w.ChooseBids(e.p, -1, nil, e.noise)
		w.Bids[i] = e.devBid(i, w.Budgets)
		w.SettleNoise(e.noise)
		e.vdev[e.half][d] += disc * w.Rewards[i]
	}
}

// devBid returns the bid of bidder i's best response in this round at the joint state budgets:
// its row at (bin of the others' mean budget, own budget), drawn by inverse CDF of the round's
// bid uniform of i (the one π^i uses: common random numbers).
func (e *evaluator) devBid(i int, budgets []int) int {
	b := othersBudgetBin(sumInts(budgets), budgets[i], e.g.N, e.g.States, e.bins)
	return nplayer.InverseCDF(e.devPolicies[i].Row(b, budgets[i]), e.noise.BidU[i])
}
