package games_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
)

func mustEquilibriumPrice(t testing.TB, p games.EquilibriumPriceParams) *games.EquilibriumPrice {
	t.Helper()
	g, err := games.NewEquilibriumPrice(p)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestEquilibriumPriceParamsValidation(t *testing.T) {
	bad := func(f func(p *games.EquilibriumPriceParams)) error {
		p := games.DefaultEquilibriumPriceParams()
		f(&p)
		_, err := games.NewEquilibriumPrice(p)
		return err
	}
	type P = games.EquilibriumPriceParams
	tkCheckErrors(t, []tkParamError{
		{"T < 0", bad(func(p *P) { p.T = -1 }), []string{"T", "-1"}},
		{"s-inv < 0", bad(func(p *P) { p.SInv = -1 }), []string{"s-inv", "-1"}},
		{"Q < 0", bad(func(p *P) { p.Q = -2 }), []string{"Q", "-2"}},
		{"H < 0", bad(func(p *P) { p.H = -3 }), []string{"H", "-3"}},
		{"d < 0", bad(func(p *P) { p.D = -1 }), []string{"d", "-1"}},
		{"d NaN", bad(func(p *P) { p.D = math.NaN() }), []string{"d", "NaN"}},
		{"e0 = 0", bad(func(p *P) { p.E0 = 0 }), []string{"e0", "0"}},
		{"e0 Inf", bad(func(p *P) { p.E0 = math.Inf(1) }), []string{"e0", "+Inf"}},
		{"sigma = 0", bad(func(p *P) { p.Sigma = 0 }), []string{"sigma", "0"}},
		{"sigma < 0", bad(func(p *P) { p.Sigma = -0.5 }), []string{"sigma", "-0.5"}},
		// MFGLib's ValueError: c does not unpack into five coefficients.
		{"c short", bad(func(p *P) { p.C = []float64{1, 1, 1, 1} }), []string{"c = [1 1 1 1]", "4 entries"}},
		{"c long", bad(func(p *P) { p.C = []float64{1, 1, 1, 1, 1, 1} }), []string{"c = [1 1 1 1 1 1]", "6 entries"}},
		{"c NaN", bad(func(p *P) { p.C = []float64{1, 1, 1, math.NaN(), 1} }), []string{"c = [1 1 1 NaN 1]", "c3"}},
		{"mu0 length", bad(func(p *P) { p.Mu0 = []float64{1} }), []string{"mu0", "1 entries"}},
		{"mu0 negative", bad(func(p *P) { p.Mu0 = []float64{0.5, 0.5, 0.25, -0.25} }), []string{"mu0", "-0.25"}},
		{"mu0 sum", bad(func(p *P) { p.Mu0 = []float64{0.5, 0.5, 0.25, 0.25} }), []string{"mu0", "1.5"}},
	})
}

func TestEquilibriumPriceStagesValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for i, p := range []games.EquilibriumPriceParams{
		games.DefaultEquilibriumPriceParams(),
		{T: 6, SInv: 5, Q: 3, H: 1, D: 2, E0: 0.5, Sigma: 0.7, C: []float64{0.5, 0.1, 0.3, 2, 0.05}, Mu0: tkRandomDistribution(rng, 6)},
		{T: 0, SInv: 0, Q: 0, H: 0, D: 0, E0: 1, Sigma: 1, C: []float64{1, 1, 1, 1, 1}},
		{T: 2, SInv: 2, Q: 4, H: 3, D: 1, E0: 2, Sigma: 3, C: []float64{-1, 0, 2, 0, 1}},
	} {
		t.Run(fmt.Sprint(i), func(t *testing.T) { tkCheckGame(t, mustEquilibriumPrice(t, p), rng) })
	}
}

