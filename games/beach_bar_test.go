package games_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/games"
)

func TestBeachBarRejectsBadParameters(t *testing.T) {
	tkCheckBadParams(t, "beach-bar", []tkBadParams{
		{map[string]any{"T": -1}, []string{"T = -1"}},
		{map[string]any{"n": 0, "bar-loc": 0}, []string{"n = 0"}},
		{map[string]any{"n": -3, "bar-loc": 0}, []string{"n = -3"}},
		{map[string]any{"bar-loc": -1}, []string{"bar-loc = -1"}},
		{map[string]any{"bar-loc": 4}, []string{"bar-loc = 4"}}, // MFGLib: between zero and n-1
		{map[string]any{"p-still": 1.5}, []string{"p-still = 1.5"}},
		{map[string]any{"p-still": -0.25}, []string{"p-still = -0.25"}},
		{map[string]any{"p-still": math.NaN()}, []string{"p-still = NaN"}},
		{map[string]any{"log-eps": 0}, []string{"log-eps = 0"}},
		{map[string]any{"log-eps": -1e-20}, []string{"log-eps = -1e-20"}},
		{map[string]any{"log-eps": math.Inf(1)}, []string{"log-eps = +Inf"}},
		{map[string]any{"mu0": []float64{0.5, 0.5}}, []string{"mu0 = [0.5 0.5]", "want 4"}},
		{map[string]any{"mu0": []float64{0.5, 0.5, 0.5, -0.5}}, []string{"mu0 = [0.5 0.5 0.5 -0.5]", "-0.5"}},
		{map[string]any{"mu0": []float64{0.25, 0.25, 0.25, 0.2}}, []string{"mu0 = [0.25 0.25 0.25 0.2]", "sum to 0.95"}},
	})
}

func TestBeachBarIsValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for _, p := range []games.BeachBarParams{
		games.DefaultBeachBarParams(),
		{T: 5, N: 7, BarLoc: 0, LogEps: 1e-10, PStill: 0.2, Mu0: []float64{0.3, 0, 0, 0.1, 0, 0.4, 0.2}},
		{T: 3, N: 9, BarLoc: 8, LogEps: 1e-3, PStill: 1},
		{T: 0, N: 1, BarLoc: 0, LogEps: 1e-20, PStill: 0},
	} {
		g, err := games.NewBeachBar(p)
		if err != nil {
			t.Fatalf("%+v: %v", p, err)
		}
		tkCheckGame(t, g, rng)
	}
}

// The reward is -d(s) - |a-1|/n - log(μ(s) + log-eps), d the distance to the bar around the circle
// of n positions; the move a-1 plus noise -1/0/+1 (probabilities (1-p)/2, p, (1-p)/2) is clamped
// to [0, n-1], not wrapped.
func TestBeachBarStageByHand(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	p := games.BeachBarParams{T: 3, N: 7, BarLoc: 5, LogEps: 1e-6, PStill: 0.3}
	g, err := games.NewBeachBar(p)
	if err != nil {
		t.Fatal(err)
	}
	// Distances to the bar at 5 on a circle of 7: by hand.
	dist := []float64{2, 3, 3, 2, 1, 0, 1}
	L := tkRandomPopulation(rng, 7, 3)
	mu := tkStateMarginal(L)
	for _, tt := range []int{0, 2, 3} {
		m, err := g.Stage(tt, L)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []int{0, 1, 4, 5, 6} {
			for a := 0; a < 3; a++ {
				want := -dist[s] - math.Abs(float64(a)-1)/7 - math.Log(mu[s]+1e-6)
				if got := m.Reward[s*3+a]; math.Abs(got-want) > 1e-12 {
					t.Errorf("t=%d: r(%d, %d) = %v, want %v", tt, s, a, got, want)
				}
				row := make([]float64, 7)
				for e, pr := range map[int]float64{-1: 0.35, 0: 0.3, 1: 0.35} {
					next := s + (a - 1) + e
					if next < 0 {
						next = 0
					}
					if next > 6 {
						next = 6
					}
					row[next] += pr
				}
				tkCheckRow(t, "beach-bar", m, s, a, row, 1e-15)
			}
		}
	}
	// An empty position costs -log(log-eps).
	L.Mass[3*3], L.Mass[3*3+1], L.Mass[3*3+2] = 0, 0, 0
	m, _ := g.Stage(0, L)
	if want := -2 - math.Log(1e-6); math.Abs(m.Reward[3*3+1]-want) > 1e-12 {
		t.Errorf("empty position: r(3, 1) = %v, want %v", m.Reward[3*3+1], want)
	}
}

func TestBeachBarMatchesMFGLib(t *testing.T) {
	g, err := games.NewBeachBar(games.DefaultBeachBarParams())
	if err != nil {
		t.Fatal(err)
	}
	tkGolden(t, tkLoadReference(t), g, "beach_bar", tkGoldenTol{F64: 1e-10})
}

// MFGLib's runs with FictitiousPlay(alpha=0.5), PriorDescent(eta=0.5, n_inner=2) and
// OnlineMirrorDescent(alpha=0.1).
func TestBeachBarMatchesMFGLibOtherAlgorithmParameters(t *testing.T) {
	g, err := games.NewBeachBar(games.DefaultBeachBarParams())
	if err != nil {
		t.Fatal(err)
	}
	tkGoldenExtra(t, tkLoadReference(t), g, "beach_bar", 1e-10)
}
