// Package algorithms holds every algorithm of the project, one file each, registered by name
// (Register, Lookup, Names, New) with its parameters, defaults, description and reference. Each is
// an engine.Algorithm: a value holding parameters only, run by engine.Solve on any game it applies
// to.
//
// The policy methods evaluate every policy at its own mean field (package engine) and work alike
// on finite-horizon games and on stationary games with a model:
//
//   - FictitiousPlay (fictitious_play.go) and DampedFixedPoint (damped_fixed_point.go): the policy
//     of the mixture of the current population with the best response's (greedy, by either tie
//     rule, or softmax of temperature T);
//   - OnlineMirrorDescent (online_mirror_descent.go): softmax of the summed Q^π of past policies,
//     or, with openspiel-live-read, OpenSpiel's mirror descent as its code runs
//     (openspiel_tree.go);
//   - PriorDescent (prior_descent.go): softmax of Q*/η tilted by a prior policy;
//   - BoltzmannPolicyIteration (boltzmann_policy_iteration.go): softmax of α Q^π of the last
//     policy;
//   - MFPSO (mf_pso.go): no Q-function, a particle swarm (Swarm) over softmax policies of logits
//     that minimises the exploitability itself, each particle evaluated in parallel.
//
// OpenSpiel's algorithms are among these (finite/testdata/OPENSPIEL_NOTES.md maps each one).
//
// FixedPoint (fixed_point.go) is the fixed-point (three-step) scheme of Guo, Hu, Xu and Zhang
// (2019) on stationary discounted games:
//
//	Q_{k-1} = Inner(L_{k-1})                   best response to the frozen population
//	π_{k-1} = PolicyMap(Q_{k-1})               softmax_c or argmax-e, row by row
//	L̃_k     = Γ2(π_{k-1}, L_{k-1})             exact, or from sampled agents
//	L_k     = Projection(L̃_k)                  ε-net, or none
//
// Its four parts (parts.go) are interchangeable values; the algorithms of the talk are presets
// (presets.go):
//
//   - GMF-V: value iteration on the known model, softmax_c, exact Γ2, no projection.
//   - GMF-Q: Q-learning on the simulator, softmax_c, exact Γ2 (which needs the model; the sampled
//     step needs only the simulator), ε-net projection.
//   - Naive: Q-learning, argmax-e, no projection; it is expected to fluctuate.
//
// Every random stream is derived from the solve's seed and the iteration (package seeds), so a
// solve is a pure function of its game, algorithm and options. Adding an algorithm is one new file
// that defines its parameter struct, implements engine.Algorithm and calls Register from init.
package algorithms
