package mfg

// NextStates returns the state distribution one step later, μ'(s') = Σ_{s,a} μ(s) π(a|s) P(s'|s,a),
// under the MDP m (the dynamics at some frozen population).
func NextStates(m *MDP, mu []float64, pi Policy) []float64 {
	next := make([]float64, m.States)
	for s, ms := range mu {
		if ms == 0 {
			continue
		}
		row := pi.Row(s)
		for a, pa := range row {
			w := ms * pa
			if w == 0 {
				continue
			}
			i := s*m.Actions + a
			for k := m.RowStart[i]; k < m.RowStart[i+1]; k++ {
				next[m.Next[k]] += float64(w * m.Prob[k])
			}
		}
	}
	return next
}

// NextPopulation is the population map Γ2 of the fixed-point scheme:
//
//	Γ2(π, L)(s', a') = [Σ_{s,a} μ(s) π(a|s) P(s'|s,a,L)] π(a'|s'),
//
// where μ is the state marginal of L and m = MDP(L) carries P(·|·,·,L).
func NextPopulation(m *MDP, L Population, pi Policy) Population {
	mu := L.StateMarginal(nil)
	return PopulationFromStates(NextStates(m, mu, pi), pi)
}

// PopulationStepper is implemented by model-based stationary games that compute the population
// map Γ2(π, L) without building the MDP at L: no rewards, no stored transitions, and no row that
// the population's mass does not use. StepPopulation(L, π) must equal NextPopulation(MDP(L), L,
// π) up to rounding (it may sum in another order), and refuse what MDP refuses. The search for
// the population a policy sustains, which takes tens to hundreds of steps per exploitability, then
// costs a fraction of rebuilding the MDP at each.
type PopulationStepper interface {
	StepPopulation(L Population, pi Policy) (Population, error)
}
