package games_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
)

func TestLinearQuadraticRejectsBadParameters(t *testing.T) {
	tkCheckBadParams(t, "linear-quadratic", []tkBadParams{
		{map[string]any{"T": -2}, []string{"T = -2"}},
		{map[string]any{"el": -1}, []string{"el = -1"}},
		{map[string]any{"m": -1}, []string{"m = -1"}},
		{map[string]any{"sigma": -0.5}, []string{"sigma = -0.5"}},
		{map[string]any{"sigma": math.NaN()}, []string{"sigma = NaN"}},
		{map[string]any{"sigma": math.Inf(1)}, []string{"sigma = +Inf"}},
		{map[string]any{"delta": 0}, []string{"delta = 0"}},
		{map[string]any{"delta": -0.1}, []string{"delta = -0.1"}},
		{map[string]any{"delta": math.Inf(1)}, []string{"delta = +Inf"}},
		{map[string]any{"k": math.NaN()}, []string{"k = NaN"}},
		{map[string]any{"q": math.Inf(-1)}, []string{"q = -Inf"}},
		{map[string]any{"kappa": math.NaN()}, []string{"kappa = NaN"}},
		{map[string]any{"c-term": math.Inf(1)}, []string{"c-term = +Inf"}},
		{map[string]any{"mu0": []float64{0.5, 0.5}}, []string{"mu0 = [0.5 0.5]", "want 11"}},
		{map[string]any{"el": 1, "mu0": []float64{0.5, 0.6, -0.1}}, []string{"mu0 = [0.5 0.6 -0.1]", "-0.1"}},
		{map[string]any{"el": 1, "mu0": []float64{0.5, 0.6, 0.1}}, []string{"mu0 = [0.5 0.6 0.1]", "sum to 1.2"}},
	})
}

func TestLinearQuadraticIsValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, p := range []games.LinearQuadraticParams{
		games.DefaultLinearQuadraticParams(),
		{T: 4, El: 3, M: 1, Sigma: 0.7, Delta: 0.5, K: 0.3, Q: 0.2, Kappa: 1, CTerm: 2, Mu0: []float64{0, 0, 0.5, 0, 0.5, 0, 0}},
		{T: 2, El: 6, M: 4, Sigma: 20, Delta: 2, K: -1, Q: -0.5, Kappa: -0.1, CTerm: 0},
		{T: 0, El: 0, M: 0, Sigma: 0, Delta: 1, K: 1, Q: 0, Kappa: 0, CTerm: 1},
	} {
		g, err := games.NewLinearQuadratic(p)
		if err != nil {
			t.Fatalf("%+v: %v", p, err)
		}
		tkCheckGame(t, g, rng)
	}
}

// Positions x = s-el, actions u = a-m, mean m_t = Σ x μ_t(x). Noise j = -3..3 with weights
// ∝ exp(-(jσ)²/2) moves by σ·(jσ)·√δ; x' = clamp(round-half-even(x + (k(m_t-x)+u)δ + noise)).
// Reward δ(-u²/2 + q u (m_t-x) - κ/2 (m_t-x)²) before T, -c/2 (m_t-x)² at T.
func TestLinearQuadraticStageByHand(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	const el, am, sigma, delta, k, q, kappa, c = 4, 3, 0.8, 0.5, 0.7, 0.2, 1.5, 2.0
	g, err := games.NewLinearQuadratic(games.LinearQuadraticParams{T: 2, El: el, M: am, Sigma: sigma, Delta: delta, K: k, Q: q, Kappa: kappa, CTerm: c})
	if err != nil {
		t.Fatal(err)
	}
	nS, nA := 2*el+1, 2*am+1
	L := tkRandomPopulation(rng, nS, nA)
	mean := 0.0
	for i, w := range L.Mass {
		mean += float64(i/nA-el) * w
	}
	var weights [7]float64
	var z float64
	for j := range weights {
		e := float64(j-3) * sigma
		weights[j] = math.Exp(-e * e / 2)
		z += weights[j]
	}
	for tt := 0; tt <= 2; tt++ {
		m, err := g.Stage(tt, L)
		if err != nil {
			t.Fatal(err)
		}
		for _, sa := range [][2]int{{0, 0}, {0, 6}, {3, 2}, {4, 3}, {7, 5}, {8, 6}, {8, 0}} {
			s, a := sa[0], sa[1]
			x, u := float64(s-el), float64(a-am)
			want := delta * (-u*u/2 + q*u*(mean-x) - kappa/2*(mean-x)*(mean-x))
			if tt == 2 {
				want = -c / 2 * (mean - x) * (mean - x)
			}
			if got := m.Reward[s*nA+a]; math.Abs(got-want) > 1e-12 {
				t.Errorf("t=%d: r(x=%v, u=%v) = %v, want %v", tt, x, u, got, want)
			}
			row := make([]float64, nS)
			for j, w := range weights {
				y := x + (k*(mean-x)+u)*delta + sigma*sigma*float64(j-3)*math.Sqrt(delta)
				next := int(math.RoundToEven(y))
				next = max(-el, min(el, next))
				row[next+el] += w / z
			}
			tkCheckRow(t, "linear-quadratic", m, s, a, row, 1e-10)
		}
	}
}

