package games_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/games"
)

func mustTreasureHunting(t testing.TB, p games.ConservativeTreasureHuntingParams) *games.ConservativeTreasureHunting {
	t.Helper()
	g, err := games.NewConservativeTreasureHunting(p)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestConservativeTreasureHuntingParamsValidation(t *testing.T) {
	bad := func(f func(p *games.ConservativeTreasureHuntingParams)) error {
		p := games.DefaultConservativeTreasureHuntingParams()
		f(&p)
		_, err := games.NewConservativeTreasureHunting(p)
		return err
	}
	type P = games.ConservativeTreasureHuntingParams
	tkCheckErrors(t, []tkParamError{
		{"T < 0", bad(func(p *P) { p.T, p.C = -1, nil }), []string{"T", "-1"}},
		{"n = 0", bad(func(p *P) { p.N, p.R = 0, nil }), []string{"n", "0"}},
		// MFGLib's two ValueErrors.
		{"n != len(r)", bad(func(p *P) { p.N = 4 }), []string{"r = [1 1 1]", "n = 4", "len(r)"}},
		{"T != len(c)", bad(func(p *P) { p.T = 3 }), []string{"c = [1 1 1 1 1]", "T = 3", "len(c)"}},
		{"r NaN", bad(func(p *P) { p.R = []float64{1, math.NaN(), 1} }), []string{"r = [1 NaN 1]", "entry 1"}},
		{"c negative", bad(func(p *P) { p.C = []float64{1, 1, -0.5, 1, 1} }), []string{"c = [1 1 -0.5 1 1]", "entry 2", "-0.5"}},
		{"c Inf", bad(func(p *P) { p.C = []float64{1, 1, 1, 1, math.Inf(1)} }), []string{"c =", "entry 4", "+Inf"}},
		{"mu0 length", bad(func(p *P) { p.Mu0 = []float64{0.5, 0.5} }), []string{"mu0", "2 entries"}},
		{"mu0 negative", bad(func(p *P) { p.Mu0 = []float64{0.5, 0.7, -0.2} }), []string{"mu0", "-0.2"}},
		{"mu0 sum", bad(func(p *P) { p.Mu0 = []float64{0.5, 0.7, 0.2} }), []string{"mu0", "1.4"}},
	})
}

func TestConservativeTreasureHuntingStagesValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for i, p := range []games.ConservativeTreasureHuntingParams{
		games.DefaultConservativeTreasureHuntingParams(),
		{T: 3, N: 4, R: []float64{2, -1, 0.5, 3}, C: []float64{0.5, 0, 4}, Mu0: tkRandomDistribution(rng, 4)},
		{T: 0, N: 1, R: []float64{1}, C: []float64{}},
		{T: 2, N: 2, R: []float64{1, 5}, C: []float64{10, 0.1}, Mu0: []float64{1, 0}},
	} {
		t.Run(fmt.Sprint(i), func(t *testing.T) { tkCheckGame(t, mustTreasureHunting(t, p), rng) })
	}
}

// The rules written out with the distance D_t(s) summed entry by entry over the n × n matrix
// L_t - e_s: at t = 0 a sure move to a and no reward; later the noisy move and r_s (1 - D/2) for
// staying.
func TestConservativeTreasureHuntingStageByHand(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	p := games.ConservativeTreasureHuntingParams{T: 3, N: 4, R: []float64{2, -1, 0.5, 3}, C: []float64{0.5, 2, 4}}
	g := mustTreasureHunting(t, p)
	n := p.N
	for tt := 0; tt <= p.T; tt++ {
		L := tkRandomPopulation(rng, n, n)
		st, err := g.Stage(tt, L)
		if err != nil {
			t.Fatal(err)
		}
		for s := 0; s < n; s++ {
			var D float64
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					e := 0.0
					if i == s && j == s {
						e = 1
					}
					D += (L.Mass[i*n+j] - e) * (L.Mass[i*n+j] - e)
				}
			}
			for a := 0; a < n; a++ {
				want := 0.0
				row := make([]float64, n)
				if tt == 0 {
					row[a] = 1
				} else {
					if a == s {
						want = p.R[s] * (1 - D/2)
					}
					c := p.C[tt-1]
					for sp := range row {
						row[sp] = c * D / (1 + float64(n)*c*D)
						if sp == a {
							row[sp] += 1 / (1 + float64(n)*c*D)
						}
					}
				}
				if got := st.Reward[s*n+a]; math.Abs(got-want) > 1e-12 {
					t.Errorf("t=%d: r(%d, %d) = %v, want %v", tt, s, a, got, want)
				}
				tkCheckRow(t, fmt.Sprintf("t=%d", tt), st, s, a, row, 1e-12)
			}
		}
	}
}

func TestConservativeTreasureHuntingRegistry(t *testing.T) {
	g, err := games.NewFinite("conservative-treasure-hunting", map[string]any{"T": 2, "n": 2, "r": []float64{1, 2}, "c": []float64{1, 3}})
	if err != nil {
		t.Fatal(err)
	}
	if g.Horizon() != 2 || g.StateShape()[0] != 2 || g.ActionShape()[0] != 2 {
		t.Errorf("horizon %d, shapes %v %v", g.Horizon(), g.StateShape(), g.ActionShape())
	}
	if _, err := games.New("conservative-treasure-hunting", map[string]any{"T": 2}); err == nil {
		t.Error("T = 2 with the default 5 coefficients c accepted")
	}
}

// Online mirror descent and prior descent match MFGLib at every iteration. Fictitious play: the
// default game is symmetric in the three sites, and at iteration 3 the three actions at t = 0 tie
// in exact arithmetic but differ by 8.9e-16 in float64, so finite.Greedy sends everyone to site 2
// where the tie-tolerant rule splits evenly; MFGLib's float32 run departs from the tie-tolerant one
// at iteration 3 too (0.7376 against 0.5498, which algorithms.FictitiousPlay still gets at iteration
// 3). The Go tie-tolerant run equals the reference's to 1e-14 at all 11 iterations.
func TestConservativeTreasureHuntingMatchesMFGLib(t *testing.T) {
	ref := tkLoadReference(t)
	g := mustTreasureHunting(t, games.DefaultConservativeTreasureHuntingParams())
	tkGolden(t, ref, g, "conservative_treasure_hunting", tkTieProne)
}
