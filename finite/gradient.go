package finite

import (
	"fmt"

	"meanfield/mfg"
)

// DifferenceStep is the step h of StageVJPByDifferences: about the fifth root of float64's
// machine epsilon, which balances the fourth-order difference's O(h⁴) truncation against its
// O(ε/h) rounding for populations of mass about 1 (about 1e-12 relative on smooth stages).
const DifferenceStep = 1e-4

// StageVJP writes into dst the vector–Jacobian product of g's stage t at L (see
// mfg.StageGradient): exactly when g implements mfg.StageGradient, else approximately, by
// StageVJPByDifferences with DifferenceStep.
func StageVJP(g Game, t int, L mfg.Population, gr, gp, dst []float64) error {
	if sg, ok := g.(mfg.StageGradient); ok {
		return sg.StageVJP(t, L, gr, gp, dst)
	}
	return StageVJPByDifferences(g, t, L, gr, gp, dst, DifferenceStep)
}

// StageVJPByDifferences approximates the vector–Jacobian product of mfg.StageGradient by the
// fourth-order central differences of φ(L) = Σ gr·r(t, L) + Σ gp·P(t, L) with step h in each
// entry of L:
//
//	dst(k) ≈ (8 (φ(L + h e_k) - φ(L - h e_k)) - (φ(L + 2h e_k) - φ(L - 2h e_k))) / 12h,
//
// accurate to O(h⁴) where the stage is smooth (at a kink, such as max(μ, ε) at μ = ε, it
// averages the two one-sided slopes), at four stages per entry of L. gp (dense S·A·S, or nil for
// zero) is read only at t < T. The perturbed populations leave the simplex by 2h, which a game
// whose stages need a distribution must tolerate.
func StageVJPByDifferences(g Game, t int, L mfg.Population, gr, gp, dst []float64, h float64) error {
	S, A := Dims(g)
	if len(L.Mass) != S*A || len(gr) != S*A || len(dst) != S*A || (gp != nil && len(gp) != S*A*S) {
		return fmt.Errorf("%s: stage gradient sizes: L %d, gr %d, gp %d, dst %d; want %d, %d, %d (or nil), %d",
			g.Name(), len(L.Mass), len(gr), len(gp), len(dst), S*A, S*A, S*A*S, S*A)
	}
	if !(h > 0) {
		return fmt.Errorf("finite-difference step h = %v: must be positive", h)
	}
	if t == g.Horizon() {
		gp = nil
	}
	x := L.Clone()
	phi := func() (float64, error) {
		m, err := g.Stage(t, x)
		if err != nil {
			return 0, err
		}
		var v float64
		for i, c := range gr {
			v += c * m.Reward[i]
		}
		if gp != nil {
			for i := 0; i < S*A; i++ {
				next, prob := m.Successors(i/A, i%A)
				for j, sp := range next {
					v += gp[i*S+sp] * prob[j]
				}
			}
		}
		return v, nil
	}
	var at [4]float64 // φ at x0 + h, x0 - h, x0 + 2h, x0 - 2h
	for k := range x.Mass {
		x0 := x.Mass[k]
		for i, d := range [4]float64{h, -h, 2 * h, -2 * h} {
			x.Mass[k] = x0 + d
			v, err := phi()
			if err != nil {
				return err
			}
			at[i] = v
		}
		x.Mass[k] = x0
		dst[k] = (8*(at[0]-at[1]) - (at[2] - at[3])) / (12 * h)
	}
	return nil
}
