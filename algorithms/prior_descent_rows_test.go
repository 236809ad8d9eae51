package algorithms

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"meanfield/engine"
	"meanfield/games"
	"meanfield/mfg"
)

// Prior descent with a prior never renewed gives on one core, a call per time step or per block
// of rows of the one row a uniform π_0 repeats, the bits of the rows split over cores, which read
// the prior itself: on a grid of 1600 states (blocks of 256 rows and a last one of 64), from the
// uniform policy and from one of random rows.
func TestPriorDescentRowCallsMatchParallel(t *testing.T) {
	defer func(r int) { rowsPerWorker = r }(rowsPerWorker)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	g, err := games.NewFinite("crowd-motion", map[string]any{"torus-l": 40, "torus-w": 40})
	if err != nil {
		t.Fatal(err)
	}
	S, A := g.States(), g.Actions()
	rng := rand.New(rand.NewPCG(3, 4))
	random := make([]mfg.Policy, g.Horizon()+1)
	for tt := range random {
		random[tt] = mfg.NewPolicy(S, A)
		for i := range random[tt].Prob {
			random[tt].Prob[i] = rng.Float64() + 0.1
		}
		for s := range S {
			row := random[tt].Prob[s*A : (s+1)*A]
			sum := row[0] + row[1] + row[2] + row[3] + row[4]
			for a := range row {
				row[a] /= sum
			}
		}
	}
	uniform := make([]mfg.Policy, g.Horizon()+1)
	for tt := range uniform {
		uniform[tt] = mfg.UniformPolicy(S, A)
	}
	if repeatedRows(random, S, A) != nil || repeatedRows(uniform, S, A) == nil {
		t.Fatal("repeatedRows does not tell a uniform policy from one of random rows")
	}
	solve := func(initial []mfg.Policy) []float64 {
		res, err := engine.Solve(context.Background(), g, PriorDescent{Eta: 0.7}, engine.Options{Iterations: 3, Exploitability: true, Initial: initial})
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
	for _, initial := range [][]mfg.Policy{nil, random} {
		runtime.GOMAXPROCS(1)
		rowsPerWorker = 8192
		want := solve(initial)
		runtime.GOMAXPROCS(4)
		rowsPerWorker = 3
		got := solve(initial)
		if len(got) != len(want) {
			t.Fatalf("random π_0 %v: %d values in parallel, %d on one core", initial != nil, len(got), len(want))
		}
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("random π_0 %v: value %d is %v in parallel, %v on one core", initial != nil, i, got[i], want[i])
			}
		}
	}
}
