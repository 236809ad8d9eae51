package algorithms

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"meanfield/internal/cancel"
	"meanfield/internal/sample"
	"meanfield/mfg"
	"meanfield/rl"
)

// InnerSolver computes, at each outer iteration, a Q-table for the MDP of the frozen population.
type InnerSolver interface {
	// Begin prepares a solve of g; the state it returns carries whatever persists across outer
	// iterations (Q, visit counts).
	Begin(g mfg.Stationary) (InnerState, error)
	Validate() error
	// Applies reports why the solver cannot run on g (the access it needs), nil when it can.
	Applies(g mfg.Stationary) error
}

// InnerState is an inner solver during one solve.
type InnerState interface {
	// Improve returns Q for the MDP at L and the work done (sweeps or samples); the caller may
	// keep the slice. It checks ctx at bounded intervals of its work and returns ctx's error when
	// ctx is done.
	Improve(ctx context.Context, L mfg.Population, rng *rand.Rand) (q []float64, work int64, err error)
}

// ValueIteration is the inner solver of GMF-V: Bellman sweeps on the known model, starting from
// the previous outer iteration's Q (which only speeds convergence: the fixed point is the same).
type ValueIteration struct {
	// MaxSweeps per outer iteration; the spec's experiments use 5000.
	MaxSweeps int
	// Tolerance stops the sweeps once no entry of Q changes by more than it (0: run to float64
	// convergence or MaxSweeps).
	Tolerance float64
}

// Validate names a parameter out of range.
func (v ValueIteration) Validate() error {
	if v.MaxSweeps < 1 {
		return fmt.Errorf("sweeps = %d: must be at least 1", v.MaxSweeps)
	}
	if !(v.Tolerance >= 0) {
		return fmt.Errorf("sweep-tolerance = %v: must be non-negative", v.Tolerance)
	}
	return nil
}

// Applies requires the game's model.
func (ValueIteration) Applies(g mfg.Stationary) error {
	if _, ok := g.(mfg.ModelBased); !ok {
		return fmt.Errorf("inner = value-iteration needs the game's model, and %s has none (inner = q-learning learns from a simulator)", g.Name())
	}
	return nil
}

// Begin checks that g has a model.
func (v ValueIteration) Begin(g mfg.Stationary) (InnerState, error) {
	if err := v.Applies(g); err != nil {
		return nil, err
	}
	mb := g.(mfg.ModelBased)
	return &viState{opt: v, g: mb}, nil
}

type viState struct {
	opt       ValueIteration
	g         mfg.ModelBased
	q         []float64
	converged bool
}

// Improve runs the sweeps from the previous outer iteration's Q; an interrupted run keeps nothing.
func (st *viState) Improve(ctx context.Context, L mfg.Population, _ *rand.Rand) ([]float64, int64, error) {
	m, err := st.g.MDP(L)
	if err != nil {
		return nil, 0, err
	}
	q, sweeps, converged, err := rl.ValueIterate(ctx, m, st.q, rl.ValueIterationOptions{MaxSweeps: st.opt.MaxSweeps, Tolerance: st.opt.Tolerance})
	if err != nil {
		return nil, 0, err
	}
	st.q, st.converged = q, converged
	return slices.Clone(q), int64(sweeps), nil
}

// Converged reports whether the last Improve's sweeps converged before MaxSweeps.
func (st *viState) Converged() bool { return st.converged }

// Converger is an InnerState that can say whether its last Improve converged (value iteration
// before its sweep cap); the fixed-point scheme records it with every iteration.
type Converger interface {
	Converged() bool
}

// QLearning is the inner solver of GMF-Q and the naive algorithm: Steps updates of tabular
// Q-learning through the game's sampler at the frozen population.
type QLearning struct {
	// Steps is T_k, the Q-learning updates per outer iteration.
	Steps int
	// Step is the step-size schedule; Explore how (s, a) is picked.
	Step    rl.StepSize
	Explore rl.Exploration
	// Cold restarts Q and the visit counts at zero every outer iteration; by default both carry
	// over, which lets the error shrink as L settles.
	Cold bool
}

// Validate names a parameter out of range.
func (q QLearning) Validate() error {
	if q.Steps < 1 {
		return fmt.Errorf("steps = %d: must be at least 1", q.Steps)
	}
	if err := rl.ValidateStepSize(q.Step); err != nil {
		return err
	}
	if q.Explore != nil {
		return rl.ValidateExploration(q.Explore)
	}
	return nil
}

