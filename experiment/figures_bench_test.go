package experiment

import (
	"context"
	"testing"
)

// BenchmarkSolveFigures is the writing of the figures of mfg solve's building evacuation (50
// iterations of its default algorithm): convergence.svg and population.svg, 20 heat maps of
// 10×10 cells, and with PNG copies of both (--png). With -benchmem, the memory they allocate:
// fresh memory in mfg, which collects no garbage in so short a run (issue 12).
func BenchmarkSolveFigures(b *testing.B) {
	for _, png := range []bool{false, true} {
		name := "svg"
		if png {
			name = "svg+png"
		}
		b.Run(name, func(b *testing.B) {
			cfg := DefaultSolveConfig()
			cfg.Run.Game, cfg.Run.Iterations, cfg.PNG = "building-evacuation", 50, png
			dir := b.TempDir()
			rep, err := RunSolve(context.Background(), cfg, dir, nil)
			if err != nil {
				b.Fatal(err)
			}
			l := rep.logOf(rep.Result.Trace, nil, nil)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := rep.writeConvergencePlot(dir, l); err != nil {
					b.Fatal(err)
				}
				if _, err := rep.writeFiniteFigures(dir); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
