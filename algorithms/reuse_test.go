package algorithms_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
	"meanfield/mfg"
)

// An algorithm value holds parameters only (engine.Algorithm): every solve's running state lives
// in the Run that Begin returns. So one value solving twice, one solve after the other or two at
// once, gives identical results: every exploitability, policy entry, population entry and Q-value
// equal (==), with the iterations numbered 0..K (Trace[0] is π_0). Checked for every registered
// algorithm, built with its defaults by algorithms.New, on each small game it applies to: the
// finite-horizon left-right game and a 4×4 auction (stationary, with a model and a simulator).
func TestReusedAlgorithmValueGivesIdenticalSolves(t *testing.T) {
	leftRight, err := games.New("left-right", nil)
	if err != nil {
		t.Fatal(err)
	}
	p := games.DefaultAuctionParams()
	p.States, p.Actions = 4, 4
	auction, err := games.NewAuction(p)
	if err != nil {
		t.Fatal(err)
	}
	names := algorithms.Names()
	if len(names) == 0 {
		t.Fatal("no algorithm is registered")
	}
	for _, name := range names {
		alg, err := algorithms.New(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if alg.Name() != name {
			t.Errorf("algorithms.New(%q) built %q", name, alg.Name())
		}
		solved := 0
		for _, g := range []mfg.Game{leftRight, auction} {
			if alg.Applies(g) != nil {
				continue
			}
			solved++
			// Few iterations: the fixed-point presets run their default inner solvers (up to 5000
			// value-iteration sweeps, 10^4 Q-learning steps) at every one.
			iterations := 6
			if _, fixedPoint := alg.(algorithms.FixedPoint); fixedPoint {
				iterations = 3
			}
			what := fmt.Sprintf("%s on %s", name, g.Name())
			opt := engine.Options{Iterations: iterations, Seed: 5, Exploitability: true}
			solve := func() (*engine.Result, error) { return engine.Solve(context.Background(), g, alg, opt) }
			first, err := solve()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			second, err := solve()
			if err != nil {
				t.Fatalf("%s, second solve: %v", what, err)
			}
			checkNumbering(t, what, first, iterations)
			checkNumbering(t, what+", second solve", second, iterations)
			t.Logf("%s: %d iterations, exploitability %.6g -> %.6g", what, iterations, first.Trace[0].Exploitability, first.Final().Exploitability)
			if err := sameValues(first, second); err != nil {
				t.Errorf("%s: the second solve with the same value differs from the first: %v", what, err)
			}
			// Two solves at once with the same value (with -race: no state shared between them).
			var wg sync.WaitGroup
			var concurrent [2]*engine.Result
			var errs [2]error
			for i := range concurrent {
				wg.Go(func() { concurrent[i], errs[i] = solve() })
			}
			wg.Wait()
			for i, res := range concurrent {
				if errs[i] != nil {
					t.Fatalf("%s, concurrent solve %d: %v", what, i, errs[i])
				}
				if err := sameValues(first, res); err != nil {
					t.Errorf("%s: concurrent solve %d with the same value differs from the first solve: %v", what, i, err)
				}
			}
		}
		if solved == 0 {
			t.Errorf("%s applies to neither left-right nor the 4×4 auction: add a game it solves", name)
		}
	}
}

// checkNumbering checks that res holds iterations 0..iterations, each with its exploitability.
func checkNumbering(t *testing.T, what string, res *engine.Result, iterations int) {
	t.Helper()
	ended := res.Converged || res.Stop != nil // a stopping rule may end the solve early
	if len(res.Trace) != iterations+1 && !(ended && len(res.Trace) >= 1 && len(res.Trace) <= iterations+1) {
		t.Fatalf("%s: %d records for %d iterations, want %d (π_0 and one per step)", what, len(res.Trace), iterations, iterations+1)
	}
	for k, it := range res.Trace {
		if it.K != k {
			t.Errorf("%s: Trace[%d].K = %d", what, k, it.K)
		}
		if !it.HasExploitability {
			t.Errorf("%s: iteration %d has no exploitability", what, k)
		}
	}
}

// sameValues reports the first difference between two traces: in the iteration numbers, the
// exploitabilities, or an entry (==) of the policies, populations or Q-functions.
func sameValues(a, b *engine.Result) error {
	if len(a.Trace) != len(b.Trace) {
		return fmt.Errorf("%d vs %d records", len(a.Trace), len(b.Trace))
	}
	equal := func(k int, what string, x, y []float64) error {
		if len(x) != len(y) {
			return fmt.Errorf("iteration %d: %d vs %d %s entries", k, len(x), len(y), what)
		}
		for i := range x {
			if x[i] != y[i] {
				return fmt.Errorf("iteration %d: %s entry %d is %v vs %v", k, what, i, x[i], y[i])
			}
		}
		return nil
	}
	for k := range a.Trace {
		x, y := a.Trace[k], b.Trace[k]
		if x.K != y.K || x.HasExploitability != y.HasExploitability || x.Exploitability != y.Exploitability {
			return fmt.Errorf("iteration %d: K %d vs %d, exploitability %v (%v) vs %v (%v)", k, x.K, y.K, x.Exploitability, x.HasExploitability, y.Exploitability, y.HasExploitability)
		}
		if len(x.Policy) != len(y.Policy) || len(x.Population) != len(y.Population) || len(x.Q) != len(y.Q) {
			return fmt.Errorf("iteration %d: %d/%d/%d vs %d/%d/%d time steps of policy/population/Q", k, len(x.Policy), len(x.Population), len(x.Q), len(y.Policy), len(y.Population), len(y.Q))
		}
		for _, err := range []error{
			equal(k, "policy", policyProbs(x.Policy), policyProbs(y.Policy)),
			equal(k, "population", populationMass(x.Population), populationMass(y.Population)),
			equal(k, "Q", flat(x.Q), flat(y.Q)),
		} {
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// The engine reuses the memory of the evaluations it releases (stages, Q-functions) and the
// algorithms the memory of their scratch (best responses): nothing a solve returns may live
// there. For every registered algorithm applying to them, on finite-horizon games whose stages the
// engine writes in its own memory (mfg.StageWriter) or not, each record is copied as it is made
// (OnIteration); the trace must still hold those values once the solve is over and after another
// solve with the same value, and so must a policy taken from Iteration.Policy by OnIteration.
func TestTraceOutlivesTheMemoryTheEngineReuses(t *testing.T) {
	var gs []mfg.Game
	for _, name := range []string{"left-right", "beach-bar", "equilibrium-price", "crowd-modelling"} {
		g, err := games.New(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		gs = append(gs, g)
	}
	for _, name := range algorithms.Names() {
		alg, err := algorithms.New(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, fixedPoint := alg.(algorithms.FixedPoint); fixedPoint {
			continue // stationary games only
		}
		for _, g := range gs {
			if alg.Applies(g) != nil {
				continue
			}
			what := fmt.Sprintf("%s on %s", name, g.Name())
			var copies []engine.Iteration
			opt := engine.Options{Iterations: 12, Exploitability: true, OnIteration: func(it engine.Iteration) {
				copies = append(copies, deepCopy(it))
			}}
			res, err := engine.Solve(context.Background(), g, alg, opt)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			check := func(when string) {
				t.Helper()
				if err := sameValues(&engine.Result{Trace: copies}, res); err != nil {
					t.Errorf("%s: the trace %s differs from its records as they were made: %v", what, when, err)
				}
			}
			check("at the end of the solve")
			opt.OnIteration = nil
			if _, err := engine.Solve(context.Background(), g, alg, opt); err != nil {
				t.Fatal(err)
			}
			check("after another solve")
		}
	}
}

// deepCopy returns it with its own copies of its policy, population and Q.
func deepCopy(it engine.Iteration) engine.Iteration {
	out := it
	out.Policy = nil
	for _, p := range it.Policy {
		out.Policy = append(out.Policy, p.Clone())
	}
	out.Population = nil
	for _, L := range it.Population {
		out.Population = append(out.Population, L.Clone())
	}
	out.Q = nil
	for _, q := range it.Q {
		out.Q = append(out.Q, append([]float64(nil), q...))
	}
	return out
}

// The engine and the runs that implement engine.Recycler reuse the memory of the policies and
// mean fields of the records that drop their tables (Options.KeepTables): nothing a solve returns
// or gives OnIteration may be that memory while it is read, and no result may change. For every
// registered algorithm applying to them, on small finite-horizon games, for 0, 1, 2, 3, 10 and
// 130 iterations and with the tables of no iteration or of every third kept, each record given to
// OnIteration must equal (==, entry by entry) that of the solve keeping every table; each record
// of the result must hold its numbers, and its tables when kept (the last's always), before and
// after another solve with the same value.
func TestRecycledMemoryChangesNothing(t *testing.T) {
	names := []string{"left-right", "beach-bar", "equilibrium-price", "crowd-modelling"}
	if testing.Short() {
		names = names[:2]
	}
	keeps := map[string]func(int) bool{"none": func(int) bool { return false }, "every third": func(k int) bool { return k%3 == 0 }}
	for _, gname := range names {
		g, err := games.New(gname, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range applying(t, g) {
			name, alg := a.name, a.alg
			for _, n := range []int{0, 1, 2, 3, 10, 130} {
				ref, refCopies := solveCopying(t, g, alg, engine.Options{Iterations: n, Exploitability: true})
				for kname, keep := range keeps {
					what := fmt.Sprintf("%s on %s, %d iterations, keeping the tables of %s", name, gname, n, kname)
					res, copies := solveCopying(t, g, alg, engine.Options{Iterations: n, Exploitability: true, KeepTables: keep})
					if err := sameValues(&engine.Result{Trace: copies}, &engine.Result{Trace: refCopies}); err != nil {
						t.Errorf("%s: the records given to OnIteration differ from those of a solve keeping every table: %v", what, err)
					}
					check := func(when string) {
						t.Helper()
						if err := keptValues(res, ref, keep); err != nil {
							t.Errorf("%s: the trace %s: %v", what, when, err)
						}
					}
					check("at the end of the solve")
					if _, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: n, KeepTables: keep}); err != nil {
						t.Fatal(err)
					}
					check("after another solve")
				}
			}
		}
	}
}

// solveCopying solves g with alg and opt, and returns the result with deep copies of the records
// as OnIteration was given them.
func solveCopying(t *testing.T, g mfg.Game, alg engine.Algorithm, opt engine.Options) (*engine.Result, []engine.Iteration) {
	t.Helper()
	var copies []engine.Iteration
	opt.OnIteration = func(it engine.Iteration) { copies = append(copies, deepCopy(it)) }
	res, err := engine.Solve(context.Background(), g, alg, opt)
	if err != nil {
		t.Fatalf("%s on %s: %v", alg.Name(), g.Name(), err)
	}
	return res, copies
}

// keptValues reports the first difference between res, whose records keep their tables where
// keep says so (and the last), and ref, which keeps them all: in the numbers of every record, the
// tables of those kept, and the absence of the others'.
func keptValues(res, ref *engine.Result, keep func(int) bool) error {
	if len(res.Trace) != len(ref.Trace) {
		return fmt.Errorf("%d vs %d records", len(res.Trace), len(ref.Trace))
	}
	for k, x := range res.Trace {
		y := ref.Trace[k]
		if x.L1Change != y.L1Change || x.LInfChange != y.LInfChange || x.HasChange != y.HasChange {
			return fmt.Errorf("iteration %d: change %v, %v (%v) vs %v, %v (%v)", k, x.L1Change, x.LInfChange, x.HasChange, y.L1Change, y.LInfChange, y.HasChange)
		}
		if k < len(res.Trace)-1 && !keep(k) {
			if x.Policy != nil || x.Population != nil || x.Q != nil {
				return fmt.Errorf("iteration %d keeps tables it was to drop", k)
			}
			y.Policy, y.Population, y.Q = nil, nil, nil
		}
		if err := sameValues(&engine.Result{Trace: []engine.Iteration{x}}, &engine.Result{Trace: []engine.Iteration{y}}); err != nil {
			return fmt.Errorf("record %d: %w", k, err)
		}
	}
	return nil
}

// namedAlgorithm is a registered algorithm and its name.
type namedAlgorithm struct {
	name string
	alg  engine.Algorithm
}

// applying returns the registered algorithms that apply to g, in algorithms.Names' order.
func applying(t *testing.T, g mfg.Game) []namedAlgorithm {
	t.Helper()
	var out []namedAlgorithm
	for _, name := range algorithms.Names() {
		alg, err := algorithms.New(name)
		if err != nil {
			t.Fatal(err)
		}
		if alg.Applies(g) == nil {
			out = append(out, namedAlgorithm{name, alg})
		}
	}
	return out
}
