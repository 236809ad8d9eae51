package finite

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"meanfield/mfg"
)

// testGame is a small random game whose reward and transitions depend on the mean field:
// r(t,s,a,L) = base[t][s,a] - crowd·μ_t(s), P(s'|t,s,a,L) ∝ exp(w[t][s,a,s'] + pull·μ_t(s')).
type testGame struct {
	T, S, A     int
	mu0         []float64
	base, w     [][]float64
	crowd, pull float64
}

func newTestGame(rng *rand.Rand, T, S, A int, crowd, pull float64) *testGame {
	g := &testGame{T: T, S: S, A: A, crowd: crowd, pull: pull, mu0: make([]float64, S)}
	var sum float64
	for s := range g.mu0 {
		g.mu0[s] = rng.Float64() + 0.1
		sum += g.mu0[s]
	}
	for s := range g.mu0 {
		g.mu0[s] /= sum
	}
	for t := 0; t <= T; t++ {
		b, w := make([]float64, S*A), make([]float64, S*A*S)
		for i := range b {
			b[i] = rng.NormFloat64()
		}
		for i := range w {
			w[i] = 2 * rng.NormFloat64()
		}
		g.base, g.w = append(g.base, b), append(g.w, w)
	}
	return g
}

func (g *testGame) Name() string             { return "test" }
func (g *testGame) Horizon() int             { return g.T }
func (g *testGame) StateShape() []int        { return []int{g.S} }
func (g *testGame) ActionShape() []int       { return []int{g.A} }
func (g *testGame) InitialStates() []float64 { return g.mu0 }

// dense returns r_t and P_t[s*A+a][s'] at L.
func (g *testGame) dense(t int, L mfg.Population) ([]float64, [][]float64) {
	mu := L.StateMarginal(nil)
	r := make([]float64, g.S*g.A)
	P := make([][]float64, g.S*g.A)
	for i := range r {
		s := i / g.A
		r[i] = g.base[t][i] - g.crowd*mu[s]
		P[i] = make([]float64, g.S)
		var z float64
		for sp := 0; sp < g.S; sp++ {
			P[i][sp] = math.Exp(g.w[t][i*g.S+sp] + g.pull*mu[sp])
			z += P[i][sp]
		}
		for sp := range P[i] {
			P[i][sp] /= z
		}
	}
	return r, P
}

func (g *testGame) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	r, P := g.dense(t, L)
	b := mfg.NewMDPBuilder(g.S, g.A, 0)
	copy(b.MDP.Reward, r)
	for _, row := range P {
		for sp, p := range row {
			b.Add(sp, p)
		}
		b.EndRow()
	}
	return b.BuildStage()
}

func randomPolicy(rng *rand.Rand, T, S, A int) Policy {
	pi := make(Policy, T+1)
	for t := range pi {
		pi[t] = mfg.NewPolicy(S, A)
		for s := 0; s < S; s++ {
			row := pi[t].Row(s)
			var sum float64
			for a := range row {
				row[a] = rng.Float64()
				sum += row[a]
			}
			for a := range row {
				row[a] /= sum
			}
		}
	}
	return pi
}

// The mean field follows the forward equation, written out densely here.
func TestMeanFieldOfMatchesDenseForward(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 20; trial++ {
		g := newTestGame(rng, 1+rng.IntN(4), 2+rng.IntN(3), 2+rng.IntN(3), rng.Float64(), rng.Float64())
		pi := randomPolicy(rng, g.T, g.S, g.A)
		L, _, err := MeanFieldOf(g, pi)
		if err != nil {
			t.Fatal(err)
		}
		// Dense forward pass.
		cur := make([]float64, g.S*g.A)
		for s := 0; s < g.S; s++ {
			for a := 0; a < g.A; a++ {
				cur[s*g.A+a] = g.mu0[s] * pi[0].Row(s)[a]
			}
		}
		for tt := 0; tt <= g.T; tt++ {
			if d := mfg.LInfDistance(cur, L[tt].Mass); d > 1e-14 {
				t.Fatalf("trial %d, t=%d: mean field differs by %v", trial, tt, d)
			}
			if tt == g.T {
				break
			}
			_, P := g.dense(tt, mfg.Population{States: g.S, Actions: g.A, Mass: cur})
			next := make([]float64, g.S*g.A)
			for i, w := range cur {
				for sp, p := range P[i] {
					for ap, q := range pi[tt+1].Row(sp) {
						next[sp*g.A+ap] += w * p * q
					}
				}
			}
			cur = next
		}
	}
}

