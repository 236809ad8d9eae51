package finite

import (
	"fmt"

	"meanfield/mfg"
)

// DifferenceStep is the step h of StageVJPByDifferences: about the cube root of float64's machine
// epsilon, which balances the central difference's O(h²) truncation against its O(ε/h) rounding for
// populations of mass about 1.
const DifferenceStep = 6e-6

// StageVJP writes into dst the vector–Jacobian product of g's stage t at L (see
// mfg.StageGradient): exactly when g implements mfg.StageGradient, else approximately, by
// StageVJPByDifferences with DifferenceStep.
func StageVJP(g Game, t int, L mfg.Population, gr, gp, dst []float64) error {
	if sg, ok := g.(mfg.StageGradient); ok {
		return sg.StageVJP(t, L, gr, gp, dst)
	}
	return StageVJPByDifferences(g, t, L, gr, gp, dst, DifferenceStep)
}

// StageVJPByDifferences approximates the vector–Jacobian product of mfg.StageGradient by central
// differences of φ(L) = Σ gr·r(t, L) + Σ gp·P(t, L) with step h in each entry of L:
//
//	dst(k) ≈ (φ(L + h e_k) - φ(L - h e_k)) / 2h,
//
// accurate to O(h²) where the stage is smooth, and two stages per entry of L. gp (dense S·A·S, or
// nil for zero) is read only at t < T. The perturbed populations leave the simplex by h, which a
// game whose stages need a distribution must tolerate.
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
	for k := range x.Mass {
		x0 := x.Mass[k]
		x.Mass[k] = x0 + h
		up, err := phi()
		if err != nil {
			return err
		}
		x.Mass[k] = x0 - h
		down, err := phi()
		if err != nil {
			return err
		}
		x.Mass[k] = x0
		dst[k] = (up - down) / (2 * h)
	}
	return nil
}
