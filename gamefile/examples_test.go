package gamefile_test

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/gamefile"
	"meanfield/games"
	"meanfield/games/gamestest"
	"meanfield/mfg"
)

// examples pairs each example file with the built-in game it writes out, at parameters where the
// two must agree (the defaults, and one other set).
var examples = []struct {
	file, game string
	params     map[string]any
	skip       string  // an algorithm left out, for the reason in the entry's comment
	omo        float64 // MF-OMO's tolerance when not 1e-12, for the reason in the entry's comment
}{
	{"beach_bar.star", "beach-bar", nil, "", 0},
	// MF-OMO within 1e-7: its iterates put little mass on some cells (μ of order 1e-3), where
	// the crowd term -log(μ + log-eps) bends on the scale of μ itself and the file's differences
	// (steps of 1e-4) are accurate to about (h/μ)⁴; the trace parts from the exact gradient's by
	// 2e-8.
	{"beach_bar.star", "beach-bar", map[string]any{"n": 7, "bar-loc": 1, "T": 4, "p-still": 0.3}, "", 1e-7},
	{"crowd_modelling.star", "crowd-modelling", nil, "", 0},
	{"crowd_modelling.star", "crowd-modelling", map[string]any{"size": 7, "horizon": 4, "epsilon": 1e-3}, "", 0},
	{"auction.star", "auction", map[string]any{"states": 5, "actions": 4, "players-per-auction": 3}, "", 0},
	// 2 floors of 3 × 2 cells (the defaults, 5 floors of 10 × 10, in
	// TestBuildingEvacuationFileAtDefaults), an uneven μ0 with empty cells, and a log-eps that
	// binds where the population thins out. MF-OMO is left out: the reward's max(μ, log-eps) has
	// a kink, and its projections empty cells (μ = 0) where the central differences of a file's
	// game straddle log-eps and part from the built-in game's exact gradient (by 1e-6 at
	// log-eps = 1e-3, by 1 at 1e-20), not from its rewards.
	{"building_evacuation.star", "building-evacuation", map[string]any{"T": 4, "n-floor": 2, "floor-l": 3, "floor-w": 2,
		"log-eps": 1e-3, "eta": 0.5, "evac-r": 2.0, "mu0": []any{0.3, 0.1, 0.0, 0.0, 0.05, 0.05, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05}},
		"mf-omo", 0},
}

// TestExamplesReproduceBuiltins solves each example file and its built-in game with every
// algorithm that applies to the built-in game (MF-PSO is left out on the stationary auction, too
// slow), 10 iterations each (MF-PSO 3), and compares the exploitability traces entry by entry
// within 1e-12 (absolute plus relative): the file's rewards and transitions must be the built-in
// game's to rounding. On the auction that includes GMF-Q and naive, whose Q-learning draws from
// the file's simulator (outcomes and settle): the same seed must give the same rounds, so their
// traces must agree too. MF-OMO too, although the built-in game differentiates its stages
// exactly and a file's game by fourth-order central differences (except where an entry says
// why). The file's game also passes the conformance kit, which compares its simulator with its
// model.
func TestExamplesReproduceBuiltins(t *testing.T) {
	for _, ex := range examples {
		file, err := gamefile.Load("../examples/games/"+ex.file, ex.params)
		if err != nil {
			t.Fatal(err)
		}
		builtin, err := games.New(ex.game, ex.params)
		if err != nil {
			t.Fatal(err)
		}
		if err := gamestest.Check(file, gamestest.Options{Seed: 1}); err != nil {
			t.Errorf("%s: %v", ex.file, err)
		}
		names := algorithms.Applicable(builtin)
		for _, name := range names {
			if alg, _ := algorithms.New(name); alg.Applies(file) != nil {
				t.Errorf("%s: %s applies to %s, not to the file's game: %v", ex.file, name, ex.game, alg.Applies(file))
			}
		}
		if _, simulated := builtin.(mfg.ModelFree); simulated && !slices.Contains(names, "gmf-q") {
			t.Errorf("%s: GMF-Q is not among the algorithms of %s: %v", ex.file, ex.game, names)
		}
		if len(names) < 5 {
			t.Fatalf("%s: only %d algorithms apply: %v", ex.game, len(names), names)
		}
		for _, name := range names {
			if _, stationary := builtin.(mfg.Stationary); stationary && name == "mf-pso" {
				continue // its swarm evaluates hundreds of populations, each a Starlark model: 9 s an iteration
			}
			if name == ex.skip {
				continue
			}
			iterations, tol := 10, 1e-12
			switch name {
			case "mf-pso": // a swarm of policies per iteration: a file's stages cost more
				iterations = 3
			case "mf-omo": // a file states no derivatives: MF-OMO takes central differences
				if ex.omo > 0 {
					tol = ex.omo
				}
			}
			want := solve(t, builtin, name, iterations)
			got := solve(t, file, name, iterations)
			if len(got) != len(want) {
				t.Errorf("%s %v, %s: %d iterations, built-in %d", ex.file, ex.params, name, len(got), len(want))
				continue
			}
			for k := range want {
				if d := math.Abs(got[k] - want[k]); !(d <= tol*(1+math.Abs(want[k]))) {
					t.Errorf("%s %v, %s: exploitability at iteration %d = %.17g, built-in %.17g", ex.file, ex.params, name, k, got[k], want[k])
					break
				}
			}
		}
	}
}

