package gamefile_test

import (
	"context"
	"math"
	"testing"
	"time"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/gamefile"
	"meanfield/games"
	"meanfield/mfg"
)

// BenchmarkBuildingEvacuationFile times prior descent (algorithms.New("prior-descent"), its
// defaults) on the built-in building-evacuation and on examples/games/building_evacuation.star,
// both at the defaults (500 states, 6 actions, T = 3): one op is an engine.Solve of 10
// iterations with the exploitability recorded on each game, in turn, each game loaded afresh
// (untimed) so that the file's caches start empty. It reports each game's time per iteration
// (builtin-s/iter, file-s/iter: a solve's time over its 10 iterations) and their ratio
// (file/builtin, issue 15's bound is 10), and fails if the two traces part by more than 1e-12.
func BenchmarkBuildingEvacuationFile(b *testing.B) {
	const iterations = 10
	var builtin, file time.Duration
	for b.Loop() {
		b.StopTimer()
		bg, err := games.New("building-evacuation", nil)
		if err != nil {
			b.Fatal(err)
		}
		fg, err := gamefile.Load("../examples/games/building_evacuation.star", nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		want, d := timeSolve(b, bg, iterations)
		builtin += d
		got, d := timeSolve(b, fg, iterations)
		file += d
		if n := len(want) - 1; len(got) != len(want) || math.Abs(got[n]-want[n]) > 1e-12*(1+math.Abs(want[n])) {
			b.Fatalf("file's trace %v, built-in %v", got, want)
		}
	}
	per := func(d time.Duration) float64 { return d.Seconds() / float64(b.N*iterations) }
	b.ReportMetric(per(builtin), "builtin-s/iter")
	b.ReportMetric(per(file), "file-s/iter")
	b.ReportMetric(file.Seconds()/builtin.Seconds(), "file/builtin")
}

// timeSolve runs prior descent on g and returns its exploitability trace and the solve's time.
func timeSolve(b *testing.B, g mfg.Game, iterations int) ([]float64, time.Duration) {
	alg, err := algorithms.New("prior-descent")
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	res, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: iterations, Seed: 1, Exploitability: true})
	d := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	return res.Exploitabilities(), d
}
