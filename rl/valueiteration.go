package rl

import (
	"context"
	"fmt"
	"math"

	"meanfield/internal/cancel"
	"meanfield/mfg"
)

// ValueIterationOptions bound value iteration. The zero value runs to convergence in float64.
type ValueIterationOptions struct {
	// MaxSweeps caps the number of Bellman sweeps; 0 means 100000.
	MaxSweeps int
	// Tolerance stops once a sweep changes no entry of Q by more than it; 0 means stop when a
	// sweep changes nothing (or at MaxSweeps).
	Tolerance float64
}

// ValueIteration runs Bellman sweeps on Q from q0 (nil means zeros) and returns Q and the number of
// sweeps done. q0 is not modified. It is ValueIterationContext without a context.
func ValueIteration(m *mfg.MDP, q0 []float64, opt ValueIterationOptions) (q []float64, sweeps int) {
	q, sweeps, _ = ValueIterationContext(context.Background(), m, q0, opt)
	return q, sweeps
}

// ValueIterationContext is ValueIteration that checks ctx between sweeps (every sweep on large
// MDPs, every few on small ones: cancel.Every). When ctx is done it returns the Q of the sweeps
// done so far with ctx's error.
func ValueIterationContext(ctx context.Context, m *mfg.MDP, q0 []float64, opt ValueIterationOptions) (q []float64, sweeps int, err error) {
	q, sweeps, _, err = ValueIterate(ctx, m, q0, opt)
	return q, sweeps, err
}

// ValueIterate is ValueIterationContext, also reporting whether it stopped by its tolerance (or
// float64 convergence) rather than at MaxSweeps.
func ValueIterate(ctx context.Context, m *mfg.MDP, q0 []float64, opt ValueIterationOptions) (q []float64, sweeps int, converged bool, err error) {
	n := m.States * m.Actions
	q = make([]float64, n)
	if q0 != nil {
		copy(q, q0)
	}
	maxSweeps := opt.MaxSweeps
	if maxSweeps <= 0 {
		maxSweeps = 100000
	}
	v := make([]float64, m.States)
	next := make([]float64, n)
	stop := newConvergence(m)
	tick := cancel.Every(ctx, n+len(m.Prob))
	for sweeps < maxSweeps {
		if err := tick.Tick(); err != nil {
			return q, sweeps, false, err
		}
		GreedyValues(q, m.Actions, v)
		QFromValues(m, v, next)
		sweeps++
		change := mfg.LInfDistance(q, next)
		q, next = next, q
		if change <= opt.Tolerance || (opt.Tolerance == 0 && stop.done(change)) {
			return q, sweeps, true, nil
		}
	}
	return q, sweeps, false, nil
}

// convergence decides when iterating a γ-contraction has reached float64 accuracy: a sweep
// changes nothing, or the change is at the level of rounding (below 1e-11 of the scale
// 1 + max|r|/(1-γ) of the values) and has not reached a new minimum for 50 sweeps. (In large
// systems rounding can keep every sweep changing the last digits for ever, so "until nothing
// changes" alone may never come.)
type convergence struct {
	noise float64
	least float64
	since int
}

func newConvergence(m *mfg.MDP) *convergence {
	var rmax float64
	for _, r := range m.Reward {
		rmax = math.Max(rmax, math.Abs(r))
	}
	return &convergence{noise: 1e-11 * (1 + rmax/(1-m.Discount)), least: math.Inf(1)}
}

// done reports whether a sweep whose largest change was change ends the iteration.
func (c *convergence) done(change float64) bool {
	if change == 0 {
		return true
	}
	if change < c.least {
		c.least, c.since = change, 0
		return false
	}
	c.since++
	return change <= c.noise && c.since >= 50
}

// GreedyValues writes V(s) = max_a Q(s,a) into v.
func GreedyValues(q []float64, actions int, v []float64) {
	for s := range v {
		row := q[s*actions : (s+1)*actions]
		best := row[0]
		for _, x := range row[1:] {
			if x > best {
				best = x
			}
		}
		v[s] = best
	}
}

