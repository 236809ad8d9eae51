// Package solver finds stationary equilibria of mean-field games by the fixed-point (three-step)
// scheme of Guo, Hu, Xu and Zhang (2019):
//
//	Q_k     = Inner(L_k)                   best response to the frozen population L_k
//	π_k     = PolicyMap(Q_k)               softmax_c or argmax-e, row by row
//	L̃_{k+1} = Γ2(π_k, L_k)                 exact, or from sampled agents
//	L_{k+1} = Projection(L̃_{k+1})          ε-net, or none
//
// The four parts are interchangeable values (Options); the algorithms of the talk are presets:
//
//   - GMF-V: value iteration on the known model, softmax_c, exact Γ2, no projection.
//   - GMF-Q: Q-learning on the simulator, softmax_c, exact Γ2 when the game has a model (else
//     sampled agents), ε-net projection.
//   - Naive: Q-learning, argmax-e, no projection; it is expected to fluctuate.
//
// Every outer iteration is recorded (Iteration): Q_k, π_k, L_{k+1}, the l1 and l∞ change
// ||L_{k+1} - L_k||, and, when the game has a model, the exploitability of π_k (package exploit).
// Every random stream is derived from Options.Seed and the iteration index (package seeds), so a
// solve is a pure function of its options.
package solver
