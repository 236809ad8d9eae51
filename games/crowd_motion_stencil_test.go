package games_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/finite"
	"meanfield/games"
	"meanfield/mfg"
)

// sparseOnly is a crowd motion whose stages and moves have no stencil, so package finite reads
// them as general sparse rows.
type sparseOnly struct{ *games.CrowdMotion }

func (g sparseOnly) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	st, err := g.CrowdMotion.Stage(t, L)
	if err != nil {
		return nil, err
	}
	plain := *st
	plain.Stencil = nil
	return &plain, nil
}

func (g sparseOnly) Moves(t int) *mfg.MDP {
	plain := *g.CrowdMotion.Moves(t)
	plain.Stencil = nil
	return &plain
}

// randomSparsePolicy is a policy with about a third of its entries exactly 0 (so that masses of
// the mean field are 0, the rows the sparse scatter skips) and the others random.
func randomSparsePolicy(g mfg.Finite, rng *rand.Rand) finite.Policy {
	S, A := g.States(), g.Actions()
	pi := make(finite.Policy, g.Horizon()+1)
	for t := range pi {
		pi[t] = mfg.NewPolicy(S, A)
		for s := 0; s < S; s++ {
			row := pi[t].Row(s)
			var sum float64
			for a := range row {
				if rng.IntN(3) > 0 || a == s%A {
					row[a] = rng.Float64()
				}
				sum += row[a]
			}
			for a := range row {
				row[a] /= sum
			}
		}
	}
	return pi
}

// sameBits reports the first entry where x and y differ bit for bit.
func sameBits(what string, x, y [][]float64) error {
	for t := range x {
		for i := range x[t] {
			if math.Float64bits(x[t][i]) != math.Float64bits(y[t][i]) {
				return fmt.Errorf("%s at t = %d, entry %d: %v with the stencil, %v without", what, t, i, x[t][i], y[t][i])
			}
		}
	}
	return nil
}

// TestCrowdMotionStencilBitForBit checks that the stencil's kernels (mfg.Stencil) give the mean
// field, Q* and Q^π of the sparse rows bit for bit, on grids from 1 × 1 (no regular row) to
// 23 × 19, with noise that never, always or sometimes stays, and policies with zero entries.
func TestCrowdMotionStencilBitForBit(t *testing.T) {
	cases := []struct{ l, w, T int }{{20, 20, 3}, {1, 1, 2}, {1, 6, 3}, {2, 3, 2}, {5, 5, 4}, {7, 5, 6}, {23, 19, 3}, {6, 9, 1}}
	rng := rand.New(rand.NewPCG(12, 12))
	for _, c := range cases {
		for _, pStill := range []float64{0.5, 0, 1, 0.3} {
			p := games.DefaultCrowdMotionParams()
			p.TorusL, p.TorusW, p.T, p.PStill = c.l, c.w, c.T, pStill
			g := mustCrowdMotion(t, p)
			if st := g.Moves(0).Stencil; c.l >= 5 && c.w >= 5 && !st.Gathered[2*c.w+2] {
				t.Fatalf("%d × %d: the stencil gathers no inflow", c.l, c.w)
			}
			for range 3 {
				pi := randomSparsePolicy(g, rng)
				if err := sameEvaluation(g, sparseOnly{g}, pi); err != nil {
					t.Fatalf("%d × %d, T = %d, p-still %v: %v", c.l, c.w, c.T, pStill, err)
				}
			}
		}
	}
}

// sameEvaluation compares the mean field and Q-functions of pi on two versions of a game.
func sameEvaluation(g, plain mfg.Finite, pi finite.Policy) error {
	L, stages, err := finite.MeanFieldOf(g, pi)
	if err != nil {
		return err
	}
	Lp, stagesP, err := finite.MeanFieldOf(plain, pi)
	if err != nil {
		return err
	}
	mass := func(L finite.MeanField) [][]float64 {
		out := make([][]float64, len(L))
		for t := range L {
			out[t] = L[t].Mass
		}
		return out
	}
	La, err := finite.MeanFieldAlone(g, pi)
	if err != nil {
		return err
	}
	qs, qp := finite.QFunctions(stages, pi)
	qsP, qpP := finite.QFunctions(stagesP, pi)
	for _, c := range []struct {
		what string
		x, y [][]float64
	}{
		{"mean field", mass(L), mass(Lp)},
		{"mean field alone", mass(La), mass(Lp)},
		{"Q*", qs, qsP},
		{"Q^π", qp, qpP},
		{"Q* alone", finite.OptimalQ(stages), qsP},
		{"Q^π alone", finite.PolicyQ(stages, pi), qpP},
	} {
		if err := sameBits(c.what, c.x, c.y); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkCrowdMotionEvaluation times an evaluation's mean field and Q-functions (both, in one
// backward pass) of a random policy at the defaults, with the stencil and with the sparse rows.
func BenchmarkCrowdMotionEvaluation(b *testing.B) {
	g, err := games.NewCrowdMotion(games.DefaultCrowdMotionParams())
	if err != nil {
		b.Fatal(err)
	}
	pi := randomSparsePolicy(g, rand.New(rand.NewPCG(1, 2)))
	for _, c := range []struct {
		name string
		g    mfg.Finite
	}{{"stencil", g}, {"sparse", sparseOnly{g}}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				_, stages, err := finite.MeanFieldOf(c.g, pi)
				if err != nil {
					b.Fatal(err)
				}
				finite.QFunctions(stages, pi)
			}
		})
	}
}

// TestCrowdMotionRewardLogsExact checks the rewards bit for bit against c (1 - |s - b_t|_1 /
// (torus-l + torus-w)) - log(μ_t(s) + log-eps) computed afresh at every cell, for densities that
// repeat a few values (the logarithms the stage remembers), then many (beyond what it
// remembers), in runs and interleaved.
func TestCrowdMotionRewardLogsExact(t *testing.T) {
	p := games.DefaultCrowdMotionParams()
	p.TorusL, p.TorusW, p.BarLocs = 9, 7, [][2]int{{1, 2}, {3, 3}, {8, 0}, {4, 6}}
	g := mustCrowdMotion(t, p)
	S := p.TorusL * p.TorusW
	rng := rand.New(rand.NewPCG(3, 4))
	for _, distinct := range []int{1, 3, 16, 17, 40, S} {
		values := make([]float64, distinct)
		for i := range values {
			values[i] = rng.Float64() / float64(S)
		}
		for tt := 0; tt <= p.T; tt++ {
			L := mfg.Population{States: S, Actions: 5, Mass: make([]float64, S*5)}
			for s := 0; s < S; s++ {
				m := values[rng.IntN(distinct)]
				if tt%2 == 0 {
					m = values[s*distinct/S] // in runs
				}
				L.Mass[s*5+s%5] = m
			}
			st, err := g.Stage(tt, L)
			if err != nil {
				t.Fatal(err)
			}
			b := p.BarLocs[tt]
			for s := 0; s < S; s++ {
				l, w := s/p.TorusW, s%p.TorusW
				d := (math.Abs(float64(l-b[0])) + math.Abs(float64(w-b[1]))) / float64(p.TorusL+p.TorusW)
				want := p.C*(1-d) - math.Log(L.Mass[s*5+s%5]+p.LogEps)
				for a := 0; a < 5; a++ {
					if got := st.Reward[s*5+a]; math.Float64bits(got) != math.Float64bits(want) {
						t.Fatalf("%d distinct densities, t = %d: r(%d, %d) = %v, want %v", distinct, tt, s, a, got, want)
					}
				}
			}
		}
	}
}
