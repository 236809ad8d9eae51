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
// Tolerance > 0). When CycleTolerance > 0 and MaxPeriod >= 2 it also stops, not converged, once
// L_k revisits an earlier population: ||L_k - L_j||_1 <= CycleTolerance for some j with
// 2 <= k - j <= MaxPeriod (the smallest such period p = k - j is reported, with the cycle's
// start j, in engine.Stop). Without random numbers L_k is a function of L_{k-1}, so that L_k = L_j
// makes L_{k+i} = L_{j+i} for every i: the iteration repeats the populations L_j..L_{k-1} for
// ever and has no limit. GMFV, GMFQ and Naive are its presets. The random streams of step k are
// derived from the solve's seed and k-1 (package seeds).
type FixedPoint struct {
	// Preset names the preset the value came from ("gmf-v", "gmf-q", "naive"), for records; it
	// does not change behaviour. Empty means "fixed-point".
	Preset    string
	Tolerance float64
	// CycleTolerance and MaxPeriod set the cycle detection (off when either is 0). It keeps the
	// last MaxPeriod populations: MaxPeriod × S × A floats.
	CycleTolerance float64
	MaxPeriod      int
	// CycleRatio and CycleWindow set the detection of an approach to a cycle (off when either is
	// 0; it needs MaxPeriod >= 2): the scheme stops, not converged, once for CycleWindow
	// iterations in a row ||L_k - L_{k-p}||_1 <= CycleRatio ||L_k - L_{k-1}||_1 for a period
	// 2 <= p <= MaxPeriod while the step ||L_k - L_{k-1}||_1 has not shrunk to half its size
	// CycleWindow iterations earlier. A sequence converging to a fixed point has ratios of 1 or
	// more when it converges monotonically, and steps that shrink when it spirals in; a scheme
	// drawn to a periodic orbit returns near L_{k-p} while moving as much as ever.
	CycleRatio  float64
	CycleWindow int

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

// Smoothing describes the softmax policy map, whose fixed point is an equilibrium of the smoothed
// game; the argmax-e map does not smooth.
func (f FixedPoint) Smoothing() string {
	if s, ok := f.PolicyMap.(Softmax); ok {
		return fmt.Sprintf("softmax_c with c = %g", s.C)
	}
	return ""
}

// Validate names the first part or parameter that is out of range.
func (f FixedPoint) Validate() error {
	if !(f.Tolerance >= 0) || math.IsInf(f.Tolerance, 0) {
		return fmt.Errorf("tolerance = %v: must be non-negative and finite", f.Tolerance)
	}
	if !(f.CycleTolerance >= 0) || math.IsInf(f.CycleTolerance, 0) {
		return fmt.Errorf("cycle-tolerance = %v: must be non-negative and finite", f.CycleTolerance)
	}
	if !(f.CycleRatio >= 0 && f.CycleRatio < 1) {
		return fmt.Errorf("cycle-ratio = %v: must be in [0, 1)", f.CycleRatio)
	}
	if f.CycleWindow < 0 {
		return fmt.Errorf("cycle-window = %d: must be non-negative (0: no detection of an approach to a cycle)", f.CycleWindow)
	}
	if f.MaxPeriod < 0 || f.MaxPeriod == 1 {
		return fmt.Errorf("max-period = %d: must be 0 (no cycle detection) or at least 2", f.MaxPeriod)
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
	run.remember(0, L)
	L0 := L.Clone()
	return run, engine.Iterate{Policy: s.Policy, Population: []mfg.Population{L}, Near: &L0}, nil
}

type fixedPointRun struct {
	f     FixedPoint
	g     mfg.Stationary
	inner InnerState
	L     mfg.Population // L_{k-1} before step k
	seed  uint64
	// past holds copies of L_{k-1}, ..., L_{k-MaxPeriod} before step k (fewer early on), L_i at
	// index i mod MaxPeriod; nil without cycle detection.
	past [][]float64
	// calm[p] counts the iterations in a row with ||L_k - L_{k-p}||_1 <= CycleRatio times the
	// step; steps holds the last CycleWindow+1 steps ||L_k - L_{k-1}||_1, the step of k at
	// index k mod (CycleWindow+1).
	calm  []int
	steps []float64
	// dist holds ||L_k - L_{k-p}||_1 at index p (2 <= p), computed once per step for both tests.
	dist []float64
}

// detects reports whether a cycle detection is on.
func (f FixedPoint) detects() bool {
	return f.MaxPeriod >= 2 && (f.CycleTolerance > 0 || f.approaches())
}

// approaches reports whether the detection of an approach to a cycle is on.
func (f FixedPoint) approaches() bool {
	return f.MaxPeriod >= 2 && f.CycleRatio > 0 && f.CycleWindow > 0
}

// remember keeps a copy of L_k for the cycle detection, in place of L_{k-MaxPeriod}.
func (r *fixedPointRun) remember(k int, L mfg.Population) {
	if !r.f.detects() {
		return
	}
	if i := k % r.f.MaxPeriod; i < len(r.past) {
		copy(r.past[i], L.Mass)
		return
	}
	r.past = append(r.past, append([]float64(nil), L.Mass...))
}

// cycle returns the smallest period p in [2, MaxPeriod], p <= k, with ||L_k - L_{k-p}||_1 <=
// CycleTolerance, as a stop of the solve at iteration k; nil when there is none, or when
// ||L_k - L_{k-1}||_1 <= CycleTolerance too (prev is L_{k-1}): L is then settling, not cycling,
// and only Tolerance decides its convergence.
func (r *fixedPointRun) cycle(k int, L, prev mfg.Population) *engine.Stop {
	if !r.f.detects() {
		return nil
	}
	step := mfg.L1Distance(L.Mass, prev.Mass)
	// dist[p] = ||L_k - L_{k-p}||_1 for 2 <= p <= min(MaxPeriod, k), for both tests.
	r.dist = r.dist[:0]
	for p := 0; p <= min(r.f.MaxPeriod, k); p++ {
		d := 0.0
		if p >= 2 {
			d = mfg.L1Distance(L.Mass, r.past[(k-p)%r.f.MaxPeriod])
		}
		r.dist = append(r.dist, d)
	}
	if stop := r.approach(k, step); stop != nil {
		return stop
	}
	if r.f.CycleTolerance == 0 || step <= r.f.CycleTolerance {
		return nil
	}
	for p := 2; p < len(r.dist); p++ {
		if r.dist[p] <= r.f.CycleTolerance {
			return &engine.Stop{
				Reason: engine.StopCycle, Period: p, Start: k - p,
				Detail: fmt.Sprintf("L cycles with period %d from iteration %d (||L_k - L_{k-%d}||_1 <= %g)", p, k-p, p, r.f.CycleTolerance),
			}
		}
	}
	return nil
}

// approach returns a stop at iteration k when L approaches a cycle (see CycleRatio): the smallest
// period p whose ratio ||L_k - L_{k-p}||_1 / step (r.dist[p] / step) has stayed at most CycleRatio
// for CycleWindow iterations, while the step is at least half the step CycleWindow iterations
// earlier.
func (r *fixedPointRun) approach(k int, step float64) *engine.Stop {
	f := r.f
	if !f.approaches() {
		return nil
	}
	W := f.CycleWindow
	if r.steps == nil {
		r.steps, r.calm = make([]float64, W+1), make([]int, f.MaxPeriod+1)
	}
	r.steps[k%(W+1)] = step
	var stop *engine.Stop
	for p := 2; p < len(r.dist); p++ {
		d := r.dist[p]
		if d > f.CycleRatio*step {
			r.calm[p] = 0
			continue
		}
		r.calm[p]++
		if stop == nil && r.calm[p] >= W && k > W && step >= 0.5*r.steps[(k-W)%(W+1)] {
			stop = &engine.Stop{
				Reason: engine.StopCycle, Period: p, Start: k - p,
				Detail: fmt.Sprintf("L approaches a cycle of period %d: for %d iterations ||L_k - L_{k-%d}||_1 <= %g ||L_k - L_{k-1}||_1 (now %.3g against a step of %.3g), and the step does not shrink", p, W, p, f.CycleRatio, d, step),
			}
		}
	}
	return stop
}

// ReadsNoPolicyQ tells the engine that Step reads no Q^π of the evaluation (nothing of it).
func (*fixedPointRun) ReadsNoPolicyQ() {}

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
	it := engine.Iterate{
		Policy: []mfg.Policy{pi}, Population: []mfg.Population{next}, Q: [][]float64{q},
		Near: &L, InnerWork: work, InnerConverged: converged,
		Converged: r.f.Tolerance > 0 && mfg.L1Distance(next.Mass, L.Mass) <= r.f.Tolerance,
	}
	if !it.Converged {
		it.Stop = r.cycle(k, next, L)
	}
	r.remember(k, next)
	return it, nil
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
