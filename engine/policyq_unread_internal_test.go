package engine

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
)

// An evaluation of a problem whose runs read no Q^π (qp0Only) scores the policy with the bits of
// one that keeps Q^π, holds Q* alone afterwards, and, asked for Q^π all the same, computes it
// with the bits of the kept one; Q* is the same too. On a game of stencil moves (crowd motion) and
// one whose stages the engine writes (beach bar), at random policies.
func TestQp0OnlyScoresAsWholeQp(t *testing.T) {
	crowd, err := games.New("crowd-motion", map[string]any{"torus-l": 6, "torus-w": 5})
	if err != nil {
		t.Fatal(err)
	}
	beach, err := games.New("beach-bar", map[string]any{"n": 7, "T": 4})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(41, 42))
	for _, g := range []mfg.Game{crowd, beach} {
		whole, err := NewProblem(g, EvaluationOptions{})
		if err != nil {
			t.Fatal(err)
		}
		first, _ := NewProblem(g, EvaluationOptions{})
		first.qp0Only = true
		for trial := range 4 {
			pi := whole.Uniform()
			for _, p := range pi[:trial] { // random rows at the first times
				for s := range p.States {
					row, sum := p.Row(s), 0.0
					for a := range row {
						row[a] = rng.Float64()
						sum += row[a]
					}
					for a := range row {
						row[a] /= sum
					}
				}
			}
			a, b := whole.Evaluate(pi, nil), first.Evaluate(pi, nil)
			ea, err := a.Exploitability(ctx)
			if err != nil {
				t.Fatal(err)
			}
			eb, err := b.Exploitability(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if math.Float64bits(ea) != math.Float64bits(eb) || !a.hasQp || b.hasQp || !b.hasQs {
				t.Fatalf("%s, trial %d: exploitability %v keeping Q^π_0 alone, %v keeping Q^π (Q^π held: %v, %v)", g.Name(), trial, eb, ea, b.hasQp, a.hasQp)
			}
			optimal := func(e *Evaluation) ([][]float64, error) { return e.OptimalQ(ctx) }
			policy := func(e *Evaluation) ([][]float64, error) { return e.PolicyQ(ctx) }
			for _, read := range []func(*Evaluation) ([][]float64, error){optimal, policy} {
				qa, err := read(a)
				if err != nil {
					t.Fatal(err)
				}
				qb, err := read(b)
				if err != nil {
					t.Fatal(err)
				}
				for tt := range qa {
					for i := range qa[tt] {
						if math.Float64bits(qa[tt][i]) != math.Float64bits(qb[tt][i]) {
							t.Fatalf("%s, trial %d: Q_%d differs at entry %d: %v, want %v", g.Name(), trial, tt, i, qb[tt][i], qa[tt][i])
						}
					}
				}
			}
			whole.release(a)
			first.release(b)
		}
	}
}
