package rl_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
	"meanfield/rl"
)

// Q-learning through a simulator of a small random MDP reaches the Q* of value iteration.
//
// Tolerance: max_{s,a} |Q - Q*| / ||Q*||∞ < 0.05 after 300000 steps on S = 4, A = 3, γ = 0.8,
// with reward noise uniform on [-0.5, 0.5]. Measured over 8 seeds the worst relative error was
// 0.012-0.014 for the 1/n^0.87 schedules (uniform pairs, ε-greedy, Boltzmann) and about 0.02 for
// the constant step 0.005, whose error does not vanish (its stationary noise is of order √β);
// 0.05 leaves more than a factor 2 and is still far below what a wrong update rule gives (a
// wrong discount, a stale max_a' Q(s',a'), a wrong step size: errors of order 1).
func TestQLearningReachesValueIteration(t *testing.T) {
	const steps = 300000
	configs := []struct {
		name    string
		step    rl.StepSize
		explore rl.Exploration
	}{
		{"uniform/power0.87", rl.PowerStep{Exponent: 0.87}, rl.UniformPairs{}},
		{"uniform/constant0.005", rl.ConstantStep{Beta: 0.005}, rl.UniformPairs{}},
		{"epsilon-greedy0.3/power0.87", rl.PowerStep{Exponent: 0.87}, rl.EpsilonGreedy{Epsilon: 0.3}},
		{"boltzmann1/power0.87", rl.PowerStep{Exponent: 0.87}, rl.Boltzmann{C: 1}},
		{"epsilon-greedy0.3/constant0.005", rl.ConstantStep{Beta: 0.005}, rl.EpsilonGreedy{Epsilon: 0.3}},
	}
	seedCount := uint64(3)
	if testing.Short() {
		seedCount = 2
	}
	for _, c := range configs {
		for seed := uint64(1); seed <= seedCount; seed++ {
			rng := rand.New(rand.NewPCG(seed, 201))
			m := randomMDP(t, rng, 4, 3, 0.8)
			qstar, _ := rl.ValueIteration(m, nil, rl.ValueIterationOptions{})
			l, err := rl.NewQLearner(4, 3, 0.8, c.step, c.explore)
			if err != nil {
				t.Fatal(err)
			}
			// Two runs: what is learned carries over from one to the next.
			l.Run(mdpSampler{m: m, noise: 0.5}, steps/2, rng)
			l.Run(mdpSampler{m: m, noise: 0.5}, steps-steps/2, rng)
			rel := maxAbsDiff(l.Q, qstar) / maxAbs(qstar)
			if rel >= 0.05 {
				t.Errorf("%s seed %d: max|Q-Q*|/||Q*|| = %.4f after %d steps", c.name, seed, rel, steps)
			}
			var visits int64
			for _, n := range l.Visits {
				visits += n
				if n == 0 {
					t.Errorf("%s seed %d: a pair was never visited", c.name, seed)
				}
			}
			if visits != steps {
				t.Errorf("%s: visits sum to %d, want %d", c.name, visits, steps)
			}
		}
	}
}

// loggingSampler wraps a sampler and records every call, so that a test can replay the updates
// with its own implementation of the Q-learning rule.
type loggingSampler struct {
	inner mfg.Sampler
	log   []transition
}

type transition struct {
	s, a, next int
	r          float64
}

func (l *loggingSampler) Sample(s, a int, rng *rand.Rand) (float64, int) {
	r, next := l.inner.Sample(s, a, rng)
	l.log = append(l.log, transition{s, a, next, r})
	return r, next
}

