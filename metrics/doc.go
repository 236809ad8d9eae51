// Package metrics measures how far a profile of policies in the N-player auction is from a Nash
// equilibrium, by the metric of the talk:
//
//	C(π) = 1/(N |S|^N) Σ_i Σ_{s ∈ S^N} [max_{π^i} V_i(s, (π^{-i}, π^i)) - V_i(s, π)]
//	                                   / (|max_{π^i} V_i(s, (π^{-i}, π^i))| + ε0),
//
// which is >= 0 and 0 at a Nash equilibrium. EstimateC estimates it for any N by sampled joint
// states, rollouts with common random numbers and a learned best response per bidder (its
// documentation is the estimator's contract). Its best response is sought in a class of policies
// (own budget, or own budget and a binned summary of the others' budgets), so the estimate is a
// lower bound of the literal C(π), whose best response sees the whole joint state. For instances
// small enough to enumerate, ExactC computes the literal C(π), ExactClassC the C(π) of a class
// and ExactDeviationC the C(π) of given deviations (those the estimator learned); the estimator
// is tested against all three. MeanInterval is the confidence
// interval of a mean C(π) over independent training runs, never below 0 as C(π) is not.
package metrics
