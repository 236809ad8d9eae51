package algorithms

import (
	"context"
	"fmt"
	"math"

	"meanfield/engine"
	"meanfield/mfg"
	"meanfield/seeds"
)

// FixedPoint is the fixed-point (three-step) scheme of Guo, Hu, Xu and Zhang (2019) on a
// stationary discounted game. Step k (k = 1, 2, ...) computes
//
//	Q_{k-1} = Inner(L_{k-1}),   π_{k-1} = PolicyMap(Q_{k-1}),   L_k = Projection(PopulationStep(π_{k-1}, L_{k-1})),
//
// from L_0, the game's initial population, and stops once ||L_k - L_{k-1}||_1 <= Tolerance (when
// Tolerance > 0). GMFV, GMFQ and Naive are its presets. The random streams of step k are derived
// from the solve's seed and k-1 (package seeds).
type FixedPoint struct {
	// Preset names the preset the value came from ("gmf-v", "gmf-q", "naive"), for records; it
	// does not change behaviour. Empty means "fixed-point".
	Preset    string
	Tolerance float64

	Inner          InnerSolver
	PolicyMap      PolicyMap
	PopulationStep PopulationStep
	Projection     Projection
}

// Name is the preset's name.
func (f FixedPoint) Name() string {
	if f.Preset == "" {
		return "fixed-point"
	}
	return f.Preset
}

// Validate names the first part or parameter that is out of range.
func (f FixedPoint) Validate() error {
	if !(f.Tolerance >= 0) || math.IsInf(f.Tolerance, 0) {
		return fmt.Errorf("tolerance = %v: must be non-negative and finite", f.Tolerance)
	}
	if f.Inner == nil || f.PolicyMap == nil || f.PopulationStep == nil || f.Projection == nil {
		return fmt.Errorf("fixed point: inner solver, policy map, population step and projection must all be set")
	}
	for _, part := range []interface{ Validate() error }{f.Inner, f.PolicyMap, f.PopulationStep, f.Projection} {
		if err := part.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// Applies accepts stationary discounted games that offer what its inner solver and population
// step need (the model, a simulator).
func (f FixedPoint) Applies(g mfg.Game) error {
	st, ok := g.(mfg.Stationary)
	if !ok {
		return fmt.Errorf("algorithm = %q solves stationary discounted games, and %s is a finite-horizon game", f.Name(), g.Name())
	}
	if f.Inner == nil || f.PopulationStep == nil {
		return f.Validate()
	}
	if err := f.Inner.Applies(st); err != nil {
		return fmt.Errorf("algorithm = %q: %w", f.Name(), err)
	}
	if err := f.PopulationStep.Applies(st); err != nil {
		return fmt.Errorf("algorithm = %q: %w", f.Name(), err)
	}
	return nil
}

// Begin starts from the game's initial population L_0; iteration 0 records it with π_0.
func (f FixedPoint) Begin(_ context.Context, s engine.Start) (engine.Run, engine.Iterate, error) {
	g := s.Problem.Game().(mfg.Stationary)
	L := g.InitialPopulation()
	if err := L.Validate(); err != nil {
		return nil, engine.Iterate{}, fmt.Errorf("%s: initial population: %w", g.Name(), err)
	}
	inner, err := f.Inner.Begin(g)
	if err != nil {
		return nil, engine.Iterate{}, err
	}
	run := &fixedPointRun{f: f, g: g, inner: inner, L: L, seed: s.Seed}
	L0 := L.Clone()
	return run, engine.Iterate{Policy: s.Policy, Population: []mfg.Population{L}, Near: &L0}, nil
}

type fixedPointRun struct {
	f     FixedPoint
	g     mfg.Stationary
	inner InnerState
	L     mfg.Population // L_{k-1} before step k
	seed  uint64
}

// Step computes Q_{k-1}, π_{k-1} and L_k; its inner solver and population step stop when ctx
// is done.
func (r *fixedPointRun) Step(ctx context.Context, k int, _ *engine.Evaluation) (engine.Iterate, error) {
	i := uint64(k - 1) // the paper's index of the Q-function and policy this step computes
	L := r.L
	q, work, err := r.inner.Improve(ctx, L, seeds.New(r.seed, seeds.QLearning, i))
	if err != nil {
		return engine.Iterate{}, err
	}
	if !isFinite(q) {
		return engine.Iterate{}, fmt.Errorf("the Q-table is not finite (check the step size and rewards)")
	}
	pi := r.f.PolicyMap.Policy(q, r.g.States(), r.g.Actions())
	next, err := r.f.PopulationStep.Next(ctx, r.g, L, pi, seeds.New(r.seed, seeds.PopulationSampling, i))
	if err != nil {
		return engine.Iterate{}, err
	}
	if next, err = r.f.Projection.Project(next); err != nil {
		return engine.Iterate{}, err
	}
	r.L = next
	// π_{k-1}'s population is usually near L_{k-1}: starting the search there saves most of the
	// Γ2 iterations, and the fixed point found is the same wherever the iteration converges to a
	// unique one.
	var converged *bool
	if c, ok := r.inner.(Converger); ok {
		v := c.Converged()
		converged = &v
	}
	return engine.Iterate{
		Policy: []mfg.Policy{pi}, Population: []mfg.Population{next}, Q: [][]float64{q},
		Near: &L, InnerWork: work, InnerConverged: converged,
		Converged: r.f.Tolerance > 0 && mfg.L1Distance(next.Mass, L.Mass) <= r.f.Tolerance,
	}, nil
}

func isFinite(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// UsesSeed reports whether the scheme draws random numbers: with Q-learning as the inner solver,
// or a sampled population step.
func (f FixedPoint) UsesSeed() bool {
	_, q := f.Inner.(QLearning)
	_, s := f.PopulationStep.(SampledStep)
	return q || s
}
