package finite

import (
	"fmt"
	"math"

	"meanfield/internal/parallel"
	"meanfield/mfg"
	"meanfield/rl"
)

// MeanFieldOf returns the mean field of π and the stages at it (stage t computed at L_t).
func MeanFieldOf(g Game, pi Policy) (MeanField, []*mfg.MDP, error) {
	L, stages, _, err := meanFieldInto(g, pi, nil)
	return L, stages, err
}

// meanFieldInto is MeanFieldOf writing the mean field into ws's memory (fresh memory when ws is
// nil); it returns the slab used, which holds L.
func meanFieldInto(g Game, pi Policy, ws *workspace) (MeanField, []*mfg.MDP, []float64, error) {
	T := g.Horizon()
	S, A := Dims(g)
	if len(pi) != T+1 {
		return nil, nil, nil, fmt.Errorf("policy has %d time steps, want T+1 = %d", len(pi), T+1)
	}
	L := make(MeanField, T+1)
	slab := ws.get((T+1)*S*A + S) // L_0..L_T and the next-state buffer, every entry written below
	for t := range L {
		L[t] = mfg.Population{States: S, Actions: A, Mass: slab[t*S*A : (t+1)*S*A : (t+1)*S*A]}
	}
	next := slab[(T+1)*S*A:]
	stages := make([]*mfg.MDP, T+1)
	fill := func(dst mfg.Population, mu []float64, p mfg.Policy) {
		for s, m := range mu {
			for a, x := range p.Prob[s*A : (s+1)*A] {
				dst.Mass[s*A+a] = m * x
			}
		}
	}
	mu0 := g.InitialStates()
	if len(mu0) != S {
		return nil, nil, nil, fmt.Errorf("%s: mu0 has %d entries, want %d states", g.Name(), len(mu0), S)
	}
	fill(L[0], mu0, pi[0])
	for t := 0; t <= T; t++ {
		st, err := g.Stage(t, L[t])
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s: stage t = %d: %w", g.Name(), t, err)
		}
		if st.States != S || st.Actions != A || len(st.Reward) != S*A {
			return nil, nil, nil, fmt.Errorf("%s: stage t = %d is %d×%d, want %d×%d", g.Name(), t, st.States, st.Actions, S, A)
		}
		stages[t] = st
		if t < T {
			nextStates(st, L[t], next)
			fill(L[t+1], next, pi[t+1])
		}
	}
	return L, stages, slab, nil
}

// nextStates writes Σ_{s,a} L(s, a) P(s'|s, a) into next.
func nextStates(m *mfg.MDP, L mfg.Population, next []float64) {
	clear(next)
	start, to, prob := m.RowStart[:len(L.Mass)+1], m.Next, m.Prob
	for i, w := range L.Mass {
		if w == 0 {
			continue
		}
		for k := start[i]; k < start[i+1]; k++ {
			next[to[k]] += w * prob[k]
		}
	}
}

// expectNext writes Σ_{s'} P(s'|s, a) v(s') for every pair into dst.
func expectNext(m *mfg.MDP, v, dst []float64) {
	start, to, prob := m.RowStart[:len(dst)+1], m.Next, m.Prob
	for i := range dst {
		var e float64
		for k := start[i]; k < start[i+1]; k++ {
			e += prob[k] * v[to[k]]
		}
		dst[i] = e
	}
}

// OptimalQ returns Q*_t for t = 0..T by backward induction on the stages.
func OptimalQ(stages []*mfg.MDP) [][]float64 {
	return backward(stages, func(t int, q []float64, v []float64) {
		A := stages[t].Actions
		for s := range v {
			v[s] = maxOf(q[s*A : (s+1)*A])
		}
	})
}

// maxOf is the largest of x (−Inf for none), by plain comparisons: math.Max's NaN and ±0 cases
// cost in this inner loop.
func maxOf(x []float64) float64 {
	best := math.Inf(-1)
	for _, v := range x {
		if v > best {
			best = v
		}
	}
	return best
}

// PolicyQ returns Q^π_t for t = 0..T by backward induction on the stages.
func PolicyQ(stages []*mfg.MDP, pi Policy) [][]float64 {
	return backward(stages, func(t int, q []float64, v []float64) {
		A := stages[t].Actions
		for s := range v {
			var e float64
			for a, p := range pi[t].Row(s) {
				e += p * q[s*A+a]
			}
			v[s] = e
		}
	})
}

// backward computes Q_T = r_T and Q_t = r_t + P_t value(Q_{t+1}), value filling v from Q_{t+1}.
func backward(stages []*mfg.MDP, value func(t int, q, v []float64)) [][]float64 {
	T := len(stages) - 1
	n := len(stages[T].Reward)
	slab := make([]float64, (T+1)*n+stages[T].States) // one allocation: Q_0..Q_T and v
	Q := make([][]float64, T+1)
	for t := range Q {
		Q[t] = slab[t*n : (t+1)*n : (t+1)*n]
	}
	copy(Q[T], stages[T].Reward)
	v := slab[(T+1)*n:]
	for t := T - 1; t >= 0; t-- {
		value(t+1, Q[t+1], v)
		q := Q[t]
		expectNext(stages[t], v, q)
		for i, r := range stages[t].Reward {
			q[i] += r
		}
	}
	return Q
}

