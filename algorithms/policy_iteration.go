package algorithms

import (
	"context"
	"fmt"
	"slices"

	"meanfield/engine"
	"meanfield/mfg"
	"meanfield/rl"
)

func init() {
	Register("policy-iteration",
		"policy iteration: the greedy policy of the last policy's Q-function at its own mean field",
		"Cacace, Camilli, Goffi 2021; Bench-MFG learner/jax/pi_jax.py (variant policy_iteration)", 100,
		func() *PolicyIteration { return &PolicyIteration{TieBreak: TieLowest} },
		func(p *PolicyIteration) (engine.Algorithm, error) { return *p, nil })
	Register("smoothed-policy-iteration",
		"policy iteration with Q-functions taken at a population averaged over the iterations",
		"Bench-MFG learner/jax/pi_jax.py (variant smooth_policy_iteration, damped_constant 0.4 as in its config)", 100,
		func() *SmoothedPolicyIteration { return &SmoothedPolicyIteration{Smoothing: 0.4, TieBreak: TieLowest} },
		func(p *SmoothedPolicyIteration) (engine.Algorithm, error) { return *p, nil })
}

// PolicyIteration is policy iteration for mean-field games: with Q^π the Q-function of π_{k-1} at
// its own mean field,
//
//	π_k(·|t,s) = greedy(Q^{π_{k-1}}(t, s, ·)),
//
// all mass on the lowest-numbered maximiser (TieBreak "lowest", Bench-MFG's argmax) or shared
// among the maximisers ("split"). A policy that is its own greedy policy is optimal at its own
// mean field, an exact equilibrium: the solve then ends, converged. The policies are
// deterministic, so a revisited policy is a cycle, which ends the solve, not converged (the
// iteration cycles on the cyclic games of Bench-MFG: skew-rps, contraction).
//
// Bench-MFG's Boltzmann variant, softmax(Q/τ), is boltzmann-policy-iteration with alpha = 1/τ.
type PolicyIteration struct {
	TieBreak string `yaml:"tie-break" help:"greedy policy among tied actions: lowest (the lowest-numbered action, Bench-MFG's argmax) or split (equal shares)"`
}

// Name is "policy-iteration".
func (PolicyIteration) Name() string { return "policy-iteration" }

// Validate checks the tie rule.
func (p PolicyIteration) Validate() error { return validateBestResponse(0, p.TieBreak, 0) }

// Applies accepts every game whose policies can be evaluated.
func (p PolicyIteration) Applies(g mfg.Game) error { return needsModel(p.Name(), g) }

// Begin starts a solve.
func (p PolicyIteration) Begin(_ context.Context, s engine.Start) (engine.Run, engine.Iterate, error) {
	return &piRun{p: s.Problem, smoothing: 1, lowest: p.TieBreak != TieSplit}, engine.Iterate{Policy: s.Policy}, nil
}

// String describes the step.
func (p PolicyIteration) String() string { return "greedy policy of Q^π, ties " + tieName(p.TieBreak) }

// SmoothedPolicyIteration is Bench-MFG's smoothed policy iteration: the Q-functions are taken at a
// population L̄_k of the algorithm's own, an average of the mean fields of the past policies,
//
//	π_k = greedy(Q^{π_{k-1}}(·, L̄_{k-1})),   L̄_k = (1 - λ_k) L̄_{k-1} + λ_k L(π_k),   L̄_0 = L(π_0),
//
// with λ_k = Smoothing, or 1/(k+1) (the running mean) when Smoothing is 0. Smoothing 1 is
// PolicyIteration. Bench-MFG carries state distributions pushed 20 steps forward from L̄_{k-1}
// instead of L(π_k), the exact mean field, and its default λ is 0.4.
type SmoothedPolicyIteration struct {
	Smoothing float64 `yaml:"smoothing" help:"weight λ in [0, 1] of the new policy's mean field in the averaged population (0: 1/(k+1))"`
	TieBreak  string  `yaml:"tie-break" help:"greedy policy among tied actions: lowest (the lowest-numbered action, Bench-MFG's argmax) or split (equal shares)"`
}

// Name is "smoothed-policy-iteration".
func (SmoothedPolicyIteration) Name() string { return "smoothed-policy-iteration" }

// Validate checks Smoothing in [0, 1] and the tie rule.
func (p SmoothedPolicyIteration) Validate() error {
	if !(p.Smoothing >= 0 && p.Smoothing <= 1) {
		return fmt.Errorf("smoothing = %v: must be in [0, 1] (0: 1/(k+1))", p.Smoothing)
	}
	return validateBestResponse(0, p.TieBreak, 0)
}

