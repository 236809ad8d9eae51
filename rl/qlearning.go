package rl

import (
	"context"
	"fmt"
	"math"
	"math/bits"
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

// rate is β_n: from the table when it holds n (one load, inlined in the loop), else slowRate.
func (l *QLearner) rate(n int64) float64 {
	if uint64(n) < uint64(len(l.rates)) {
		return l.rates[n]
	}
	return l.slowRate(n)
}

// slowRate grows the table of β_n when the schedule has one, else asks the schedule.
func (l *QLearner) slowRate(n int64) float64 {
	if l.rates != nil && n < maxRateTable {
		l.growRates(int(min(2*n, maxRateTable)))
		return l.rates[n]
	}
	return l.Step.Rate(n)
}

func (l *QLearner) refreshMax() { GreedyValues(l.Q, l.Actions, l.maxQ) }

// update applies one Q-learning step to pair i = s*A+a with observed reward r and next state:
// Q(s,a) += β_n (r + γ max_a' Q(next,a') - Q(s,a)), n the visits of (s,a) including this one.
// The row maximum max_a Q(s,a) is kept up to date: it needs the row only when the entry that
// was the maximum decreased, about one step in twelve on the default auction (recomputeMax).
func (l *QLearner) update(i, s int, r float64, next int) {
	n := l.Visits[i] + 1
	l.Visits[i] = n
	old := l.Q[i]
	q := old + float64(l.rate(n)*(r+float64(l.Discount*l.maxQ[next])-old))
	l.Q[i] = q
	if m := l.maxQ[s]; q >= m {
		l.maxQ[s] = q
	} else if old == m { // the maximum may have dropped
		l.recomputeMax(s)
	}
}

// recomputeMax sets maxQ[s] = max_a Q(s,a), folding the row with math.Max's rules from Q(s,0)
// on: the comparisons settle every pair of ordered numbers inline, and only NaNs and zeros (where
// math.Max has its special cases: a NaN wins unless the other is +Inf, and +0 beats -0) go through
// math.Max itself, which is an assembly function on amd64.
func (l *QLearner) recomputeMax(s int) {
	row := l.Q[s*l.Actions : (s+1)*l.Actions]
	best := row[0]
	for _, x := range row[1:] {
		switch {
		case x > best:
			best = x
		case x < best || (x == best && x != 0):
		default:
			best = math.Max(best, x)
		}
	}
	l.maxQ[s] = best
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
		return l.runUniform(ctx, sampler, steps, rng)
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

// runUniform performs steps updates at pairs drawn uniformly, i = rng.IntN(S·A) = s·A + a, in
// chunks: the tightest loop is free of checks.
func (l *QLearner) runUniform(ctx context.Context, sampler mfg.Sampler, steps int, rng *rand.Rand) error {
	A := l.Actions
	n := l.States * A
	rows, pairs := newDivisor(A, n), newPairDraw(n)
	chunk := cancel.Chunk(stepCost)
	for t := 0; t < steps; {
		if err := ctx.Err(); err != nil {
			return err
		}
		for end := t + min(chunk, steps-t); t < end; t++ {
			var i int // rng.IntN(n)
			if pairs.plain {
				i = rng.IntN(n)
			} else if hi, lo := bits.Mul64(rng.Uint64(), pairs.n); lo >= pairs.n {
				i = int(hi)
			} else {
				i = pairs.rejected(rng, hi, lo)
			}
			s := rows.div(i)
			r, next := sampler.Sample(s, i-s*A, rng)
			l.update(i, s, r, next)
		}
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
		l.update(s*l.Actions+a, s, r, next)
		l.state = next
	}
	return nil
}

// divisor computes i / d for 0 <= i < limit by a multiplication instead of a division instruction
// (which costs several times more, once a step): with c = floor((2^64-1)/d) + 1 = ceil(2^64/d),
// i / d = floor(c·i / 2^64) for every i < 2^32 when 1 < d <= 2^32 (Lemire, Kaser and Kurz, Faster
// remainder by direct computation, 2019, with N = 32 and F = 64). d = 1 and ranges beyond 2^32
// divide plainly. TestDivisorIsDivision checks it.
type divisor struct {
	d    int
	c    uint64
	fast bool
}

func newDivisor(d, limit int) divisor {
	if d > 1 && uint64(d) < 1<<32 && uint64(limit) <= 1<<32 {
		return divisor{d: d, c: ^uint64(0)/uint64(d) + 1, fast: true}
	}
	return divisor{d: d}
}

func (v divisor) div(i int) int {
	if v.fast {
		hi, _ := bits.Mul64(v.c, uint64(i))
		return int(hi)
	}
	return i / v.d
}

// pairDraw draws i = rng.IntN(n) as math/rand/v2 does on 64-bit platforms, inlined in the loop to
// save a call on every step: i is the high word of x·n, x = rng.Uint64(), unless the low word is
// below n, when Lemire's rejection may draw again (rejected). For powers of 2 (a mask) and on
// 32-bit platforms, plain says to call rng.IntN itself. TestUniformPairsAreRandIntN holds the
// loop's pairs to rng.IntN's, rejections included.
type pairDraw struct {
	n     uint64
	plain bool
}

func newPairDraw(n int) pairDraw {
	return pairDraw{n: uint64(n), plain: bits.UintSize == 32 || n&(n-1) == 0}
}

// rejected finishes a draw whose low word lo is below n: it is kept when at least 2^64 mod n,
// else x is drawn again.
func (p pairDraw) rejected(rng *rand.Rand, hi, lo uint64) int {
	for thresh := -p.n % p.n; lo < thresh; {
		hi, lo = bits.Mul64(rng.Uint64(), p.n)
	}
	return int(hi)
}
