package metrics

import (
	"fmt"

	"meanfield/mfg"
	"meanfield/nplayer"
	"meanfield/rl"
)

// exactMaxClassWork bounds the enumeration of ExactClassC: bidders × deterministic policies of
// the class × (joint states)³, the cost of their exact evaluations.
const exactMaxClassWork = 2e10

// othersBudgetBin returns the bin of the mean budget of the bidders other than i,
// x = (Σ_j s_j - s_i) / (N-1) in [0, S-1], among bins equal-width bins of [0, S-1]
// (nplayer.Bin): the summary of the others' state that a best response of the class with bins
// bins observes beside its own budget. sum is Σ_j s_j. With bins <= 1 it is 0.
func othersBudgetBin(sum, own, n, states, bins int) int {
	if bins <= 1 {
		return 0
	}
	return nplayer.Bin(float64(sum-own)/float64(n-1), states, bins)
}

// ExactClassC computes C(π) as ExactC does, except that bidder i's best value at each joint
// state s is the maximum over a restricted class of policies:
//
//	Best_i(s) = max( V_i(s, π), max_{σ ∈ Π_B} V_i(s, (π^{-i}, σ)) ),
//
// Π_B the deterministic stationary policies that see bidder i's own budget s_i and the bin b of
// the others' mean budget (Σ_{j≠i} s_j)/(N-1) among bins equal-width bins of [0, S-1]
// (nplayer.Bin), found by enumerating all A^(S·bins) of them and evaluating each exactly. With
// bins <= 1 the class is the policies of own budget, the class of EstimateC's default best
// response; with N = 2 and bins = S the bin is the other's budget and the class is every
// deterministic Markov policy, so ExactClassC equals ExactC. The maximum is taken per joint state
// (a different σ may attain it at each s), so for the class Π_B this is the talk's C(π) with
// max_{π^i} restricted to Π_B; it is at most ExactC's C(π) term by term wherever
// V_i(s, π) >= -ε0 (below that the relative term (x - V)/(|x| + ε0) decreases in x > 0).
// Stochastic policies of the class can in principle do better than the deterministic ones (a
// memoryless policy of part of the state), which this does not search.
//
// It returns ExactC's errors, an error for bins > S·N (more bins than mean budgets), and an
// error when bidders × A^(S·bins) × (S^N)³ exceeds 2·10^10.
func ExactClassC(g *nplayer.Game, p *nplayer.Profile, bins int, epsilon0 float64) (ExactResult, error) {
	e, mdps, res, err := exactSetup(g, p, epsilon0)
	if err != nil {
		return ExactResult{}, err
	}
	bins = max(bins, 1)
	if bins > e.S*e.n {
		return ExactResult{}, fmt.Errorf("exact C: budget-bins = %d: more bins than mean budgets of the others (at most states × players = %d)", bins, e.S*e.n)
	}
	rows := e.S * bins
	policies := 1.0
	for range rows {
		policies *= float64(e.A)
	}
	work := float64(e.n) * policies * float64(e.joint) * float64(e.joint) * float64(e.joint)
	if work > exactMaxClassWork {
		return ExactResult{}, fmt.Errorf("exact C: budget-bins = %d: %d bidders × %d^%d policies × (%d joint states)³ is too many to enumerate (%.3g, at most %.3g)", bins, e.n, e.A, rows, e.joint, work, float64(exactMaxClassWork))
	}
	for i, m := range mdps {
		if res.Policy[i], err = rl.PolicyValues(m, e.lift(i)); err != nil {
			return ExactResult{}, fmt.Errorf("exact C: bidder %d: %w", i, err)
		}
		if res.Best[i], err = e.classBest(m, i, bins, res.Policy[i]); err != nil {
			return ExactResult{}, fmt.Errorf("exact C: bidder %d: %w", i, err)
		}
	}
	res.sum()
	return res, nil
}

