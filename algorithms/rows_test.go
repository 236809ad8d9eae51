package algorithms

import (
	"context"
	"math"
	"runtime"
	"sync/atomic"
	"testing"

	"meanfield/engine"
	"meanfield/games"
	"meanfield/mfg"
)

// The parallel paths (policy rows split over goroutines; on large finite games the
// exploitability's two backward passes run concurrently) give the same results, bit for bit, as
// one core; with -race they are also checked for data races. rowsPerWorker is lowered so that a
// small game takes the first path. The second is taken at its default threshold by crowd motion
// with T = 49 (50 × 400 × 5 = 10^5 Q-values); with a lowered threshold it is checked in package
// finite (finite_test.go and solve_test.go).
func TestParallelPathsMatchOneCore(t *testing.T) {
	defer func(r int) { rowsPerWorker = r }(rowsPerWorker)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	small, err := games.NewFinite("linear-quadratic", nil) // T = 3, 11 states, 5 actions
	if err != nil {
		t.Fatal(err)
	}
	large, err := games.NewFinite("crowd-motion", map[string]any{"T": 49})
	if err != nil {
		t.Fatal(err)
	}
	p := games.DefaultAuctionParams() // stationary: one time step of 10 rows
	p.States, p.Actions = 10, 4
	auction, err := games.NewAuction(p)
	if err != nil {
		t.Fatal(err)
	}
	solve := func(g mfg.Game, alg engine.Algorithm, iterations int) []float64 {
		res, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: iterations, Exploitability: true})
		if err != nil {
			t.Fatal(err)
		}
		var out []float64
		for _, it := range res.Trace {
			out = append(out, it.Exploitability)
			for _, p := range it.Policy {
				out = append(out, p.Prob...)
			}
		}
		return out
	}
	cases := []struct {
		g          mfg.Game
		iterations int
	}{{small, 6}, {auction, 6}, {large, 2}}
	if testing.Short() {
		cases = cases[:2]
	}
	for _, c := range cases {
		for _, alg := range []engine.Algorithm{PriorDescent{Eta: 0.5, Inner: 2}, OnlineMirrorDescent{Alpha: 1}, FictitiousPlay{}} {
			runtime.GOMAXPROCS(1)
			rowsPerWorker = 8192
			want := solve(c.g, alg, c.iterations)
			runtime.GOMAXPROCS(4)
			rowsPerWorker = 3
			got := solve(c.g, alg, c.iterations)
			if len(got) != len(want) {
				t.Fatalf("%s on %s: %d values in parallel, %d on one core", alg.Name(), c.g.Name(), len(got), len(want))
			}
			for i := range got {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
					t.Fatalf("%s on %s: value %d is %v in parallel, %v on one core", alg.Name(), c.g.Name(), i, got[i], want[i])
				}
			}
		}
	}
}

// forEachBlockOf visits every row once, each block within one time step, on one core and split
// over cores (blocks that start and end inside time steps).
func TestForEachBlockOfCoversEveryRowOnce(t *testing.T) {
	defer func(r int) { rowsPerWorker = r }(rowsPerWorker)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, c := range []struct{ procs, perWorker int }{{1, 8192}, {2, 3}, {4, 7}} {
		runtime.GOMAXPROCS(c.procs)
		rowsPerWorker = c.perWorker
		const times, states = 5, 11
		var seen [times * states]atomic.Int32
		forEachBlockOf(times, states, 0, func(_ int, tt, s0, s1 int) {
			if tt < 0 || tt >= times || s0 < 0 || s0 >= s1 || s1 > states {
				t.Errorf("%d cores, %d rows a worker: block t = %d, states [%d, %d)", c.procs, c.perWorker, tt, s0, s1)
				return
			}
			for s := s0; s < s1; s++ {
				seen[tt*states+s].Add(1)
			}
		})
		for i := range seen {
			if n := seen[i].Load(); n != 1 {
				t.Errorf("%d cores, %d rows a worker: row (t = %d, s = %d) visited %d times", c.procs, c.perWorker, i/states, i%states, n)
			}
		}
	}
}