// Q* at a frozen mean field is the best value over every deterministic time-dependent policy,
// found by enumerating them all on tiny instances; Q^π satisfies its own recursion.
func TestOptimalQMatchesEnumeration(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 10; trial++ {
		T, S, A := 1+rng.IntN(2), 2, 2
		g := newTestGame(rng, T, S, A, 1, 1)
		_, stages, err := MeanFieldOf(g, randomPolicy(rng, T, S, A))
		if err != nil {
			t.Fatal(err)
		}
		qs := OptimalQ(stages)
		n := (T + 1) * S // decisions
		best := make([]float64, S)
		for s := range best {
			best[s] = math.Inf(-1)
		}
		for code := 0; code < 1<<n; code++ {
			pi := make(Policy, T+1)
			for tt := range pi {
				pi[tt] = mfg.NewPolicy(S, A)
				for s := 0; s < S; s++ {
					pi[tt].Row(s)[(code>>(tt*S+s))&1] = 1
				}
			}
			// V^π_0 by the policy recursion at the same stages.
			qp := PolicyQ(stages, pi)
			for s := 0; s < S; s++ {
				var v float64
				for a, p := range pi[0].Row(s) {
					v += p * qp[0][s*A+a]
				}
				best[s] = math.Max(best[s], v)
			}
		}
		for s := 0; s < S; s++ {
			vstar := math.Max(qs[0][s*A], qs[0][s*A+1])
			if math.Abs(vstar-best[s]) > 1e-12 {
				t.Errorf("trial %d state %d: max_a Q*_0 = %v, best enumerated policy %v", trial, s, vstar, best[s])
			}
		}
	}
}

// Q^π checked against a Monte-Carlo-free independent recursion on values rather than Q.
func TestPolicyQMatchesValueRecursion(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	g := newTestGame(rng, 3, 3, 2, 0.5, 0.5)
	pi := randomPolicy(rng, 3, 3, 2)
	_, stages, err := MeanFieldOf(g, pi)
	if err != nil {
		t.Fatal(err)
	}
	q := PolicyQ(stages, pi)
	v := make([]float64, 3) // V_{T+1} = 0
	for tt := 3; tt >= 0; tt-- {
		nv := make([]float64, 3)
		for s := 0; s < 3; s++ {
			for a, p := range pi[tt].Row(s) {
				i := s*2 + a
				x := stages[tt].Reward[i]
				if tt < 3 {
					next, prob := stages[tt].Successors(s, a)
					for k, sp := range next {
						x += prob[k] * v[sp]
					}
				}
				if math.Abs(x-q[tt][i]) > 1e-12 {
					t.Fatalf("t=%d s=%d a=%d: Q^π %v, recursion %v", tt, s, a, q[tt][i], x)
				}
				nv[s] += p * x
			}
		}
		v = nv
	}
}

// Exploitability is >= 0, and 0 for a best response when the game does not depend on the mean
// field (then the optimal policy is an equilibrium).
func TestExploitabilityNonNegativeAndZeroAtEquilibrium(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := 0; trial < 30; trial++ {
		g := newTestGame(rng, 1+rng.IntN(3), 2+rng.IntN(3), 2+rng.IntN(3), rng.Float64()*2, rng.Float64()*2)
		e, err := Exploitability(g, randomPolicy(rng, g.T, g.S, g.A))
		if err != nil {
			t.Fatal(err)
		}
		if e < -1e-12 {
			t.Errorf("trial %d: exploitability %v < 0", trial, e)
		}
	}
	g := newTestGame(rng, 3, 4, 3, 0, 0) // no dependence on L
	L, _, err := MeanFieldOf(g, Uniform(g))
	if err != nil {
		t.Fatal(err)
	}
	br, err := BestResponse(g, L)
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := Exploitability(g, br); math.Abs(e) > 1e-12 {
		t.Errorf("exploitability of the optimal policy of an L-independent game = %v, want 0", e)
	}
	if e, _ := Exploitability(g, Uniform(g)); !(e > 1e-3) {
		t.Errorf("exploitability of the uniform policy = %v, want clearly positive", e)
	}
}

