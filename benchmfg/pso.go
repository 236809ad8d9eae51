package benchmfg

import (
	"fmt"
	"math"

	"meanfield/algorithms"
	"meanfield/internal/nprand"
	"meanfield/internal/parallel"
	"meanfield/mfg"
)

// psoStartSteps is the number of population steps by which MF-PSO moves its start distribution
// after every iteration (the literal 50 of pso_jax.py's eval).
const psoStartSteps = 50

func init() {
	learnerMakers["PSO"] = func(p VersionParams) Learner {
		return PSO{Particles: 200, Temperature: p.Get("temp", 0.2), Inertia: p.Get("w", 0.4), C1: p.Get("c1", 0.5), C2: p.Get("c2", 1.5)}
	}
}

// PSO is Bench-MFG's MF-PSO (src/benchmfg/learner/jax/pso_jax.py, config pso.yaml): a particle
// swarm (algorithms.Swarm with Bench-MFG's rule) over logits x in R^{S·A}, a particle's policy
// π_x = softmax(x/τ) per state, minimising E(π_x; ν) from a start distribution ν that it moves.
// π0 is not used. The swarm's draws continue NumPy's global stream after π0's (Setup.Stream):
// X ~ U(−1, 1)^{N×S·A}, V = 0.1·randn(N, S·A), then r1 and r2 at every iteration. With ν_0 = μ0
// (the game's initial distribution, Bench-MFG's env.stationary_mean_field), the swarm is scored
// once from ν_0 (P = X, g and its value f_g the best), and then iteration t = 1, 2, …:
//
//	move the swarm (Bench-MFG's velocity, not carried over);  f_i = E(π_{X_i}; ν_{t−1})
//	P_i ← X_i where f_i < f_g;  g ← X_j, f_g ← f_j if the least f_j < f_g
//	record f_g;  ν_t = Φ_{π_g}^50(ν_{t−1})
//
// So the objective drifts with ν, and the recorded f_g (the reported exploitability) is the value
// g had under the start distribution of the iteration that found it, not re-evaluated: the
// history is non-increasing even where E(π_g; ν_t) is not. The history has one entry per
// iteration (none before the first). Bench-MFG computes E in float32 (JAX) where this package
// does in float64, so a near-tie between f_i and f_g can be decided the other way, and the two
// runs then follow different swarms.
type PSO struct {
	// Particles is N (num_particles, 200).
	Particles int
	// Temperature is τ (temperature, 0.2).
	Temperature float64
	// Inertia, C1, C2 are w, c1, c2 (0.4, 0.5, 1.5).
	Inertia, C1, C2 float64
}

// Name is "pso(N=…, τ=…, w=…, c1=…, c2=…)".
func (p PSO) Name() string {
	return fmt.Sprintf("pso(N=%d, τ=%g, w=%g, c1=%g, c2=%g)", p.Particles, p.Temperature, p.Inertia, p.C1, p.C2)
}

// Validate names the first hyperparameter out of range.
func (p PSO) Validate() error {
	if p.Particles < 1 {
		return fmt.Errorf("pso: particles = %d: must be at least 1", p.Particles)
	}
	if !(p.Temperature > 0) || math.IsInf(p.Temperature, 0) {
		return fmt.Errorf("pso: temperature = %v: must be positive and finite", p.Temperature)
	}
	for _, c := range []struct {
		name string
		v    float64
	}{{"w", p.Inertia}, {"c1", p.C1}, {"c2", p.C2}} {
		if !(c.v >= 0) || math.IsInf(c.v, 0) {
			return fmt.Errorf("pso: %s = %v: must be non-negative and finite", c.name, c.v)
		}
	}
	return nil
}

// Begin draws the swarm from setup.Stream and scores it from ν_0 = setup.Start; it records nothing.
func (p PSO) Begin(g mfg.ModelBased, setup Setup) (Run, []float64, error) {
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	if err := setup.Options.Validate(); err != nil {
		return nil, nil, err
	}
	if setup.Stream == nil {
		return nil, nil, fmt.Errorf("pso: setup has no random stream (NewSetup makes one)")
	}
	if err := checkMeasure("start distribution", setup.Start, g.States()); err != nil {
		return nil, nil, err
	}
	rnd := nprand.LegacyFrom(setup.Stream)
	r := &psoRun{g: g, p: p, opt: setup.Options, rnd: rnd, start: append([]float64(nil), setup.Start...),
		swarm: algorithms.NewSwarm(p.Particles, g.States()*g.Actions(), p.Inertia, p.C1, p.C2, true, rnd)}
	f, err := r.evaluate()
	if err != nil {
		return nil, nil, err
	}
	r.swarm.Start(f)
	return r, nil, nil
}

type psoRun struct {
	g     mfg.ModelBased
	p     PSO
	opt   Options
	rnd   *nprand.Legacy
	swarm *algorithms.Swarm
	start []float64 // ν_t, Bench-MFG's env.stationary_mean_field
}

// Step runs one iteration and returns the swarm's best value f_g.
func (r *psoRun) Step() (float64, error) {
	r.swarm.Move(r.rnd)
	f, err := r.evaluate()
	if err != nil {
		return 0, err
	}
	r.swarm.Update(f)
	if r.start, err = PushForward(r.g, r.Policy(), r.start, psoStartSteps); err != nil {
		return 0, err
	}
	return r.swarm.GValue, nil
}

// Policy is π_g = softmax(g/τ).
func (r *psoRun) Policy() mfg.Policy {
	return softmax(r.swarm.G, r.g.States(), r.g.Actions(), r.p.Temperature)
}

// MeanField is the current start distribution ν_t.
func (r *psoRun) MeanField() []float64 { return r.start }

// evaluate returns E(π_{X_i}; ν) for every particle, in parallel: each value depends on its
// particle alone, so the results do not depend on the number of workers.
func (r *psoRun) evaluate() ([]float64, error) {
	n, dim := r.swarm.N, r.swarm.Dim
	S, A := r.g.States(), r.g.Actions()
	f, errs := make([]float64, n), make([]error, n)
	parallel.For(n, 1, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			pi := softmax(r.swarm.X[i*dim:(i+1)*dim], S, A, r.p.Temperature)
			if f[i], errs[i] = Exploitability(r.g, pi, r.start, r.opt); errs[i] != nil {
				return
			}
		}
	})
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("pso: particle %d: %w", i, err)
		}
	}
	return f, nil
}

// PSO implements Learner.
var _ Learner = PSO{}