// With the defaults (δ = 0.1, k = 1) and a population centred at 0, from x = -5 with u = 0 the
// drift is exactly +0.5: torch.round sends -4.5 to -4 (half to even), not to -5; and from x = 5,
// 4.5 goes to 4. The noise j = 0 has weight 1/(1 + 2e^{-4.5} + 2e^{-18} + 2e^{-40.5}).
func TestLinearQuadraticRoundsHalfToEven(t *testing.T) {
	g, err := games.NewLinearQuadratic(games.DefaultLinearQuadraticParams())
	if err != nil {
		t.Fatal(err)
	}
	L := mfg.UniformPopulation(11, 5)
	m, err := g.Stage(0, L)
	if err != nil {
		t.Fatal(err)
	}
	w0 := 1 / (1 + 2*math.Exp(-4.5) + 2*math.Exp(-18) + 2*math.Exp(-40.5))
	for _, c := range []struct{ s, next int }{{0, 1}, {10, 9}} {
		row := tkDenseRow(t, m, c.s, 2)
		if math.Abs(row[c.next]-w0) > 1e-12 {
			t.Errorf("P(·|x=%d, u=0) = %v: want %v on x' = %d", c.s-5, row, w0, c.next-5)
		}
	}
}

// With k = 1/2, δ = 1 and no noise (σ = 0), x' = round(x/2 + u + m_t/2): a half-integer for every
// odd x when m_t = 0. A symmetric population has m_t = 0 but its computed mean is off by rounding,
// of either sign (el = 40 makes that error large enough to survive into x'; without the game's
// snapping to multiples of 1e-9 some trials round -14.5 to -15); exact halves must round to even.
func TestLinearQuadraticHalvesSurviveRoundingOfTheMean(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	const el, am = 40, 2
	g, err := games.NewLinearQuadratic(games.LinearQuadraticParams{T: 1, El: el, M: am, Sigma: 0, Delta: 1, K: 0.5, Q: 0, Kappa: 0, CTerm: 1})
	if err != nil {
		t.Fatal(err)
	}
	nS, nA := 2*el+1, 2*am+1
	for trial := 0; trial < 20; trial++ {
		L := mfg.NewPopulation(nS, nA)
		var sum float64
		for s := 0; s <= el; s++ {
			for a := 0; a < nA; a++ {
				w := rng.Float64()
				L.Mass[s*nA+a], L.Mass[(nS-1-s)*nA+a] = w, w
				sum += 2 * w
			}
		}
		for i := range L.Mass {
			L.Mass[i] /= sum
		}
		m, err := g.Stage(0, L)
		if err != nil {
			t.Fatal(err)
		}
		for s := 0; s < nS; s++ {
			x := s - el
			if x%2 == 0 {
				continue
			}
			for a := 0; a < nA; a++ {
				u := a - am
				want := max(-el, min(el, int(math.RoundToEven(float64(x)/2+float64(u)))))
				if row := tkDenseRow(t, m, s, a); math.Abs(row[want+el]-1) > 1e-12 {
					t.Fatalf("trial %d: P(·|x=%d, u=%d) = %v, want a sure move to %d", trial, x, u, row, want)
				}
			}
		}
	}
}

func TestLinearQuadraticMatchesMFGLib(t *testing.T) {
	g, err := games.NewLinearQuadratic(games.DefaultLinearQuadraticParams())
	if err != nil {
		t.Fatal(err)
	}
	tkGolden(t, tkLoadReference(t), g, "linear_quadratic", tkGoldenTol{F64: 1e-10})
}
