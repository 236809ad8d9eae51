package nplayer_test

import (
	"context"
	"testing"

	"meanfield/games"
	"meanfield/nplayer"
)

// BenchmarkTrainIL is 10^4 rounds of 20 independent learners on the default auction (2·10^5
// bidder-rounds); bidder-rounds/s is the throughput of the N-player simulator with learning.
func BenchmarkTrainIL(b *testing.B) {
	g, err := games.NewAuction(games.DefaultAuctionParams())
	if err != nil {
		b.Fatal(err)
	}
	ng, err := nplayer.NewGame(g, 20)
	if err != nil {
		b.Fatal(err)
	}
	opt := nplayer.TrainOptions{Rounds: 10000, BoltzmannC: 4, StepExponent: 0.87, Bins: 1, Checkpoints: 1, Seed: 1}
	for b.Loop() {
		if err := nplayer.TrainIL(context.Background(), ng, opt, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*10000*20/b.Elapsed().Seconds(), "bidder-rounds/s")
}

func TestTrainersRejectBadOptionsBeforeAllocating(t *testing.T) {
	g, _ := games.NewAuction(games.DefaultAuctionParams())
	ng, _ := nplayer.NewGame(g, 5)
	bad := nplayer.TrainOptions{Rounds: 10, BoltzmannC: 4, StepExponent: 0.87, Bins: -1, Checkpoints: 1}
	if err := nplayer.TrainMFQ(context.Background(), ng, bad, nil); err == nil {
		t.Error("TrainMFQ accepted mean-bid-bins = -1")
	}
	bad.Bins, bad.Rounds = 1, 0
	if err := nplayer.TrainIL(context.Background(), ng, bad, nil); err == nil {
		t.Error("TrainIL accepted rounds = 0")
	}
}
