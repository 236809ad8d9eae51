package finite_test

import (
	"testing"

	"meanfield/finite"
	"meanfield/games"
	"meanfield/mfg"
)

// BenchmarkOccupationProjection times the projection alone on MF-OMI-FBS's first backward step
// (d = L + 0.01 r(L), L the mean field of the uniform policy), from λ = 0 (cold) and from the
// multiplier of a nearby projection (warm: d moved by 0.01 r again).
func BenchmarkOccupationProjection(b *testing.B) {
	for _, name := range []string{"beach-bar", "building-evacuation"} {
		g, err := games.NewFinite(name, nil)
		if err != nil {
			b.Fatal(err)
		}
		L, stages, err := finite.MeanFieldOf(g, finite.Uniform(g))
		if err != nil {
			b.Fatal(err)
		}
		poly, err := finite.NewOccupationPolytope(g.States(), g.Actions(), g.InitialStates(), stages[:len(stages)-1], mfg.LegalMask(g))
		if err != nil {
			b.Fatal(err)
		}
		var d, d2 []float64
		for t, st := range stages {
			for i, r := range st.Reward {
				d = append(d, L[t].Mass[i]+0.01*r)
				d2 = append(d2, L[t].Mass[i]+0.02*r)
			}
		}
		first, err := poly.Project(d, nil)
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range []struct {
			name  string
			start []float64
		}{{"cold", nil}, {"warm", first.Dual}} {
			b.Run(name+"/"+c.name, func(b *testing.B) {
				var pr finite.Projection
				for b.Loop() {
					if pr, err = poly.Project(d2, c.start); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(pr.NewtonSteps), "newton-steps")
				b.ReportMetric(float64(pr.CGSteps), "cg-steps")
			})
		}
	}
}
