package algorithms_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"meanfield/engine"
	"meanfield/games"
	"meanfield/mfg"
)

// Recycling (engine.Recycler, the problem's mean fields) must change nothing on the games and
// stops TestRecycledMemoryChangesNothing does not reach: multi-population and stationary games, a
// game of one time step, and solves stopped early by cancellation from OnIteration at iteration
// 1, 2, 5 or 9 (the slowest algorithms at 2 alone, and not with -short). For every registered algorithm applying to them, with the tables of no iteration,
// of every other, or FinalOnly, each record given to OnIteration must equal the same solve's
// keeping every table, and the returned trace must hold its numbers and its kept tables.
func TestRecycledMemoryWithEarlyStops(t *testing.T) {
	specs := []struct {
		name   string
		params map[string]any
	}{
		{"crowd-avoidance", map[string]any{"horizon": 4}},
		{"predator-prey", map[string]any{"horizon": 4}},
		{"congestion", nil},
		{"normal-form", nil},
		{"conservative-treasure-hunting", nil},
	}
	if testing.Short() {
		specs = specs[:3]
	}
	type keeping struct {
		keep  func(int) bool
		final bool
	}
	keeps := map[string]keeping{
		"none":        {keep: func(int) bool { return false }},
		"every other": {keep: func(k int) bool { return k%2 == 1 }},
		"final only":  {final: true},
	}
	for _, spec := range specs {
		g, err := games.New(spec.name, spec.params)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range applying(t, g) {
			name, alg := a.name, a.alg
			stops := []int{1, 2, 5, 9, -1}
			if name == "mf-pso" || name == "occupation-measure-inclusion" { // slow: one stop
				if testing.Short() {
					continue
				}
				stops = []int{2}
			}
			for _, stop := range stops {
				opt := engine.Options{Iterations: 12, Exploitability: true}
				ref, refCopies, refErr := solveStopping(g, alg, opt, stop)
				if ref == nil {
					t.Fatalf("%s on %s: %v", name, spec.name, refErr)
				}
				for kname, k := range keeps {
					what := fmt.Sprintf("%s on %s, stopped at %d, keeping the tables of %s", name, spec.name, stop, kname)
					o := opt
					o.KeepTables, o.FinalOnly = k.keep, k.final
					res, copies, err := solveStopping(g, alg, o, stop)
					if (err == nil) != (refErr == nil) || res == nil {
						t.Fatalf("%s: error %v, keeping every table %v", what, err, refErr)
					}
					if err := sameValues(&engine.Result{Trace: copies}, &engine.Result{Trace: refCopies}); err != nil {
						t.Errorf("%s: the records given to OnIteration differ from those of a solve keeping every table: %v", what, err)
					}
					keep := k.keep
					if k.final {
						keep = func(int) bool { return false }
					}
					if err := keptValues(res, ref, keep); err != nil {
						t.Errorf("%s: the trace: %v", what, err)
					}
				}
			}
		}
	}
}

// solveStopping solves g with alg and opt, cancelling the solve from OnIteration once iteration
// stop is recorded (never for a negative stop), and returns the result, deep copies of the records
// as OnIteration was given them and the solve's error (context.Canceled dropped).
func solveStopping(g mfg.Game, alg engine.Algorithm, opt engine.Options, stop int) (*engine.Result, []engine.Iteration, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var copies []engine.Iteration
	opt.OnIteration = func(it engine.Iteration) {
		copies = append(copies, deepCopy(it))
		if it.K == stop {
			cancel()
		}
	}
	res, err := engine.Solve(ctx, g, alg, opt)
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return res, copies, err
}