// Greedy puts equal mass on exact ties only.
func TestGreedyTies(t *testing.T) {
	pi := Greedy([][]float64{{1, 1, 0, 2, 2 - 1e-15, 2}}, 2, 3)
	want := []float64{0.5, 0.5, 0, 0.5, 0, 0.5}
	for i, w := range want {
		if pi[0].Prob[i] != w {
			t.Fatalf("greedy = %v, want %v", pi[0].Prob, want)
		}
	}
}

// Shapes flatten row-major and back.
func TestShapeRoundTrip(t *testing.T) {
	sh := Shape{5, 10, 10}
	if got := sh.Index(2, 3, 4); got != 2*100+3*10+4 {
		t.Fatalf("Index(2,3,4) = %d", got)
	}
	c := make([]int, 3)
	for i := 0; i < Size(sh); i++ {
		if sh.Index(sh.Coords(i, c)...) != i {
			t.Fatalf("round trip of %d fails: %v", i, c)
		}
	}
}

// Each algorithm's first step, computed by hand from its definition.
func TestAlgorithmsFirstStepByHand(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	g := newTestGame(rng, 2, 3, 2, 0.7, 0.4)
	S, A := 3, 2
	pi0 := Uniform(g)
	cur, err := Evaluate(g, pi0)
	if err != nil {
		t.Fatal(err)
	}
	qs, qp := OptimalQ(cur.Stages), PolicyQ(cur.Stages, pi0)
	br := Greedy(qs, S, A)
	Lbr, _, _ := MeanFieldOf(g, br)
	check := func(name string, alg Algorithm, want func(t, s, a int) float64) {
		next, err := alg.Begin(g).Step(cur, 0)
		if err != nil {
			t.Fatal(err)
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
	mu := func(L MeanField, tt, s int) float64 { return L[tt].StateMarginal(nil)[s] }
	check("fictitious play", FictitiousPlay{}, func(tt, s, a int) float64 {
		// α_0 = 1/2.
		m, mb := mu(cur.MeanField, tt, s), mu(Lbr, tt, s)
		return (0.5*m*0.5 + 0.5*mb*br[tt].Row(s)[a]) / (0.5*m + 0.5*mb)
	})
	check("online mirror descent", OnlineMirrorDescent{Alpha: 0.3}, func(tt, s, a int) float64 {
		y := func(b int) float64 { return math.Exp(0.3 * qp[tt][s*A+b]) }
		return y(a) / (y(0) + y(1))
	})
	check("prior descent", PriorDescent{Eta: 2}, func(tt, s, a int) float64 {
		y := func(b int) float64 { return 0.5 * math.Exp(qs[tt][s*A+b]/2) }
		return y(a) / (y(0) + y(1))
	})
}

// Solving records π_0 and every iteration, and fictitious play's exploitability falls on a game
// with a unique equilibrium.
func TestSolveRecordsEveryIteration(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	g := newTestGame(rng, 2, 3, 3, 1, 0)
	res, err := Solve(context.Background(), g, FictitiousPlay{}, Options{Iterations: 30})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Trace) != 31 {
		t.Fatalf("%d records, want 31", len(res.Trace))
	}
	ex := res.Exploitabilities()
	if !(ex[30] < ex[0]/5) {
		t.Errorf("fictitious play did not reduce exploitability: %v -> %v", ex[0], ex[30])
	}
	for _, bad := range []Algorithm{FictitiousPlay{Alpha: 2}, OnlineMirrorDescent{Alpha: 0}, PriorDescent{Eta: 0}, PriorDescent{Eta: 1, Inner: -1}, DampedFixedPoint{Damping: 0}} {
		if _, err := Solve(context.Background(), g, bad, Options{Iterations: 1}); err == nil {
			t.Errorf("%#v accepted", bad)
		}
	}
}

// The fused backward pass of the exploitability computes OptimalQ and PolicyQ bit for bit.
func TestOptimalAndPolicyQEqualsSeparatePasses(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for trial := 0; trial < 20; trial++ {
		T, S, A := 1+rng.IntN(4), 1+rng.IntN(6), 1+rng.IntN(4)
		g := newTestGame(rng, T, S, A, rng.Float64(), rng.Float64())
		pi := randomPolicy(rng, T, S, A)
		_, stages, err := MeanFieldOf(g, pi)
		if err != nil {
			t.Fatal(err)
		}
		qs, qp, _, _ := optimalAndPolicyQ(stages, pi, nil)
		ws, wp := OptimalQ(stages), PolicyQ(stages, pi)
		for tt := range qs {
			for i := range qs[tt] {
				if math.Float64bits(qs[tt][i]) != math.Float64bits(ws[tt][i]) || math.Float64bits(qp[tt][i]) != math.Float64bits(wp[tt][i]) {
					t.Fatalf("trial %d, t = %d, entry %d: fused (%v, %v), separate (%v, %v)", trial, tt, i, qs[tt][i], qp[tt][i], ws[tt][i], wp[tt][i])
				}
			}
		}
	}
}

// The parallel paths (softmax rows split over goroutines, the exploitability's two backward passes
// run concurrently) give the same results, bit for bit, as one core; with -race they are also
// checked for data races. The thresholds are lowered so that a small game takes them.
func TestParallelPathsMatchOneCore(t *testing.T) {
	defer func(r, c int) { rowsPerWorker, concurrentBackward = r, c }(rowsPerWorker, concurrentBackward)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	rng := rand.New(rand.NewPCG(13, 14))
	g := newTestGame(rng, 3, 12, 4, 0.7, 0.3)
	solve := func(alg Algorithm) []float64 {
		res, err := Solve(context.Background(), g, alg, Options{Iterations: 6})
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
	for _, alg := range []Algorithm{PriorDescent{Eta: 0.5, Inner: 2}, OnlineMirrorDescent{Alpha: 1}, FictitiousPlay{}} {
		runtime.GOMAXPROCS(1)
		rowsPerWorker, concurrentBackward = 8192, 100_000
		want := solve(alg)
		runtime.GOMAXPROCS(4)
		rowsPerWorker, concurrentBackward = 3, 10
		got := solve(alg)
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

// scaledStepper wraps a stepper and scales its policies by 1+1e-6 on odd iterations, making them
// infeasible, so that Solve scores a separately evaluated feasible copy.
type scaledAlgorithm struct{ Algorithm }

func (a scaledAlgorithm) Begin(g Game) Stepper { return scaledStepper{a.Algorithm.Begin(g)} }

type scaledStepper struct{ Stepper }

func (s scaledStepper) Step(cur *Evaluated, k int) (Policy, error) {
	next, err := s.Stepper.Step(cur, k)
	if err != nil || k%2 == 0 {
		return next, err
	}
	out := next.Clone()
	for _, p := range out {
		for i := range p.Prob {
			p.Prob[i] *= 1 + 1e-6
		}
	}
	return out, nil
}

// Solve reuses the memory of each iteration's mean field and Q-functions. Whatever the path
// (feasible policies or not, horizon 0 or longer), every recorded exploitability must equal that
// of a fresh evaluation of the recorded policy, bit for bit.
func TestSolveWorkspaceMatchesFreshEvaluations(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for _, T := range []int{0, 1, 3} {
		g := newTestGame(rng, T, 5, 3, 0.8, 0.4)
		for _, alg := range []Algorithm{PriorDescent{Eta: 0.7, Inner: 2}, OnlineMirrorDescent{Alpha: 0.5}, FictitiousPlay{}} {
			res, err := Solve(context.Background(), g, scaledAlgorithm{alg}, Options{Iterations: 6})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range res.Trace {
				// Solve scores a policy as it is when it sums to 1 within 1e-12, else Feasible(π).
				scored := it.Policy
				if !isFeasible(scored) {
					scored = Feasible(scored)
				}
				ev, err := Evaluate(g, scored)
				if err != nil {
					t.Fatal(err)
				}
				want := exploitabilityAt(g, ev, nil)
				if math.Float64bits(it.Exploitability) != math.Float64bits(want) {
					t.Errorf("T = %d, %s, iteration %d: recorded %v, fresh %v", T, alg.Name(), it.K, it.Exploitability, want)
				}
			}
		}
	}
}
