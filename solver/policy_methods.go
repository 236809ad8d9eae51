package solver

import (
	"context"
	"fmt"
	"math"

	"meanfield/exploit"
	"meanfield/mfg"
	"meanfield/rl"
)

// The policy methods below are the algorithms of the finite-horizon package (fictitious play,
// online mirror descent, prior descent, damped fixed point) for stationary discounted games with a
// model. Each iteration evaluates π_k at the population it sustains, L_k = L_{π_k} (the fixed point
// of Γ2(π_k, ·), see package exploit), and updates the policy from Q-functions of the MDP at L_k.

// PolicyMethod is a stationary policy-update algorithm.
type PolicyMethod interface {
	Name() string
	Validate() error
	// Update returns π_{k+1} from the evaluation of π_k (k from 0).
	Update(ev *PolicyEvaluation, k int) (mfg.Policy, error)
}

// PolicyEvaluation is π_k with the population it sustains and the MDP there.
type PolicyEvaluation struct {
	Policy     mfg.Policy
	Population mfg.Population
	MDP        *mfg.MDP
	g          mfg.ModelBased
	opt        exploit.Options
	ctx        context.Context
}

// OptimalQ is Q* of the MDP at L_{π_k}.
func (e *PolicyEvaluation) OptimalQ() []float64 {
	q, _ := rl.ValueIteration(e.MDP, nil, rl.ValueIterationOptions{})
	return q
}

// StationaryFictitiousPlay mixes π_k with the greedy best response π_BR to L_k, weighted by the
// populations they sustain: π_{k+1}(a|s) ∝ (1-α_k) μ_k(s) π_k(a|s) + α_k μ_BR(s) π_BR(a|s), with
// α_k = Alpha, or 1/(k+2) when Alpha = 0. TieTolerance > 0 makes the best response split its mass
// over every action within TieTolerance·max(1, |max Q|) of the best.
type StationaryFictitiousPlay struct {
	Alpha        float64
	TieTolerance float64
}

// StationaryOnlineMirrorDescent: y_{k+1} = y_k + Alpha Q^{π_k}, π_{k+1} = softmax(y_{k+1}).
type StationaryOnlineMirrorDescent struct {
	Alpha float64
	y     []float64
}

// StationaryPriorDescent: π_{k+1} ∝ q exp(Q*/Eta), with the prior q = π_0, renewed to π_{k+1}
// whenever k+2 is a multiple of Inner > 0.
type StationaryPriorDescent struct {
	Eta   float64
	Inner int
	prior mfg.Policy
}

func (StationaryFictitiousPlay) Name() string       { return "fictitious-play" }
func (*StationaryOnlineMirrorDescent) Name() string { return "online-mirror-descent" }
func (*StationaryPriorDescent) Name() string        { return "prior-descent" }

// Validate checks Alpha in [0, 1] and TieTolerance in [0, 1).
func (f StationaryFictitiousPlay) Validate() error {
	if !(f.Alpha >= 0 && f.Alpha <= 1) {
		return fmt.Errorf("alpha = %v: must be in [0, 1]", f.Alpha)
	}
	if !(f.TieTolerance >= 0 && f.TieTolerance < 1) {
		return fmt.Errorf("tie-tolerance = %v: must be in [0, 1)", f.TieTolerance)
	}
	return nil
}

// Validate checks Alpha > 0.
func (o *StationaryOnlineMirrorDescent) Validate() error {
	if !(o.Alpha > 0) || math.IsInf(o.Alpha, 0) {
		return fmt.Errorf("alpha = %v: must be positive and finite", o.Alpha)
	}
	return nil
}

// Validate checks Eta > 0 and Inner >= 0.
func (p *StationaryPriorDescent) Validate() error {
	if !(p.Eta > 0) || math.IsInf(p.Eta, 0) {
		return fmt.Errorf("eta = %v: must be positive and finite", p.Eta)
	}
	if p.Inner < 0 {
		return fmt.Errorf("n-inner = %d: must be non-negative", p.Inner)
	}
	return nil
}

