package mfglib32

import (
	"context"
	"testing"

	"meanfield/algorithms"
	"meanfield/games"
)

// benchmarkPriorDescent times one iteration of prior descent with its exploitability in MFGLib's
// float32 arithmetic, the work MFGLib's solve records per iteration.
func benchmarkPriorDescent(b *testing.B, g Game) {
	const iters = 10
	for b.Loop() {
		if _, err := Solve(context.Background(), g, algorithms.PriorDescent{Eta: 1}, iters, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*iters)/1e6, "ms/iteration")
}

func BenchmarkBuildingEvacuationPriorDescent(b *testing.B) {
	g, err := NewBuildingEvacuation(games.DefaultBuildingEvacuationParams())
	if err != nil {
		b.Fatal(err)
	}
	benchmarkPriorDescent(b, g)
}

func BenchmarkCrowdMotionPriorDescent(b *testing.B) {
	g, err := NewCrowdMotion(games.DefaultCrowdMotionParams())
	if err != nil {
		b.Fatal(err)
	}
	benchmarkPriorDescent(b, g)
}
