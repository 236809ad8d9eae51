package finite

import "meanfield/mfg"

// PopulationExploitabilitiesFromQ returns the exploitability of each population of a
// multi-population game (mfg.MultiPopulation) from Q*_0 and Q^π_0 at the mean field of π: for
// population p of K, with its block of states B_p,
//
//	E_p(π) = K · Σ_{s ∈ B_p} μ0(s) (max_a Q*_0(s, a) − Σ_a π_0(a|s) Q^π_0(s, a)),
//
// OpenSpiel's BR_p − V_p for its population of mass 1 (μ0 gives each block mass 1/K). Each term
// is ExploitabilityFromQ on the block, so max_a treats NaN and ±Inf as it does.
func PopulationExploitabilitiesFromQ(blocks []mfg.PopulationBlock, mu0 []float64, pi0 mfg.Policy, qs0, qp0 []float64) []float64 {
	A, K := pi0.Actions, float64(len(blocks))
	out := make([]float64, len(blocks))
	for p, b := range blocks {
		lo, hi := b.First, b.First+b.States
		block := mfg.Policy{States: b.States, Actions: A, Prob: pi0.Prob[lo*A : hi*A]}
		out[p] = K * ExploitabilityFromQ(mu0[lo:hi], block, qs0[lo*A:hi*A], qp0[lo*A:hi*A])
	}
	return out
}

// SumPopulations is the exploitability of a multi-population game, OpenSpiel's NashConv: the sum
// Σ_p E_p of its populations' exploitabilities, added in population order.
func SumPopulations(e []float64) float64 {
	var sum float64
	for _, x := range e {
		sum += x
	}
	return sum
}

// PopulationExploitabilities returns the exploitability E_p(π) of each population of a
// multi-population game (see PopulationExploitabilitiesFromQ) after making π feasible; nil for
// another game.
func PopulationExploitabilities(g Game, pi Policy) ([]float64, error) {
	mp, ok := g.(mfg.MultiPopulation)
	if !ok {
		return nil, nil
	}
	pi = Feasible(pi)
	_, stages, err := MeanFieldOf(g, pi)
	if err != nil {
		return nil, err
	}
	qs, qp := QFunctions(stages, pi)
	return PopulationExploitabilitiesFromQ(mp.Populations(), g.InitialStates(), pi[0], qs[0], qp[0]), nil
}