// Update mixes π_k with the best response.
func (f StationaryFictitiousPlay) Update(ev *PolicyEvaluation, k int) (mfg.Policy, error) {
	S, A := ev.Policy.States, ev.Policy.Actions
	br := rl.GreedyPolicyWithin(ev.OptimalQ(), S, A, f.TieTolerance)
	Lbr, _, _, err := exploit.MeanField(ev.ctx, ev.g, br, ev.opt)
	if err != nil {
		return mfg.Policy{}, fmt.Errorf("population of the best response: %w", err)
	}
	alpha := f.Alpha
	if alpha == 0 {
		alpha = 1 / float64(k+2)
	}
	mu, mubr := ev.Population.StateMarginal(nil), Lbr.StateMarginal(nil)
	next := mfg.NewPolicy(S, A)
	for s := 0; s < S; s++ {
		wOld, wBR := (1-alpha)*mu[s], alpha*mubr[s]
		row, old, best := next.Row(s), ev.Policy.Row(s), br.Row(s)
		for a := range row {
			if den := wOld + wBR; den > 0 {
				row[a] = (wOld*old[a] + wBR*best[a]) / den
			} else {
				row[a] = 1 / float64(A)
			}
		}
	}
	return next, nil
}

// Update adds Alpha Q^{π_k} to the running sum and takes its softmax.
func (o *StationaryOnlineMirrorDescent) Update(ev *PolicyEvaluation, _ int) (mfg.Policy, error) {
	q, err := rl.PolicyQ(ev.MDP, ev.Policy)
	if err != nil {
		return mfg.Policy{}, err
	}
	if o.y == nil {
		o.y = make([]float64, len(q))
	}
	for i, x := range q {
		o.y[i] += o.Alpha * x
	}
	return rl.SoftmaxPolicy(o.y, ev.Policy.States, ev.Policy.Actions, 1), nil
}

// Update tilts the prior by exp(Q*/Eta).
func (p *StationaryPriorDescent) Update(ev *PolicyEvaluation, k int) (mfg.Policy, error) {
	if p.prior.Prob == nil {
		p.prior = ev.Policy.Clone()
	}
	S, A := ev.Policy.States, ev.Policy.Actions
	q := ev.OptimalQ()
	next := mfg.NewPolicy(S, A)
	for s := 0; s < S; s++ {
		rl.PriorSoftmax(next.Row(s), q[s*A:(s+1)*A], 1/p.Eta, p.prior.Row(s))
	}
	if p.Inner > 0 && (k+2)%p.Inner == 0 {
		p.prior = next.Clone()
	}
	return next, nil
}

// PolicyIteration is one record of SolvePolicies: π_k and its exploitability (k = 0 is π_0).
type PolicyIteration struct {
	K              int
	Policy         mfg.Policy
	Population     mfg.Population
	Exploitability float64
}

// SolvePolicies runs a policy method for the given iterations from π_0 (nil: uniform), recording
// every policy, the population it sustains and its exploitability.
func SolvePolicies(ctx context.Context, g mfg.ModelBased, m PolicyMethod, iterations int, pi0 *mfg.Policy, opt exploit.Options) ([]PolicyIteration, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if iterations < 0 {
		return nil, fmt.Errorf("iterations = %d: must be non-negative", iterations)
	}
	pi := mfg.UniformPolicy(g.States(), g.Actions())
	if pi0 != nil {
		if pi0.States != g.States() || pi0.Actions != g.Actions() {
			return nil, fmt.Errorf("initial policy is %d×%d, game is %d×%d", pi0.States, pi0.Actions, g.States(), g.Actions())
		}
		if err := pi0.Validate(); err != nil {
			return nil, err
		}
		pi = pi0.Clone()
	}
	var trace []PolicyIteration
	for k := 0; ; k++ {
		if err := ctx.Err(); err != nil {
			return trace, err
		}
		e, err := exploit.Exploitability(ctx, g, pi, opt)
		if err != nil {
			return trace, fmt.Errorf("iteration %d: %w", k, err)
		}
		trace = append(trace, PolicyIteration{K: k, Policy: pi, Population: e.MeanField, Exploitability: e.Value})
		if k == iterations {
			return trace, nil
		}
		mdp, err := g.MDP(e.MeanField)
		if err != nil {
			return trace, err
		}
		if pi, err = m.Update(&PolicyEvaluation{Policy: pi, Population: e.MeanField, MDP: mdp, g: g, opt: opt, ctx: ctx}, k); err != nil {
			return trace, fmt.Errorf("iteration %d: %w", k+1, err)
		}
	}
}
