package games

import (
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/mfg"
)

// TestCrowdMotionRewardsLogInto checks WriteStage with the logarithms by fastmath.LogInto against
// its form with math.Log and the cache of repeats, bit for bit, on grids of 1, 63, 130 and 400 cells (blocks
// of four and the last states), densities with repeats, zeros, random ones, and a few that are not
// positive normal numbers (NaN and its payload aside).
func TestCrowdMotionRewardsLogInto(t *testing.T) {
	if !crowdLogInto {
		t.Skip("the form with math.Log is the only one here")
	}
	rng := rand.New(rand.NewPCG(13, 14))
	for _, shape := range [][2]int{{1, 1}, {9, 7}, {13, 10}, {20, 20}} {
		p := DefaultCrowdMotionParams()
		p.TorusL, p.TorusW = shape[0], shape[1]
		g, err := NewCrowdMotion(p)
		if err != nil {
			t.Fatal(err)
		}
		S := g.S
		for trial := range 8 {
			L := mfg.Population{States: S, Actions: 5, Mass: make([]float64, 5*S)}
			for i := range L.Mass {
				switch rng.IntN(3) {
				case 0: // zero
				case 1:
					L.Mass[i] = float64(rng.IntN(3)) / float64(5*S)
				default:
					L.Mass[i] = rng.Float64() / float64(S)
				}
				if trial >= 6 && rng.IntN(40) == 0 { // densities that are no positive normal numbers
					L.Mass[i] = []float64{math.NaN(), math.Inf(1), -1, -1e-10, 1e-320}[rng.IntN(5)]
				}
			}
			tt := trial % (p.T + 1)
			got, want := &mfg.MDP{Reward: make([]float64, 5*S)}, &mfg.MDP{Reward: make([]float64, 5*S)}
			if err := g.WriteStage(tt, L, got); err != nil {
				t.Fatal(err)
			}
			crowdLogInto = false
			err := g.WriteStage(tt, L, want)
			crowdLogInto = true
			if err != nil {
				t.Fatal(err)
			}
			for i := range got.Reward {
				if g, w := got.Reward[i], want.Reward[i]; math.Float64bits(g) != math.Float64bits(w) && !(math.IsNaN(g) && math.IsNaN(w)) {
					t.Fatalf("%v, t = %d: reward %d is %v four at a time, %v with math.Log", shape, tt, i, got.Reward[i], want.Reward[i])
				}
			}
		}
	}
}
