// Package mfg defines finite generalized mean-field games (GMFGs): the model, and nothing that
// solves it.
//
// A GMFG has finite states S and actions A, a discount γ in (0,1), and a population described by
// its state-action distribution L in Δ(S×A) (type Population), with state marginal μ(s) = Σ_a L(s,a)
// and action marginal α(a) = Σ_s L(s,a). A representative agent following a stationary policy π
// (type Policy, an |S|×|A| row-stochastic matrix) earns r(s, a, L) and moves by P(·|s, a, L); it
// maximises the discounted return V(s, π, L) = E[Σ_t γ^t r(s_t, a_t, L)].
//
// A game offers one or both kinds of access:
//   - model-based (ModelBased): at a fixed L, the whole single-agent problem as an MDP, with
//     expected rewards r(s,a,L) and transitions P(s'|s,a,L) stored sparsely;
//   - model-free (ModelFree): at a fixed L, a Sampler that draws (reward, next state) given (s, a)
//     and a random stream.
//
// The population dynamics Γ2 of the fixed-point scheme is part of the model (NextPopulation):
//
//	Γ2(π, L)(s', a') = [Σ_{s,a} μ(s) π(a|s) P(s'|s,a,L)] π(a'|s').
//
// A stationary Nash equilibrium (π*, L*) is a pair with π* optimal in the MDP at L* and
// L* = Γ2(π*, L*).
//
// A game may name its states and actions for the outputs (Labeled: "left", "(3, 4)", "bid 2") and,
// when its states are positions on a grid, give each action's displacement (Mover).
//
// Finite-horizon games are expressed with the same building blocks indexed by time: a sequence of
// populations L_0..L_T, of policies π_0..π_T and of MDPs (one per time step); the stationary types
// here are the layers of those sequences.
package mfg
