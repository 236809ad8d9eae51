package mfg

import (
	"fmt"
	"math"
)

// LegalActions is implemented by the finite-horizon games in which some actions cannot be taken
// in some states (OpenSpiel's legal actions: a move into a wall). Legality depends on the state
// only, not on the time or the population.
//
// Legal returns the mask, flat S×A in the order s*Actions+a: Legal()[s*A+a] reports whether a can
// be taken at s; every state has at least one legal action; nil means every action is legal. It
// may share storage with the game and must not be modified.
//
// The stage's row of an illegal pair (s, a) must be a valid row (staying put, say), but nothing
// reads its values: policies put no mass on it (the uniform policy is uniform over the legal
// actions, best responses and softmaxes range over them), the optimal value is the maximum over
// the legal actions (Q*(s, a) = -Inf for an illegal a), and a policy with mass on an illegal
// action is refused. Solvers of stationary games do not read the mask.
type LegalActions interface {
	Legal() []bool
}

// LegalMask returns g's mask of legal actions (see LegalActions), nil when g has none or every
// action is legal.
func LegalMask(g Game) []bool {
	la, ok := g.(LegalActions)
	if !ok {
		return nil
	}
	return la.Legal()
}

// CheckLegalMask checks a mask of legal actions for a game of states × actions: its length, and a
// legal action in every state (nil passes).
func CheckLegalMask(legal []bool, states, actions int) error {
	if legal == nil {
		return nil
	}
	if len(legal) != states*actions {
		return fmt.Errorf("legal-action mask has %d entries, want states*actions = %d", len(legal), states*actions)
	}
	for s := 0; s < states; s++ {
		n := 0
		for _, ok := range legal[s*actions : (s+1)*actions] {
			if ok {
				n++
			}
		}
		if n == 0 {
			return fmt.Errorf("state %d has no legal action", s)
		}
	}
	return nil
}

// UniformLegalPolicy returns π(a|s) = 1/|legal actions at s| on the legal actions, 0 on the
// others (UniformPolicy when legal is nil).
func UniformLegalPolicy(states, actions int, legal []bool) Policy {
	if legal == nil {
		return UniformPolicy(states, actions)
	}
	pi := NewPolicy(states, actions)
	for s := 0; s < states; s++ {
		UniformLegalRow(pi.Row(s), legal[s*actions:(s+1)*actions])
	}
	return pi
}

// UniformLegalRow writes the uniform distribution over the legal actions of one state into row
// (over all actions when legal is nil).
func UniformLegalRow(row []float64, legal []bool) {
	n := 0
	for a := range row {
		if legal == nil || legal[a] {
			n++
		}
	}
	for a := range row {
		row[a] = 0
		if legal == nil || legal[a] {
			row[a] = 1 / float64(n)
		}
	}
}

// MaskIllegal sets q[i] = -Inf wherever legal[i] is false (nothing when legal is nil): the value of
// an action that cannot be taken, which every greedy choice and softmax then gives no mass.
func MaskIllegal(q []float64, legal []bool) {
	if legal == nil {
		return
	}
	for i, ok := range legal[:len(q)] {
		if !ok {
			q[i] = math.Inf(-1)
		}
	}
}

// IllegalMass returns the first pair (s, a) of an S×A policy with mass on an illegal action, and
// whether there is one.
func IllegalMass(pi Policy, legal []bool) (s, a int, found bool) {
	if legal == nil {
		return 0, 0, false
	}
	for i, p := range pi.Prob {
		if p != 0 && !legal[i] {
			return i / pi.Actions, i % pi.Actions, true
		}
	}
	return 0, 0, false
}
