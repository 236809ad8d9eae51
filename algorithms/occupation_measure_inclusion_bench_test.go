package algorithms_test

import (
	"context"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
)

// BenchmarkOccupationMeasureInclusion times one MF-OMI-FBS iteration (the stages at d, the
// forward step and the exact projection, warm-started at the last multiplier as MFGLib's OSQP
// is) at alpha 0.01, on beach bar and building evacuation (MFGLib's defaults), without the
// engine's evaluation of the policy.
func BenchmarkOccupationMeasureInclusion(b *testing.B) {
	for _, name := range []string{"beach-bar", "building-evacuation"} {
		b.Run(name, func(b *testing.B) {
			g, err := games.NewFinite(name, nil)
			if err != nil {
				b.Fatal(err)
			}
			p, err := engine.NewProblem(g, engine.EvaluationOptions{})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			run, _, err := algorithms.OccupationMeasureInclusion{Alpha: 0.01}.Begin(ctx, engine.Start{Problem: p, Policy: p.Uniform()})
			if err != nil {
				b.Fatal(err)
			}
			k := 0
			for b.Loop() {
				k++
				if _, err := run.Step(ctx, k, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
