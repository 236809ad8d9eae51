// Package finite holds the dynamics of finite-horizon mean-field games (mfg.Finite), the setting
// of MFGLib and of OpenSpiel's mean-field games.
//
// A game has time steps t = 0..T, finite states and actions (flattened to indices row-major, with
// their shapes kept for the user by Shape), an initial state distribution μ0, a reward
// r(t, s, a, L_t) and a transition P(s'|t, s, a, L_t), where L_t is the population's state-action
// distribution at time t. A policy is a sequence π_0..π_T of stationary policies (Policy) and a
// mean field a sequence L_0..L_T of populations (MeanField). The mean field of π runs forward:
//
//	L_0(s, a) = μ0(s) π_0(a|s),   L_{t+1}(s', a') = π_{t+1}(a'|s') Σ_{s,a} L_t(s, a) P(s'|t, s, a, L_t).
//
// Q-functions run backward from Q_T = r(T, ·, ·, L_T):
//
//	Q*_t(s, a)  = r_t(s, a) + Σ_{s'} P_t(s'|s, a) max_{a'} Q*_{t+1}(s', a'),
//	Q^π_t(s, a) = r_t(s, a) + Σ_{s'} P_t(s'|s, a) Σ_{a'} π_{t+1}(a'|s') Q^π_{t+1}(s', a').
//
// Exploitability is MFGLib 0.3.0's: with L the mean field of π,
//
//	E(π) = Σ_s μ0(s) max_a Q*_0(s, a) - Σ_s μ0(s) Σ_a π_0(a|s) Q^π_0(s, a),   both at L.
//
// This package computes these quantities in float64; the algorithms that use them live in package
// algorithms and run through package engine, alike on finite-horizon and stationary games.
// Package mfglib32 reruns MFGLib's games and algorithms in MFGLib's own float32 arithmetic, for
// its numbers bit for bit.
package finite