// Applies requires a simulator.
func (QLearning) Applies(g mfg.Stationary) error {
	if _, ok := g.(mfg.ModelFree); !ok {
		return fmt.Errorf("inner = q-learning needs a simulator, and %s has none (inner = value-iteration uses the model)", g.Name())
	}
	return nil
}

// Begin checks that g can be simulated.
func (q QLearning) Begin(g mfg.Stationary) (InnerState, error) {
	if err := q.Applies(g); err != nil {
		return nil, err
	}
	mf := g.(mfg.ModelFree)
	l, err := rl.NewQLearner(g.States(), g.Actions(), g.Discount(), q.Step, q.Explore)
	if err != nil {
		return nil, err
	}
	return &qlState{opt: q, g: mf, learner: l}, nil
}

type qlState struct {
	opt     QLearning
	g       mfg.ModelFree
	learner *rl.QLearner
}

// Improve runs Steps updates of the learner, whose Q and visit counts carry over unless Cold.
func (st *qlState) Improve(ctx context.Context, L mfg.Population, rng *rand.Rand) ([]float64, int64, error) {
	sampler, err := st.g.Sampler(L)
	if err != nil {
		return nil, 0, err
	}
	if st.opt.Cold {
		st.learner.Reset()
	}
	if err := st.learner.RunContext(ctx, sampler, st.opt.Steps, rng); err != nil {
		return nil, 0, err
	}
	return slices.Clone(st.learner.Q), int64(st.opt.Steps), nil
}

// PolicyMap turns a Q-table into a policy.
type PolicyMap interface {
	Policy(q []float64, states, actions int) mfg.Policy
	Validate() error
}

// Softmax is π(·|s) = softmax_c(Q(s,·)): Lipschitz in Q, which is what makes GMF-Q stable.
type Softmax struct{ C float64 }

// ArgmaxE is π(·|s) = argmax-e(Q(s,·)): equal mass on the maximisers; not Lipschitz.
type ArgmaxE struct{}

// Policy applies softmax_c row by row.
func (p Softmax) Policy(q []float64, states, actions int) mfg.Policy {
	return rl.SoftmaxPolicy(q, states, actions, p.C)
}

// Validate checks c > 0.
func (p Softmax) Validate() error {
	if !(p.C > 0) || math.IsInf(p.C, 0) {
		return fmt.Errorf("temperature = %v: the softmax parameter c must be positive and finite", p.C)
	}
	return nil
}

// Policy applies argmax-e row by row.
func (ArgmaxE) Policy(q []float64, states, actions int) mfg.Policy {
	return rl.GreedyPolicy(q, states, actions)
}

// Validate always succeeds.
func (ArgmaxE) Validate() error { return nil }

// PopulationStep computes L̃_{k+1} from (π_k, L_k).
type PopulationStep interface {
	// Next returns L̃_{k+1}; a step whose work a user sizes checks ctx at bounded intervals of it
	// and returns ctx's error when ctx is done.
	Next(ctx context.Context, g mfg.Stationary, L mfg.Population, pi mfg.Policy, rng *rand.Rand) (mfg.Population, error)
	Validate() error
	// Applies reports why the step cannot run on g (the access it needs), nil when it can.
	Applies(g mfg.Stationary) error
}

// ExactStep is Γ2 computed from the model.
type ExactStep struct{}

// Applies requires the game's model.
func (ExactStep) Applies(g mfg.Stationary) error {
	if _, ok := g.(mfg.ModelBased); !ok {
		return fmt.Errorf("population-step = exact needs the game's model, and %s has none (population-step = sampled simulates agents)", g.Name())
	}
	return nil
}

// Next returns Γ2(π, L).
func (ExactStep) Next(_ context.Context, g mfg.Stationary, L mfg.Population, pi mfg.Policy, _ *rand.Rand) (mfg.Population, error) {
	mb, ok := g.(mfg.ModelBased)
	if !ok {
		return mfg.Population{}, fmt.Errorf("the exact population step needs the game's model, and %s is model-free: sample agents instead", g.Name())
	}
	m, err := mb.MDP(L)
	if err != nil {
		return mfg.Population{}, err
	}
	return mfg.NextPopulation(m, L, pi), nil
}

// Validate always succeeds.
func (ExactStep) Validate() error { return nil }

// SampledStep estimates Γ2 from Agents simulated agents: s0 ~ μ, a0 ~ π(s0), s1 from the
// sampler, a1 ~ π(s1); L̃ is the empirical distribution of (s1, a1).
type SampledStep struct{ Agents int }

// Validate checks Agents >= 1.
func (p SampledStep) Validate() error {
	if p.Agents < 1 {
		return fmt.Errorf("agents = %d: must be at least 1", p.Agents)
	}
	return nil
}

