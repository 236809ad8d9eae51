package algorithms

import (
	"context"
	"fmt"
	"math"

	"meanfield/engine"
	"meanfield/finite"
	"meanfield/mfg"
)

func init() {
	Register("occupation-measure-inclusion",
		"MF-OMI-FBS: a forward step d + α r(d) - αη d on the occupation measure d, then its exact projection onto the occupation measures of the transitions at d",
		"Hu and Zhang 2024 (arXiv:2405.00282); MFGLib 0.3.0 OccupationMeasureInclusion", 100,
		func() *OccupationMeasureInclusion {
			return &OccupationMeasureInclusion{Alpha: 1e-3, MaxVariables: DefaultOMIMaxVariables}
		},
		func(o *OccupationMeasureInclusion) (engine.Algorithm, error) { return *o, nil })
}

// OccupationMeasureInclusion is MF-OMI-FBS (Hu and Zhang 2024; MFGLib's
// OccupationMeasureInclusion), forward-backward splitting on the occupation-measure inclusion of
// a finite-horizon game. It keeps an occupation measure d = (d_0..d_T), d_t(s, a) the mass at
// (s, a) at time t, starting from the mean field of π_0, and steps
//
//	d ← Proj_{C(d)}( d + α r(d) - α η d ),
//
// r(d)_t = r(t, ·, ·, d_t) the rewards at d and C(d) the occupation measures of the transitions
// at d (finite.OccupationPolytope: x ≥ 0, Σ_a x_0(s, a) = μ0(s), Σ_a x_{t+1}(s', a) =
// Σ_{s,a} P(s'|t, s, a, d_t) x_t(s, a)). Each iteration's policy is d's conditional,
//
//	π_t(a|s) = d̃_t(s, a) / Σ_b d̃_t(s, b),   d̃ = d with the entries ≤ PolicyThreshold set to 0,
//
// uniform over the legal actions where d̃_t(s, ·) = 0; d itself is kept unthresholded. The
// iteration reads no evaluation of the policies: they are d's read-out.
//
// The projection is exact (to ‖A x - b‖∞ ≤ 1e-12), where MFGLib calls OSQP with tolerances
// eps_abs = eps_rel = solve()'s atol and rtol (1e-3 by default, 1e-8 when they are None), so its
// iterates differ from these at that level. MFGLib's read-out zeroes the entries ≤
// (eps_abs + eps_rel)/2·10 (1e-2 at solve()'s defaults, 1e-7 at 1e-8) to remove OSQP's noise;
// the exact projection's zeros are exact (x = max(0, d + Aᵀλ)), so the default PolicyThreshold is
// 0, which changes no policy where the occupation is small but real; 1e-7 or 1e-2 reproduce
// MFGLib's read-outs. A state whose mass is the projection's residual alone (≤ 1e-12) then gets
// a policy from rounding, which nothing weights by more than that mass.
//
// Eta > 0 perturbs the inclusion by the monotone η d (faster convergence, to a point that is not
// an equilibrium of the game itself). Defaults are MFGLib's: Alpha = 1e-3, Eta = 0.
type OccupationMeasureInclusion struct {
	Alpha           float64 `yaml:"alpha" help:"step size α of the forward step"`
	Eta             float64 `yaml:"eta" help:"perturbation η ≥ 0 of the forward step (0: none)"`
	PolicyThreshold float64 `yaml:"policy-threshold" help:"occupation entries ≤ this count as 0 in the policy read-out (MFGLib: 1e-2 at its defaults, 1e-7 with atol = rtol = None)"`
	MaxVariables    int     `yaml:"max-variables" help:"refuse games of more occupation variables (T+1)·S·A than this (0: no limit); the exact projection is slow on large ones"`
}

// DefaultOMIMaxVariables is the default MaxVariables. The projection's semismooth Newton method
// needs tens of steps of conjugate gradients to find each new support; on the long-horizon crowd
// games it takes seconds (crowd-modelling-2d-four-rooms: 33800 variables, about 40 Newton steps
// a projection) or minutes (crowd-modelling-2d-maze: 242000, hundreds of steps). Every
// other registered finite-horizon game has at most 12000 (building evacuation).
const DefaultOMIMaxVariables = 20000

// Name is "occupation-measure-inclusion".
func (OccupationMeasureInclusion) Name() string { return "occupation-measure-inclusion" }

// Validate checks Alpha > 0, Eta ≥ 0 and PolicyThreshold ≥ 0, all finite, and MaxVariables ≥ 0.
func (o OccupationMeasureInclusion) Validate() error {
	if !(o.Alpha > 0) || math.IsInf(o.Alpha, 0) {
		return fmt.Errorf("alpha = %v: must be positive and finite", o.Alpha)
	}
	if !(o.Eta >= 0) || math.IsInf(o.Eta, 0) {
		return fmt.Errorf("eta = %v: must be non-negative and finite", o.Eta)
	}
	if !(o.PolicyThreshold >= 0) || math.IsInf(o.PolicyThreshold, 0) {
		return fmt.Errorf("policy-threshold = %v: must be non-negative and finite", o.PolicyThreshold)
	}
	if o.MaxVariables < 0 {
		return fmt.Errorf("max-variables = %d: must be non-negative (0: no limit)", o.MaxVariables)
	}
	return nil
}