// Every update must be Q(s,a) <- Q(s,a) + β_n (r + γ max_a' Q(s',a') - Q(s,a)) with n the visit
// count of (s,a) (β_n from math.Pow here, independently of the learner's table of rates), starting
// from whatever Q was set to from outside. The replay checks the learner's cached maxima, its
// rate table (n runs past 2^14) and the carry-over between runs. Trajectory explorations must
// also chain states (each step starts where the previous one ended), and ε-greedy with ε = 0 must
// only pick maximisers of the current Q.
func TestQLearningUpdateRuleReplay(t *testing.T) {
	cases := []struct {
		name    string
		step    rl.StepSize
		explore rl.Exploration
		rate    func(n int64) float64
	}{
		{"uniform/power0.87", rl.PowerStep{Exponent: 0.87}, rl.UniformPairs{}, func(n int64) float64 { return math.Pow(float64(n), -0.87) }},
		{"uniform/power0.6", rl.PowerStep{Exponent: 0.6}, rl.UniformPairs{}, func(n int64) float64 { return math.Pow(float64(n), -0.6) }},
		{"uniform/constant", rl.ConstantStep{Beta: 0.3}, rl.UniformPairs{}, func(int64) float64 { return 0.3 }},
		{"greedy/power1", rl.PowerStep{Exponent: 1}, rl.EpsilonGreedy{Epsilon: 0}, func(n int64) float64 { return 1 / float64(n) }},
		{"epsilon/power0.87", rl.PowerStep{Exponent: 0.87}, rl.EpsilonGreedy{Epsilon: 0.5}, func(n int64) float64 { return math.Pow(float64(n), -0.87) }},
		{"boltzmann/power0.87", rl.PowerStep{Exponent: 0.87}, rl.Boltzmann{C: 2}, func(n int64) float64 { return math.Pow(float64(n), -0.87) }},
	}
	for ci, c := range cases {
		rng := rand.New(rand.NewPCG(uint64(ci), 301))
		S, A := 3, 2
		m := randomMDP(t, rng, S, A, 0.7)
		l, err := rl.NewQLearner(S, A, 0.7, c.step, c.explore)
		if err != nil {
			t.Fatal(err)
		}
		ref := make([]float64, S*A)
		for i := range l.Q {
			l.Q[i] = 3 * rng.NormFloat64() // set from outside: Run must see it
			ref[i] = l.Q[i]
		}
		counts := make([]int64, S*A)
		var prevNext = -1
		for run := 0; run < 3; run++ {
			ls := &loggingSampler{inner: mdpSampler{m: m, noise: 1}}
			steps := 40000
			if run == 1 {
				steps = 1 // runs of any length
			}
			l.Run(ls, steps, rng)
			if len(ls.log) != steps {
				t.Fatalf("%s: %d samples for %d steps", c.name, len(ls.log), steps)
			}
			for k, tr := range ls.log {
				i := tr.s*A + tr.a
				if _, uniform := c.explore.(rl.UniformPairs); !uniform && prevNext >= 0 && tr.s != prevNext {
					t.Fatalf("%s: step %d starts at %d, the previous step ended at %d", c.name, k, tr.s, prevNext)
				}
				prevNext = tr.next
				if eg, ok := c.explore.(rl.EpsilonGreedy); ok && eg.Epsilon == 0 {
					row := ref[tr.s*A : (tr.s+1)*A]
					best := math.Inf(-1)
					for _, x := range row {
						best = math.Max(best, x)
					}
					if row[tr.a] != best {
						t.Fatalf("%s: step %d took a=%d with Q %v: not greedy", c.name, k, tr.a, row)
					}
				}
				counts[i]++
				best := math.Inf(-1)
				for _, x := range ref[tr.next*A : (tr.next+1)*A] {
					best = math.Max(best, x)
				}
				ref[i] += c.rate(counts[i]) * (tr.r + 0.7*best - ref[i])
			}
			for i := range ref {
				// The same operations in the same order, except that the learner's rates may
				// come from a table: equal up to a few ulps per step, so 1e-9 over 80000 steps.
				if math.Abs(l.Q[i]-ref[i]) > 1e-9 {
					t.Fatalf("%s run %d: Q[%d] = %.15g, replay %.15g", c.name, run, i, l.Q[i], ref[i])
				}
				if l.Visits[i] != counts[i] {
					t.Fatalf("%s: visits[%d] = %d, want %d", c.name, i, l.Visits[i], counts[i])
				}
			}
		}
	}
}

// With uniform pairs every (s, a) is drawn with probability 1/(SA): the counts are multinomial.
func TestQLearningUniformPairsFrequencies(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 401))
	S, A := 5, 4
	m := randomMDP(t, rng, S, A, 0.5)
	l, err := rl.NewQLearner(S, A, 0.5, rl.PowerStep{Exponent: 0.87}, nil) // nil: uniform pairs
	if err != nil {
		t.Fatal(err)
	}
	const n = 200000
	l.Run(mdpSampler{m: m}, n, rng)
	p := 1 / float64(S*A)
	sd := math.Sqrt(n * p * (1 - p))
	for i, c := range l.Visits {
		// 5 standard deviations of a binomial count.
		if math.Abs(float64(c)-n*p) > 5*sd {
			t.Errorf("pair %d visited %d times, expected %.0f ± %.0f", i, c, n*p, 5*sd)
		}
	}
	l.Reset()
	for i := range l.Q {
		if l.Q[i] != 0 || l.Visits[i] != 0 {
			t.Fatalf("Reset left Q[%d] = %v, visits %d", i, l.Q[i], l.Visits[i])
		}
	}
}

// A single state and action with reward 1: the learner's rate table must reproduce
// Q_n = Q_{n-1} + n^-h (1 + γ Q_{n-1} - Q_{n-1}) for n far beyond any table size.
func TestQLearningRateScheduleLongRun(t *testing.T) {
	const gamma, h, steps = 0.5, 0.87, 1<<21 + 5
	l, err := rl.NewQLearner(1, 1, gamma, rl.PowerStep{Exponent: h}, rl.UniformPairs{})
	if err != nil {
		t.Fatal(err)
	}
	l.Run(constSampler{}, steps, rand.New(rand.NewPCG(1, 1)))
	q := 0.0
	for n := 1; n <= steps; n++ {
		q += math.Pow(float64(n), -h) * (1 + gamma*q - q)
	}
	if math.Abs(l.Q[0]-q) > 1e-12 {
		t.Errorf("after %d steps Q = %.17g, recurrence %.17g", steps, l.Q[0], q)
	}
	// And it converges to 1/(1-γ) = 2.
	if math.Abs(q-2) > 1e-6 {
		t.Errorf("Q = %v, want about 2", q)
	}
}

