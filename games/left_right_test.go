package games_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/games"
)

func TestLeftRightRejectsBadParameters(t *testing.T) {
	tkCheckBadParams(t, "left-right", []tkBadParams{
		{map[string]any{"mu0": []float64{}}, []string{"mu0 = []"}},
		{map[string]any{"mu0": []float64{0.5, 0.5}}, []string{"mu0 = [0.5 0.5]", "3 entries"}},
		{map[string]any{"mu0": []float64{1, 0, 0, 0}}, []string{"mu0 = [1 0 0 0]"}},
		{map[string]any{"mu0": []float64{0.5, 0.6, -0.1}}, []string{"mu0 = [0.5 0.6 -0.1]", "-0.1"}},
		{map[string]any{"mu0": []float64{0.5, 0.4, 0}}, []string{"mu0 = [0.5 0.4 0]", "sum to 0.9"}},
		{map[string]any{"mu0": []float64{math.NaN(), 0.5, 0.5}}, []string{"mu0 = [NaN 0.5 0.5]"}},
	})
}

func TestLeftRightIsValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, mu0 := range [][]float64{{1, 0, 0}, {0.2, 0.3, 0.5}, {0, 0, 1}} {
		g, err := games.NewLeftRight(games.LeftRightParams{Mu0: mu0})
		if err != nil {
			t.Fatal(err)
		}
		tkCheckGame(t, g, rng)
	}
}

// From any state, left goes to state 1 and right to state 2; the reward is -μ(left) in the left
// state, -2 μ(right) in the right state and 0 in the center, whatever the action.
func TestLeftRightStageByHand(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	g, err := games.NewLeftRight(games.DefaultLeftRightParams())
	if err != nil {
		t.Fatal(err)
	}
	for trial := 0; trial < 5; trial++ {
		L := tkRandomPopulation(rng, 3, 2)
		muLeft := L.Mass[2] + L.Mass[3]
		muRight := L.Mass[4] + L.Mass[5]
		for tt := 0; tt <= 1; tt++ {
			m, err := g.Stage(tt, L)
			if err != nil {
				t.Fatal(err)
			}
			for s, r := range []float64{0, -muLeft, -2 * muRight} {
				for a := 0; a < 2; a++ {
					if got := m.Reward[s*2+a]; math.Abs(got-r) > 1e-15 {
						t.Errorf("t=%d: r(%d, %d) = %v, want %v", tt, s, a, got, r)
					}
					want := []float64{0, 0, 0}
					want[1+a] = 1
					tkCheckRow(t, "left-right", m, s, a, want, 0)
				}
			}
		}
	}
}

func TestLeftRightMatchesMFGLib(t *testing.T) {
	g, err := games.NewLeftRight(games.DefaultLeftRightParams())
	if err != nil {
		t.Fatal(err)
	}
	// MFGLib's float64 run differs from this one only by rounding (about 1e-13 relative).
	tkGolden(t, tkLoadReference(t), g, "left_right", tkGoldenTol{F64: 1e-10})
}
