package mfg

import (
	"fmt"
	"math"
	"slices"
)

// MDP is a finite discounted Markov decision process: the single-agent problem a representative
// agent faces when the population is frozen at some L. Rewards are expected rewards r(s, a);
// transitions are stored in compressed sparse rows, one row per pair (s, a) in the order
// s*Actions+a, because many games move to a handful of successors.
type MDP struct {
	States, Actions int
	Discount        float64
	// Reward[s*Actions+a] = r(s, a).
	Reward []float64
	// Row i = s*Actions+a holds the successors Next[RowStart[i]:RowStart[i+1]] with probabilities
	// Prob[RowStart[i]:RowStart[i+1]]. len(RowStart) = States*Actions+1.
	RowStart []int
	Next     []int
	Prob     []float64
	// Legal, when not nil, is the mask of legal actions of a finite-horizon game's stage (see
	// LegalActions), attached by package finite: the optimal value ranges over the legal actions.
	Legal []bool
	// Stencil, when not nil, is a second form of the transitions (see NewStencil), shared by the
	// shallow copies that keep them.
	Stencil *Stencil
}

// Clone returns a copy of m with rewards, transitions and legal-action mask of its own, which may
// be changed without touching m's. The Stencil is shared: it describes only the storage it was
// made for (Describes), so a clone's own transitions are never read through it.
func (m *MDP) Clone() *MDP {
	c := *m
	c.Reward, c.RowStart = slices.Clone(m.Reward), slices.Clone(m.RowStart)
	c.Next, c.Prob, c.Legal = slices.Clone(m.Next), slices.Clone(m.Prob), slices.Clone(m.Legal)
	return &c
}

// Successors returns the successor states of (s, a) and their probabilities, aliasing the storage.
func (m *MDP) Successors(s, a int) (next []int, prob []float64) {
	i := s*m.Actions + a
	lo, hi := m.RowStart[i], m.RowStart[i+1]
	return m.Next[lo:hi], m.Prob[lo:hi]
}

// NewDenseMDP builds an MDP from dense arrays: reward[s*A+a] and transition[(s*A+a)*S+s'] =
// P(s'|s,a). Zero probabilities are dropped. The result is validated.
func NewDenseMDP(states, actions int, discount float64, reward, transition []float64) (*MDP, error) {
	if states < 1 || actions < 1 {
		return nil, fmt.Errorf("mdp: states = %d, actions = %d: both must be at least 1", states, actions)
	}
	if len(reward) != states*actions {
		return nil, fmt.Errorf("mdp: reward has %d entries, want states*actions = %d", len(reward), states*actions)
	}
	if len(transition) != states*actions*states {
		return nil, fmt.Errorf("mdp: transition has %d entries, want states*actions*states = %d", len(transition), states*actions*states)
	}
	b := NewMDPBuilder(states, actions, discount)
	copy(b.MDP.Reward, reward)
	for i := 0; i < states*actions; i++ {
		for sp, p := range transition[i*states : (i+1)*states] {
			if p != 0 {
				b.Add(sp, p)
			}
		}
		b.EndRow()
	}
	return b.Build()
}

// MDPBuilder fills an MDP row by row: for each pair (s, a) in order s*Actions+a, Add its
// successors, then EndRow. Rewards are set directly in MDP.Reward.
type MDPBuilder struct {
	MDP *MDP
}

// NewMDPBuilder returns a builder with zero rewards and no rows.
func NewMDPBuilder(states, actions int, discount float64) *MDPBuilder {
	m := &MDP{
		States: states, Actions: actions, Discount: discount,
		Reward:   make([]float64, states*actions),
		RowStart: make([]int, 1, states*actions+1),
	}
	return &MDPBuilder{MDP: m}
}

// Grow reserves room for n more successor entries, saving reallocations when the caller knows
// roughly how many it will add.
func (b *MDPBuilder) Grow(n int) {
	m := b.MDP
	m.Next = slices.Grow(m.Next, n)
	m.Prob = slices.Grow(m.Prob, n)
}

