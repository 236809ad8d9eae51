package algorithms

import (
	"fmt"

	"meanfield/mfg"
)

// omoParams are the linear maps of MFGLib's mf_omo_params(env, L) → (b, A_L, c_L) (Guo, Hu and
// Zhang 2022), kept as the stages of the game at L rather than as dense matrices. Vectors over
// times, states and actions are flat, index (t·S + s)·A + a; over times and states, t·S + s. With
// P_t(s'|s, a) the transitions of stage t at L_t and r_t its rewards:
//
//	(A_L x)_t(s')  = Σ_{s,a} P_t(s'|s,a) x_t(s,a) - Σ_a x_{t+1}(s',a)    for t < T,
//	(A_L x)_T(s)   = Σ_a x_0(s,a),
//	b_t = 0 for t < T, b_T = μ0,
//	c_L = -(r_0, ..., r_T).
//
// So A_L L = b says that L_0 has state marginal μ0 and that L flows forward under P (MFGLib's
// block row T is the initial condition).
type omoParams struct {
	T, S, A int
	mu0     []float64
	stages  []*mfg.MDP // stage t at L_t, t = 0..T
}

// newOMOParams evaluates the stages of g at the flat L.
func newOMOParams(g mfg.Finite, mu0, L []float64) (*omoParams, error) {
	T, S, A := g.Horizon(), g.States(), g.Actions()
	p := &omoParams{T: T, S: S, A: A, mu0: mu0, stages: make([]*mfg.MDP, T+1)}
	for t := range p.stages {
		st, err := g.Stage(t, p.slice(L, t))
		if err != nil {
			return nil, fmt.Errorf("%s: stage t = %d: %w", g.Name(), t, err)
		}
		p.stages[t] = st
	}
	return p, nil
}

// slice returns L_t of a flat L as a population, aliasing it.
func (p *omoParams) slice(L []float64, t int) mfg.Population {
	n := p.S * p.A
	return mfg.Population{States: p.S, Actions: p.A, Mass: L[t*n : (t+1)*n : (t+1)*n]}
}

// mulA writes A_L x into dst ((T+1)·S entries).
func (p *omoParams) mulA(x, dst []float64) {
	S, A, T := p.S, p.A, p.T
	n := S * A
	clear(dst)
	for t := 0; t < T; t++ {
		out, st := dst[t*S:(t+1)*S], p.stages[t]
		for i, w := range x[t*n : (t+1)*n] {
			next, prob := st.Successors(i/A, i%A)
			for j, sp := range next {
				out[sp] += prob[j] * w
			}
		}
		for i, w := range x[(t+1)*n : (t+2)*n] {
			out[i/A] -= w
		}
	}
	for i, w := range x[:n] {
		dst[T*S+i/A] += w
	}
}

// mulAT writes A_Lᵀ y into dst ((T+1)·S·A entries):
//
//	(A_Lᵀ y)_t(s,a) = [t < T] Σ_{s'} P_t(s'|s,a) y_t(s') - [t ≥ 1] y_{t-1}(s) + [t = 0] y_T(s).
func (p *omoParams) mulAT(y, dst []float64) {
	S, A, T := p.S, p.A, p.T
	n := S * A
	for t := 0; t <= T; t++ {
		out := dst[t*n : (t+1)*n]
		for i := range out {
			// The terms in the order of A_L's rows, as torch's dense product sums them.
			s := i / A
			var v float64
			if t >= 1 {
				v = -y[(t-1)*S+s]
			}
			if t < T {
				next, prob := p.stages[t].Successors(s, i%A)
				for j, sp := range next {
					v += prob[j] * y[t*S+sp]
				}
			}
			if t == 0 {
				v += y[T*S+s]
			}
			out[i] = v
		}
	}
}

// residuals writes R1 = A_L L - b and R2 = A_Lᵀ y + z - c_L, the residuals of the primal
// (flow) and dual (optimality) conditions of MF-OMO.
func (p *omoParams) residuals(L, z, y, R1, R2 []float64) {
	p.mulA(L, R1)
	for s, m := range p.mu0 {
		R1[p.T*p.S+s] -= m
	}
	p.mulAT(y, R2)
	n := p.S * p.A
	for t, st := range p.stages {
		for i, r := range st.Reward {
			R2[t*n+i] = R2[t*n+i] + z[t*n+i] + r // MFGLib's order: (A_Lᵀ y + z) - c_L
		}
	}
}
