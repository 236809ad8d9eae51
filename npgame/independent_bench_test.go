package npgame

import (
	"context"
	"testing"

	"meanfield/games"
)

// BenchmarkTrainIndependent trains independent learners for b.N episodes and reports agent-steps
// (one agent's ε-greedy action, the world's reward and move, and its Q update) per second.
//
//	go test ./npgame/ -run '^$' -bench TrainIndependent -benchtime 200x
func BenchmarkTrainIndependent(b *testing.B) {
	for _, c := range []struct {
		game string
		n    int
	}{
		{"left-right", 1000},
		{"beach-bar", 20},
		{"beach-bar", 1000},
		{"crowd-modelling", 20},
		{"crowd-modelling", 1000},
	} {
		mf, err := games.New(c.game, nil)
		if err != nil {
			b.Fatal(err)
		}
		g := nGame(b, mf, c.n, Others)
		b.Run(c.game+"/N="+itoa(c.n), func(b *testing.B) {
			cpu0 := cpuSeconds()
			b.ResetTimer()
			if _, err := TrainIndependent(context.Background(), g, ILOptions{Episodes: b.N, Seed: 1}, nil); err != nil {
				b.Fatal(err)
			}
			steps := float64(b.N) * float64(g.N*g.Times())
			b.ReportMetric(steps/b.Elapsed().Seconds()/1e6, "Magent-steps/s")
			b.ReportMetric(steps/(cpuSeconds()-cpu0)/1e6, "Magent-steps/cpu-s")
		})
	}
}
