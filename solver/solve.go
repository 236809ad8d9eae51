package solver

import (
	"context"
	"fmt"
	"math"

	"meanfield/exploit"
	"meanfield/mfg"
	"meanfield/rl"
	"meanfield/seeds"
)

// Options assemble a solver from its parts. Use a preset (GMFV, GMFQ, Naive) and change what you
// need.
type Options struct {
	// Algorithm names the preset the options came from, for records; it does not change behaviour.
	Algorithm string
	// Iterations is K, the number of outer iterations.
	Iterations int
	// Tolerance stops early once ||L_{k+1} - L_k||_1 <= Tolerance; 0 runs all K iterations.
	Tolerance float64

	Inner          InnerSolver
	PolicyMap      PolicyMap
	PopulationStep PopulationStep
	Projection     Projection

	// Seed determines every random stream of the solve.
	Seed uint64
	// Exploitability records the exploitability of every π_k when the game has a model.
	Exploitability bool
	// ExploitabilityOptions control the search for the population each π_k sustains; it starts
	// from L_k unless Start is set.
	ExploitabilityOptions exploit.Options
	// Reference, when set, records the distance of every L_{k+1} to it (for instance to the GMF-V
	// equilibrium).
	Reference *mfg.Population
	// OnIteration, when set, is called after every outer iteration (for progress reports).
	OnIteration func(Iteration)
}

