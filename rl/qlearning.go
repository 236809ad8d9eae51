package rl

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"meanfield/internal/cancel"
	"meanfield/internal/sample"
	"meanfield/mfg"
)

// StepSize is a step-size schedule β_n, n >= 1 the number of visits of the pair being updated.
type StepSize interface {
	Rate(n int64) float64
}

// PowerStep is β_n = 1 / n^Exponent (the spec's default exponent is h = 0.87). Exponents in
// (1/2, 1] satisfy the Robbins-Monro conditions.
type PowerStep struct{ Exponent float64 }

// Rate returns n^-h.
func (p PowerStep) Rate(n int64) float64 { return math.Pow(float64(n), -p.Exponent) }

// ConstantStep is β_n = Beta for every n.
type ConstantStep struct{ Beta float64 }

// Rate returns Beta.
func (c ConstantStep) Rate(int64) float64 { return c.Beta }

// Exploration says how Q-learning picks the pair (s, a) to update at each step.
type Exploration interface{ isExploration() }

// UniformPairs draws (s, a) uniformly at random at every step, which a simulator that accepts any
// state allows; every pair is then visited at the same rate.
type UniformPairs struct{}

// EpsilonGreedy follows a trajectory: at its current state it takes a uniformly random action with
// probability Epsilon, else a greedy one (ties split evenly), and moves to the sampled next state.
type EpsilonGreedy struct{ Epsilon float64 }

// Boltzmann follows a trajectory, taking a ~ softmax_C(Q(s,·)).
type Boltzmann struct{ C float64 }

func (UniformPairs) isExploration()  {}
func (EpsilonGreedy) isExploration() {}
func (Boltzmann) isExploration()     {}

// ValidateExploration names a parameter of e that is out of range.
func ValidateExploration(e Exploration) error {
	switch e := e.(type) {
	case UniformPairs:
	case EpsilonGreedy:
		if !(e.Epsilon >= 0 && e.Epsilon <= 1) {
			return fmt.Errorf("epsilon = %v: must be in [0, 1]", e.Epsilon)
		}
	case Boltzmann:
		if !(e.C > 0) || math.IsInf(e.C, 0) {
			return fmt.Errorf("boltzmann-c = %v: must be positive and finite", e.C)
		}
	default:
		return fmt.Errorf("exploration %T: unknown", e)
	}
	return nil
}

// ValidateStepSize names a parameter of β that is out of range.
func ValidateStepSize(b StepSize) error {
	switch b := b.(type) {
	case PowerStep:
		if !(b.Exponent > 0 && b.Exponent <= 1) {
			return fmt.Errorf("step-exponent = %v: must be in (0, 1]", b.Exponent)
		}
	case ConstantStep:
		if !(b.Beta > 0 && b.Beta <= 1) {
			return fmt.Errorf("step-size = %v: must be in (0, 1]", b.Beta)
		}
	case nil:
		return fmt.Errorf("step size: none given")
	}
	return nil
}

// QLearner is tabular Q-learning whose Q-table and visit counts persist across calls to Run, so
// that learning can carry over from one population to the next.
type QLearner struct {
	States, Actions int
	Discount        float64
	Step            StepSize
	Explore         Exploration
	// Q[s*Actions+a] and Visits[s*Actions+a]; both may be reset or replaced between runs.
	Q      []float64
	Visits []int64

	state   int  // current state of a trajectory
	started bool // whether state is set
	rates   []float64
	probs   []float64 // scratch for exploration
	maxQ    []float64 // max_a Q(s,a), kept up to date during a run
}

// NewQLearner returns a learner with Q and visit counts at zero.
func NewQLearner(states, actions int, discount float64, step StepSize, explore Exploration) (*QLearner, error) {
	if states < 1 || actions < 1 {
		return nil, fmt.Errorf("q-learning: states = %d, actions = %d: both must be at least 1", states, actions)
	}
	if !(discount > 0 && discount < 1) {
		return nil, fmt.Errorf("discount = %v: must be in (0, 1)", discount)
	}
	if err := ValidateStepSize(step); err != nil {
		return nil, err
	}
	if explore == nil {
		explore = UniformPairs{}
	}
	if err := ValidateExploration(explore); err != nil {
		return nil, err
	}
	l := &QLearner{
		States: states, Actions: actions, Discount: discount, Step: step, Explore: explore,
		Q: make([]float64, states*actions), Visits: make([]int64, states*actions),
		probs: make([]float64, actions), maxQ: make([]float64, states),
	}
	if _, ok := step.(PowerStep); ok {
		l.growRates(1 << 12)
	}
	return l, nil
}

