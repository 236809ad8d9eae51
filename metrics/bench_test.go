package metrics_test

import (
	"context"
	"math"
	"testing"

	"meanfield/games"
	"meanfield/metrics"
	"meanfield/mfg"
	"meanfield/nplayer"
)

// BenchmarkEstimateC is one C(π) estimate as `mfg compare` makes it by default (N = 20, K = 64
// joint states, R = 8 rollouts, 4 deviators, H = 31) for the uniform policy; the sub-benchmarks
// choose the best response's class (0: own budget).
func BenchmarkEstimateC(b *testing.B) {
	for _, bins := range []int{0, 3} {
		b.Run("budget-bins="+string(rune('0'+bins)), func(b *testing.B) { benchmarkEstimateC(b, bins) })
	}
}

func benchmarkEstimateC(b *testing.B, bins int) {
	g, err := games.NewAuction(games.DefaultAuctionParams())
	if err != nil {
		b.Fatal(err)
	}
	ng, err := nplayer.NewGame(g, 20)
	if err != nil {
		b.Fatal(err)
	}
	p := nplayer.Symmetric(mfg.UniformPolicy(10, 10), 20)
	for b.Loop() {
		if _, err := metrics.EstimateC(context.Background(), ng, p, metrics.Options{Deviators: 4, Seed: 1, BudgetBins: bins}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestEstimateCRejectsBadOptions(t *testing.T) {
	g, _ := games.NewAuction(games.DefaultAuctionParams())
	ng, _ := nplayer.NewGame(g, 5)
	p := nplayer.Symmetric(mfg.UniformPolicy(10, 10), 5)
	for _, o := range []metrics.Options{
		{InitialStates: 1}, {InitialStates: -3}, {Rollouts: -1}, {HorizonTolerance: 1}, {HorizonTolerance: math.NaN()},
		{Epsilon0: math.NaN()}, {Epsilon0: -0.1}, {BestResponseRounds: -1}, {Deviators: -2}, {BudgetBins: -1}, {BudgetBins: 101},
	} {
		if _, err := metrics.EstimateC(context.Background(), ng, p, o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}
