package rl

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"meanfield/mfg"
)

// directSolveLimit is the largest state count for which PolicyValues solves the linear system
// directly (LU, O(S³)); above it, it iterates the Bellman expectation operator to float64
// convergence.
const directSolveLimit = 1500

// PolicyValues returns V^π, the solution of V = r_π + γ P_π V, where
// r_π(s) = Σ_a π(a|s) r(s,a) and P_π(s'|s) = Σ_a π(a|s) P(s'|s,a).
func PolicyValues(m *mfg.MDP, pi mfg.Policy) ([]float64, error) {
	if err := checkPolicy(m, pi); err != nil {
		return nil, err
	}
	S, A := m.States, m.Actions
	rpi := make([]float64, S)
	for s := 0; s < S; s++ {
		for a, p := range pi.Row(s) {
			rpi[s] += p * m.Reward[s*A+a]
		}
	}
	if S > directSolveLimit {
		return iteratePolicyValues(m, pi, rpi), nil
	}
	// (I - γ P_π) V = r_π
	lhs := mat.NewDense(S, S, nil)
	for s := 0; s < S; s++ {
		lhs.Set(s, s, 1)
		for a, p := range pi.Row(s) {
			if p == 0 {
				continue
			}
			next, prob := m.Successors(s, a)
			for k, sp := range next {
				lhs.Set(s, sp, lhs.At(s, sp)-m.Discount*p*prob[k])
			}
		}
	}
	var v mat.VecDense
	if err := v.SolveVec(lhs, mat.NewVecDense(S, rpi)); err != nil {
		return nil, fmt.Errorf("policy evaluation: %w", err)
	}
	out := make([]float64, S)
	copy(out, v.RawVector().Data)
	if !isFinite(out) {
		return nil, fmt.Errorf("policy evaluation: values are not finite")
	}
	return out, nil
}

func iteratePolicyValues(m *mfg.MDP, pi mfg.Policy, rpi []float64) []float64 {
	S, A := m.States, m.Actions
	v := make([]float64, S)
	next := make([]float64, S)
	stop := newConvergence(m)
	for it := 0; it < 1_000_000; it++ {
		for s := 0; s < S; s++ {
			var ev float64
			for a, p := range pi.Row(s) {
				if p == 0 {
					continue
				}
				i := s*A + a
				var e float64
				for k := m.RowStart[i]; k < m.RowStart[i+1]; k++ {
					e += m.Prob[k] * v[m.Next[k]]
				}
				ev += float64(p * e)
			}
			next[s] = rpi[s] + m.Discount*ev
		}
		change := mfg.LInfDistance(v, next)
		v, next = next, v
		if stop.done(change) {
			break
		}
	}
	return v
}

// PolicyQ returns Q^π(s,a) = r(s,a) + γ Σ P(s'|s,a) V^π(s').
func PolicyQ(m *mfg.MDP, pi mfg.Policy) ([]float64, error) {
	v, err := PolicyValues(m, pi)
	if err != nil {
		return nil, err
	}
	q := make([]float64, m.States*m.Actions)
	QFromValues(m, v, q)
	return q, nil
}
