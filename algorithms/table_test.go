package algorithms_test

import (
	"context"
	"math"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
	"meanfield/mfg"
)

// Every registered algorithm on every registered game it applies to (at the game's defaults):
// the solve runs, records iterations 0..K, keeps every policy row a distribution, never reports
// a negative exploitability beyond rounding, and leaves the value's Applies consistent with
// what the engine accepts. A game or an algorithm added to a registry is covered without editing
// this test.
func TestEveryAlgorithmOnEveryGame(t *testing.T) {
	pairs := 0
	for _, gname := range games.Names() {
		g, err := games.New(gname, smaller[gname])
		if err != nil {
			t.Fatalf("%s at its defaults: %v", gname, err)
		}
		for _, aname := range algorithms.Names() {
			alg, err := algorithms.New(aname)
			if err != nil {
				t.Fatal(err)
			}
			if why := alg.Applies(g); why != nil {
				if _, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: 1}); err == nil {
					t.Errorf("%s on %s: Applies says %q, but the engine solved it", aname, gname, why)
				}
				continue
			}
			pairs++
			t.Run(aname+" on "+gname, func(t *testing.T) { checkSolve(t, g, alg) })
		}
	}
	if pairs < len(games.Names()) {
		t.Errorf("only %d game × algorithm pairs apply, fewer than the %d games", pairs, len(games.Names()))
	}
}

// smaller are the parameters of the games whose default instance costs seconds per evaluation:
// mf-garnet's 100 states build each kernel from 6·10⁶ products, and the search for the population
// a policy sustains, which has none to find on its quantised kernel, takes 500 of them.
var smaller = map[string]map[string]any{"mf-garnet": {"states": 12}}

// checkSolve runs a short solve and checks the invariants of its trace.
func checkSolve(t *testing.T, g mfg.Game, alg engine.Algorithm) {
	iterations := 3
	if f, ok := alg.(algorithms.FixedPoint); ok {
		iterations = 2
		if q, ok := f.Inner.(algorithms.QLearning); ok { // keep the default Q-learning short
			q.Steps = 2000
			f.Inner = q
			alg = f
		}
	}
	if m, ok := alg.(algorithms.MFPSO); ok { // a swarm of one: every particle is an evaluation
		m.Particles = 1
		alg = m
	}
	res, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: iterations, Seed: 3, Exploitability: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Trace) != iterations+1 && !res.Converged {
		t.Fatalf("%d records for %d iterations", len(res.Trace), iterations)
	}
	for k, it := range res.Trace {
		if it.K != k {
			t.Fatalf("record %d has K = %d", k, it.K)
		}
		for tt, p := range it.Policy {
			if err := p.Validate(); err != nil {
				t.Fatalf("iteration %d, t = %d: %v", k, tt, err)
			}
		}
		if !it.HasExploitability {
			t.Fatalf("iteration %d: no exploitability on a game with a model", k)
		}
		if e := it.Exploitability; math.IsNaN(e) || e < -1e-9*(1+math.Abs(e)) {
			t.Errorf("iteration %d: exploitability %v", k, e)
		}
		for _, L := range it.Population {
			if err := L.Validate(); err != nil {
				t.Errorf("iteration %d: population: %v", k, err)
			}
		}
	}
}
