package engine_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
	"meanfield/mfg"
)

// keeper is an algorithm whose run keeps every Q-function and mean field it is handed, with a
// copy, and steps like online mirror descent's first step from them (softmax of Q^π): what an
// author who knows nothing of the engine's memory reuse might write.
type keeper struct{ kept *[]keptValue }

type keptValue struct{ seen, copy [][]float64 }

func (keeper) Name() string             { return "keeper" }
func (keeper) Validate() error          { return nil }
func (keeper) Applies(g mfg.Game) error { return nil }
func (k keeper) Begin(_ context.Context, s engine.Start) (engine.Run, engine.Iterate, error) {
	return keeperRun(k), engine.Iterate{Policy: s.Policy}, nil
}

type keeperRun struct{ kept *[]keptValue }

func (r keeperRun) Step(ctx context.Context, _ int, prev *engine.Evaluation) (engine.Iterate, error) {
	qs, err := prev.OptimalQ(ctx)
	if err != nil {
		return engine.Iterate{}, err
	}
	qp, err := prev.PolicyQ(ctx)
	if err != nil {
		return engine.Iterate{}, err
	}
	L, err := prev.MeanField(ctx)
	if err != nil {
		return engine.Iterate{}, err
	}
	for _, tables := range [][][]float64{qs, qp, masses(L)} {
		cp := make([][]float64, len(tables))
		for t, x := range tables {
			cp[t] = slices.Clone(x)
		}
		*r.kept = append(*r.kept, keptValue{tables, cp})
	}
	next := make([]mfg.Policy, len(qp))
	for t, q := range qp {
		next[t] = mfg.NewPolicy(prev.Policy[t].States, prev.Policy[t].Actions)
		for s := 0; s < next[t].States; s++ {
			row, best := next[t].Row(s), 0
			for a := range row {
				if q[s*len(row)+a] > q[s*len(row)+best] {
					best = a
				}
			}
			row[best] = 1
		}
	}
	return engine.Iterate{Policy: next}, nil
}

func masses(L []mfg.Population) [][]float64 {
	out := make([][]float64, len(L))
	for t, l := range L {
		out[t] = l.Mass
	}
	return out
}

// What an algorithm is handed stays as it was: the engine reuses memory only for runs that say
// they keep nothing (engine.Releaser), so a run that keeps Q-functions and mean fields across
// steps finds them unchanged at the end.
func TestKeptEvaluationsStayValid(t *testing.T) {
	g, err := games.New("beach-bar", map[string]any{"n": 6, "T": 4})
	if err != nil {
		t.Fatal(err)
	}
	var kept []keptValue
	if _, err := engine.Solve(context.Background(), g, keeper{&kept}, engine.Options{Iterations: 12, Exploitability: true}); err != nil {
		t.Fatal(err)
	}
	if len(kept) != 3*12 {
		t.Fatalf("%d kept tables, want 36", len(kept))
	}
	for i, k := range kept {
		for tt := range k.seen {
			if !slices.Equal(k.seen[tt], k.copy[tt]) {
				t.Fatalf("kept table %d, t = %d was overwritten after its step", i, tt)
			}
		}
	}
}

// hidden runs an algorithm without telling the engine that its runs keep nothing.
type hidden struct{ engine.Algorithm }

func (h hidden) Begin(ctx context.Context, s engine.Start) (engine.Run, engine.Iterate, error) {
	run, it, err := h.Algorithm.Begin(ctx, s)
	return struct{ engine.Run }{run}, it, err
}

// Reusing memory changes no number: each policy method gives bit-identical exploitabilities and
// policies with and without engine.Releaser, on a game whose stages the engine writes in its
// memory (mfg.StageWriter) and one whose stages it takes from Stage.
func TestMemoryReuseChangesNothing(t *testing.T) {
	crowd, err := games.New("crowd-motion", map[string]any{"torus-l": 6, "torus-w": 5})
	if err != nil {
		t.Fatal(err)
	}
	beach, err := games.New("beach-bar", map[string]any{"n": 7, "T": 4})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := beach.(mfg.StageWriter); !ok {
		t.Fatal("beach-bar does not write its stages")
	}
	for _, g := range []mfg.Game{crowd, beach} {
		memoryReuseChangesNothing(t, g)
	}
}