// maxRateTable bounds the table of n^-h (8 MiB); beyond it Rate is called for each step.
const maxRateTable = 1 << 20

// growRates extends the table of β_n to n < size, saving a math.Pow per step.
func (l *QLearner) growRates(size int) {
	old := len(l.rates)
	l.rates = append(l.rates, make([]float64, size-old)...)
	for n := max(old, 1); n < size; n++ {
		l.rates[n] = l.Step.Rate(int64(n))
	}
}

// Reset sets Q and the visit counts to zero and forgets the trajectory (a "cold" restart).
func (l *QLearner) Reset() {
	clear(l.Q)
	clear(l.Visits)
	l.started = false
}

func (l *QLearner) rate(n int64) float64 {
	if n < int64(len(l.rates)) {
		return l.rates[n]
	}
	if l.rates != nil && n < maxRateTable {
		l.growRates(int(min(2*n, maxRateTable)))
		return l.rates[n]
	}
	return l.Step.Rate(n)
}

func (l *QLearner) refreshMax() { GreedyValues(l.Q, l.Actions, l.maxQ) }

// update applies one Q-learning step to pair i = s*A+a with observed reward r and next state.
func (l *QLearner) update(i int, r float64, next int) {
	n := l.Visits[i] + 1
	l.Visits[i] = n
	old := l.Q[i]
	q := old + l.rate(n)*(r+l.Discount*l.maxQ[next]-old)
	l.Q[i] = q
	s := i / l.Actions
	switch {
	case q >= l.maxQ[s]:
		l.maxQ[s] = q
	case old == l.maxQ[s]: // the maximum may have dropped: recompute the row
		row := l.Q[s*l.Actions : (s+1)*l.Actions]
		best := row[0]
		for _, x := range row[1:] {
			best = math.Max(best, x)
		}
		l.maxQ[s] = best
	}
}

// Run performs steps Q-learning updates through the sampler, drawing from rng. It is
// RunContext without a context: it cannot be stopped.
func (l *QLearner) Run(sampler mfg.Sampler, steps int, rng *rand.Rand) {
	_ = l.RunContext(context.Background(), sampler, steps, rng)
}

// stepCost is the work of one Q-learning update for cancel.Every: a few operations and a sample.
const stepCost = 4

// RunContext performs steps Q-learning updates through the sampler, drawing from rng, and checks
// ctx every few thousand updates (cancel.Every). When ctx is done it stops there and returns its
// error: Q and the visit counts then hold the updates made so far. The checks draw no random
// numbers, so the updates are the same as Run's.
func (l *QLearner) RunContext(ctx context.Context, sampler mfg.Sampler, steps int, rng *rand.Rand) error {
	l.refreshMax() // Q may have been changed from outside since the last run
	A := l.Actions
	switch e := l.Explore.(type) {
	case UniformPairs:
		n := l.States * A
		chunk := cancel.Chunk(stepCost)
		for t := 0; t < steps; { // in chunks, the tightest loop free of checks
			if err := ctx.Err(); err != nil {
				return err
			}
			for end := t + min(chunk, steps-t); t < end; t++ {
				i := rng.IntN(n)
				s := i / A
				r, next := sampler.Sample(s, i-s*A, rng)
				l.update(i, r, next)
			}
		}
	case EpsilonGreedy:
		return l.runTrajectory(ctx, sampler, steps, rng, func(s int) int {
			if rng.Float64() < e.Epsilon {
				return rng.IntN(A)
			}
			ArgmaxE(l.probs, l.Q[s*A:(s+1)*A])
			return sample.Categorical(l.probs, rng)
		})
	case Boltzmann:
		return l.runTrajectory(ctx, sampler, steps, rng, func(s int) int {
			Softmax(l.probs, l.Q[s*A:(s+1)*A], e.C)
			return sample.Categorical(l.probs, rng)
		})
	}
	return nil
}

// runTrajectory performs steps updates along a trajectory, act choosing the action at each state.
func (l *QLearner) runTrajectory(ctx context.Context, sampler mfg.Sampler, steps int, rng *rand.Rand, act func(s int) int) error {
	if !l.started {
		l.state = rng.IntN(l.States)
		l.started = true
	}
	tick := cancel.Every(ctx, stepCost+l.Actions)
	for t := 0; t < steps; t++ {
		if err := tick.Tick(); err != nil {
			return err
		}
		s := l.state
		a := act(s)
		r, next := sampler.Sample(s, a, rng)
		l.update(s*l.Actions+a, r, next)
		l.state = next
	}
	return nil
}
