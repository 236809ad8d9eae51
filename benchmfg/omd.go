package benchmfg

import (
	"fmt"
	"math"

	"meanfield/mfg"
)

// OMD is Bench-MFG's online mirror descent (src/benchmfg/learner/jax/omd_jax.py). With y_0 = 0 on
// S×A and π_0 = π0 (not softmax(y_0)), iteration k = 1, 2, …:
//
//	y_k = y_{k−1} + η Q_eval(π_{k−1}, μ_{k−1})
//	π_k = softmax(y_k/τ)
//	μ_k = Φ_{π_k}^20(μ_{k−1})
//	record E(π_k; μ_k)
//
// so the effective step is η/τ.
type OMD struct {
	// LearningRate is η (Bench-MFG's learning_rate, default 0.005).
	LearningRate float64
	// Temperature is τ (default 0.2).
	Temperature float64
}

// Name is "omd(η=…, τ=…)".
func (o OMD) Name() string { return fmt.Sprintf("omd(η=%g, τ=%g)", o.LearningRate, o.Temperature) }

// Validate names the first hyperparameter out of range.
func (o OMD) Validate() error {
	if !(o.LearningRate > 0) || math.IsInf(o.LearningRate, 0) {
		return fmt.Errorf("omd: learning-rate = %v: must be positive and finite", o.LearningRate)
	}
	if !(o.Temperature > 0) || math.IsInf(o.Temperature, 0) {
		return fmt.Errorf("omd: temperature = %v: must be positive and finite", o.Temperature)
	}
	return nil
}

// Begin starts a run at π0, y = 0 and μ_0 = Φ_π0^20(μ0).
func (o OMD) Begin(g mfg.ModelBased, setup Setup) (Run, []float64, error) {
	if err := o.Validate(); err != nil {
		return nil, nil, err
	}
	st, initial, err := begin(g, setup)
	if err != nil {
		return nil, nil, err
	}
	return &omdRun{state: st, o: o, y: make([]float64, g.States()*g.Actions())}, initial, nil
}

type omdRun struct {
	*state
	o OMD
	y []float64
}

func (r *omdRun) Step() (float64, error) {
	r.k++
	m, err := MDPAt(r.g, r.mu)
	if err != nil {
		return 0, err
	}
	for i, q := range qEval(m, r.pi, r.opt.backups()) {
		r.y[i] += r.o.LearningRate * q
	}
	r.pi = softmax(r.y, r.g.States(), r.g.Actions(), r.o.Temperature)
	if r.mu, err = PushForward(r.g, r.pi, r.mu, r.opt.LearnerSteps); err != nil {
		return 0, err
	}
	return Exploitability(r.g, r.pi, r.mu, r.opt)
}
