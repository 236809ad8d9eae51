// Package engine solves mean-field games: one protocol for every algorithm on every kind of game,
// and one loop, Solve, that runs it and records one trace.
//
// # The protocol
//
// An Algorithm is a value holding parameters only. Begin starts a solve and returns a Run, which
// holds all the running state of that solve; calling Begin twice on the same value starts two
// independent solves. Run.Step performs one iteration: from the evaluated iterate of the previous
// step it returns the next Iterate (a policy, and what else the algorithm tracks). This is
// MFGLib's init_state / step_next_state, in Go.
//
// # One game model, two horizons
//
// A Problem presents a game to the algorithms whatever its horizon. Policies are indexed by time:
// π_0..π_T on a finite-horizon game (mfg.Finite), a single stationary policy (a sequence of length
// 1) on a stationary discounted game (mfg.Stationary). An Evaluation of π holds what the
// algorithms and the exploitability read, computed once and on demand:
//   - finite horizon: the mean field L_0..L_T of π run forward from μ0, and by backward induction
//     Q*_t and Q^π_t at it;
//   - stationary: the population L_π that π sustains (the fixed point of L = Γ2(π, L), package
//     exploit), and Q* and Q^π of the MDP at L_π.
//
// The exploitability is the gain of the best deviation at the policy's own mean field, ≥ 0 and 0
// exactly at a Nash equilibrium: Σ_s μ0(s) (max_a Q*_0(s,a) - Σ_a π_0(a|s) Q^π_0(s,a)) on a
// finite-horizon game (MFGLib's), Σ_s μ_π(s) (V*(s) - V^π(s)) at L_π on a stationary one. It is
// measured on the feasible version of the policy (negative entries set to 0, rows renormalised),
// as MFGLib scores it.
//
// # Iteration numbering
//
// Iteration k of a trace is the state after k steps: k = 0 is the initial policy π_0 (the uniform
// policy unless given) before any step, k = 1 the result of the first step, and so on. Every
// output (trace.csv, result.json, the sweeps' Parquet iterations) uses this numbering. For the
// fixed-point family (GMF-V, GMF-Q, naive), step k learns Q at L_{k-1} and records the policy π
// derived from it and the next population L_k; iteration 0 holds L_0 and the policy of a zero
// Q-table (uniform).
package engine
