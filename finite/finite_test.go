package finite

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"meanfield/mfg"
)

// NewTestGame exports newTestGame to the external tests of this directory (solve_test.go,
// package finite_test): they solve with package engine, which imports finite, so they cannot be in
// package finite.
var NewTestGame = newTestGame

// SetConcurrentBackward sets the least number of Q-values for which QFunctions runs its two
// backward passes concurrently, and returns a function restoring the previous value.
func SetConcurrentBackward(n int) (restore func()) {
	old := concurrentBackward
	concurrentBackward = n
	return func() { concurrentBackward = old }
}

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
func (g *testGame) States() int              { return g.S }
func (g *testGame) Actions() int             { return g.A }
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
		qs, qp := optimalAndPolicyQ(stages, pi, nil, nil, nil, nil, false)
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

// QFunctions computes Q* and Q^π in one pass on small games and in two concurrent passes on
// large ones; both paths give the same results, bit for bit, as one core and as the separate
// passes (the exploitability reads them), and with -race they are also checked for data races.
// The threshold is lowered so that a small game takes the concurrent path. (The full solves with
// this path are checked in solve_test.go, the parallel policy rows in package algorithms.)
func TestQFunctionsConcurrentPassesMatchOneCore(t *testing.T) {
	defer func(c int) { concurrentBackward = c }(concurrentBackward)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	rng := rand.New(rand.NewPCG(13, 14))
	for trial := 0; trial < 10; trial++ {
		T, S, A := 1+rng.IntN(4), 2+rng.IntN(12), 1+rng.IntN(4)
		g := newTestGame(rng, T, S, A, 0.7, 0.3)
		pi := randomPolicy(rng, T, S, A)
		_, stages, err := MeanFieldOf(g, pi)
		if err != nil {
			t.Fatal(err)
		}
		runtime.GOMAXPROCS(1)
		concurrentBackward = 100_000
		ws, wp := QFunctions(stages, pi)
		we, err := Exploitability(g, pi)
		if err != nil {
			t.Fatal(err)
		}
		runtime.GOMAXPROCS(4)
		concurrentBackward = 10
		qs, qp := QFunctions(stages, pi)
		e, err := Exploitability(g, pi)
		if err != nil {
			t.Fatal(err)
		}
		if math.Float64bits(e) != math.Float64bits(we) {
			t.Fatalf("trial %d: exploitability %v with concurrent passes, %v on one core", trial, e, we)
		}
		for tt := range qs {
			for i := range qs[tt] {
				if math.Float64bits(qs[tt][i]) != math.Float64bits(ws[tt][i]) || math.Float64bits(qp[tt][i]) != math.Float64bits(wp[tt][i]) {
					t.Fatalf("trial %d, t = %d, entry %d: concurrent (%v, %v), one core (%v, %v)", trial, tt, i, qs[tt][i], qp[tt][i], ws[tt][i], wp[tt][i])
				}
			}
		}
	}
}

// ExploitabilityFromQ takes max_a Q*_0 by comparisons: the same bits as with math.Max, NaN,
// infinite and signed-zero values included.
func TestExploitabilityFromQMatchesMathMax(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1, -1}
	value := func() float64 {
		if rng.IntN(3) == 0 {
			return special[rng.IntN(len(special))]
		}
		return rng.NormFloat64()
	}
	for trial := 0; trial < 20000; trial++ {
		S, A := 1+rng.IntN(4), 1+rng.IntN(4)
		mu0 := make([]float64, S)
		for s := range mu0 {
			mu0[s] = float64(rng.IntN(3)) / 2
		}
		pi0 := mfg.NewPolicy(S, A)
		qs0, qp0 := make([]float64, S*A), make([]float64, S*A)
		for i := range qs0 {
			pi0.Prob[i], qs0[i], qp0[i] = rng.Float64(), value(), value()
		}
		var best, own float64
		for s, m := range mu0 {
			if m == 0 {
				continue
			}
			b := math.Inf(-1)
			var o float64
			for a, p := range pi0.Row(s) {
				b = math.Max(b, qs0[s*A+a])
				o += p * qp0[s*A+a]
			}
			best += m * b
			own += m * o
		}
		want, got := best-own, ExploitabilityFromQ(mu0, pi0, qs0, qp0)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("trial %d: %v, want %v (Q* %v)", trial, got, want, qs0)
		}
	}
}