// Applies accepts the finite-horizon games, multi-population and legal-action ones included (the
// occupation measures of the union of the populations' states; illegal actions held at 0), of at
// most MaxVariables occupation variables (T+1)·S·A when MaxVariables > 0.
func (o OccupationMeasureInclusion) Applies(g mfg.Game) error {
	f, ok := g.(mfg.Finite)
	if !ok {
		return fmt.Errorf("algorithm = %q steps on the occupation measures d_0..d_T of a finite-horizon game, and %s is stationary", o.Name(), g.Name())
	}
	if n := (f.Horizon() + 1) * f.States() * f.Actions(); o.MaxVariables > 0 && n > o.MaxVariables {
		return fmt.Errorf("algorithm = %q: %s has (T+1)·S·A = %d·%d·%d = %d occupation variables, more than max-variables = %d (the exact projection is slow on large games: raise max-variables, or 0 for no limit, to try)",
			o.Name(), g.Name(), f.Horizon()+1, f.States(), f.Actions(), n, o.MaxVariables)
	}
	return needsModel(o.Name(), g)
}

// Begin starts from d = the mean field of π_0, and π_0 itself as iteration 0.
func (o OccupationMeasureInclusion) Begin(ctx context.Context, s engine.Start) (engine.Run, engine.Iterate, error) {
	g, ok := s.Problem.Game().(mfg.Finite)
	if !ok {
		return nil, engine.Iterate{}, o.Applies(s.Problem.Game())
	}
	L, err := s.Problem.MeanField(ctx, s.Policy)
	if err != nil {
		return nil, engine.Iterate{}, err
	}
	S, A := g.States(), g.Actions()
	r := &omiRun{o: o, g: g, mu0: g.InitialStates(), legal: s.Problem.Legal(), S: S, A: A,
		d: make([]float64, len(L)*S*A)}
	for t, l := range L {
		copy(r.d[t*S*A:], l.Mass)
	}
	return r, engine.Iterate{Policy: s.Policy}, nil
}

type omiRun struct {
	o     OccupationMeasureInclusion
	g     mfg.Finite
	mu0   []float64
	legal []bool
	S, A  int
	// d is the occupation measure, flat at (t·S + s)·A + a; dual the projection's last multiplier,
	// where the next one starts (MFGLib's OSQP warm start).
	d, dual []float64
}

// ReleasesEvaluations tells the engine that the run keeps nothing of an evaluation after Step.
func (*omiRun) ReleasesEvaluations() {}

// ReadsNoPolicyQ tells the engine that Step reads no Q^π of the evaluation (nothing of it).
func (*omiRun) ReadsNoPolicyQ() {}

// Step performs d ← Proj_{C(d)}(d + α r(d) - α η d) and reads the policy out of d.
func (r *omiRun) Step(_ context.Context, _ int, _ *engine.Evaluation) (engine.Iterate, error) {
	S, A, SA := r.S, r.A, r.S*r.A
	L := make(finite.MeanField, len(r.d)/SA)
	for t := range L {
		L[t] = mfg.Population{States: S, Actions: A, Mass: r.d[t*SA : (t+1)*SA : (t+1)*SA]}
	}
	stages, err := finite.StagesAt(r.g, L)
	if err != nil {
		return engine.Iterate{}, err
	}
	poly, err := finite.NewOccupationPolytope(S, A, r.mu0, stages[:len(stages)-1], r.legal)
	if err != nil {
		return engine.Iterate{}, err
	}
	y := make([]float64, len(r.d))
	for t, st := range stages {
		for i, rew := range st.Reward {
			j := t*SA + i
			y[j] = r.d[j] + float64(r.o.Alpha*rew) - float64(r.o.Alpha*r.o.Eta*r.d[j])
		}
	}
	proj, err := poly.Project(y, r.dual)
	if err != nil {
		return engine.Iterate{}, err
	}
	r.d, r.dual = proj.X, proj.Dual
	return engine.Iterate{Policy: r.policy()}, nil
}

// policy reads π out of d: each row of d with its entries ≤ the threshold set to 0, normalised;
// uniform over the legal actions where nothing is left.
func (r *omiRun) policy() []mfg.Policy {
	S, A := r.S, r.A
	pi := newPolicy(len(r.d)/(S*A), S, A)
	for t := range pi {
		for s := 0; s < S; s++ {
			row, out := r.d[(t*S+s)*A:(t*S+s+1)*A], pi[t].Row(s)
			var sum float64
			for a, x := range row {
				if x > r.o.PolicyThreshold {
					out[a] = x
					sum += x
				}
			}
			if !(sum > 0) {
				var legal []bool
				if r.legal != nil {
					legal = r.legal[s*A : (s+1)*A]
				}
				mfg.UniformLegalRow(out, legal)
				continue
			}
			for a := range out {
				out[a] /= sum
			}
		}
	}
	return pi
}

// String describes the step.
func (o OccupationMeasureInclusion) String() string {
	return fmt.Sprintf("step alpha=%g, perturbation eta=%g, exact projection, policy threshold %g", o.Alpha, o.Eta, o.PolicyThreshold)
}

// Smoothing: η > 0 makes the fixed point an equilibrium of the game perturbed by -η/2 ‖d‖².
func (o OccupationMeasureInclusion) Smoothing() string {
	if o.Eta > 0 {
		return fmt.Sprintf("occupation measure perturbed by η d with η = %g", o.Eta)
	}
	return ""
}
