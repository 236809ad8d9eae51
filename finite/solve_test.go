package finite_test

// Solves of finite-horizon games by the engine with the algorithms of package algorithms, on the
// random test games of finite_test.go. These tests are in package finite_test because package
// engine imports finite.

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/finite"
	"meanfield/mfg"
)

// Each algorithm's first step (step 1, from π_0), computed by hand from its definition.
func TestAlgorithmsFirstStepByHand(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(9, 10))
	g := finite.NewTestGame(rng, 2, 3, 2, 0.7, 0.4)
	S, A := 3, 2
	pi0 := finite.Uniform(g)
	L, stages, err := finite.MeanFieldOf(g, pi0)
	if err != nil {
		t.Fatal(err)
	}
	qs, qp := finite.OptimalQ(stages), finite.PolicyQ(stages, pi0)
	br := finite.Greedy(qs, S, A)
	Lbr, _, _ := finite.MeanFieldOf(g, br)
	p, err := engine.NewProblem(g, engine.EvaluationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, alg engine.Algorithm, want func(t, s, a int) float64) {
		run, it0, err := alg.Begin(ctx, engine.Start{Problem: p, Policy: pi0})
		if err != nil {
			t.Fatal(err)
		}
		if len(it0.Policy) != len(pi0) {
			t.Fatalf("%s: the initial iterate has %d time steps, π_0 %d", name, len(it0.Policy), len(pi0))
		}
		for tt := range pi0 {
			for i, x := range pi0[tt].Prob {
				if it0.Policy[tt].Prob[i] != x {
					t.Fatalf("%s: the initial iterate is not π_0", name)
				}
			}
		}
		it, err := run.Step(ctx, 1, p.Evaluate(pi0, nil))
		if err != nil {
			t.Fatal(err)
		}
		next := it.Policy
		if len(next) != g.T+1 {
			t.Fatalf("%s: π_1 has %d time steps, want %d", name, len(next), g.T+1)
		}
		for tt := range next {
			for s := 0; s < S; s++ {
				for a := 0; a < A; a++ {
					if got, w := next[tt].Row(s)[a], want(tt, s, a); math.Abs(got-w) > 1e-12 {
						t.Fatalf("%s: π_1(%d|t=%d,s=%d) = %v, want %v", name, a, tt, s, got, w)
					}
				}
			}
		}
	}
	mu := func(L finite.MeanField, tt, s int) float64 { return L[tt].StateMarginal(nil)[s] }
	check("fictitious play", algorithms.FictitiousPlay{}, func(tt, s, a int) float64 {
		// α_1 = 1/2.
		m, mb := mu(L, tt, s), mu(Lbr, tt, s)
		return (0.5*m*0.5 + 0.5*mb*br[tt].Row(s)[a]) / (0.5*m + 0.5*mb)
	})
	check("damped fixed point", algorithms.DampedFixedPoint{Damping: 0.3}, func(tt, s, a int) float64 {
		m, mb := mu(L, tt, s), mu(Lbr, tt, s)
		return (0.7*m*0.5 + 0.3*mb*br[tt].Row(s)[a]) / (0.7*m + 0.3*mb)
	})
	check("online mirror descent", algorithms.OnlineMirrorDescent{Alpha: 0.3}, func(tt, s, a int) float64 {
		y := func(b int) float64 { return math.Exp(0.3 * qp[tt][s*A+b]) }
		return y(a) / (y(0) + y(1))
	})
	check("prior descent", algorithms.PriorDescent{Eta: 2}, func(tt, s, a int) float64 {
		y := func(b int) float64 { return 0.5 * math.Exp(qs[tt][s*A+b]/2) }
		return y(a) / (y(0) + y(1))
	})
}