// QFromValues writes Q(s,a) = r(s,a) + γ Σ_{s'} P(s'|s,a) V(s') into q, each sum in the row's
// order. Two rows advance together: their sums are independent, so each addition need not wait
// for the one before it in the other row, and neither row's order changes.
func QFromValues(m *mfg.MDP, v, q []float64) {
	i := 0
	for ; i+2 <= len(q); i += 2 {
		lo, mid, hi := m.RowStart[i], m.RowStart[i+1], m.RowStart[i+2]
		p0, n0 := m.Prob[lo:mid], m.Next[lo:mid]
		p1, n1 := m.Prob[mid:hi], m.Next[mid:hi]
		var ev0, ev1 float64
		k := 0
		for ; k < len(p0) && k < len(p1); k++ {
			ev0 += p0[k] * v[n0[k]]
			ev1 += p1[k] * v[n1[k]]
		}
		for j := k; j < len(p0); j++ {
			ev0 += p0[j] * v[n0[j]]
		}
		for j := k; j < len(p1); j++ {
			ev1 += p1[j] * v[n1[j]]
		}
		q[i] = m.Reward[i] + m.Discount*ev0
		q[i+1] = m.Reward[i+1] + m.Discount*ev1
	}
	for ; i < len(q); i++ {
		var ev float64
		for k := m.RowStart[i]; k < m.RowStart[i+1]; k++ {
			ev += m.Prob[k] * v[m.Next[k]]
		}
		q[i] = m.Reward[i] + m.Discount*ev
	}
}

// OptimalValues returns V* of m: by value iteration to float64 convergence, or, when that does not
// come within its sweeps (a discount near 1 contracts too slowly), by policy iteration from value
// iteration's greedy policy, whose exact policy evaluations reach V* in a few steps.
func OptimalValues(m *mfg.MDP) ([]float64, error) {
	q, _, converged, _ := ValueIterate(context.Background(), m, nil, ValueIterationOptions{})
	v := make([]float64, m.States)
	GreedyValues(q, m.Actions, v)
	if converged {
		return v, nil
	}
	return PolicyIteration(m, q)
}

// PolicyIteration improves the greedy policy of q until it is greedy for its own values, and
// returns those values: V* (Howard's policy iteration, at most 1000 improvements, each an exact
// evaluation). From a q near Q* it takes a few improvements.
func PolicyIteration(m *mfg.MDP, q []float64) ([]float64, error) {
	pi := GreedyPolicy(q, m.States, m.Actions)
	next := make([]float64, len(q))
	for range 1000 {
		v, err := PolicyValues(m, pi)
		if err != nil {
			return nil, fmt.Errorf("optimal values: %w", err)
		}
		QFromValues(m, v, next)
		better := improve(pi, next, v)
		if !better {
			return v, nil
		}
	}
	return nil, fmt.Errorf("optimal values: policy iteration did not settle in 1000 improvements")
}

// improve makes pi greedy for q where an action beats the value v(s) of pi by more than rounding,
// and reports whether it changed anything.
func improve(pi mfg.Policy, q, v []float64) bool {
	changed := false
	for s := 0; s < pi.States; s++ {
		row, best := q[s*pi.Actions:(s+1)*pi.Actions], 0
		for a, x := range row {
			if x > row[best] {
				best = a
			}
		}
		if row[best] > v[s]+1e-12*(1+math.Abs(v[s])) {
			dst := pi.Row(s)
			clear(dst)
			dst[best] = 1
			changed = true
		}
	}
	return changed
}

// checkPolicy reports a policy whose shape does not match m.
func checkPolicy(m *mfg.MDP, pi mfg.Policy) error {
	if pi.States != m.States || pi.Actions != m.Actions || len(pi.Prob) != m.States*m.Actions {
		return fmt.Errorf("policy is %d×%d, MDP is %d×%d", pi.States, pi.Actions, m.States, m.Actions)
	}
	return nil
}

// isFinite reports whether every entry is finite.
func isFinite(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
