package games

import (
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/finite"
	"meanfield/mfg"
)

// mfglibGames returns the ten MFGLib games, the two large ones at small sizes (the finite
// differences call the stage twice per entry of L).
func mfglibGames(t *testing.T) []mfg.Finite {
	t.Helper()
	var out []mfg.Finite
	add := func(g mfg.Finite, err error) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, g)
	}
	add(NewLeftRight(DefaultLeftRightParams()))
	add(NewBeachBar(DefaultBeachBarParams()))
	add(NewRockPaperScissors(RockPaperScissorsParams{T: 2, Mu0: []float64{0.4, 0.3, 0.2, 0.1}}))
	sis := DefaultSusceptibleInfectedParams()
	sis.T = 3
	add(NewSusceptibleInfected(sis))
	be := DefaultBuildingEvacuationParams()
	be.NFloor, be.FloorL, be.FloorW = 2, 3, 2
	add(NewBuildingEvacuation(be))
	cm := DefaultCrowdMotionParams()
	cm.TorusL, cm.TorusW = 4, 3
	add(NewCrowdMotion(cm))
	add(NewConservativeTreasureHunting(DefaultConservativeTreasureHuntingParams()))
	ep := DefaultEquilibriumPriceParams()
	ep.Sigma = 0.7 // a power other than 1
	add(NewEquilibriumPrice(ep))
	add(NewLinearQuadratic(DefaultLinearQuadraticParams()))
	add(NewRandomLinear(DefaultRandomLinearParams()))
	return out
}

// positivePopulation is a random distribution on S×A with every entry at least 0.2/(S·A), away
// from the log terms' singularity at 0, where central differences are poor.
func positivePopulation(rng *rand.Rand, S, A int) mfg.Population {
	L := mfg.NewPopulation(S, A)
	var sum float64
	for i := range L.Mass {
		L.Mass[i] = 0.2 + rng.Float64()
		sum += L.Mass[i]
	}
	for i := range L.Mass {
		L.Mass[i] /= sum
	}
	return L
}

// Every MFGLib game's exact stage VJP agrees with central differences of its own Stage at random
// mean fields and random cotangents, at every time step: the independent check of the
// hand-derived derivatives. The differences' error is O(h⁴) + O(ε/h) ≈ 1e-12 relative on these
// smooth stages; the tolerance is 1e-9 relative to the largest entry.
func TestStageVJPMatchesFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	for _, g := range mfglibGames(t) {
		sg, ok := g.(mfg.StageGradient)
		if !ok {
			t.Errorf("%s: no StageVJP", g.Name())
			continue
		}
		if _, ok := g.(mfg.RewardBound); !ok {
			t.Errorf("%s: no RewardBound", g.Name())
		}
		S, A := g.States(), g.Actions()
		for tt := 0; tt <= g.Horizon(); tt++ {
			L := positivePopulation(rng, S, A)
			gr, gp := make([]float64, S*A), make([]float64, S*A*S)
			for i := range gr {
				gr[i] = rng.NormFloat64()
			}
			for i := range gp {
				gp[i] = rng.NormFloat64()
			}
			if tt == g.Horizon() {
				gp = nil
			}
			exact, approx := make([]float64, S*A), make([]float64, S*A)
			if err := sg.StageVJP(tt, L, gr, gp, exact); err != nil {
				t.Fatal(err)
			}
			if err := finite.StageVJPByDifferences(g, tt, L, gr, gp, approx, finite.DifferenceStep); err != nil {
				t.Fatal(err)
			}
			var scale, worst float64
			for i := range exact {
				scale = max(scale, math.Abs(exact[i]), math.Abs(approx[i]))
				worst = max(worst, math.Abs(exact[i]-approx[i]))
			}
			if worst > 1e-9*max(scale, 1e-3) {
				t.Errorf("%s t=%d: exact VJP and central differences differ by %.3g (scale %.3g)\nexact  %v\napprox %v",
					g.Name(), tt, worst, scale, exact, approx)
			}
		}
	}
}

// MFGLib's r_max values (env.r_max of mfglib/env/environment.py at v0.3.0) at the default
// parameters.
func TestRewardBoundsAreMFGLibs(t *testing.T) {
	want := map[string]float64{
		"left-right": 2, "beach-bar": 4, "rock-paper-scissors": 6, "susceptible-infected": 1.5,
		"building-evacuation": -math.Log(1e-20) + 10, "crowd-motion": 10 - math.Log(1e-10),
		"conservative-treasure-hunting": 1, "equilibrium-price": 2 + 2 + 4 + 2 + 4 + 3,
		"linear-quadratic": (0.5*4 + 2*0.01*2*5 + 2*0.5*25) * 0.1, "random-linear": 20,
	}
	for name, w := range want {
		g, err := New(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := g.(mfg.RewardBound).RewardBound(); math.Abs(got-w) > 1e-12*math.Abs(w) {
			t.Errorf("%s: r_max = %v, want MFGLib's %v", name, got, w)
		}
	}
}

// The sizes of a VJP's arguments are checked.
func TestStageVJPRejectsBadSizes(t *testing.T) {
	g, _ := NewLeftRight(DefaultLeftRightParams())
	L := mfg.UniformPopulation(3, 2)
	if err := g.StageVJP(0, L, make([]float64, 5), nil, make([]float64, 6)); err == nil {
		t.Error("a reward cotangent of 5 entries for 6 was accepted")
	}
	if err := g.StageVJP(2, L, make([]float64, 6), nil, make([]float64, 6)); err == nil {
		t.Error("t = 2 > T = 1 was accepted")
	}
}
