package rl_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
	"meanfield/rl"
)

// With a discount so near 1 that value iteration cannot converge within its sweeps (γ = 1 - 1e-6
// contracts by 1e-6 a sweep), OptimalValues still finds V*, by policy iteration: it equals the best
// of every deterministic policy's exact value to 1e-9 relative, and is never below a policy's value.
func TestOptimalValuesNearDiscountOne(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := 0; trial < 5; trial++ {
		S, A := 3, 2
		m := randomMDP(t, rng, S, A, 1-1e-6)
		if _, sweeps := rl.ValueIteration(m, nil, rl.ValueIterationOptions{}); sweeps < 100000 {
			t.Fatalf("value iteration converged in %d sweeps: the test needs a slower contraction", sweeps)
		}
		vstar, err := rl.OptimalValues(m)
		if err != nil {
			t.Fatal(err)
		}
		best := make([]float64, S)
		for i := range best {
			best[i] = math.Inf(-1)
		}
		for c := 0; c < 1<<S; c++ { // every deterministic policy of 2 actions
			pi := mfg.NewPolicy(S, A)
			for s := 0; s < S; s++ {
				pi.Prob[s*A+(c>>s)&1] = 1
			}
			for s, v := range exactValues(m, pi) {
				best[s] = math.Max(best[s], v)
			}
		}
		for s := range best {
			if d := math.Abs(vstar[s] - best[s]); d > 1e-9*(1+math.Abs(best[s])) {
				t.Errorf("trial %d, s = %d: OptimalValues %v, brute force %v", trial, s, vstar[s], best[s])
			}
		}
	}
}

// V* of a finite discounted MDP is attained by a deterministic stationary policy, and for every
// state V*(s) = max over those |A|^|S| policies of V^π(s). Each V^π here is an exact linear solve
// (our own Gaussian elimination), so the comparison is independent of value iteration.
func TestValueIterationMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(101, 102))
	for trial := 0; trial < 40; trial++ {
		S, A := 3+rng.IntN(2), 2+rng.IntN(2)
		gamma := []float64{0.5, 0.8, 0.95}[trial%3]
		m := randomMDP(t, rng, S, A, gamma)

		best := make([]float64, S)
		for i := range best {
			best[i] = math.Inf(-1)
		}
		choice := make([]int, S)
		for {
			pi := mfg.NewPolicy(S, A)
			for s, a := range choice {
				pi.Prob[s*A+a] = 1
			}
			for s, v := range exactValues(m, pi) {
				best[s] = math.Max(best[s], v)
			}
			i := 0
			for ; i < S; i++ {
				choice[i]++
				if choice[i] < A {
					break
				}
				choice[i] = 0
			}
			if i == S {
				break
			}
		}

		// |V| <= 1/(1-γ) <= 20, so 1e-9 is ~1e-10 relative: far above rounding (value iteration
		// stops at a float64 fixed point), far below any real error.
		vstar, err := rl.OptimalValues(m)
		if err != nil {
			t.Fatal(err)
		}
		if d := maxAbsDiff(vstar, best); d > 1e-9 {
			t.Errorf("S=%d A=%d γ=%v: OptimalValues %v, brute force %v (diff %.3g)", S, A, gamma, vstar, best, d)
		}
		q, sweeps := rl.ValueIteration(m, nil, rl.ValueIterationOptions{})
		if sweeps < 2 || sweeps >= 100000 {
			t.Errorf("value iteration took %d sweeps", sweeps)
		}
		v := make([]float64, S)
		rl.GreedyValues(q, A, v)
		if d := maxAbsDiff(v, best); d > 1e-9 {
			t.Errorf("S=%d A=%d: max_a Q = %v, brute force V* = %v", S, A, v, best)
		}
		// The greedy policy of Q* is optimal: its exact value is V*.
		if d := maxAbsDiff(exactValues(m, rl.GreedyPolicy(q, S, A)), best); d > 1e-9 {
			t.Errorf("S=%d A=%d: the greedy policy of Q* is %.3g from optimal", S, A, d)
		}
		// Q* satisfies the Bellman optimality equation.
		q2 := make([]float64, S*A)
		rl.QFromValues(m, v, q2)
		if d := maxAbsDiff(q, q2); d > 1e-12 {
			t.Errorf("Bellman residual of Q* = %.3g", d)
		}
	}
}

