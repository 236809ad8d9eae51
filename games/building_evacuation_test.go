package games_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
)

func mustBuildingEvacuation(t testing.TB, p games.BuildingEvacuationParams) *games.BuildingEvacuation {
	t.Helper()
	g, err := games.NewBuildingEvacuation(p)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestBuildingEvacuationParamsValidation(t *testing.T) {
	bad := func(f func(p *games.BuildingEvacuationParams)) error {
		p := games.DefaultBuildingEvacuationParams()
		f(&p)
		_, err := games.NewBuildingEvacuation(p)
		return err
	}
	tkCheckErrors(t, []tkParamError{
		{"T < 0", bad(func(p *games.BuildingEvacuationParams) { p.T = -1 }), []string{"T", "-1"}},
		{"n-floor = 0", bad(func(p *games.BuildingEvacuationParams) { p.NFloor = 0 }), []string{"n-floor", "0"}},
		{"floor-l < 0", bad(func(p *games.BuildingEvacuationParams) { p.FloorL = -3 }), []string{"floor-l", "-3"}},
		{"floor-w = 0", bad(func(p *games.BuildingEvacuationParams) { p.FloorW = 0 }), []string{"floor-w", "0"}},
		{"log-eps = 0", bad(func(p *games.BuildingEvacuationParams) { p.LogEps = 0 }), []string{"log-eps", "0"}},
		{"log-eps < 0", bad(func(p *games.BuildingEvacuationParams) { p.LogEps = -0.5 }), []string{"log-eps", "-0.5"}},
		{"log-eps NaN", bad(func(p *games.BuildingEvacuationParams) { p.LogEps = math.NaN() }), []string{"log-eps", "NaN"}},
		{"log-eps Inf", bad(func(p *games.BuildingEvacuationParams) { p.LogEps = math.Inf(1) }), []string{"log-eps", "+Inf"}},
		{"eta NaN", bad(func(p *games.BuildingEvacuationParams) { p.Eta = math.NaN() }), []string{"eta", "NaN"}},
		{"evac-r Inf", bad(func(p *games.BuildingEvacuationParams) { p.EvacR = math.Inf(-1) }), []string{"evac-r", "-Inf"}},
		{"mu0 length", bad(func(p *games.BuildingEvacuationParams) { p.Mu0 = []float64{0.5, 0.5} }), []string{"mu0", "2 entries"}},
		{"mu0 negative", bad(func(p *games.BuildingEvacuationParams) {
			p.NFloor, p.FloorL, p.FloorW, p.Mu0 = 1, 1, 2, []float64{1.5, -0.5}
		}), []string{"mu0", "-0.5"}},
		{"mu0 sum", bad(func(p *games.BuildingEvacuationParams) {
			p.NFloor, p.FloorL, p.FloorW, p.Mu0 = 1, 1, 2, []float64{0.5, 0.25}
		}), []string{"mu0", "0.75"}},
	})
	if err := games.DefaultBuildingEvacuationParams().Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

func TestBuildingEvacuationStagesValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	mu0 := tkRandomDistribution(rng, 2*3*4)
	for _, p := range []games.BuildingEvacuationParams{
		games.DefaultBuildingEvacuationParams(),
		{T: 5, NFloor: 2, FloorL: 3, FloorW: 4, LogEps: 1e-3, Eta: 0.5, EvacR: -2, Mu0: mu0},
		{T: 0, NFloor: 1, FloorL: 1, FloorW: 1, LogEps: 1e-20, Eta: 1, EvacR: 10},
		{T: 2, NFloor: 3, FloorL: 1, FloorW: 5, LogEps: 1e-8, Eta: -1, EvacR: 1},
	} {
		t.Run(fmt.Sprintf("%d-%dx%dx%d", p.T, p.NFloor, p.FloorL, p.FloorW), func(t *testing.T) {
			tkCheckGame(t, mustBuildingEvacuation(t, p), rng)
		})
	}
}

// The rules written out: cells (f, l, w) flattened row-major by hand, moves clamped to the floor,
// staircases down at (0, 0) and up at (floor-l-1, floor-w-1), the density floored at log-eps.
func TestBuildingEvacuationStageByHand(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	p := games.BuildingEvacuationParams{T: 4, NFloor: 3, FloorL: 4, FloorW: 5, LogEps: 1e-4, Eta: 0.7, EvacR: 3}
	g := mustBuildingEvacuation(t, p)
	nf, nl, nw := p.NFloor, p.FloorL, p.FloorW
	S := nf * nl * nw
	idx := func(f, l, w int) int { return (f*nl+l)*nw + w }
	for _, tt := range []int{0, 2, 4} {
		L := tkRandomPopulation(rng, S, 6)
		// Make one cell empty so that log-eps matters.
		for a := 0; a < 6; a++ {
			L.Mass[idx(1, 2, 3)*6+a] = 0
		}
		st, err := g.Stage(tt, L)
		if err != nil {
			t.Fatal(err)
		}
		cells := [][3]int{{0, 0, 0}, {1, 0, 0}, {2, 3, 4}, {1, 3, 4}, {0, 3, 4}, {1, 2, 3}, {2, 0, 4}, {1, 1, 1}}
		for _, c := range cells {
			f, l, w := c[0], c[1], c[2]
			s := idx(f, l, w)
			var mu float64
			for a := 0; a < 6; a++ {
				mu += L.At(s, a)
			}
			want := -p.Eta * math.Log(math.Max(mu, p.LogEps))
			if f == 0 {
				want += p.EvacR
			}
			if c == [3]int{1, 2, 3} && want != -p.Eta*math.Log(1e-4) {
				t.Fatalf("empty cell: reward %v", want)
			}
			for a := 0; a < 6; a++ {
				if got := st.Reward[s*6+a]; math.Abs(got-want) > 1e-12 {
					t.Errorf("t=%d: r(%v, %d) = %v, want %v", tt, c, a, got, want)
				}
				nf2, nl2, nw2 := f, l, w
				switch a {
				case 0:
					if l < nl-1 {
						nl2 = l + 1
					}
				case 1:
					if l > 0 {
						nl2 = l - 1
					}
				case 2:
					if w > 0 {
						nw2 = w - 1
					}
				case 3:
					if w < nw-1 {
						nw2 = w + 1
					}
				case 4:
					if l == 0 && w == 0 && f > 0 {
						nf2 = f - 1
					}
				case 5:
					if l == nl-1 && w == nw-1 && f < nf-1 {
						nf2 = f + 1
					}
				}
				row := make([]float64, S)
				row[idx(nf2, nl2, nw2)] = 1
				tkCheckRow(t, fmt.Sprintf("t=%d cell %v", tt, c), st, s, a, row, 0)
			}
		}
	}
}

func TestBuildingEvacuationRegistry(t *testing.T) {
	g, err := games.NewFinite("building-evacuation", map[string]any{"n-floor": 2, "floor-l": 3, "floor-w": 2, "log-eps": 0.01, "evac-r": 4, "T": 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := g.StateShape(); len(got) != 3 || got[0] != 2 || got[1] != 3 || got[2] != 2 || g.Horizon() != 1 {
		t.Errorf("state shape %v, horizon %d", got, g.Horizon())
	}
	if _, err := games.New("building-evacuation", map[string]any{"floors": 2}); err == nil || !strings.Contains(err.Error(), "floors") {
		t.Errorf("unknown parameter: %v", err)
	}
}

// Online mirror descent and prior descent match MFGLib at every iteration. Fictitious play: at
// iteration 2 the Q* of "right" (l+1) and "down" (w+1) on diagonal cells l = w (e.g. t = 1, cell
// (1, 2, 2)) are equal in exact arithmetic (the building is symmetric under l <-> w) but differ by
// 3.6e-15 in float64, so finite.Greedy picks one of them where the tie-tolerant rule splits;
// MFGLib's float32 run is itself off the tie-tolerant one from iteration 3 (float32 ties). The
// Go tie-tolerant run equals the reference's to 1e-13 at all 11 iterations.
func TestBuildingEvacuationMatchesMFGLib(t *testing.T) {
	ref := tkLoadReference(t)
	tkGolden(t, ref, mustBuildingEvacuation(t, games.DefaultBuildingEvacuationParams()), "building_evacuation", tkTieProne)
}

// BenchmarkBuildingEvacuationPriorDescent times one iteration of prior descent with its
// exploitability at the defaults (500 states, 6 actions, T = 3).
func BenchmarkBuildingEvacuationPriorDescent(b *testing.B) {
	g := mustBuildingEvacuation(b, games.DefaultBuildingEvacuationParams())
	const iters = 10
	for b.Loop() {
		if _, err := engine.Solve(context.Background(), g, algorithms.PriorDescent{Eta: 1}, engine.Options{Iterations: iters, Exploitability: true}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*iters)/1e6, "ms/iteration")
}
