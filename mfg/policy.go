package mfg

import "fmt"

// Policy is a stationary randomised policy π: an |S|×|A| row-stochastic matrix stored row-major,
// Prob[s*Actions+a] = π(a|s).
type Policy struct {
	States, Actions int
	Prob            []float64
}

// NewPolicy returns an all-zero |S|×|A| matrix to be filled in.
func NewPolicy(states, actions int) Policy {
	return Policy{States: states, Actions: actions, Prob: make([]float64, states*actions)}
}

// UniformPolicy returns π(a|s) = 1/|A|.
func UniformPolicy(states, actions int) Policy {
	pi := NewPolicy(states, actions)
	w := 1 / float64(actions)
	for i := range pi.Prob {
		pi.Prob[i] = w
	}
	return pi
}

// Row returns π(·|s), aliasing the policy's storage.
func (pi Policy) Row(s int) []float64 { return pi.Prob[s*pi.Actions : (s+1)*pi.Actions] }

// Clone returns a deep copy.
func (pi Policy) Clone() Policy {
	return Policy{States: pi.States, Actions: pi.Actions, Prob: append([]float64(nil), pi.Prob...)}
}

// Validate reports whether every row of π is a probability distribution.
func (pi Policy) Validate() error {
	if pi.States < 1 || pi.Actions < 1 {
		return fmt.Errorf("policy: states = %d, actions = %d: both must be at least 1", pi.States, pi.Actions)
	}
	if len(pi.Prob) != pi.States*pi.Actions {
		return fmt.Errorf("policy: %d entries, want states*actions = %d", len(pi.Prob), pi.States*pi.Actions)
	}
	for s := 0; s < pi.States; s++ {
		// The label is formatted only on failure: this check runs on every policy of a solve.
		if err := checkDistribution("", pi.Row(s)); err != nil {
			return fmt.Errorf("policy π(·|s=%d)%w", s, err)
		}
	}
	return nil
}