func TestValueIterationOptions(t *testing.T) {
	rng := rand.New(rand.NewPCG(103, 104))
	m := randomMDP(t, rng, 5, 3, 0.9)
	// One sweep from zero gives Q = r exactly.
	q, sweeps := rl.ValueIteration(m, nil, rl.ValueIterationOptions{MaxSweeps: 1})
	if sweeps != 1 {
		t.Fatalf("MaxSweeps 1 did %d sweeps", sweeps)
	}
	for i := range q {
		if q[i] != m.Reward[i] {
			t.Fatalf("one sweep from 0: Q[%d] = %v, want r = %v", i, q[i], m.Reward[i])
		}
	}
	// Sweeps from a start continue from it, and the start is not modified.
	q0 := append([]float64(nil), q...)
	q1, _ := rl.ValueIteration(m, q0, rl.ValueIterationOptions{MaxSweeps: 1})
	q2, _ := rl.ValueIteration(m, nil, rl.ValueIterationOptions{MaxSweeps: 2})
	for i := range q0 {
		if q0[i] != m.Reward[i] {
			t.Fatal("ValueIteration modified q0")
		}
		if q1[i] != q2[i] {
			t.Fatalf("1 sweep from T(0) differs from 2 sweeps from 0 at %d: %v vs %v", i, q1[i], q2[i])
		}
	}
	// Stopping at tolerance τ: the last change is <= τ, so ||Q - Q*||∞ <= γτ/(1-γ) by the
	// contraction property.
	qstar, _ := rl.ValueIteration(m, nil, rl.ValueIterationOptions{})
	for _, tol := range []float64{1e-1, 1e-4, 1e-8} {
		q, sweeps := rl.ValueIteration(m, nil, rl.ValueIterationOptions{Tolerance: tol})
		bound := m.Discount * tol / (1 - m.Discount)
		if d := maxAbsDiff(q, qstar); d > bound+1e-12 {
			t.Errorf("tolerance %v: ||Q-Q*|| = %v > γτ/(1-γ) = %v after %d sweeps", tol, d, bound, sweeps)
		}
	}
	// Warm start at the fixed point: one sweep and no change.
	if q, sweeps := rl.ValueIteration(m, qstar, rl.ValueIterationOptions{}); sweeps != 1 || maxAbsDiff(q, qstar) != 0 {
		t.Errorf("from Q*: %d sweeps, change %v", sweeps, maxAbsDiff(q, qstar))
	}
}

// PolicyValues against an independent dense solve, and the Bellman expectation equation.
func TestPolicyValuesMatchesLinearSolve(t *testing.T) {
	rng := rand.New(rand.NewPCG(105, 106))
	for trial := 0; trial < 50; trial++ {
		S, A := 1+rng.IntN(8), 1+rng.IntN(4)
		m := randomMDP(t, rng, S, A, []float64{0.3, 0.9, 0.99}[trial%3])
		pi := randomPolicy(rng, S, A)
		v, err := rl.PolicyValues(m, pi)
		if err != nil {
			t.Fatal(err)
		}
		want := exactValues(m, pi)
		// |V| <= 1/(1-γ) = 100 at γ = 0.99; two stable solves agree to ~1e-13 relative.
		if d := maxAbsDiff(v, want); d > 1e-10 {
			t.Errorf("S=%d A=%d γ=%v: PolicyValues %v, dense solve %v", S, A, m.Discount, v, want)
		}
		q, err := rl.PolicyQ(m, pi)
		if err != nil {
			t.Fatal(err)
		}
		// V^π(s) = Σ_a π(a|s) Q^π(s,a).
		for s := 0; s < S; s++ {
			var e float64
			for a := 0; a < A; a++ {
				e += pi.Prob[s*A+a] * q[s*A+a]
			}
			if math.Abs(e-v[s]) > 1e-10 {
				t.Errorf("Σ_a π Q^π(%d,a) = %v, V^π = %v", s, e, v[s])
			}
		}
		// V^π <= V*.
		vstar, err := rl.OptimalValues(m)
		if err != nil {
			t.Fatal(err)
		}
		for s := range v {
			if v[s] > vstar[s]+1e-10 {
				t.Errorf("V^π(%d) = %v > V*(%d) = %v", s, v[s], s, vstar[s])
			}
		}
	}
	// A policy of the wrong shape is an error.
	m := randomMDP(t, rng, 3, 2, 0.9)
	if _, err := rl.PolicyValues(m, mfg.UniformPolicy(3, 3)); err == nil {
		t.Error("a 3×3 policy on a 3×2 MDP was accepted")
	}
	if _, err := rl.PolicyQ(m, mfg.UniformPolicy(2, 2)); err == nil {
		t.Error("a 2×2 policy on a 3×2 MDP was accepted")
	}
}