// Reset empties the builder for reuse with the same sizes, keeping its storage.
func (b *MDPBuilder) Reset() {
	m := b.MDP
	clear(m.Reward)
	m.RowStart = m.RowStart[:1]
	m.Next = m.Next[:0]
	m.Prob = m.Prob[:0]
}

// Add appends successor next with probability p to the current row, merging a repeated successor
// that was added last.
func (b *MDPBuilder) Add(next int, p float64) {
	m := b.MDP
	start := m.RowStart[len(m.RowStart)-1]
	if n := len(m.Next); n > start && m.Next[n-1] == next {
		m.Prob[n-1] += p
		return
	}
	m.Next = append(m.Next, next)
	m.Prob = append(m.Prob, p)
}

// EndRow closes the current row.
func (b *MDPBuilder) EndRow() { b.MDP.RowStart = append(b.MDP.RowStart, len(b.MDP.Next)) }

// Build validates and returns the MDP.
func (b *MDPBuilder) Build() (*MDP, error) {
	if err := b.MDP.Validate(); err != nil {
		return nil, err
	}
	return b.MDP, nil
}

// Validate reports the first thing wrong with m: sizes, a discount outside (0, 1), a reward that is
// not finite, a successor out of range, or a transition row that is not a distribution.
func (m *MDP) Validate() error {
	if !(m.Discount > 0 && m.Discount < 1) {
		return fmt.Errorf("mdp: discount = %v: must be in (0, 1)", m.Discount)
	}
	return m.ValidateTransitions()
}

// BuildStage validates everything but the discount and returns the MDP: a stage of a
// finite-horizon game, whose discount is not used.
func (b *MDPBuilder) BuildStage() (*MDP, error) {
	if err := b.MDP.ValidateTransitions(); err != nil {
		return nil, err
	}
	return b.MDP, nil
}

// ValidateTransitions is Validate without the discount: sizes, finite rewards, successors in
// range, transition rows that are distributions.
func (m *MDP) ValidateTransitions() error {
	if m.States < 1 || m.Actions < 1 {
		return fmt.Errorf("mdp: states = %d, actions = %d: both must be at least 1", m.States, m.Actions)
	}
	n := m.States * m.Actions
	if len(m.Reward) != n || len(m.RowStart) != n+1 || len(m.Next) != len(m.Prob) {
		return fmt.Errorf("mdp: %d rewards and %d rows, want %d of each", len(m.Reward), len(m.RowStart)-1, n)
	}
	if m.RowStart[0] != 0 || m.RowStart[n] != len(m.Next) {
		return fmt.Errorf("mdp: rows span [%d, %d), want [0, %d)", m.RowStart[0], m.RowStart[n], len(m.Next))
	}
	for i := 0; i < n; i++ {
		if m.RowStart[i] > m.RowStart[i+1] {
			return fmt.Errorf("mdp: row %d starts at %d after row %d ends at %d", i, m.RowStart[i+1], i, m.RowStart[i])
		}
	}
	for i := 0; i < n; i++ {
		s, a := i/m.Actions, i%m.Actions
		if r := m.Reward[i]; math.IsNaN(r) || math.IsInf(r, 0) {
			return fmt.Errorf("mdp: reward r(s=%d, a=%d) = %v: must be finite", s, a, r)
		}
		var sum float64
		for k := m.RowStart[i]; k < m.RowStart[i+1]; k++ {
			sp, p := m.Next[k], m.Prob[k]
			if sp < 0 || sp >= m.States {
				return fmt.Errorf("mdp: transition from (s=%d, a=%d) to state %d: out of range [0, %d)", s, a, sp, m.States)
			}
			if !(p >= 0 && p <= 1+distributionTolerance) {
				return fmt.Errorf("mdp: transition P(%d|s=%d, a=%d) = %v: must be a probability in [0, 1]", sp, s, a, p)
			}
			sum += p
		}
		if math.Abs(sum-1) > distributionTolerance {
			return fmt.Errorf("mdp: transition P(·|s=%d, a=%d) sums to %.12g, want 1", s, a, sum)
		}
	}
	return nil
}
