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
				next[m.Next[k]] += w * m.Prob[k]
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
// π) bit for bit (NextStatesByRows gives the same sums in the same order), and refuse what MDP
// refuses. The search for the population a policy sustains, which takes hundreds of steps per
// exploitability, then costs a fraction of rebuilding the MDP at each.
type PopulationStepper interface {
	StepPopulation(L Population, pi Policy) (Population, error)
}

// NextStatesByRows is NextStates with the transition rows given by row(s, a, dst), which writes
// P(·|s, a) densely into dst (of length states, zero on entry) and returns hi, the successors
// being below hi. It adds the same products in the same order as NextStates over an MDP whose row
// (s, a) lists the nonzero entries of dst in increasing order of the successor, so the two agree
// bit for bit; rows of zero weight μ(s)π(a|s) are never asked for.
func NextStatesByRows(states int, mu []float64, pi Policy, row func(s, a int, dst []float64) (hi int)) []float64 {
	next := make([]float64, states)
	p := make([]float64, states)
	for s, ms := range mu {
		if ms == 0 {
			continue
		}
		for a, pa := range pi.Row(s) {
			w := ms * pa
			if w == 0 {
				continue
			}
			hi := row(s, a, p)
			for sp, x := range p[:hi] {
				if x != 0 {
					next[sp] += w * x
				}
			}
			clear(p[:hi])
		}
	}
	return next
}