func memoryReuseChangesNothing(t *testing.T, g mfg.Game) {
	for _, alg := range []engine.Algorithm{algorithms.OnlineMirrorDescent{Alpha: 1}, algorithms.PriorDescent{Eta: 0.5, Inner: 3}, algorithms.FictitiousPlay{}} {
		if _, ok := any(alg).(engine.Releaser); ok {
			t.Fatalf("%s: the value itself should not be a Releaser (its runs are)", alg.Name())
		}
		opt := engine.Options{Iterations: 8, Exploitability: true}
		a, err := engine.Solve(context.Background(), g, alg, opt)
		if err != nil {
			t.Fatal(err)
		}
		b, err := engine.Solve(context.Background(), g, hidden{alg}, opt)
		if err != nil {
			t.Fatal(err)
		}
		for k := range a.Trace {
			if a.Trace[k].Exploitability != b.Trace[k].Exploitability {
				t.Errorf("%s, iteration %d: %v with reuse, %v without", alg.Name(), k, a.Trace[k].Exploitability, b.Trace[k].Exploitability)
			}
			for tt := range a.Trace[k].Policy {
				if !slices.Equal(a.Trace[k].Policy[tt].Prob, b.Trace[k].Policy[tt].Prob) {
					t.Errorf("%s, iteration %d: policies differ at t = %d", alg.Name(), k, tt)
				}
			}
		}
	}
}

// A trace longer than a block of records (4096) is one array with every record in order: the
// numbers OnIteration saw, the changes from one record to the next across the blocks, the tables
// of the records KeepTables keeps only; and so is the trace of a solve cancelled after a block.
func TestLongTraceKeepsEveryRecord(t *testing.T) {
	g, err := games.New("left-right", nil)
	if err != nil {
		t.Fatal(err)
	}
	const n = 9000
	var seen []engine.Iteration
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := n
	opt := engine.Options{Iterations: n, Exploitability: true, KeepTables: func(k int) bool { return k%1000 == 0 },
		OnIteration: func(it engine.Iteration) {
			seen = append(seen, it)
			if it.K == stop {
				cancel()
			}
		}}
	for _, stop = range []int{n, 5000} {
		seen = seen[:0]
		res, err := engine.Solve(ctx, g, algorithms.PriorDescent{Eta: 1}, opt)
		if stop < n && err != context.Canceled || stop == n && err != nil {
			t.Fatalf("stop at %d: %v", stop, err)
		}
		if len(res.Trace) != stop+1 || len(seen) != stop+1 {
			t.Fatalf("stop at %d: %d records, %d seen", stop, len(res.Trace), len(seen))
		}
		for k, it := range res.Trace {
			s := seen[k]
			if it.K != k || it.Exploitability != s.Exploitability || it.L1Change != s.L1Change || it.HasChange != (k > 0) {
				t.Fatalf("stop at %d, record %d: K %d, exploitability %v, change %v (%v); OnIteration saw %v, %v", stop, k, it.K, it.Exploitability, it.L1Change, it.HasChange, s.Exploitability, s.L1Change)
			}
			if kept, want := it.Policy != nil && it.Population != nil, k%1000 == 0 || k == stop; kept != want {
				t.Fatalf("stop at %d, record %d: tables kept = %v, want %v", stop, k, kept, want)
			}
		}
		ctx, cancel = context.WithCancel(context.Background())
		defer cancel()
	}
}

