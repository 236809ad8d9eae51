package benchmfg

import (
	"fmt"
	"math"

	"meanfield/mfg"
)

// PIVariant is a variant of Bench-MFG's policy iteration (pi_jax.py, variant).
type PIVariant int

const (
	// PIPlain is policy_iteration: π_{k+1} = greedy(Q), μ_{k+1} = Φ_{π_{k+1}}^20(μ_k).
	PIPlain PIVariant = iota
	// PISmooth is smooth_policy_iteration: π_{k+1} = greedy(Q),
	// μ_{k+1} = λ Φ_{π_{k+1}}^20(μ_k) + (1−λ) μ_k, renormalised.
	PISmooth
	// PIBoltzmann is boltzmann_policy_iteration: π_{k+1} = softmax(Q/τ), μ_{k+1} = Φ_{π_{k+1}}^20(μ_k).
	PIBoltzmann
)

func (v PIVariant) String() string {
	switch v {
	case PIPlain:
		return "policy_iteration"
	case PISmooth:
		return "smooth_policy_iteration"
	case PIBoltzmann:
		return "boltzmann_policy_iteration"
	}
	return fmt.Sprintf("PIVariant(%d)", int(v))
}

// PolicyIteration is Bench-MFG's policy iteration (src/benchmfg/learner/jax/pi_jax.py). Iteration
// k = 1, 2, …:
//
//	Q = Q_eval(π_k, μ_k)                       (the second-to-last of H−1 backups, see QEval)
//	π_{k+1} = greedy(Q) (first maximiser), or softmax(Q/τ) for PIBoltzmann
//	μ̂ = Φ_{π_{k+1}}^20(μ_k)
//	μ_{k+1} = μ̂, or for PISmooth λ_k μ̂ + (1−λ_k) μ_k renormalised
//	record E(π_{k+1}; μ_{k+1})
//
// with λ_k = Damping, or 1/(k+1) when Damping is 0 (Bench-MFG's damped_constant: null).
type PolicyIteration struct {
	Variant PIVariant
	// Temperature is τ of PIBoltzmann (Bench-MFG's temperature, default 0.2); unused otherwise.
	Temperature float64
	// Damping is λ of PISmooth in (0, 1], or 0 for λ_k = 1/(k+1) (Bench-MFG's damped_constant,
	// default 0.4); unused otherwise.
	Damping float64
}

// Name is the variant and the hyperparameters it uses.
func (p PolicyIteration) Name() string {
	switch p.Variant {
	case PISmooth:
		if p.Damping == 0 {
			return "smooth-pi(λ=1/(k+1))"
		}
		return fmt.Sprintf("smooth-pi(λ=%g)", p.Damping)
	case PIBoltzmann:
		return fmt.Sprintf("boltzmann-pi(τ=%g)", p.Temperature)
	}
	return "pi"
}

// Validate names the first hyperparameter out of range.
func (p PolicyIteration) Validate() error {
	switch p.Variant {
	case PIPlain:
	case PISmooth:
		if !(p.Damping >= 0 && p.Damping <= 1) {
			return fmt.Errorf("policy iteration: damping = %v: must be in (0, 1], or 0 for 1/(k+1)", p.Damping)
		}
	case PIBoltzmann:
		if !(p.Temperature > 0) || math.IsInf(p.Temperature, 0) {
			return fmt.Errorf("policy iteration: temperature = %v: must be positive and finite", p.Temperature)
		}
	default:
		return fmt.Errorf("policy iteration: variant = %d: must be plain, smooth or boltzmann", int(p.Variant))
	}
	return nil
}

// Begin starts a run at π0 and μ_0 = Φ_π0^20(μ0).
func (p PolicyIteration) Begin(g mfg.ModelBased, setup Setup) (Run, []float64, error) {
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	st, initial, err := begin(g, setup)
	if err != nil {
		return nil, nil, err
	}
	return &piRun{state: st, p: p}, initial, nil
}

type piRun struct {
	*state
	p PolicyIteration
}

func (r *piRun) Step() (float64, error) {
	r.k++
	S, A := r.g.States(), r.g.Actions()
	m, err := MDPAt(r.g, r.mu)
	if err != nil {
		return 0, err
	}
	q := qEval(m, r.pi, r.opt.backups())
	if r.p.Variant == PIBoltzmann {
		r.pi = softmax(q, S, A, r.p.Temperature)
	} else {
		r.pi = greedy(q, S, A)
	}
	next, err := PushForward(r.g, r.pi, r.mu, r.opt.LearnerSteps)
	if err != nil {
		return 0, err
	}
	if r.p.Variant == PISmooth {
		lambda := r.p.Damping
		if lambda == 0 {
			lambda = 1 / float64(r.k+1)
		}
		next = mix(r.mu, next, lambda)
	}
	r.mu = next
	return Exploitability(r.g, r.pi, r.mu, r.opt)
}