func solve(t *testing.T, g mfg.Game, name string, iterations int) []float64 {
	t.Helper()
	alg, err := algorithms.New(name)
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: iterations, Seed: 1, Exploitability: true})
	if err != nil {
		t.Fatalf("%s on %s: %v", name, g.Name(), err)
	}
	return res.Exploitabilities()
}

// TestBuildingEvacuationFileAtDefaults solves building_evacuation.star and the built-in
// building-evacuation at their defaults (5 floors of 10 × 10 cells, 6 actions, T = 3) with prior
// descent, 3 iterations, and compares the exploitability traces within 1e-12 (absolute plus
// relative), as TestExamplesReproduceBuiltins does on a smaller building.
func TestBuildingEvacuationFileAtDefaults(t *testing.T) {
	file, err := gamefile.Load("../examples/games/building_evacuation.star", nil)
	if err != nil {
		t.Fatal(err)
	}
	builtin, err := games.New("building-evacuation", nil)
	if err != nil {
		t.Fatal(err)
	}
	if file.States() != 500 || file.Actions() != 6 || file.(mfg.Finite).Horizon() != 3 {
		t.Fatalf("%d states, %d actions, T = %d; want 500, 6, 3", file.States(), file.Actions(), file.(mfg.Finite).Horizon())
	}
	want := solve(t, builtin, "prior-descent", 3)
	got := solve(t, file, "prior-descent", 3)
	if len(got) != len(want) || len(want) != 4 {
		t.Fatalf("%d iterations, built-in %d; want 4 (the start and 3)", len(got), len(want))
	}
	for k := range want {
		if d := math.Abs(got[k] - want[k]); !(d <= 1e-12*(1+math.Abs(want[k]))) {
			t.Errorf("prior descent, exploitability at iteration %d = %.17g, built-in %.17g", k, got[k], want[k])
		}
	}
}

// TestEveryExampleFilePassesTheKit loads every file of examples/games at its defaults and runs
// the conformance kit on it (its simulator against its model, where it gives one).
func TestEveryExampleFilePassesTheKit(t *testing.T) {
	files, err := filepath.Glob("../examples/games/*.star")
	if err != nil || len(files) < 5 {
		t.Fatalf("%d example files (%v)", len(files), err)
	}
	for _, f := range files {
		g, err := gamefile.Load(f, nil)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if err := gamestest.Check(g, gamestest.Options{Seed: 1}); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
