package finite_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/finite"
	"meanfield/games"
)

// BenchmarkEvaluation times what package finite does for one evaluation of a policy, as the
// engine asks for it: the mean field with its stages in a Memory (the policy is the same at every
// evaluation, so the stages, written at the first, are found written: the games' stage writing is
// left out), both Q-functions and the exploitability; and a mean field alone (fictitious play's
// best response). The policy is a softmax of random scores, with mass on every action.
func BenchmarkEvaluation(b *testing.B) {
	for _, name := range []string{"random-linear", "beach-bar", "equilibrium-price", "rock-paper-scissors", "left-right", "crowd-motion"} {
		g, err := games.NewFinite(name, nil)
		if err != nil {
			b.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		pi := finite.Uniform(g)
		for _, p := range pi {
			for s := range p.States {
				row, sum := p.Row(s), 0.0
				for a := range row {
					row[a] = math.Exp(rng.NormFloat64())
					sum += row[a]
				}
				for a := range row {
					row[a] /= sum
				}
			}
		}
		c := new(finite.Chunks)
		mem := finite.NewMemory(g, c)
		mu0 := g.InitialStates()
		b.Run(name+"/evaluation", func(b *testing.B) {
			for b.Loop() {
				L, stages, err := mem.MeanField(g, pi)
				if err != nil {
					b.Fatal(err)
				}
				qs, qp := mem.QFunctions(stages, pi)
				if e := finite.ExploitabilityFromQ(mu0, pi[0], qs[0], qp[0]); math.IsNaN(e) {
					b.Fatal("NaN exploitability")
				}
				c.RecycleMeanField(L)
			}
		})
		b.Run(name+"/mean-field-alone", func(b *testing.B) {
			for b.Loop() {
				if _, err := mem.MeanFieldAlone(g, pi); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