// classBest returns max(V_i(s, π), max_σ V_i(s, (π^{-i}, σ))) at every joint state s, σ over the
// deterministic policies of (own budget, bin of the others' mean budget), enumerated as an
// odometer over their rows' bids; m is bidder i's MDP on the joint state and v its values under π.
func (e *exactGame) classBest(m *mfg.MDP, i, bins int, v []float64) ([]float64, error) {
	rows := e.S * bins
	row := e.observations(i, bins) // row[k]: bidder i's observation at joint state k
	best := append([]float64(nil), v...)
	bid := make([]int, rows)
	pi := mfg.NewPolicy(e.joint, e.A)
	for {
		clear(pi.Prob)
		for k, r := range row {
			pi.Prob[k*e.A+bid[r]] = 1
		}
		vs, err := rl.PolicyValues(m, pi)
		if err != nil {
			return nil, err
		}
		for k, x := range vs {
			best[k] = max(best[k], x)
		}
		j := rows - 1
		for ; j >= 0; j-- {
			if bid[j]++; bid[j] < e.A {
				break
			}
			bid[j] = 0
		}
		if j < 0 {
			return best, nil
		}
	}
}

// observations returns, for every joint state k, the row b·S + s_i of bidder i's observation:
// its own budget s_i and the bin b of the others' mean budget among bins bins.
func (e *exactGame) observations(i, bins int) []int {
	out := make([]int, e.joint)
	budgets := make([]int, e.n)
	for k := range out {
		x, sum := k, 0
		for j := e.n - 1; j >= 0; j-- { // bidder 0 most significant
			budgets[j] = x % e.S
			x /= e.S
			sum += budgets[j]
		}
		out[k] = othersBudgetBin(sum, budgets[i], e.n, e.S, bins)*e.S + budgets[i]
	}
	return out
}

// ExactDeviationC computes, by the enumeration of ExactC, the C(π) of given deviations: bidder i
// switches alone to devs[i], a policy of its own budget and, when devs[i].Contexts = B > 1, of
// the bin of the others' mean budget among B bins (as ExactClassC; the policy's context is that
// bin, not the mean-bid bin of MF-Q). In the result Best[i][k] is the value
// V_i(s, (π^{-i}, devs[i])), not a maximum. Value is the C(π) of bidder i switching to devs[i]
// from the joint states where that gains (terms with max(Best, V)); Unfloored that of switching
// from every joint state,
//
//	Unfloored = 1/(N S^N) Σ_i Σ_s [V_i(s, (π^{-i}, devs[i])) - V_i(s, π)] / (|V_i(s, (π^{-i}, devs[i]))| + ε0),
//
// negative where a deviation is worse than π. Given its learned best responses
// (Estimate.BestResponses), EstimateC's target lies between the two (it switches where a half of
// its rollouts says it gains), so they check its evaluation step exactly.
func ExactDeviationC(g *nplayer.Game, p *nplayer.Profile, devs []nplayer.BidderPolicy, epsilon0 float64) (ExactResult, error) {
	e, mdps, res, err := exactSetup(g, p, epsilon0)
	if err != nil {
		return ExactResult{}, err
	}
	if len(devs) != e.n {
		return ExactResult{}, fmt.Errorf("exact C: %d deviations for players = %d", len(devs), e.n)
	}
	for i, m := range mdps {
		d := devs[i]
		if d.States != e.S || d.Actions != e.A || d.Contexts < 1 || len(d.Prob) != d.Contexts*d.States*d.Actions {
			return ExactResult{}, fmt.Errorf("exact C: deviation of bidder %d is %d contexts × %d×%d, game is %d×%d", i, d.Contexts, d.States, d.Actions, e.S, e.A)
		}
		if res.Policy[i], err = rl.PolicyValues(m, e.lift(i)); err != nil {
			return ExactResult{}, fmt.Errorf("exact C: bidder %d: %w", i, err)
		}
		row := e.observations(i, d.Contexts)
		pi := mfg.NewPolicy(e.joint, e.A)
		for k, r := range row {
			copy(pi.Row(k), d.Row(r/e.S, r%e.S))
		}
		if res.Best[i], err = rl.PolicyValues(m, pi); err != nil {
			return ExactResult{}, fmt.Errorf("exact C: deviation of bidder %d: %w", i, err)
		}
	}
	res.sum()
	return res, nil
}
