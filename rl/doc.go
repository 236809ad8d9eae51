// Package rl holds the single-agent tools that the mean-field solvers are built from: dynamic
// programming on a known MDP (value iteration, exact policy evaluation) and tabular Q-learning on
// a simulator, plus the policy maps from a Q-table to a policy (softmax_c, argmax-e).
//
// Value iteration applies the Bellman optimality operator to Q,
//
//	Q(s,a) <- r(s,a) + γ Σ_{s'} P(s'|s,a) max_{a'} Q(s',a'),
//
// which is a γ-contraction in the sup norm. Policy evaluation solves (I - γ P_π) V = r_π. Q-learning
// is the stochastic approximation
//
//	Q(s,a) <- (1-β) Q(s,a) + β [r + γ max_{a'} Q(s',a')],   (r, s') ~ G(s, a),
//
// with step sizes β_n = 1/n^h or constant, n the visits of (s,a), and (s,a) chosen uniformly at
// random (the simulator accepts any state) or along a trajectory with ε-greedy or Boltzmann
// exploration.
//
// Q-tables are flat slices indexed s*Actions+a, like every table in meanfield.
package rl