// maxOf is the maximum by plain comparisons (NaNs skipped, −Inf for none), bit for bit but for the
// sign of a zero maximum, NaN, infinite and signed-zero values included.
func TestMaxOfMatchesComparisons(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1, -1}
	for trial := 0; trial < 20000; trial++ {
		x := make([]float64, rng.IntN(6))
		for i := range x {
			x[i] = rng.NormFloat64()
			if rng.IntN(3) == 0 {
				x[i] = special[rng.IntN(len(special))]
			}
		}
		want := math.Inf(-1)
		for _, v := range x {
			if v > want {
				want = v
			}
		}
		if got := maxOf(x); math.Float64bits(got) != math.Float64bits(want) && !(got == 0 && want == 0) {
			t.Fatalf("maxOf(%v) = %v, want %v", x, got, want)
		}
	}
}

// The fused backward pass agrees with the separate ones, bit for bit (NaN as NaN), on stages of
// sure moves and rows of up to four successors, with NaN, ±Inf and ±0 among the rewards, the
// probabilities and the policy's entries: the cases of its sure-move rows, of its paired rows and
// of its maximum's NaN fallback.
func TestOptimalAndPolicyQSpecialValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 0}
	value := func() float64 {
		if rng.IntN(4) == 0 {
			return special[rng.IntN(len(special))]
		}
		return rng.NormFloat64()
	}
	same := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) || x != x && y != y }
	for trial := 0; trial < 200; trial++ {
		T, S, A := 1+rng.IntN(3), 1+rng.IntN(5), 1+rng.IntN(4)
		most := 1 + rng.IntN(4) // successors of a row: 2 or more on average takes the paired rows
		stages := make([]*mfg.MDP, T+1)
		for tt := range stages {
			m := &mfg.MDP{States: S, Actions: A, Reward: make([]float64, S*A), RowStart: []int{0}}
			for i := range m.Reward {
				m.Reward[i] = value()
				for range 1 + rng.IntN(most) {
					m.Next, m.Prob = append(m.Next, rng.IntN(S)), append(m.Prob, value())
				}
				m.RowStart = append(m.RowStart, len(m.Next))
			}
			stages[tt] = m
		}
		pi := make(Policy, T+1)
		for tt := range pi {
			pi[tt] = mfg.Policy{States: S, Actions: A, Prob: make([]float64, S*A)}
			for i := range pi[tt].Prob {
				pi[tt].Prob[i] = value()
			}
		}
		qs, qp := optimalAndPolicyQ(stages, pi, nil, nil, nil, nil, false)
		ws, wp := OptimalQ(stages), PolicyQ(stages, pi)
		for tt := range qs {
			for i := range qs[tt] {
				if !same(qs[tt][i], ws[tt][i]) || !same(qp[tt][i], wp[tt][i]) {
					t.Fatalf("trial %d, t = %d, entry %d: fused (%v, %v), separate (%v, %v)", trial, tt, i, qs[tt][i], qp[tt][i], ws[tt][i], wp[tt][i])
				}
			}
		}
		fs, fp := optimalAndPolicyQ(stages, pi, nil, nil, nil, nil, true) // Q^π_0 alone kept
		for tt := range fs {
			for i := range fs[tt] {
				if !same(fs[tt][i], ws[tt][i]) || tt == 0 && !same(fp[0][i], wp[0][i]) {
					t.Fatalf("trial %d, t = %d, entry %d: fused keeping Q^π_0 (%v, %v), separate (%v, %v)", trial, tt, i, fs[tt][i], fp[0][i], ws[tt][i], wp[tt][i])
				}
			}
		}
	}
}