// Applies accepts every game whose policies can be evaluated.
func (p SmoothedPolicyIteration) Applies(g mfg.Game) error { return needsModel(p.Name(), g) }

// Begin starts a solve.
func (p SmoothedPolicyIteration) Begin(_ context.Context, s engine.Start) (engine.Run, engine.Iterate, error) {
	return &piRun{p: s.Problem, smoothing: p.Smoothing, lowest: p.TieBreak != TieSplit}, engine.Iterate{Policy: s.Policy}, nil
}

// String describes the step.
func (p SmoothedPolicyIteration) String() string {
	w := fmt.Sprintf("λ = %g", p.Smoothing)
	if p.Smoothing == 0 {
		w = "λ_k = 1/(k+1)"
	}
	return fmt.Sprintf("greedy policy of Q^π at the averaged population, %s, ties %s", w, tieName(p.TieBreak))
}

func tieName(tieBreak string) string {
	if tieBreak == TieSplit {
		return "split"
	}
	return "to the lowest action"
}

type piRun struct {
	p         *engine.Problem
	smoothing float64          // λ; 1: plain policy iteration; 0: 1/(k+1)
	lowest    bool             // ties to the lowest action
	avg       []mfg.Population // L̄_{k-1} (smoothed runs)
	seen      map[string]int   // plain runs: iteration of each policy met, by its greedy actions
	key       []byte
}

func (r *piRun) Step(ctx context.Context, k int, prev *engine.Evaluation) (engine.Iterate, error) {
	q, err := r.q(ctx, prev)
	if err != nil {
		return engine.Iterate{}, err
	}
	q = legalQ(q, r.p.Legal())
	g := r.p.Game()
	S, A := g.States(), g.Actions()
	next := newPolicy(len(q), S, A)
	forEachRow(len(q), S, func(t, s int) {
		if r.lowest {
			argmaxLowest(next[t].Row(s), q[t][s*A:(s+1)*A], 0)
		} else {
			rl.ArgmaxE(next[t].Row(s), q[t][s*A:(s+1)*A])
		}
	})
	if r.smoothing != 1 {
		return engine.Iterate{Policy: next}, r.average(ctx, k, next)
	}
	return r.verdict(k, prev.Policy, next), nil
}

// q is Q^{π_{k-1}}: at its own mean field (plain) or at L̄_{k-1}.
func (r *piRun) q(ctx context.Context, prev *engine.Evaluation) ([][]float64, error) {
	if r.smoothing == 1 {
		return prev.PolicyQ(ctx)
	}
	if r.avg == nil {
		L, err := prev.MeanField(ctx)
		if err != nil {
			return nil, err
		}
		r.avg = make([]mfg.Population, len(L))
		for t := range L {
			r.avg[t] = L[t].Clone()
		}
	}
	return r.p.PolicyQAt(prev.Policy, r.avg)
}

// average moves L̄ towards the mean field of π_k.
func (r *piRun) average(ctx context.Context, k int, pi []mfg.Policy) error {
	L, err := r.p.MeanField(ctx, pi)
	if err != nil {
		return fmt.Errorf("mean field of the greedy policy: %w", err)
	}
	w := r.smoothing
	if w == 0 {
		w = 1 / float64(k+1)
	}
	for t := range r.avg {
		for i, x := range L[t].Mass {
			r.avg[t].Mass[i] = float64((1-w)*r.avg[t].Mass[i]) + float64(w*x)
		}
	}
	return nil
}

// verdict says whether plain policy iteration has converged (π_k = π_{k-1}) or revisits an earlier
// policy. The greedy policies of the "lowest" rule are one action per row, compared exactly.
func (r *piRun) verdict(k int, old, next []mfg.Policy) engine.Iterate {
	it := engine.Iterate{Policy: next}
	same := true
	for t := range next {
		same = same && slices.Equal(old[t].Prob, next[t].Prob)
	}
	if same {
		it.Converged = true
		return it
	}
	if !r.lowest {
		return it
	}
	r.key = r.key[:0]
	for t := range next {
		for i, x := range next[t].Prob {
			if x == 1 {
				r.key = fmt.Appendf(r.key, "%d,", i)
			}
		}
	}
	if r.seen == nil {
		r.seen = map[string]int{}
	}
	if j, ok := r.seen[string(r.key)]; ok {
		it.Stop = &engine.Stop{Reason: engine.StopCycle, Period: k - j, Start: j,
			Detail: fmt.Sprintf("policy iteration cycles: the policy of iteration %d is that of iteration %d (period %d)", k, j, k-j)}
		return it
	}
	r.seen[string(r.key)] = k
	return it
}
