package games_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/games"
)

func TestSusceptibleInfectedRejectsBadParameters(t *testing.T) {
	tkCheckBadParams(t, "susceptible-infected", []tkBadParams{
		{map[string]any{"T": -5}, []string{"T = -5"}},
		{map[string]any{"mu0": []float64{1}}, []string{"mu0 = [1]", "2 entries"}},
		{map[string]any{"mu0": []float64{0.2, 0.3, 0.5}}, []string{"mu0 = [0.2 0.3 0.5]", "2 entries"}},
		{map[string]any{"mu0": []float64{1.25, -0.25}}, []string{"mu0 = [1.25 -0.25]", "-0.25"}},
		{map[string]any{"mu0": []float64{0.4, 0.4}}, []string{"mu0 = [0.4 0.4]", "sum to 0.8"}},
		{map[string]any{"mu0": []float64{math.NaN(), 1}}, []string{"mu0 = [NaN 1]"}},
	})
}

func TestSusceptibleInfectedIsValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	for _, p := range []games.SusceptibleInfectedParams{
		games.DefaultSusceptibleInfectedParams(),
		{T: 3, Mu0: []float64{1, 0}},
		{T: 0, Mu0: []float64{0, 1}},
		{T: 7, Mu0: []float64{0.01, 0.99}},
	} {
		g, err := games.NewSusceptibleInfected(p)
		if err != nil {
			t.Fatalf("%+v: %v", p, err)
		}
		tkCheckGame(t, g, rng)
	}
}

// States (susceptible, infected), actions (go out, keep distance). Susceptible and out: infected
// with probability 0.81 μ(infected); susceptible and distant: stays susceptible; infected:
// recovers with probability 0.3. Rewards 0, -0.5, -1, -1.5 for (S, out), (S, distant), (I, out),
// (I, distant), whatever the population.
func TestSusceptibleInfectedStageByHand(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	g, err := games.NewSusceptibleInfected(games.DefaultSusceptibleInfectedParams())
	if err != nil {
		t.Fatal(err)
	}
	for trial := 0; trial < 4; trial++ {
		L := tkRandomPopulation(rng, 2, 2)
		infected := L.Mass[2] + L.Mass[3]
		for _, tt := range []int{0, 17, 49, 50} {
			m, err := g.Stage(tt, L)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range []float64{0, -0.5, -1, -1.5} {
				if m.Reward[i] != want {
					t.Errorf("t=%d: r(%d, %d) = %v, want %v", tt, i/2, i%2, m.Reward[i], want)
				}
			}
			tkCheckRow(t, "susceptible-infected", m, 0, 0, []float64{1 - 0.81*infected, 0.81 * infected}, 1e-15)
			tkCheckRow(t, "susceptible-infected", m, 0, 1, []float64{1, 0}, 0)
			tkCheckRow(t, "susceptible-infected", m, 1, 0, []float64{0.3, 0.7}, 0)
			tkCheckRow(t, "susceptible-infected", m, 1, 1, []float64{0.3, 0.7}, 0)
		}
	}
	// Stages at different populations do not share their transition probabilities.
	L1, L2 := tkRandomPopulation(rng, 2, 2), tkRandomPopulation(rng, 2, 2)
	m1, _ := g.Stage(0, L1)
	before := tkDenseRow(t, m1, 0, 0)
	if _, err := g.Stage(1, L2); err != nil {
		t.Fatal(err)
	}
	if after := tkDenseRow(t, m1, 0, 0); after[1] != before[1] {
		t.Errorf("a later Stage changed an earlier stage's P(·|S, out) from %v to %v", before, after)
	}
}

func TestSusceptibleInfectedMatchesMFGLib(t *testing.T) {
	g, err := games.NewSusceptibleInfected(games.DefaultSusceptibleInfectedParams())
	if err != nil {
		t.Fatal(err)
	}
	tkGolden(t, tkLoadReference(t), g, "susceptible_infected", tkGoldenTol{F64: 1e-10})
}

// MFGLib's runs with FictitiousPlay(alpha=0.5), PriorDescent(eta=0.5, n_inner=2) and
// OnlineMirrorDescent(alpha=0.1).
func TestSusceptibleInfectedMatchesMFGLibOtherAlgorithmParameters(t *testing.T) {
	g, err := games.NewSusceptibleInfected(games.DefaultSusceptibleInfectedParams())
	if err != nil {
		t.Fatal(err)
	}
	tkGoldenExtra(t, tkLoadReference(t), g, "susceptible_infected", 1e-10)
}
