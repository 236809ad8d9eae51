// Package npgame is the N-player game of any single-population mean-field game of the registry,
// and the ε of a policy profile in it: how much one agent gains by deviating alone.
//
// # The game
//
// N agents i = 1..N each have a state s_i and pick an action a_i. Write e_(s,a) for the point
// mass on (s, a) and L^N = (1/N) Σ_j e_(s_j,a_j) for the empirical state-action distribution. Agent
// i meets the distribution of the others (Others, the default) or of all (All):
//
//	L_{-i} = (1/(N-1)) Σ_{j≠i} e_(s_j,a_j),     or     L^N,
//
// and earns r(t, s_i, a_i, L) and moves by P(·|t, s_i, a_i, L), the mean-field game's reward and
// transitions evaluated at that L (mfg.Finite's Stage(t, L) for a finite-horizon game, t = 0..T,
// the rewards of t = T collected and no move after; mfg.ModelBased's MDP(L) for a stationary one,
// rewards discounted by γ^t and the horizon truncated at the first H with γ^H ≤ 1e-6 (Options)).
// Given the joint action the agents move independently. Multi-population games are refused.
//
// Under Others, L_{-i} depends on agent i only through its own pair (s_i, a_i): a round needs the
// model at no more than S·A distinct populations, one per occupied pair, and World builds each
// once per round (and not at all when the empirical distribution did not change since the last
// round at the same time). Transitions that do not depend on L (mfg.FixedMoves,
// mfg.FixedStationaryMoves) are read once.
//
// # The ε of a profile
//
// Every agent i plays a policy π_i (stationary, or one per time step); in a symmetric profile all
// play the mean-field policy π. The start is i.i.d. per agent from μ0 (finite-horizon games), or
// from a given state distribution (stationary games: by default the state marginal of the
// population π sustains, exploit.MeanField, so that the N agents start near the mean-field
// equilibrium). With V_i(σ) the expected return of agent i from the start when it plays σ and the
// others their π_j,
//
//	ε_i = sup_σ V_i(σ) − V_i(π_i) ≥ 0,     ε = max_i ε_i,
//
// and the normalised ratio in the manner of the talk's C(π) is ε_i / (|sup_σ V_i(σ)| + ε0).
// The supremum runs over a class of deviations, which is always said:
//
//   - Estimate (Monte Carlo): σ is a policy of the deviator's own state and time, computed by
//     backward induction in the deviator's averaged model, r̄_t(s, a) = E[r(t, s, a, L_{-i,t})]
//     and P̄_t(·|s, a) = E[P(·|t, s, a, L_{-i,t})], the expectations over simulated episodes in
//     which everyone plays π (episodes of their own, apart from those of the evaluation). The gain
//     V_i(σ) − V_i(π_i) is then measured on fresh episodes with common random numbers: the
//     episode with the deviation and the one without draw the same random numbers in the same
//     order, so that their difference has a small variance. The reported ε is max(0, gain), π_i
//     itself being in the class, with a 95% normal interval clipped at 0.
//   - Exact (enumeration of joint states, for tiny instances such as N = 2, 3): the joint-state
//     best response (σ a policy of the joint state and time, the largest class: an upper bound)
//     and the best policy of the deviator's own state and time (enumerated over the deterministic
//     ones, which suffice on a finite horizon because the return is multilinear in the policy's
//     rows), so that the gap between the two classes is known, and the exact value of any given
//     own-state deviation, such as the one the estimator learned.
//
// As N → ∞ the empirical distributions approach the mean field and ε tends to the mean-field
// exploitability of π (not 0 when π is only approximately an equilibrium); the classical bound
// for a mean-field equilibrium is ε = O(1/√N).
//
// World is the simulation a learner can drive step by step: Reset draws the start, Step takes the
// N actions and returns the rewards and moves everyone; Play plays a Profile.
//
// # Independent learners
//
// TrainIndependent is the baseline of the talk's comparison on any game: N agents in one World,
// each running tabular Q-learning on its own state (and time, on a finite horizon) and its own
// action from its own rewards, ε-greedy with a decaying ε, and each deploying argmax-e of its Q:
// a per-agent Profile whose ε EstimateEpsilon measures as that of a mean-field solution.
package npgame
