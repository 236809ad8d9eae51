package games

import (
	"fmt"
	"math"

	"meanfield/mfg"
)

// The MFGLib games' derivatives with respect to the mean field (mfg.StageGradient), derived by
// hand from each game's formulas, for MF-OMO (algorithms/mf_omo.go), and their reward bounds
// r_max (mfg.RewardBound), MFGLib's env.r_max per game. In every comment below G(s) = Σ_a gr(s, a)
// is the reward cotangent summed over the actions, μ(s) = Σ_a L_t(s, a), and a game whose
// transitions do not depend on L_t ignores gp.

// checkVJP checks the sizes of a stage gradient's arguments.
func checkVJP(g mfg.Finite, t int, L mfg.Population, gr, gp, dst []float64) error {
	S, A := g.States(), g.Actions()
	if t < 0 || t > g.Horizon() {
		return fmt.Errorf("%s: t = %d: outside 0..T = 0..%d", g.Name(), t, g.Horizon())
	}
	if len(L.Mass) != S*A || len(gr) != S*A || len(dst) != S*A || (gp != nil && len(gp) != S*A*S) {
		return fmt.Errorf("%s: stage gradient sizes: L %d, gr %d, gp %d, dst %d; want %d, %d, %d (or nil), %d",
			g.Name(), len(L.Mass), len(gr), len(gp), len(dst), S*A, S*A, S*A*S, S*A)
	}
	return nil
}

// stateSums returns G(s) = Σ_a gr(s, a).
func stateSums(gr []float64, S, A int) []float64 {
	G := make([]float64, S)
	for i, x := range gr {
		G[i/A] += x
	}
	return G
}

// fillStates writes dst(s, a) = v(s) for every a: the cotangent of L_t when the stage depends on
// L_t through μ alone.
func fillStates(dst, v []float64, A int) {
	for i := range dst {
		dst[i] = v[i/A]
	}
}

// StageVJP of left-right: r(left) = -μ(left), r(right) = -2 μ(right), so dst(left, ·) = -G(left),
// dst(right, ·) = -2 G(right), dst(center, ·) = 0.
func (g *LeftRight) StageVJP(t int, L mfg.Population, gr, gp, dst []float64) error {
	if err := checkVJP(g, t, L, gr, gp, dst); err != nil {
		return err
	}
	G := stateSums(gr, 3, 2)
	fillStates(dst, []float64{0, -G[1], -2 * G[2]}, 2)
	return nil
}

// RewardBound is MFGLib's r_max of left-right, 2.
func (g *LeftRight) RewardBound() float64 { return 2 }

// StageVJP of the beach bar: r(s, a) = ... - log(μ(s) + log-eps), so dst(s, ·) = -G(s)/(μ(s) + log-eps).
func (g *BeachBar) StageVJP(t int, L mfg.Population, gr, gp, dst []float64) error {
	if err := checkVJP(g, t, L, gr, gp, dst); err != nil {
		return err
	}
	G := stateSums(gr, g.p.N, 3)
	for s := range G {
		G[s] = -G[s] / (stateMass(L, s) + g.p.LogEps)
	}
	fillStates(dst, G, 3)
	return nil
}

// RewardBound is MFGLib's r_max of the beach bar, n.
func (g *BeachBar) RewardBound() float64 { return float64(g.p.N) }

// StageVJP of rock-paper-scissors: r(1) = 2μ3 - μ2, r(2) = 4μ1 - 2μ3, r(3) = 6μ2 - 3μ1, so
// dst(1, ·) = 4G(2) - 3G(3), dst(2, ·) = 6G(3) - G(1), dst(3, ·) = 2G(1) - 2G(2), dst(0, ·) = 0.
func (g *RockPaperScissors) StageVJP(t int, L mfg.Population, gr, gp, dst []float64) error {
	if err := checkVJP(g, t, L, gr, gp, dst); err != nil {
		return err
	}
	G := stateSums(gr, 4, 3)
	fillStates(dst, []float64{0, 4*G[2] - 3*G[3], 6*G[3] - G[1], 2*G[1] - 2*G[2]}, 3)
	return nil
}

// RewardBound is MFGLib's r_max of rock-paper-scissors, 6.
func (g *RockPaperScissors) RewardBound() float64 { return 6 }

// StageVJP of susceptible-infected: only P(·|susceptible, out) = (1 - 0.81 μ(infected),
// 0.81 μ(infected)) depends on L, so dst(infected, ·) = 0.81 (gp(S, out, I) - gp(S, out, S)) and
// dst(susceptible, ·) = 0.
func (g *SusceptibleInfected) StageVJP(t int, L mfg.Population, gr, gp, dst []float64) error {
	if err := checkVJP(g, t, L, gr, gp, dst); err != nil {
		return err
	}
	var d float64
	if gp != nil {
		d = infectionRate * (gp[1] - gp[0])
	}
	fillStates(dst, []float64{0, d}, 2)
	return nil
}

