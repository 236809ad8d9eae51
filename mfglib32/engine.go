package mfglib32

import "math"

// Game is a finite-horizon mean-field game computed as MFGLib's torch code computes it, in
// float32. States and actions are flat indices (row-major over their shapes); a policy or a mean
// field at time t is a row-major states × actions slice.
type Game interface {
	Name() string
	// Horizon is T: times run 0..T.
	Horizon() int
	States() int
	Actions() int
	// InitialStates is μ0.
	InitialStates() []float32
	// Reward writes r(t, ·, ·, L_t) into dst (states × actions).
	Reward(t int, L, dst []float32)
	// Transition returns P(·|t, ·, ·, L_t) for t < T.
	Transition(t int, L []float32) *Kernel
}

// Uniform is MFGLib's π_0 = "uniform": torch.ones(...) / n_actions at every time.
func Uniform(g Game) [][]float32 {
	S, A := g.States(), g.Actions()
	u := float32(1) / float32(A)
	pi := make([][]float32, g.Horizon()+1)
	for t := range pi {
		pi[t] = make([]float32, S*A)
		for i := range pi[t] {
			pi[t][i] = u
		}
	}
	return pi
}

// MeanField is mean_field_from_policy: L_0(s,a) = μ0(s)·π_0(s,a) and
// L_{t+1}(s,a) = Σ_{a',s'} (π_{t+1}(s,a)·L_t(s',a'))·P_t(s|s',a'), with the einsum's rounding (the
// product with π first) and order (actions outer, states inner). It also returns the kernels
// P_t = P(·|t, ·, ·, L_t), which QFn evaluates again at the same L_t.
func MeanField(g Game, pi [][]float32) ([][]float32, []*Kernel) {
	S, A, T := g.States(), g.Actions(), g.Horizon()
	L := make([][]float32, T+1)
	P := make([]*Kernel, T)
	mu0 := g.InitialStates()
	L[0] = make([]float32, S*A)
	for s := 0; s < S; s++ {
		for a := 0; a < A; a++ {
			L[0][s*A+a] = mu0[s] * pi[0][s*A+a]
		}
	}
	for t := 0; t < T; t++ {
		k := g.Transition(t, L[t])
		P[t] = k
		next := make([]float32, S*A)
		prev, p := L[t], pi[t+1]
		for s := 0; s < S; s++ {
			lo, hi := k.colStart[s], k.colStart[s+1]
			for a := 0; a < A; a++ {
				x := p[s*A+a]
				var acc float32
				for i := lo; i < hi; i++ {
					acc += float32(float32(x*prev[k.colPair[i]]) * k.colProb[i])
				}
				next[s*A+a] = acc
			}
		}
		L[t+1] = next
	}
	return L, P
}

// backward is QFn._compute_q_values: Q_T = r_T and Q_t = r_t + P_t·v_{t+1}, where value(t+1)
// gives v_{t+1} from Q_{t+1}.
func backward(g Game, L [][]float32, P []*Kernel, value func(t int, q, v []float32)) [][]float32 {
	S, A, T := g.States(), g.Actions(), g.Horizon()
	Q := make([][]float32, T+1)
	Q[T] = make([]float32, S*A)
	g.Reward(T, L[T], Q[T])
	v := make([]float32, S)
	for t := T - 1; t >= 0; t-- {
		value(t+1, Q[t+1], v)
		q := make([]float32, S*A)
		g.Reward(t, L[t], q)
		for r := range q {
			q[r] += P[t].expect(r, v)
		}
		Q[t] = q
	}
	return Q
}

// OptimalQ is QFn.optimal: v_{t+1}(s) = max_a Q_{t+1}(s, a).
func OptimalQ(g Game, L [][]float32, P []*Kernel) [][]float32 {
	A := g.Actions()
	return backward(g, L, P, func(_ int, q, v []float32) {
		for s := range v {
			v[s] = rowMax(q[s*A : (s+1)*A])
		}
	})
}

// PolicyQ is QFn.for_policy: v_{t+1}(s) = Σ_a π_{t+1}(s,a)·Q_{t+1}(s,a), summed as torch sums.
func PolicyQ(g Game, L [][]float32, P []*Kernel, pi [][]float32) [][]float32 {
	A := g.Actions()
	buf := make([]float32, A)
	return backward(g, L, P, func(t int, q, v []float32) {
		for s := range v {
			for a := range buf {
				buf[a] = float32(pi[t][s*A+a] * q[s*A+a])
			}
			v[s] = Sum(buf)
		}
	})
}

// rowMax is torch's max over a dimension, which propagates NaN.
func rowMax(x []float32) float32 {
	m := x[0]
	for _, v := range x[1:] {
		if v > m || v != v {
			m = v
		}
		if m != m {
			break
		}
	}
	return m
}

// Greedy is Greedy_Policy: at every (t, s), equal mass on the actions whose Q-value equals the
// maximum exactly (float32 equality, so rounding decides ties).
func Greedy(Q [][]float32, actions int) [][]float32 {
	pi := make([][]float32, len(Q))
	mask := make([]float32, actions)
	for t, q := range Q {
		pi[t] = make([]float32, len(q))
		for s := 0; s < len(q)/actions; s++ {
			row := q[s*actions : (s+1)*actions]
			m := rowMax(row)
			for a, v := range row {
				mask[a] = 0
				if v == m {
					mask[a] = 1
				}
			}
			n := Sum(mask)
			for a := range mask {
				pi[t][s*actions+a] = mask[a] / n
			}
		}
	}
	return pi
}

// Feasible is scoring.postprocess_policy: max(π, 0) divided by its sum over actions, with NaN and
// ±Inf (rows that sum to 0) replaced by 1/n_actions.
func Feasible(pi [][]float32, actions int) [][]float32 {
	out := make([][]float32, len(pi))
	fill := float32(1.0 / float64(actions))
	for t, p := range pi {
		out[t] = make([]float32, len(p))
		for s := 0; s < len(p)/actions; s++ {
			row := out[t][s*actions : (s+1)*actions]
			for a := range row {
				x := p[s*actions+a]
				if !(x < 0) { // NaN stays NaN, as torch.maximum keeps it
					row[a] = x
				}
			}
			sum := Sum(row)
			for a, x := range row {
				y := x / sum
				if y != y || math.IsInf(float64(y), 0) {
					y = fill
				}
				row[a] = y
			}
		}
	}
	return out
}

// Exploitability is scoring.exploitability_score with its defaults: with π̃ = Feasible(π) and
// L = Γ(π̃), Σ_s μ0(s)·max_a Q*_0(s,a) − Σ_s μ0(s)·Σ_a π̃_0(s,a)·Q^π̃_0(s,a), in float32. It is not
// clamped at 0: rounding can make it slightly negative.
func Exploitability(g Game, pi [][]float32) float32 {
	S, A := g.States(), g.Actions()
	pt := Feasible(pi, A)
	L, P := MeanField(g, pt)
	qs := OptimalQ(g, L, P)
	qp := PolicyQ(g, L, P, pt)
	mu0 := g.InitialStates()
	best := make([]float32, S)
	follow := make([]float32, S)
	buf := make([]float32, A)
	for s := 0; s < S; s++ {
		best[s] = float32(mu0[s] * rowMax(qs[0][s*A:(s+1)*A]))
		for a := range buf {
			buf[a] = float32(pt[0][s*A+a] * qp[0][s*A+a])
		}
		follow[s] = float32(mu0[s] * Sum(buf))
	}
	return Sum(best) - Sum(follow)
}