// Validate names the first part or parameter that is out of range.
func (o Options) Validate() error {
	if o.Iterations < 1 {
		return fmt.Errorf("iterations = %d: must be at least 1", o.Iterations)
	}
	if !(o.Tolerance >= 0) {
		return fmt.Errorf("tolerance = %v: must be non-negative", o.Tolerance)
	}
	if o.Inner == nil || o.PolicyMap == nil || o.PopulationStep == nil || o.Projection == nil {
		return fmt.Errorf("solver options: inner solver, policy map, population step and projection must all be set")
	}
	for _, part := range []interface{ Validate() error }{o.Inner, o.PolicyMap, o.PopulationStep, o.Projection} {
		if err := part.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// Iteration is the record of outer iteration k (k = 0, 1, ...).
type Iteration struct {
	K int
	// Q is Q_k, learned at L_k; Policy is π_k = PolicyMap(Q_k).
	Q      []float64
	Policy mfg.Policy
	// Population is L_{k+1}, after the population step and the projection.
	Population mfg.Population
	// L1Change and LInfChange are ||L_{k+1} - L_k|| in l1 and l∞.
	L1Change, LInfChange float64
	// InnerWork is the value-iteration sweeps or Q-learning samples spent on Q_k.
	InnerWork int64
	// Exploitability of π_k (see package exploit); HasExploitability is false when it was not
	// computed (model-free game, or not asked for).
	Exploitability    float64
	HasExploitability bool
	// ExploitabilityConverged reports whether the population π_k sustains was found to tolerance.
	ExploitabilityConverged bool
	// ReferenceL1 and ReferenceLInf are ||L_{k+1} - Reference||, when a reference is set.
	ReferenceL1, ReferenceLInf float64
	HasReference               bool
}

// Result is a finished (or stopped) solve.
type Result struct {
	Options Options
	// Initial is L_0.
	Initial mfg.Population
	Trace   []Iteration
	// Converged reports that the last change was within Options.Tolerance (> 0).
	Converged bool
}

// Final returns the last iteration's record.
func (r *Result) Final() Iteration { return r.Trace[len(r.Trace)-1] }

// Solve runs the fixed-point scheme on g. When ctx is cancelled it returns the iterations done so
// far together with ctx's error.
func Solve(ctx context.Context, g mfg.Game, opt Options) (*Result, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	L := g.InitialPopulation()
	if err := L.Validate(); err != nil {
		return nil, fmt.Errorf("%s: initial population: %w", g.Name(), err)
	}
	if opt.Reference != nil && len(opt.Reference.Mass) != len(L.Mass) {
		return nil, fmt.Errorf("reference population has %d entries, game has %d", len(opt.Reference.Mass), len(L.Mass))
	}
	inner, err := opt.Inner.Begin(g)
	if err != nil {
		return nil, err
	}
	model, hasModel := g.(mfg.ModelBased)
	res := &Result{Options: opt, Initial: L.Clone()}
	S, A := g.States(), g.Actions()
	for k := 0; k < opt.Iterations; k++ {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		q, work, err := inner.Improve(L, seeds.New(opt.Seed, seeds.QLearning, uint64(k)))
		if err != nil {
			return res, fmt.Errorf("iteration %d: %w", k, err)
		}
		pi := opt.PolicyMap.Policy(q, S, A)
		next, err := opt.PopulationStep.Next(g, L, pi, seeds.New(opt.Seed, seeds.PopulationSampling, uint64(k)))
		if err != nil {
			return res, fmt.Errorf("iteration %d: %w", k, err)
		}
		if next, err = opt.Projection.Project(next); err != nil {
			return res, fmt.Errorf("iteration %d: %w", k, err)
		}
		it := Iteration{
			K: k, Q: append([]float64(nil), q...), Policy: pi, Population: next,
			L1Change:   mfg.L1Distance(next.Mass, L.Mass),
			LInfChange: mfg.LInfDistance(next.Mass, L.Mass),
			InnerWork:  work,
		}
		if !isFinite(q) {
			return res, fmt.Errorf("iteration %d: the Q-table is not finite (check the step size and rewards)", k)
		}
		if opt.Reference != nil {
			it.ReferenceL1 = mfg.L1Distance(next.Mass, opt.Reference.Mass)
			it.ReferenceLInf = mfg.LInfDistance(next.Mass, opt.Reference.Mass)
			it.HasReference = true
		}
		if opt.Exploitability && hasModel {
			eo := opt.ExploitabilityOptions
			if eo.Start == nil {
				// π_k's population is usually near L_k: starting there saves most of the Γ2
				// iterations, and the fixed point found is the same wherever the iteration
				// converges to a unique one.
				eo.Start = &L
			}
			e, err := exploit.Exploitability(ctx, model, pi, eo)
			if err != nil {
				return res, fmt.Errorf("iteration %d: exploitability: %w", k, err)
			}
			it.Exploitability, it.HasExploitability, it.ExploitabilityConverged = e.Value, true, e.Converged
		}
		res.Trace = append(res.Trace, it)
		if opt.OnIteration != nil {
			opt.OnIteration(it)
		}
		L = next
		if opt.Tolerance > 0 && it.L1Change <= opt.Tolerance {
			res.Converged = true
			break
		}
	}
	return res, nil
}

func isFinite(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// Presets' defaults, from the project's specification.
const (
	DefaultTemperature  = 4     // softmax c
	DefaultStepExponent = 0.87  // h in β_n = 1/n^h
	DefaultEpsilonNet   = 1e-4  // ε of the projection
	DefaultQSteps       = 10000 // T_k of GMF-Q
	DefaultSweeps       = 5000  // value-iteration sweeps per outer iteration of GMF-V
)

// GMFV returns GMF-V: value iteration (at most 5000 sweeps, to float64 convergence), softmax_c,
// exact Γ2, no projection, K outer iterations stopping once the l1 change is below 1e-12.
func GMFV(iterations int, c float64) Options {
	return Options{
		Algorithm: "gmf-v", Iterations: iterations, Tolerance: 1e-12,
		Inner:          ValueIteration{MaxSweeps: DefaultSweeps},
		PolicyMap:      Softmax{C: c},
		PopulationStep: ExactStep{},
		Projection:     NoProjection{},
		Exploitability: true,
	}
}

// GMFQ returns GMF-Q: T_k Q-learning steps on uniformly drawn pairs with β_n = 1/n^0.87, Q and
// counts carried over, softmax_c, exact Γ2, projection on the ε-net.
func GMFQ(iterations, steps int, c, epsilon float64, seed uint64) Options {
	return Options{
		Algorithm: "gmf-q", Iterations: iterations,
		Inner:          QLearning{Steps: steps, Step: rl.PowerStep{Exponent: DefaultStepExponent}, Explore: rl.UniformPairs{}},
		PolicyMap:      Softmax{C: c},
		PopulationStep: ExactStep{},
		Projection:     EpsilonNet{Epsilon: epsilon},
		Seed:           seed,
		Exploitability: true,
	}
}

// Naive returns the naive algorithm: GMF-Q's Q-learning with argmax-e and no projection.
func Naive(iterations, steps int, seed uint64) Options {
	o := GMFQ(iterations, steps, DefaultTemperature, DefaultEpsilonNet, seed)
	o.Algorithm = "naive"
	o.PolicyMap = ArgmaxE{}
	o.Projection = NoProjection{}
	return o
}