// optimalAndPolicyQ returns OptimalQ(stages) and PolicyQ(stages, pi), bit for bit, in one backward
// pass: the two recursions share every transition they read. Each lives in one slab from ws
// (fresh memory when ws is nil), returned with it.
func optimalAndPolicyQ(stages []*mfg.MDP, pi Policy, ws *workspace) (qs, qp [][]float64, qsSlab, qpSlab []float64) {
	T := len(stages) - 1
	n, S, A := len(stages[T].Reward), stages[T].States, stages[T].Actions
	qsSlab, qpSlab = ws.get((T+1)*n+S), ws.get((T+1)*n+S) // every entry is written below
	qs, qp = make([][]float64, T+1), make([][]float64, T+1)
	for t := range qs {
		qs[t] = qsSlab[t*n : (t+1)*n : (t+1)*n]
		qp[t] = qpSlab[t*n : (t+1)*n : (t+1)*n]
	}
	copy(qs[T], stages[T].Reward)
	copy(qp[T], stages[T].Reward)
	vs, vp := qsSlab[(T+1)*n:], qpSlab[(T+1)*n:]
	for t := T - 1; t >= 0; t-- {
		next, p := qs[t+1], pi[t+1].Prob
		for s := range vs {
			vs[s] = maxOf(next[s*A : (s+1)*A])
			var e float64
			for a, x := range qp[t+1][s*A : (s+1)*A] {
				e += p[s*A+a] * x
			}
			vp[s] = e
		}
		m := stages[t]
		start, to, prob, reward := m.RowStart[:n+1], m.Next, m.Prob, m.Reward[:n]
		dstS, dstP := qs[t][:n], qp[t][:n]
		for i, r := range reward {
			var es, ep float64
			for k := start[i]; k < start[i+1]; k++ {
				w, j := prob[k], to[k]
				es += w * vs[j]
				ep += w * vp[j]
			}
			dstS[i] = es + r
			dstP[i] = ep + r
		}
	}
	return qs, qp, qsSlab, qpSlab
}

// Greedy returns the policy argmax-e(Q_t(s, ·)) at every time: equal mass on the exact maximisers.
func Greedy(Q [][]float64, states, actions int) Policy {
	pi := make(Policy, len(Q))
	for t, q := range Q {
		pi[t] = rl.GreedyPolicy(q, states, actions)
	}
	return pi
}

// GreedyWithin is Greedy with ties up to a tolerance: equal mass on every action whose value is
// within tol·max(1, |max|) of the maximum (tol = 0 is Greedy).
func GreedyWithin(Q [][]float64, states, actions int, tol float64) Policy {
	pi := make(Policy, len(Q))
	for t, q := range Q {
		pi[t] = rl.GreedyPolicyWithin(q, states, actions, tol)
	}
	return pi
}

// BestResponse returns the greedy policy against the mean field L (MFGLib's Greedy_Policy).
func BestResponse(g Game, L MeanField) (Policy, error) {
	stages := make([]*mfg.MDP, len(L))
	for t := range L {
		st, err := g.Stage(t, L[t])
		if err != nil {
			return nil, err
		}
		stages[t] = st
	}
	S, A := Dims(g)
	return Greedy(OptimalQ(stages), S, A), nil
}

// Feasible returns π with negative entries set to 0 and every row renormalised; a row with no
// mass becomes uniform (MFGLib's postprocess_policy).
func Feasible(pi Policy) Policy {
	out := pi.Clone()
	for _, p := range out {
		for s := 0; s < p.States; s++ {
			row := p.Row(s)
			var sum float64
			for a, x := range row {
				if x < 0 {
					row[a] = 0
				}
				sum += row[a]
			}
			for a := range row {
				if sum > 0 && !math.IsInf(sum, 0) {
					row[a] /= sum
				} else {
					row[a] = 1 / float64(len(row))
				}
			}
		}
	}
	return out
}

// Exploitability returns E(π) (see the package documentation) after making π feasible.
func Exploitability(g Game, pi Policy) (float64, error) {
	pi = Feasible(pi)
	ev, err := Evaluate(g, pi)
	if err != nil {
		return 0, err
	}
	return exploitabilityAt(g, ev, nil), nil
}

// concurrentBackward is the least number of Q-values (times × states × actions) for which the two
// backward passes of the exploitability run concurrently.
var concurrentBackward = 100_000

// exploitabilityAt is the exploitability of the evaluated (feasible) policy. Q* and Q^π stay in
// ev for the next step, in memory from ws (which may be nil).
func exploitabilityAt(g Game, ev *Evaluated, ws *workspace) float64 {
	S, A := Dims(g)
	pi := ev.Policy
	var qs, qp [][]float64
	if ev.qstar == nil && ev.qpol == nil && len(pi)*S*A < concurrentBackward {
		// One pass computing both, reading each transition once.
		var qsSlab, qpSlab []float64
		qs, qp, qsSlab, qpSlab = optimalAndPolicyQ(ev.Stages, pi, ws)
		ev.qstar, ev.qpol = qs, qp
		ev.slabs = append(ev.slabs, qsSlab, qpSlab)
	} else {
		// Two independent backward passes (each skipped if already done), on two cores when large.
		optimal, policy := func() { qs = ev.OptimalQ() }, func() { qp = ev.PolicyQ() }
		if len(pi)*S*A >= concurrentBackward {
			parallel.Do(optimal, policy)
		} else {
			optimal()
			policy()
		}
	}
	var best, own float64
	for s, m := range g.InitialStates() {
		if m == 0 {
			continue
		}
		b := math.Inf(-1)
		var o float64
		for a, p := range pi[0].Row(s) {
			b = math.Max(b, qs[0][s*A+a])
			o += p * qp[0][s*A+a]
		}
		best += m * b
		own += m * o
	}
	return best - own
}
