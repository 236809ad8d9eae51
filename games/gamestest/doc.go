// Package gamestest is a conformance kit for mean-field games, in the spirit of testing/fstest: a
// game, built in or written by a user, runs Check on itself in a test,
//
//	if err := gamestest.Check(g, gamestest.Options{Seed: 1}); err != nil {
//		t.Fatal(err)
//	}
//
// and Check reports every way in which g breaks the contract of package mfg, as one error joining
// one line per failure (errors.Join). Each line names the game, the check and the values, e.g.
//
//	beach-bar: stage t = 2 at random mean field 1 of 3: P(·|s=3, a=1) sums to 0.97, want 1
//
// Run gives the same verdict as a Report: each group of checks (Group: declaration, initial
// distribution, shapes, distributions, rewards, extreme mean fields, determinism, fixed moves,
// sampler, simulator against model) with what it checked and its failures, written as text by
// Report.Write (mfg check-game prints it).
//
// Every check is deterministic given Options.Seed: random inputs come from math/rand/v2's PCG
// seeded with it. Calls into the game are guarded: a panic is reported as a failure of the check
// that made the call.
//
// # Every game
//
// Name() is non-empty and has no white space; States() >= 1 and Actions() >= 1; the game is
// exactly one of the two kinds, mfg.Stationary or mfg.Finite; a stationary game is also
// mfg.ModelBased, mfg.ModelFree or both (otherwise nothing can read its rewards or dynamics).
//
// # A stage or an MDP
//
// An MDP m returned for a population L (a stage r(t, ·, ·, L_t), P(·|t, ·, ·, L_t), or a stationary
// game's r(·, ·, L), P(·|·, ·, L)) must have m.States × m.Actions equal to the game's
// S × A, S·A rewards, all finite, and, when its transitions are read (every stationary MDP; stages
// t < T), S·A+1 row starts with RowStart[0] = 0, non-decreasing, RowStart[S·A] = len(Next) =
// len(Prob), and for every pair (s, a)
//
//	0 <= s' < S and P(s'|s, a) >= 0 finite for every listed successor s',  |Σ_s' P(s'|s, a) − 1| <= 1e-9.
//
// Calling the method twice with the same arguments must give the same values bit for bit (the
// values are compared, not the pointers, since a result may share the game's storage), and the
// method must not write into L.Mass.
//
// At most 5 problems are listed per MDP and check (rewards, rows) or per sampler check, then their number; a failure whose
// message repeats word for word at another time or population is counted in a last line, not
// listed again.
//
// # Finite-horizon games (mfg.Finite)
//
// Horizon() = T >= 0; StateShape() and ActionShape() have every dimension >= 1 and products
// States() and Actions(); InitialStates() = μ0 has S entries, finite, non-negative, summing to 1
// within 1e-9. Stage(t, L_t) passes the stage checks above for t = 0..T along
//
//   - the mean field of the uniform policy π(a|s) = 1/A: L_0(s, a) = μ0(s)/A and
//     L_{t+1}(s', a') = (1/A) Σ_{s,a} L_t(s, a) P(s'|t, s, a, L_t) (renormalised against rounding;
//     after an invalid stage, or from an invalid μ0, the walk goes on from the uniform
//     distribution on S×A);
//   - Options.Populations random mean fields, each L_t drawn independently from the flat
//     Dirichlet(1) distribution on S×A (normalised independent Exp(1) weights);
//   - extreme mean fields: for each of Options.Extremes states s (evenly spread from the first to
//     the last), L_t with all the mass on s, spread evenly over the actions, at every t. Every other
//     state is empty there, so a reward such as log μ(s') must stay finite (clamped) at μ(s') = 0.
//
// As finite.MeanFieldOf keeps the stages of t = 0..T together, the stage returned for t must also
// keep its values after the calls for later times. A game with mfg.FixedMoves has Moves(t) of the
// stage's sizes, with its transitions bit for bit, at every t < T of these walks.
//
// # Stationary games (mfg.Stationary)
//
// Discount() = γ in (0, 1); InitialPopulation() = L_0 is S×A with S·A finite non-negative
// entries summing to 1 within 1e-9 (if not, the uniform population stands in for it below).
//
// A model-based game's MDP(L) passes the MDP checks at L_0, at Options.Populations Dirichlet(1)
// random populations and at the extreme populations (all the mass on one state, as above), with m.Discount = γ (value iteration reads m.Discount, Q-learning γ). A game
// with mfg.FixedStationaryMoves has StationaryMoves() (when not nil) of the MDP's sizes, with its
// transitions bit for bit, at each of these populations.
//
// A model-free game's Sampler(L), at the same populations, returns for every pair (s, a) over 3
// draws a next state in [0, S) and a finite reward, and does not write into L.Mass. At L_0 two
// samplers fed random streams of the same seed give identical draws, and replaying the first
// sampler on a fresh copy of the stream gives them again (a sampler holds no randomness of its
// own: the stream is the caller's).
//
// # Simulator against model
//
// A game both model-based and model-free must simulate its own model at L_0. For every pair
// (s, a), or 200 pairs chosen with the seed when S·A > 200, n = Options.Samples draws give the
// frequencies f̂(s') and the mean reward r̄ with sample standard deviation σ̂. With p = P(s'|s, a, L_0)
// and r = r(s, a, L_0), the check requires, for every s' the model or the sample visits,
//
//	|f̂(s') − p| <= 5·√(max(f̂(1−f̂), p(1−p))/n) + 1e-9,  and f̂(s') = 0 wherever p = 0,
//	|r̄ − r| <= 5·σ̂/√n + 10·D/n + 1e-9·max(1, |r|),
//
// D the range of every reward seen, sampled or from the model, over the checked pairs. The
// standard error of a frequency is the sample's, but never below the model's: a next state of
// probability p ≲ 1/n is often never sampled, and its sample standard error 0 would turn 5
// standard errors into none. For the same reason the reward bound has the slack 10·D/n: a
// reward outcome of probability ≲ 1/n is often never drawn, leaving σ̂ blind to it, and the
// slack covers up to ten missing or extra outcomes of the largest size seen (a missed outcome
// of probability q moves r̄ by at most q·D). With the sample's standard errors alone, the correct
// auction at its defaults would fail about ten frequency and a dozen reward comparisons at
// n = 2000 (pairs whose rare wins were never drawn); with these bounds it passed for each of 300
// seeds at n = 300 and n = 2000. Under a correct simulator the normal tail beyond 5 standard
// errors is 6e-7 per comparison.
package gamestest