type constSampler struct{}

func (constSampler) Sample(int, int, *rand.Rand) (float64, int) { return 1, 0 }

func TestQLearningValidation(t *testing.T) {
	good := rl.PowerStep{Exponent: 0.87}
	cases := []struct {
		name    string
		S, A    int
		gamma   float64
		step    rl.StepSize
		explore rl.Exploration
		want    string
	}{
		{"states", 0, 2, 0.9, good, nil, "states = 0"},
		{"actions", 2, -1, 0.9, good, nil, "actions = -1"},
		{"discount 1", 2, 2, 1, good, nil, "discount = 1"},
		{"discount 0", 2, 2, 0, good, nil, "discount = 0"},
		{"discount NaN", 2, 2, math.NaN(), good, nil, "discount = NaN"},
		{"no step", 2, 2, 0.9, nil, nil, "step size"},
		{"exponent 0", 2, 2, 0.9, rl.PowerStep{Exponent: 0}, nil, "step-exponent = 0"},
		{"exponent 1.5", 2, 2, 0.9, rl.PowerStep{Exponent: 1.5}, nil, "step-exponent = 1.5"},
		{"exponent NaN", 2, 2, 0.9, rl.PowerStep{Exponent: math.NaN()}, nil, "step-exponent = NaN"},
		{"beta 0", 2, 2, 0.9, rl.ConstantStep{Beta: 0}, nil, "step-size = 0"},
		{"beta 2", 2, 2, 0.9, rl.ConstantStep{Beta: 2}, nil, "step-size = 2"},
		{"epsilon -0.1", 2, 2, 0.9, good, rl.EpsilonGreedy{Epsilon: -0.1}, "epsilon = -0.1"},
		{"epsilon 1.5", 2, 2, 0.9, good, rl.EpsilonGreedy{Epsilon: 1.5}, "epsilon = 1.5"},
		{"epsilon NaN", 2, 2, 0.9, good, rl.EpsilonGreedy{Epsilon: math.NaN()}, "epsilon = NaN"},
		{"boltzmann 0", 2, 2, 0.9, good, rl.Boltzmann{C: 0}, "boltzmann-c = 0"},
		{"boltzmann -1", 2, 2, 0.9, good, rl.Boltzmann{C: -1}, "boltzmann-c = -1"},
		{"boltzmann Inf", 2, 2, 0.9, good, rl.Boltzmann{C: math.Inf(1)}, "boltzmann-c = +Inf"},
	}
	for _, c := range cases {
		_, err := rl.NewQLearner(c.S, c.A, c.gamma, c.step, c.explore)
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q does not contain %q", c.name, err, c.want)
		}
	}
	for _, e := range []rl.Exploration{rl.UniformPairs{}, rl.EpsilonGreedy{Epsilon: 0}, rl.EpsilonGreedy{Epsilon: 1}, rl.Boltzmann{C: 1e-3}} {
		if err := rl.ValidateExploration(e); err != nil {
			t.Errorf("%#v rejected: %v", e, err)
		}
	}
	for _, s := range []rl.StepSize{rl.PowerStep{Exponent: 1}, rl.PowerStep{Exponent: 0.51}, rl.ConstantStep{Beta: 1}} {
		if err := rl.ValidateStepSize(s); err != nil {
			t.Errorf("%#v rejected: %v", s, err)
		}
	}
	if r := (rl.PowerStep{Exponent: 0.5}).Rate(1 << 20); r != 1.0/1024 {
		t.Errorf("PowerStep{0.5}.Rate(2^20) = %v, want 1/1024", r)
	}
	if r := (rl.ConstantStep{Beta: 0.25}).Rate(12345); r != 0.25 {
		t.Errorf("ConstantStep{0.25}.Rate = %v", r)
	}
}

// BenchmarkQLearningAuction runs 10^6 Q-learning steps per operation on the default auction's
// sampler (uniform pairs, β_n = 1/n^0.87), the inner loop of GMF-Q.
func BenchmarkQLearningAuction(b *testing.B) {
	g, err := games.NewAuction(games.DefaultAuctionParams())
	if err != nil {
		b.Fatal(err)
	}
	sm, err := g.Sampler(g.InitialPopulation())
	if err != nil {
		b.Fatal(err)
	}
	l, err := rl.NewQLearner(g.States(), g.Actions(), g.Discount(), rl.PowerStep{Exponent: 0.87}, rl.UniformPairs{})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const steps = 1000000
	var total int
	for b.Loop() {
		l.Run(sm, steps, rng)
		total += steps
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "steps/s")
}