// Applies requires a simulator.
func (SampledStep) Applies(g mfg.Stationary) error {
	if _, ok := g.(mfg.ModelFree); !ok {
		return fmt.Errorf("population-step = sampled needs a simulator, and %s has none (population-step = exact uses the model)", g.Name())
	}
	return nil
}

// Next returns the empirical Γ2(π, L) of Agents sampled agents, checking ctx every few thousand
// agents (the checks draw no random numbers).
func (p SampledStep) Next(ctx context.Context, g mfg.Stationary, L mfg.Population, pi mfg.Policy, rng *rand.Rand) (mfg.Population, error) {
	mf, ok := g.(mfg.ModelFree)
	if !ok {
		return mfg.Population{}, fmt.Errorf("the sampled population step needs a simulator, and %s has none", g.Name())
	}
	sampler, err := mf.Sampler(L)
	if err != nil {
		return mfg.Population{}, err
	}
	A := L.Actions
	next := mfg.NewPopulation(L.States, A)
	w := 1 / float64(p.Agents)
	tick := cancel.Every(ctx, agentCost)
	for i := 0; i < p.Agents; i++ {
		if err := tick.Tick(); err != nil {
			return mfg.Population{}, err
		}
		sa := sample.Categorical(L.Mass, rng)
		s0 := sa / A
		a0 := sample.Categorical(pi.Row(s0), rng)
		_, s1 := sampler.Sample(s0, a0, rng)
		a1 := sample.Categorical(pi.Row(s1), rng)
		next.Mass[s1*A+a1] += w
	}
	return next, nil
}

// agentCost is the work of one sampled agent for cancel.Every: three categorical draws and a
// sample.
const agentCost = 8

// Projection maps L̃_{k+1} to L_{k+1}.
type Projection interface {
	Project(L mfg.Population) (mfg.Population, error)
	Validate() error
}

// NoProjection leaves L̃ as it is.
type NoProjection struct{}

// Project returns L unchanged.
func (NoProjection) Project(L mfg.Population) (mfg.Population, error) { return L, nil }

// Validate always succeeds.
func (NoProjection) Validate() error { return nil }

// EpsilonNet projects onto S_ε, the distributions on S×A whose entries are multiples of ε
// (1/ε a whole number m), by largest-remainder rounding: every entry is rounded down to a multiple
// of ε and the missing units go to the entries with the largest remainders (ties to the lowest
// index). The result is a nearest point of S_ε in l1 and in l∞: every entry moves by less than ε,
// and the l1 distance is at most n·ε/2 for n = |S×A| entries.
type EpsilonNet struct{ Epsilon float64 }

// Units returns m = 1/ε.
func (p EpsilonNet) Units() int { return int(math.Round(1 / p.Epsilon)) }

// Validate checks that ε is in (0, 1] and 1/ε is a whole number.
func (p EpsilonNet) Validate() error {
	if !(p.Epsilon > 0 && p.Epsilon <= 1) {
		return fmt.Errorf("epsilon-net = %v: must be in (0, 1]", p.Epsilon)
	}
	m := 1 / p.Epsilon
	if math.Abs(m-math.Round(m)) > 1e-9*m || m > 1<<40 {
		return fmt.Errorf("epsilon-net = %v: 1/epsilon must be a whole number (such as 0.001 or 0.0005)", p.Epsilon)
	}
	return nil
}

// Project returns the largest-remainder rounding of L onto S_ε.
func (p EpsilonNet) Project(L mfg.Population) (mfg.Population, error) {
	m := p.Units()
	out := mfg.NewPopulation(L.States, L.Actions)
	units := make([]int64, len(L.Mass))
	rem := make([]float64, len(L.Mass))
	var total float64
	for _, x := range L.Mass {
		total += x
	}
	if !(total > 0) || math.IsInf(total, 0) {
		return out, fmt.Errorf("epsilon-net projection: population has total mass %v", total)
	}
	var assigned int64
	for i, x := range L.Mass {
		scaled := x / total * float64(m) // renormalise first: sampled or rounded L may be off by ulps
		u := math.Floor(scaled)
		units[i] = int64(u)
		rem[i] = scaled - u
		assigned += units[i]
	}
	order := make([]int, len(rem))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return rem[order[x]] > rem[order[y]] })
	missing := min(int(int64(m)-assigned), len(order))
	for _, i := range order[:max(missing, 0)] {
		units[i]++
	}
	for i, u := range units {
		out.Mass[i] = float64(u) / float64(m)
	}
	return out, nil
}