// RewardBound is MFGLib's r_max of susceptible-infected, 1.5.
func (g *SusceptibleInfected) RewardBound() float64 { return 1.5 }

// StageVJP of building evacuation: r(s, ·) = -η log max(μ(s), log-eps) + bonus(s), so
// dst(s, ·) = -η G(s)/μ(s) where μ(s) ≥ log-eps (torch's clamp passes the gradient at equality)
// and 0 below.
func (g *BuildingEvacuation) StageVJP(t int, L mfg.Population, gr, gp, dst []float64) error {
	if err := checkVJP(g, t, L, gr, gp, dst); err != nil {
		return err
	}
	G := stateSums(gr, g.S, 6)
	for s := range G {
		if mu := stateMass(L, s); mu >= g.p.LogEps {
			G[s] = -g.p.Eta * G[s] / mu
		} else {
			G[s] = 0
		}
	}
	fillStates(dst, G, 6)
	return nil
}

// RewardBound is MFGLib's r_max of building evacuation, -η log(log-eps) + evac-r.
func (g *BuildingEvacuation) RewardBound() float64 { return -g.p.Eta*math.Log(g.p.LogEps) + g.p.EvacR }

// StageVJP of crowd motion: r(s, ·) = c·near_t(s) - log(μ(s) + log-eps), so
// dst(s, ·) = -G(s)/(μ(s) + log-eps).
func (g *CrowdMotion) StageVJP(t int, L mfg.Population, gr, gp, dst []float64) error {
	if err := checkVJP(g, t, L, gr, gp, dst); err != nil {
		return err
	}
	G := stateSums(gr, g.S, 5)
	for s := range G {
		G[s] = -G[s] / (stateMass(L, s) + g.p.LogEps)
	}
	fillStates(dst, G, 5)
	return nil
}

// RewardBound is MFGLib's r_max of crowd motion, c - log(log-eps).
func (g *CrowdMotion) RewardBound() float64 { return g.p.C - math.Log(g.p.LogEps) }

// StageVJP of conservative treasure hunting. At t = 0 nothing depends on L. At t ≥ 1, with
// d_s = Σ L² - 2 L(s, s) + 1, den_s = 1 + n c_t d_s, the stage is r(s, s) = R_s (1 - d_s/2) and
// P(s'|s, a) = (c_t d_s + [s' = a]) / den_s, whose derivatives in d_s are -R_s/2 and
// (c_t - [s' = a] n c_t)/den_s². With D(s) the cotangent of d_s so gathered,
//
//	dst(k) = 2 L(k) Σ_s D(s) - 2 D(s) [k = (s, s)].
func (g *ConservativeTreasureHunting) StageVJP(t int, L mfg.Population, gr, gp, dst []float64) error {
	if err := checkVJP(g, t, L, gr, gp, dst); err != nil {
		return err
	}
	clear(dst)
	if t == 0 {
		return nil
	}
	n := g.p.N
	var sq float64
	for _, x := range L.Mass {
		sq += x * x
	}
	c := g.p.C[t-1]
	var total float64
	D := make([]float64, n)
	for s := 0; s < n; s++ {
		d := sq - 2*L.Mass[s*n+s] + 1
		D[s] = -gr[s*n+s] * g.p.R[s] / 2
		if gp != nil && t < g.p.T {
			den := 1 + float64(n)*c*d
			other, own := c/(den*den), -float64(n)*c/(den*den)
			for a := 0; a < n; a++ {
				for sp, x := range gp[(s*n+a)*n : (s*n+a+1)*n] {
					D[s] += x * other
					if sp == a {
						D[s] += x * own
					}
				}
			}
		}
		total += D[s]
	}
	for k, x := range L.Mass {
		dst[k] = 2 * x * total
	}
	for s := 0; s < n; s++ {
		dst[s*n+s] -= 2 * D[s]
	}
	return nil
}

// RewardBound is MFGLib's r_max of conservative treasure hunting, max_s R_s.
func (g *ConservativeTreasureHunting) RewardBound() float64 {
	m := math.Inf(-1)
	for _, r := range g.p.R {
		m = max(m, r)
	}
	return m
}

// StageVJP of equilibrium price: r(i) = fixed(i) + p q_i with p = (d/(X + e0))^(1/σ) and
// X = Σ_k L(k) q_k, dp/dX = -p/(σ (X + e0)), so dst(k) = (Σ_i gr(i) q_i) dp/dX q_k.
func (g *EquilibriumPrice) StageVJP(t int, L mfg.Population, gr, gp, dst []float64) error {
	if err := checkVJP(g, t, L, gr, gp, dst); err != nil {
		return err
	}
	var X, gq float64
	for i, q := range g.produced {
		X += float64(L.Mass[i] * q)
		gq += float64(gr[i] * q)
	}
	p := g.Price(L)
	dp := -p / (g.p.Sigma * (X + g.p.E0))
	for k, q := range g.produced {
		dst[k] = gq * dp * q
	}
	return nil
}