// The rules written out: the action (q, h) flattened by hand as q (H+1) + h, the price from the
// population's expected q, the inventory moved and capped.
func TestEquilibriumPriceStageByHand(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	p := games.EquilibriumPriceParams{T: 3, SInv: 4, Q: 3, H: 2, D: 2, E0: 0.5, Sigma: 0.7, C: []float64{0.5, 0.1, 0.3, 2, 0.05}}
	g := mustEquilibriumPrice(t, p)
	if got := g.ActionShape(); !slices.Equal(got, []int{4, 3}) {
		t.Fatalf("action shape %v, want [4 3]", got)
	}
	S, H1 := p.SInv+1, p.H+1
	A := (p.Q + 1) * H1
	for tt := 0; tt <= p.T; tt++ {
		L := tkRandomPopulation(rng, S, A)
		var eq float64
		for s := 0; s < S; s++ {
			for q := 0; q <= p.Q; q++ {
				for h := 0; h <= p.H; h++ {
					eq += L.Mass[s*A+q*H1+h] * float64(q)
				}
			}
		}
		price := math.Pow(p.D/(eq+p.E0), 1/p.Sigma)
		if got := g.Price(L); math.Abs(got-price) > 1e-12 {
			t.Errorf("price %v, want %v", got, price)
		}
		st, err := g.Stage(tt, L)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range [][3]int{{0, 0, 0}, {0, 3, 2}, {2, 3, 0}, {4, 1, 2}, {3, 2, 1}, {1, 0, 2}, {4, 3, 2}} {
			s, q, h := c[0], c[1], c[2]
			a := q*H1 + h
			short := 0
			if q > s {
				short = q - s
			}
			want := (price-p.C[0])*float64(q) - p.C[1]*float64(q*q) - p.C[2]*float64(h) -
				(p.C[2]+p.C[3])*float64(short) - p.C[4]*float64(s)
			if got := st.Reward[s*A+a]; math.Abs(got-want) > 1e-12 {
				t.Errorf("t=%d: r(s=%d, q=%d, h=%d) = %v, want %v", tt, s, q, h, got, want)
			}
			used := q
			if used > s {
				used = s
			}
			next := s - used + h
			if next > p.SInv {
				next = p.SInv
			}
			row := make([]float64, S)
			row[next] = 1
			tkCheckRow(t, fmt.Sprintf("t=%d (q=%d, h=%d)", tt, q, h), st, s, a, row, 0)
		}
	}
}

func TestEquilibriumPriceRegistry(t *testing.T) {
	g, err := games.NewFinite("equilibrium-price", map[string]any{"s-inv": 2, "Q": 1, "H": 3, "c": []float64{0, 1, 2, 3, 4}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(g.StateShape(), []int{3}) || !slices.Equal(g.ActionShape(), []int{2, 4}) {
		t.Errorf("shapes %v %v", g.StateShape(), g.ActionShape())
	}
}

// Online mirror descent and prior descent match MFGLib at every iteration. MFGLib's fictitious play
// fails on this game (its action space is two-dimensional, (Q+1) × (H+1), and FictitiousPlay
// broadcasts the state marginal, of shape (T+1, S, 1), against the policy, of shape
// (T+1, S, Q+1, H+1): a RuntimeError), so the reference has no fictitious play to compare with.
func TestEquilibriumPriceMatchesMFGLib(t *testing.T) {
	ref := tkLoadReference(t)
	tkGolden(t, ref, mustEquilibriumPrice(t, games.DefaultEquilibriumPriceParams()), "equilibrium_price", tkTieProne)
}

// BenchmarkEquilibriumPriceWriteStage is every time's stage of MFGLib's default game at a
// population spread over the states and actions, as the engine writes them (mfg.StageWriter).
func BenchmarkEquilibriumPriceWriteStage(b *testing.B) {
	g := mustEquilibriumPrice(b, games.DefaultEquilibriumPriceParams())
	S, A := g.States(), g.Actions()
	L := mfg.Population{States: S, Actions: A, Mass: make([]float64, S*A)}
	for i := range L.Mass {
		L.Mass[i] = float64(1+i%7) / float64(4*S*A)
	}
	dst := &mfg.MDP{Reward: make([]float64, S*A)}
	for b.Loop() {
		for t := 0; t <= g.Horizon(); t++ {
			if err := g.WriteStage(t, L, dst); err != nil {
				b.Fatal(err)
			}
		}
	}
}
