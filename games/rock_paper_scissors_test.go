package games_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/games"
)

func TestRockPaperScissorsRejectsBadParameters(t *testing.T) {
	tkCheckBadParams(t, "rock-paper-scissors", []tkBadParams{
		{map[string]any{"T": -1}, []string{"T = -1"}},
		{map[string]any{"mu0": []float64{0.5, 0.5}}, []string{"mu0 = [0.5 0.5]", "4 entries"}},
		{map[string]any{"mu0": []float64{0.5, 0.5, 0.5, -0.5}}, []string{"mu0 = [0.5 0.5 0.5 -0.5]", "-0.5"}},
		{map[string]any{"mu0": []float64{0.5, 0.5, 0.5, 0}}, []string{"mu0 = [0.5 0.5 0.5 0]", "sum to 1.5"}},
		{map[string]any{"mu0": []float64{math.Inf(1), 0, 0, 0}}, []string{"mu0 = [+Inf 0 0 0]"}},
	})
}

func TestRockPaperScissorsIsValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for _, p := range []games.RockPaperScissorsParams{
		games.DefaultRockPaperScissorsParams(),
		{T: 4, Mu0: []float64{0.1, 0.2, 0.3, 0.4}},
		{T: 0, Mu0: []float64{0, 0, 0, 1}},
	} {
		g, err := games.NewRockPaperScissors(p)
		if err != nil {
			t.Fatalf("%+v: %v", p, err)
		}
		tkCheckGame(t, g, rng)
	}
}

// States (start, rock, paper, scissors); action a goes to state 1+a. Rock earns 2 μ(scissors) -
// μ(paper), paper 4 μ(rock) - 2 μ(scissors), scissors 6 μ(paper) - 3 μ(rock), start 0.
func TestRockPaperScissorsStageByHand(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	g, err := games.NewRockPaperScissors(games.RockPaperScissorsParams{T: 3, Mu0: []float64{1, 0, 0, 0}})
	if err != nil {
		t.Fatal(err)
	}
	for trial := 0; trial < 4; trial++ {
		L := tkRandomPopulation(rng, 4, 3)
		rock := L.Mass[3] + L.Mass[4] + L.Mass[5]
		paper := L.Mass[6] + L.Mass[7] + L.Mass[8]
		scissors := L.Mass[9] + L.Mass[10] + L.Mass[11]
		want := []float64{0, 2*scissors - paper, 4*rock - 2*scissors, 6*paper - 3*rock}
		for tt := 0; tt <= 3; tt++ {
			m, err := g.Stage(tt, L)
			if err != nil {
				t.Fatal(err)
			}
			for s := 0; s < 4; s++ {
				for a := 0; a < 3; a++ {
					if got := m.Reward[s*3+a]; math.Abs(got-want[s]) > 1e-14 {
						t.Errorf("t=%d: r(%d, %d) = %v, want %v", tt, s, a, got, want[s])
					}
					row := []float64{0, 0, 0, 0}
					row[a+1] = 1
					tkCheckRow(t, "rock-paper-scissors", m, s, a, row, 0)
				}
			}
		}
	}
}

func TestRockPaperScissorsMatchesMFGLib(t *testing.T) {
	g, err := games.NewRockPaperScissors(games.DefaultRockPaperScissorsParams())
	if err != nil {
		t.Fatal(err)
	}
	tkGolden(t, tkLoadReference(t), g, "rock_paper_scissors", tkGoldenTol{F64: 1e-10})
}
