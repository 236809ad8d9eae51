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
			return q, sweeps, err
		}
		GreedyValues(q, m.Actions, v)
		QFromValues(m, v, next)
		sweeps++
		change := mfg.LInfDistance(q, next)
		q, next = next, q
		if change <= opt.Tolerance || (opt.Tolerance == 0 && stop.done(change)) {
			break
		}
	}
	return q, sweeps, nil
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

// QFromValues writes Q(s,a) = r(s,a) + γ Σ_{s'} P(s'|s,a) V(s') into q.
func QFromValues(m *mfg.MDP, v, q []float64) {
	for i := range q {
		var ev float64
		for k := m.RowStart[i]; k < m.RowStart[i+1]; k++ {
			ev += m.Prob[k] * v[m.Next[k]]
		}
		q[i] = m.Reward[i] + m.Discount*ev
	}
}

// OptimalValues returns V* of m, by value iteration to float64 convergence.
func OptimalValues(m *mfg.MDP) []float64 {
	q, _ := ValueIteration(m, nil, ValueIterationOptions{})
	v := make([]float64, m.States)
	GreedyValues(q, m.Actions, v)
	return v
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
