package algorithms_test

import (
	"context"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
)

// BenchmarkOpenSpielCrowdModelling times OpenSpiel's algorithms on its 1-D crowd modelling game
// (size 10, horizon 10), one op being one iteration with its exploitability recorded, as in the
// pinned tests (10 iterations a solve).
func BenchmarkOpenSpielCrowdModelling(b *testing.B) {
	g := crowdModelling(b)
	for _, c := range []struct {
		name string
		alg  engine.Algorithm
	}{
		{"FictitiousPlay", algorithms.FictitiousPlay{TieBreak: algorithms.TieLowest}},
		{"FictitiousPlaySoftmax", algorithms.FictitiousPlay{Temperature: 1}},
		{"FixedPointSoftmax", algorithms.DampedFixedPoint{Damping: 1, Temperature: 10}},
		{"MirrorDescentLiveRead", algorithms.OnlineMirrorDescent{Alpha: 0.01, OpenSpielLiveRead: true}},
		{"MirrorDescent", algorithms.OnlineMirrorDescent{Alpha: 0.01}},
		{"BoltzmannPolicyIteration", algorithms.BoltzmannPolicyIteration{Alpha: 0.01}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := engine.Solve(context.Background(), g, c.alg, engine.Options{Iterations: 10, Exploitability: true}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(10*b.N), "ns/iteration")
		})
	}
}