// RewardBound is MFGLib's r_max of equilibrium price,
// (d/e0)^(1/σ) Q + c0 Q + c1 Q² + c2 H + (c2 + c3) Q + c4 s-inv.
func (g *EquilibriumPrice) RewardBound() float64 {
	p, c := g.p, g.p.C
	Q, H := float64(p.Q), float64(p.H)
	return float64(math.Pow(p.D/p.E0, 1/p.Sigma)*Q) + float64(c[0]*Q) + float64(c[1]*Q*Q) + float64(c[2]*H) + float64((c[2]+c[3])*Q) + float64(c[4]*float64(p.SInv))
}

// StageVJP of the linear-quadratic game: the rewards depend on L through the mean position
// m = Σ_s x_s μ(s), x_s = s - el, with ∂r/∂m = δ (q u - κ (m - x)) before T and -c-term (m - x) at
// T; the transitions depend on m only through a rounding, whose derivative is 0 (MFGLib builds
// them from Python numbers: autograd sees no dependence). So dst(s, ·) = x_s Σ_{s',a} gr(s', a) ∂r(s', a)/∂m.
func (g *LinearQuadratic) StageVJP(t int, L mfg.Population, gr, gp, dst []float64) error {
	if err := checkVJP(g, t, L, gr, gp, dst); err != nil {
		return err
	}
	p := g.p
	nS, nA := 2*p.El+1, 2*p.M+1
	var mean float64
	for s := 0; s < nS; s++ {
		mean += float64(s-p.El) * stateMass(L, s)
	}
	var gm float64
	for s := 0; s < nS; s++ {
		gap := mean - float64(s-p.El)
		for a := 0; a < nA; a++ {
			u := float64(a - p.M)
			if t == p.T {
				gm += gr[s*nA+a] * -p.CTerm * gap
			} else {
				gm += gr[s*nA+a] * (p.Q*u - p.Kappa*gap) * p.Delta
			}
		}
	}
	x := make([]float64, nS)
	for s := range x {
		x[s] = float64(s-p.El) * gm
	}
	fillStates(dst, x, nA)
	return nil
}

// RewardBound is MFGLib's r_max of the linear-quadratic game, (m²/2 + 2 q m el + 2 κ el²) δ.
func (g *LinearQuadratic) RewardBound() float64 {
	p := g.p
	m, el := float64(p.M), float64(p.El)
	return (0.5*m*m + 2*p.Q*m*el + 2*p.Kappa*el*el) * p.Delta
}

// StageVJP of random-linear: r(s, a) = R2[s,a] + Σ_k R1[s,k] L(k, a) and
// P(·|s, a) = softmax over s' of z(s') = P2[s',s,a] + Σ_k P1[s',s,k] L(k, a), so with the
// softmax's cotangent gz(s') = P(s'|s, a)(gp(s, a, s') - Σ_j gp(s, a, j) P(j|s, a)),
//
//	dst(k, a) = Σ_s gr(s, a) R1[s,k] + Σ_{s,s'} gz(s') P1[s',s,k].
func (g *RandomLinear) StageVJP(t int, L mfg.Population, gr, gp, dst []float64) error {
	if err := checkVJP(g, t, L, gr, gp, dst); err != nil {
		return err
	}
	n := g.p.N
	clear(dst)
	for s := 0; s < n; s++ {
		for a := 0; a < n; a++ {
			for k, c := range g.r1[s*n : (s+1)*n] {
				dst[k*n+a] += gr[s*n+a] * c
			}
		}
	}
	if gp == nil || t == g.p.T {
		return nil
	}
	m, err := g.Stage(t, L)
	if err != nil {
		return err
	}
	gz := make([]float64, n)
	for s := 0; s < n; s++ {
		for a := 0; a < n; a++ {
			next, prob := m.Successors(s, a)
			P := make([]float64, n) // dense: a row may leave out a successor of probability 0
			for j, sp := range next {
				P[sp] = prob[j]
			}
			row := gp[(s*n+a)*n : (s*n+a+1)*n]
			var mean float64
			for sp, w := range P {
				mean += w * row[sp]
			}
			for sp, w := range P {
				gz[sp] = w * (row[sp] - mean)
			}
			for sp, z := range gz {
				for k, c := range g.p1[(sp*n+s)*n : (sp*n+s+1)*n] {
					dst[k*n+a] += z * c
				}
			}
		}
	}
	return nil
}

// RewardBound is MFGLib's r_max of random-linear, 2m.
func (g *RandomLinear) RewardBound() float64 { return 2 * g.p.M }
