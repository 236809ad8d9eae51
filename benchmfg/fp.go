package benchmfg

import (
	"fmt"

	"meanfield/mfg"
)

// Schedule is the damped fixed point's mixing schedule α_k (Bench-MFG's lambda_schedule).
type Schedule int

const (
	// Pure is α_k = 1: the plain fixed-point iteration of the best-response map.
	Pure Schedule = iota
	// Damped is α_k = Damping.
	Damped
	// FictitiousPlay is α_k = 1/(k+1), reporting the μ-weighted average of the best responses.
	FictitiousPlay
)

func (s Schedule) String() string {
	switch s {
	case Pure:
		return "pure"
	case Damped:
		return "damped"
	case FictitiousPlay:
		return "fictitious_play"
	}
	return fmt.Sprintf("Schedule(%d)", int(s))
}

// DampedFP is Bench-MFG's damped fixed point with the exact best response
// (src/benchmfg/learner/jax/fp_jax.py, DampedFP_jax): package algorithms' damped fixed point and
// fictitious play under Bench-MFG's protocol (truncated values, 20 population steps per update, the
// μ-weighted policy average), kept apart so that its published runs can be reproduced. From μ_0 = Φ_π0^20(μ0), iteration k = 1, 2, …:
//
//	BR_k = the greedy policy of V*(μ_{k−1}) (H−1 optimal backups, first maximiser of the last Q)
//	ν_k = Φ_{BR_k}^20(μ_{k−1}), renormalised
//	μ_k = (1−α_k) μ_{k−1} + α_k ν_k, renormalised
//	record E(BR_k; μ_k), or for FictitiousPlay E(π̄_k; μ_k)
//
// where π̄_k is the state-wise average of the best responses weighted by their populations,
//
//	π̄_k(a|s) = Σ_{i≤k} ν_i(s) BR_i(a|s) / max(Σ_{i≤k} ν_i(s), 1e-12),
//
// then clipped to [1e-12, 1] and renormalised per state (so a state no ν_i reaches gets the
// uniform policy).
type DampedFP struct {
	Schedule Schedule
	// Damping is α of the Damped schedule, in (0, 1] (Bench-MFG's damped_constant, default 0.2).
	Damping float64
}

// Name is the schedule and, for Damped, α.
func (d DampedFP) Name() string {
	switch d.Schedule {
	case Damped:
		return fmt.Sprintf("damped-fp(α=%g)", d.Damping)
	case FictitiousPlay:
		return "fictitious-play"
	}
	return "pure-fp"
}

// Validate names the first hyperparameter out of range.
func (d DampedFP) Validate() error {
	switch d.Schedule {
	case Pure, FictitiousPlay:
	case Damped:
		if !(d.Damping > 0 && d.Damping <= 1) {
			return fmt.Errorf("damped fixed point: damping = %v: must be in (0, 1]", d.Damping)
		}
	default:
		return fmt.Errorf("damped fixed point: schedule = %d: must be pure, damped or fictitious play", int(d.Schedule))
	}
	return nil
}

// Begin starts a run at π0 and μ_0 = Φ_π0^20(μ0).
func (d DampedFP) Begin(g mfg.ModelBased, setup Setup) (Run, []float64, error) {
	if err := d.Validate(); err != nil {
		return nil, nil, err
	}
	st, initial, err := begin(g, setup)
	if err != nil {
		return nil, nil, err
	}
	r := &fpRun{state: st, d: d}
	if d.Schedule == FictitiousPlay {
		r.num = make([]float64, g.States()*g.Actions())
		r.den = make([]float64, g.States())
	}
	return r, initial, nil
}

type fpRun struct {
	*state
	d DampedFP
	// num and den are Σ_i ν_i(s) BR_i(a|s) and Σ_i ν_i(s) (fictitious play only).
	num, den []float64
	avg      mfg.Policy
}

func (r *fpRun) Step() (float64, error) {
	r.k++
	m, err := MDPAt(r.g, r.mu)
	if err != nil {
		return 0, err
	}
	_, br := vOpt(m, r.opt.backups())
	nu, err := PushForward(r.g, br, r.mu, r.opt.LearnerSteps)
	if err != nil {
		return 0, err
	}
	normalise(nu)
	alpha := 1.0
	switch r.d.Schedule {
	case Damped:
		alpha = r.d.Damping
	case FictitiousPlay:
		alpha = 1 / float64(r.k+1)
	}
	r.mu = mix(r.mu, nu, alpha)
	r.pi = br
	if r.d.Schedule != FictitiousPlay {
		return Exploitability(r.g, r.pi, r.mu, r.opt)
	}
	r.avg = r.average(br, nu)
	return Exploitability(r.g, r.avg, r.mu, r.opt)
}

// average adds (br, nu) to the sums and returns π̄.
func (r *fpRun) average(br mfg.Policy, nu []float64) mfg.Policy {
	A := br.Actions
	avg := mfg.NewPolicy(br.States, A)
	for s, w := range nu {
		r.den[s] += w
		d := max(r.den[s], 1e-12)
		row := avg.Row(s)
		var sum float64
		for a, p := range br.Row(s) {
			r.num[s*A+a] += w * p
			row[a] = min(max(r.num[s*A+a]/d, 1e-12), 1)
			sum += row[a]
		}
		for a := range row {
			row[a] /= sum
		}
	}
	return avg
}

// Policy is the last best response, or π̄ for fictitious play.
func (r *fpRun) Policy() mfg.Policy {
	if r.d.Schedule == FictitiousPlay && r.avg.Prob != nil {
		return r.avg
	}
	return r.pi
}
