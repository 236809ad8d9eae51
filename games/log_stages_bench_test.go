package games_test

import (
	"testing"

	"meanfield/games"
	"meanfield/mfg"
)

// BenchmarkLogStages times the stages that take a logarithm per state, at the games' defaults: every
// time's stage at a population spread over the states and actions (fastmath.LogInto's callers).
func BenchmarkLogStages(b *testing.B) {
	for _, name := range []string{"beach-bar", "building-evacuation", "crowd-motion", "crowd-modelling", "crowd-modelling-2d"} {
		b.Run(name, func(b *testing.B) {
			gm, err := games.New(name, nil)
			if err != nil {
				b.Fatal(err)
			}
			g := gm.(mfg.Finite)
			S, A := g.States(), g.Actions()
			L := mfg.Population{States: S, Actions: A, Mass: make([]float64, S*A)}
			for i := range L.Mass {
				L.Mass[i] = float64(1+i%7) / float64(4*S*A)
			}
			w, _ := g.(mfg.StageWriter)
			dst := &mfg.MDP{Reward: make([]float64, S*A)}
			for b.Loop() {
				for t := 0; t <= g.Horizon(); t++ {
					var err error
					if w != nil {
						err = w.WriteStage(t, L, dst)
					} else {
						_, err = g.Stage(t, L)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