// Solve refuses bad options with an error naming what is wrong.
func TestSolveRefusesBadOptions(t *testing.T) {
	g, err := games.New("left-right", nil)
	if err != nil {
		t.Fatal(err)
	}
	wrong := []mfg.Policy{mfg.UniformPolicy(3, 2)} // one time step, left-right has two
	notDist := []mfg.Policy{mfg.UniformPolicy(3, 2), {States: 3, Actions: 2, Prob: []float64{1, 1, 0.5, 0.5, 0.5, 0.5}}}
	ref := []mfg.Population{mfg.NewPopulation(2, 2), mfg.NewPopulation(2, 2)}
	for _, c := range []struct {
		alg  engine.Algorithm
		opt  engine.Options
		want string
	}{
		{algorithms.FictitiousPlay{}, engine.Options{Iterations: -1}, "iterations = -1"},
		{algorithms.FictitiousPlay{Alpha: 2}, engine.Options{}, "alpha = 2"},
		{algorithms.GMFV(4), engine.Options{}, "finite-horizon game"},
		{algorithms.FictitiousPlay{}, engine.Options{Initial: wrong}, "1 time steps, game has 2"},
		{algorithms.FictitiousPlay{}, engine.Options{Initial: notDist}, "t = 1"},
		{algorithms.FictitiousPlay{}, engine.Options{Reference: ref}, "reference population at t = 0 is 2×2"},
	} {
		_, err := engine.Solve(context.Background(), g, c.alg, c.opt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %+v: %v, want an error containing %q", c.alg.Name(), c.opt, err, c.want)
		}
	}
}