// Above 1500 states PolicyValues iterates instead of solving. On a deterministic cycle
// s -> s+1 (mod S) the value is the closed form V(s) = Σ_k γ^k r(s+k mod S); with two actions
// mixed by π, V must still satisfy V = r_π + γ P_π V.
func TestPolicyValuesLargeIterative(t *testing.T) {
	const S = 1600
	rng := rand.New(rand.NewPCG(107, 108))
	gamma := 0.6
	b := mfg.NewMDPBuilder(S, 1, gamma)
	for s := 0; s < S; s++ {
		b.MDP.Reward[s] = 2*rng.Float64() - 1
		b.Add((s+1)%S, 1)
		b.EndRow()
	}
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	v, err := rl.PolicyValues(m, mfg.UniformPolicy(S, 1))
	if err != nil {
		t.Fatal(err)
	}
	for s := 0; s < S; s++ {
		var want, g float64 = 0, 1
		for k := 0; k < 80; k++ { // γ^80 < 1e-17
			want += g * m.Reward[(s+k)%S]
			g *= gamma
		}
		// |V| <= 2.5: the iteration runs to a float64 fixed point; 1e-12 is generous.
		if math.Abs(v[s]-want) > 1e-12 {
			t.Fatalf("V(%d) = %.15g, closed form %.15g", s, v[s], want)
		}
	}

	// Two actions, three successors each, a random policy: check the Bellman equation.
	b = mfg.NewMDPBuilder(S, 2, 0.9)
	for i := 0; i < 2*S; i++ {
		b.MDP.Reward[i] = 2*rng.Float64() - 1
		for k := 0; k < 3; k++ {
			b.Add(rng.IntN(S), 1.0/3)
		}
		b.EndRow()
	}
	if m, err = b.Build(); err != nil {
		t.Fatal(err)
	}
	pi := randomPolicy(rng, S, 2)
	v, err = rl.PolicyValues(m, pi)
	if err != nil {
		t.Fatal(err)
	}
	for s := 0; s < S; s++ {
		var rhs float64
		for a := 0; a < 2; a++ {
			p := pi.Prob[s*2+a]
			var ev float64
			next, prob := m.Successors(s, a)
			for k, sp := range next {
				ev += prob[k] * v[sp]
			}
			rhs += p * (m.Reward[s*2+a] + 0.9*ev)
		}
		if math.Abs(rhs-v[s]) > 1e-12 {
			t.Fatalf("Bellman residual at %d: %v", s, rhs-v[s])
		}
	}
}

func BenchmarkValueIterationSweep(b *testing.B) {
	g, err := games.NewAuction(games.DefaultAuctionParams())
	if err != nil {
		b.Fatal(err)
	}
	m, err := g.MDP(g.InitialPopulation())
	if err != nil {
		b.Fatal(err)
	}
	q := make([]float64, m.States*m.Actions)
	v := make([]float64, m.States)
	for b.Loop() {
		rl.GreedyValues(q, m.Actions, v)
		rl.QFromValues(m, v, q)
	}
}

func BenchmarkPolicyValues(b *testing.B) {
	g, err := games.NewAuction(games.DefaultAuctionParams())
	if err != nil {
		b.Fatal(err)
	}
	m, err := g.MDP(g.InitialPopulation())
	if err != nil {
		b.Fatal(err)
	}
	pi := mfg.UniformPolicy(m.States, m.Actions)
	for b.Loop() {
		if _, err := rl.PolicyValues(m, pi); err != nil {
			b.Fatal(err)
		}
	}
}