// Solving records π_0 and every iteration, and fictitious play's exploitability falls on a game
// with a unique equilibrium.
func TestSolveRecordsEveryIteration(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	g := finite.NewTestGame(rng, 2, 3, 3, 1, 0)
	res, err := engine.Solve(context.Background(), g, algorithms.FictitiousPlay{}, engine.Options{Iterations: 30, Exploitability: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Trace) != 31 {
		t.Fatalf("%d records, want 31", len(res.Trace))
	}
	for k, it := range res.Trace {
		if it.K != k || !it.HasExploitability || !it.ExploitabilityConverged || len(it.Policy) != 3 || len(it.Population) != 3 {
			t.Fatalf("Trace[%d]: K = %d, exploitability recorded %v (converged %v), %d policies, %d populations", k, it.K, it.HasExploitability, it.ExploitabilityConverged, len(it.Policy), len(it.Population))
		}
	}
	ex := res.Exploitabilities()
	if !(ex[30] < ex[0]/5) {
		t.Errorf("fictitious play did not reduce exploitability: %v -> %v", ex[0], ex[30])
	}
	for _, bad := range []engine.Algorithm{
		algorithms.FictitiousPlay{Alpha: 2}, algorithms.OnlineMirrorDescent{Alpha: 0}, algorithms.PriorDescent{Eta: 0},
		algorithms.PriorDescent{Eta: 1, Inner: -1}, algorithms.DampedFixedPoint{Damping: 0},
	} {
		if _, err := engine.Solve(context.Background(), g, bad, engine.Options{Iterations: 1, Exploitability: true}); err == nil {
			t.Errorf("%#v accepted", bad)
		}
	}
}

// The exploitability's two backward passes run concurrently on large games; whole solves taking
// that path give the same results, bit for bit, as one core (with -race they are also checked for
// data races). The threshold is lowered so that a small game takes the path. The policy rows
// split over goroutines are checked in package algorithms (rows_test.go).
func TestParallelPathsMatchOneCore(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	rng := rand.New(rand.NewPCG(13, 14))
	g := finite.NewTestGame(rng, 3, 12, 4, 0.7, 0.3)
	solve := func(alg engine.Algorithm) []float64 {
		res, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: 6, Exploitability: true})
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
	for _, alg := range []engine.Algorithm{algorithms.PriorDescent{Eta: 0.5, Inner: 2}, algorithms.OnlineMirrorDescent{Alpha: 1}, algorithms.FictitiousPlay{}} {
		runtime.GOMAXPROCS(1)
		want := solve(alg)
		runtime.GOMAXPROCS(4)
		restore := finite.SetConcurrentBackward(10)
		got := solve(alg)
		restore()
		if len(got) != len(want) {
			t.Fatalf("%s: %d values in parallel, %d on one core", alg.Name(), len(got), len(want))
		}
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("%s: value %d is %v in parallel, %v on one core", alg.Name(), i, got[i], want[i])
			}
		}
	}
}

// scaledAlgorithm wraps an algorithm and scales its policies by 1+1e-6 at even steps (iterations
// 2, 4, ...), making them infeasible, so that Solve scores a separately evaluated feasible copy.
type scaledAlgorithm struct{ engine.Algorithm }

func (a scaledAlgorithm) Begin(ctx context.Context, s engine.Start) (engine.Run, engine.Iterate, error) {
	run, it, err := a.Algorithm.Begin(ctx, s)
	return scaledRun{run}, it, err
}

type scaledRun struct{ engine.Run }

func (r scaledRun) Step(ctx context.Context, k int, prev *engine.Evaluation) (engine.Iterate, error) {
	it, err := r.Run.Step(ctx, k, prev)
	if err != nil || k%2 == 1 {
		return it, err
	}
	out := finite.Policy(it.Policy).Clone()
	for _, p := range out {
		for i := range p.Prob {
			p.Prob[i] *= 1 + 1e-6
		}
	}
	it.Policy = out
	return it, nil
}

// isFeasible reports whether every row of π is non-negative and sums to 1 within 1e-12: the rule
// by which Solve scores a policy as it is, and else its feasible version.
func isFeasible(pi []mfg.Policy) bool {
	for _, p := range pi {
		for s := 0; s < p.States; s++ {
			var sum float64
			for _, x := range p.Row(s) {
				if x < 0 {
					return false
				}
				sum += x
			}
			if sum < 1-1e-12 || sum > 1+1e-12 {
				return false
			}
		}
	}
	return true
}

// Solve keeps each iteration's mean field and Q-functions for the next step. Whatever the path
// (feasible policies or not, horizon 0 or longer), every recorded exploitability must equal that
// of a fresh evaluation of the recorded policy, bit for bit.
func TestSolveExploitabilityMatchesFreshEvaluations(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for _, T := range []int{0, 1, 3} {
		g := finite.NewTestGame(rng, T, 5, 3, 0.8, 0.4)
		for _, alg := range []engine.Algorithm{algorithms.PriorDescent{Eta: 0.7, Inner: 2}, algorithms.OnlineMirrorDescent{Alpha: 0.5}, algorithms.FictitiousPlay{}} {
			res, err := engine.Solve(context.Background(), g, scaledAlgorithm{alg}, engine.Options{Iterations: 6, Exploitability: true})
			if err != nil {
				t.Fatal(err)
			}
			infeasible := 0
			for _, it := range res.Trace {
				// Solve scores a policy as it is when it sums to 1 within 1e-12, else Feasible(π).
				scored := finite.Policy(it.Policy)
				if !isFeasible(scored) {
					scored = finite.Feasible(scored)
					infeasible++
				}
				_, stages, err := finite.MeanFieldOf(g, scored)
				if err != nil {
					t.Fatal(err)
				}
				qs, qp := finite.QFunctions(stages, scored)
				want := finite.ExploitabilityFromQ(g.InitialStates(), scored[0], qs[0], qp[0])
				if math.Float64bits(it.Exploitability) != math.Float64bits(want) {
					t.Errorf("T = %d, %s, iteration %d: recorded %v, fresh %v", T, alg.Name(), it.K, it.Exploitability, want)
				}
			}
			// Iterations 2, 4 and 6 are scaled; fictitious play's mixtures carry the excess mass on.
			if infeasible < 3 {
				t.Errorf("T = %d, %s: %d infeasible policies recorded, want at least 3 (iterations 2, 4, 6)", T, alg.Name(), infeasible)
			}
		}
	}
}