// A cancelled context stops the solve after the iterations done, which are returned.
func TestSolveStopsWhenCancelled(t *testing.T) {
	g, err := games.New("beach-bar", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	res, err := engine.Solve(ctx, g, algorithms.OnlineMirrorDescent{Alpha: 1}, engine.Options{Iterations: 50, OnIteration: func(it engine.Iteration) {
		if it.K == 3 {
			cancel()
		}
	}})
	if err != context.Canceled || res == nil || len(res.Trace) != 4 {
		t.Fatalf("err %v, %d records; want context.Canceled after iterations 0..3", err, len(res.Trace))
	}
}

// FinalOnly keeps the tables of the last iteration only, and changes no number: the same
// exploitabilities, changes, distances to a reference and final tables as the full trace.
func TestFinalOnlyKeepsTheNumbers(t *testing.T) {
	g, err := games.New("auction", nil)
	if err != nil {
		t.Fatal(err)
	}
	full, err := engine.Solve(context.Background(), g, algorithms.GMFV(4), engine.Options{Iterations: 6, Exploitability: true})
	if err != nil {
		t.Fatal(err)
	}
	ref := full.Final().Population
	opt := engine.Options{Iterations: 6, Exploitability: true, Reference: ref}
	a, err := engine.Solve(context.Background(), g, algorithms.GMFV(4), opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.FinalOnly = true
	b, err := engine.Solve(context.Background(), g, algorithms.GMFV(4), opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Trace) != len(b.Trace) {
		t.Fatalf("%d iterations, %d with FinalOnly", len(a.Trace), len(b.Trace))
	}
	for k := range a.Trace {
		x, y := a.Trace[k], b.Trace[k]
		if x.Exploitability != y.Exploitability || x.L1Change != y.L1Change || x.ReferenceL1 != y.ReferenceL1 || x.HasChange != y.HasChange {
			t.Errorf("iteration %d: numbers differ with FinalOnly", k)
		}
		last := k == len(a.Trace)-1
		if kept := y.Policy != nil || y.Population != nil || y.Q != nil; kept != last {
			t.Errorf("iteration %d: tables kept = %v with FinalOnly", k, kept)
		}
	}
	if !slices.Equal(a.Final().Population[0].Mass, b.Final().Population[0].Mass) || !slices.Equal(a.Final().Q[0], b.Final().Q[0]) {
		t.Error("final tables differ with FinalOnly")
	}
}

// KeepTables keeps the tables of the iterations it accepts and of the last one, and changes no
// number: every exploitability, change and table kept is the full trace's.
func TestKeepTablesKeepsTheNumbers(t *testing.T) {
	g, err := games.New("auction", nil)
	if err != nil {
		t.Fatal(err)
	}
	opt := engine.Options{Iterations: 7, Exploitability: true}
	full, err := engine.Solve(context.Background(), g, algorithms.GMFV(4), opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.KeepTables = func(k int) bool { return k%3 == 0 }
	some, err := engine.Solve(context.Background(), g, algorithms.GMFV(4), opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Trace) != len(some.Trace) {
		t.Fatalf("%d iterations, %d with KeepTables", len(full.Trace), len(some.Trace))
	}
	for k := range full.Trace {
		x, y := full.Trace[k], some.Trace[k]
		if x.Exploitability != y.Exploitability || x.L1Change != y.L1Change || x.LInfChange != y.LInfChange || x.HasChange != y.HasChange {
			t.Errorf("iteration %d: numbers differ with KeepTables", k)
		}
		want := k%3 == 0 || k == len(full.Trace)-1
		if kept := y.Policy != nil && y.Population != nil && (y.Q != nil) == (x.Q != nil); kept != want {
			t.Errorf("iteration %d: tables kept = %v, want %v", k, kept, want)
		} else if kept && (!slices.Equal(x.Population[0].Mass, y.Population[0].Mass) || !slices.EqualFunc(x.Q, y.Q, slices.Equal[[]float64]) || !slices.Equal(x.Policy[0].Prob, y.Policy[0].Prob)) {
			t.Errorf("iteration %d: tables differ with KeepTables", k)
		}
		if !want && (y.Policy != nil || y.Population != nil || y.Q != nil) {
			t.Errorf("iteration %d: some table kept", k)
		}
	}
}

// Q^π at π's own mean field, through PolicyQAt (the stages rebuilt at a given L), equals the
// evaluation's own Q^π, on a finite-horizon game with legal actions, a multi-step one and a
// stationary one; a mean field of the wrong length is refused.
func TestPolicyQAtOwnMeanFieldIsPolicyQ(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"beach-bar", "crowd-modelling-2d-four-rooms", "lasry-lions-chain"} {
		g, err := games.New(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		p, err := engine.NewProblem(g, engine.EvaluationOptions{})
		if err != nil {
			t.Fatal(err)
		}
		pi := p.Uniform()
		e := p.Evaluate(pi, nil)
		L, err := e.MeanField(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want, err := e.PolicyQ(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.PolicyQAt(pi, L)
		if err != nil {
			t.Fatal(err)
		}
		for tt := range want {
			if !slices.Equal(got[tt], want[tt]) {
				t.Fatalf("%s, t = %d: PolicyQAt differs from the evaluation's Q^π", name, tt)
			}
		}
		if _, err := p.PolicyQAt(pi, L[:len(L)-1]); err == nil && len(L) > 1 {
			t.Errorf("%s: a mean field one step short was accepted", name)
		}
	}
}

// stayer's run stays on its previous policy every other step (it returns prev.Policy itself),
// and says it keeps nothing (engine.Recycler): the engine must not hand back a policy that the
// newest record still holds.
type stayer struct {
	t        *testing.T
	recycled *int
}

func (stayer) Name() string             { return "stayer" }
func (stayer) Validate() error          { return nil }
func (stayer) Applies(g mfg.Game) error { return nil }
func (s stayer) Begin(_ context.Context, st engine.Start) (engine.Run, engine.Iterate, error) {
	return &stayerRun{t: s.t, recycled: s.recycled}, engine.Iterate{Policy: st.Policy}, nil
}

type stayerRun struct {
	t        *testing.T
	returned []mfg.Policy
	recycled *int
}

func (*stayerRun) ReleasesEvaluations() {}

func (r *stayerRun) Recycle(pi []mfg.Policy) {
	*r.recycled++
	for t := range pi {
		if &pi[t].Prob[0] == &r.returned[t].Prob[0] {
			r.t.Fatalf("the engine hands back, at time %d, the policy the newest record holds", t)
		}
	}
}

func (r *stayerRun) Step(_ context.Context, k int, prev *engine.Evaluation) (engine.Iterate, error) {
	next := prev.Policy
	if k%2 == 1 {
		next = make([]mfg.Policy, len(prev.Policy))
		for t, p := range prev.Policy {
			next[t] = mfg.Policy{States: p.States, Actions: p.Actions, Prob: slices.Clone(p.Prob)}
		}
	}
	r.returned = next
	return engine.Iterate{Policy: next}, nil
}

func TestRecyclingSkipsAPolicyStillHeld(t *testing.T) {
	g, err := games.New("left-right", nil)
	if err != nil {
		t.Fatal(err)
	}
	var recycled int
	run := stayer{t, &recycled}
	res, err := engine.Solve(context.Background(), g, run, engine.Options{Iterations: 9, Exploitability: true, FinalOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Trace) != 10 || recycled == 0 {
		t.Fatalf("%d records, %d policies handed back: want 10 records and some handed back", len(res.Trace), recycled)
	}
}

// Stream changes no number: every record handed to OnIteration, the final tables and the verdict
// are those of the full trace, which Result.Trace no longer holds (its last record only).
func TestStreamKeepsTheNumbers(t *testing.T) {
	for _, c := range []struct {
		game string
		alg  engine.Algorithm
	}{{"beach-bar", algorithms.OnlineMirrorDescent{Alpha: 0.1}}, {"rock-paper-scissors", algorithms.FictitiousPlay{}}, {"auction", algorithms.GMFV(4)}} {
		g, err := games.New(c.game, nil)
		if err != nil {
			t.Fatal(err)
		}
		var full, streamed []engine.Iteration
		opt := engine.Options{Iterations: 40, Exploitability: true, KeepTables: func(k int) bool { return k == 0 }}
		opt.OnIteration = func(it engine.Iteration) { full = append(full, it) }
		a, err := engine.Solve(context.Background(), g, c.alg, opt)
		if err != nil {
			t.Fatal(err)
		}
		opt.Stream, opt.OnIteration = true, func(it engine.Iteration) { streamed = append(streamed, it) }
		b, err := engine.Solve(context.Background(), g, c.alg, opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Trace) != 1 || len(full) != len(streamed) || len(full) != len(a.Trace) {
			t.Fatalf("%s: %d records kept streamed, %d and %d handed, %d in the full trace", c.game, len(b.Trace), len(full), len(streamed), len(a.Trace))
		}
		for k := range full {
			x, y := full[k], streamed[k]
			if x.K != y.K || x.Exploitability != y.Exploitability || x.HasExploitability != y.HasExploitability || x.L1Change != y.L1Change ||
				x.LInfChange != y.LInfChange || x.HasChange != y.HasChange || x.InnerWork != y.InnerWork {
				t.Errorf("%s, iteration %d: numbers differ streamed", c.game, k)
			}
		}
		fa, fb := a.Final(), b.Final()
		if fa.K != fb.K || fa.Exploitability != fb.Exploitability || !slices.Equal(fa.Policy[0].Prob, fb.Policy[0].Prob) ||
			!slices.Equal(fa.Population[0].Mass, fb.Population[0].Mass) {
			t.Errorf("%s: final record differs streamed", c.game)
		}
		if !slices.Equal(a.Trace[0].Population[0].Mass, streamed[0].Population[0].Mass) {
			t.Errorf("%s: iteration 0's population, kept, changed streamed", c.game)
		}
		if va, vb := a.Verdict(), b.Verdict(); va != vb {
			t.Errorf("%s: verdict %+v streamed, %+v in full", c.game, vb, va)
		}
	}
}
