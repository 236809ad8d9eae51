package benchmfg

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"meanfield/mfg"
)

// tinyChain is a 3-state, 2-action MDP with uneven rewards and transitions, small enough for
// brute-force path sums.
func tinyChain(t *testing.T) *mfg.MDP {
	t.Helper()
	reward := []float64{1, -0.5, 0.3, 2, -1, 0.7}
	trans := []float64{
		0.6, 0.4, 0 /**/, 0, 0.5, 0.5,
		0.1, 0.2, 0.7 /**/, 1, 0, 0,
		0, 0, 1 /**/, 0.3, 0.3, 0.4,
	}
	m, err := mfg.NewDenseMDP(3, 2, 0.8, reward, trans)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// pathValue is the expected discounted reward of n steps of π from s, summed over every path
// (a_0, s_1, a_1, …) by recursion over the path's prefix: Σ_paths Pr(path) Σ_t γ^t r(s_t, a_t).
func pathValue(m *mfg.MDP, pi mfg.Policy, s, n int, prob, disc float64) float64 {
	if n == 0 {
		return 0
	}
	var total float64
	for a, pa := range pi.Row(s) {
		if pa == 0 {
			continue
		}
		total += prob * pa * disc * m.Reward[s*m.Actions+a]
		next, p := m.Successors(s, a)
		for k, sp := range next {
			total += pathValue(m, pi, sp, n-1, prob*pa*p[k], disc*m.Discount)
		}
	}
	return total
}

// bestValue is the n-step optimal value by the finite-horizon recursion (a non-stationary policy
// may do better than any stationary one over n steps).
func bestValue(m *mfg.MDP, s, n int) float64 {
	if n == 0 {
		return 0
	}
	best := math.Inf(-1)
	for a := 0; a < m.Actions; a++ {
		v := m.Reward[s*m.Actions+a]
		next, p := m.Successors(s, a)
		for k, sp := range next {
			v += m.Discount * p[k] * bestValue(m, sp, n-1)
		}
		best = max(best, v)
	}
	return best
}

// must returns a function that fails t on an error and otherwise returns the value.
func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// vopt is VOpt's values, failing t on an error.
func vopt(t *testing.T, m *mfg.MDP, n int) []float64 {
	t.Helper()
	v, _, err := VOpt(m, n)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestTruncatedValuesBruteForce(t *testing.T) {
	m := tinyChain(t)
	pi := mfg.Policy{States: 3, Actions: 2, Prob: []float64{0.3, 0.7, 1, 0, 0.5, 0.5}}
	for _, n := range []int{0, 1, 2, 5, 7} {
		v := must[[]float64](t)(VEval(m, pi, n))
		vopt := vopt(t, m, n)
		for s := 0; s < 3; s++ {
			if want := pathValue(m, pi, s, n, 1, 1); math.Abs(v[s]-want) > 1e-12 {
				t.Errorf("n = %d: V_eval(%d) = %.15g, path sum %.15g", n, s, v[s], want)
			}
			if want := bestValue(m, s, n); math.Abs(vopt[s]-want) > 1e-12 {
				t.Errorf("n = %d: V*(%d) = %.15g, recursion %.15g", n, s, vopt[s], want)
			}
		}
	}
	// Q_eval with n backups is r + γ P V_{n−2}: the second-to-last iterate.
	const n = 6
	q := must[[]float64](t)(QEval(m, pi, n))
	for s := 0; s < 3; s++ {
		for a := 0; a < 2; a++ {
			want := m.Reward[s*2+a]
			next, p := m.Successors(s, a)
			for k, sp := range next {
				want += m.Discount * p[k] * pathValue(m, pi, sp, n-2, 1, 1)
			}
			if got := q[s*2+a]; math.Abs(got-want) > 1e-12 {
				t.Errorf("Q_eval(%d, %d) = %.15g, want r + γ P V_%d = %.15g", s, a, got, n-2, want)
			}
		}
	}
	for _, x := range must[[]float64](t)(QEval(m, pi, 1)) {
		if x != 0 {
			t.Fatalf("Q_eval with 1 backup = %v, want zeros (Bench-MFG: horizon < 3)", x)
		}
	}
}

func TestTruncatedValueClosedForm(t *testing.T) {
	// A reward c in every state and action: V_n = c (1 − γ^n)/(1 − γ) whatever π.
	const c, gamma = 2.5, 0.9
	m, err := mfg.NewDenseMDP(2, 2, gamma, []float64{c, c, c, c}, []float64{0, 1, 1, 0, 0.5, 0.5, 1, 0})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 10, 99} {
		want := c * (1 - math.Pow(gamma, float64(n))) / (1 - gamma)
		v := must[[]float64](t)(VEval(m, mfg.UniformPolicy(2, 2), n))
		vopt := vopt(t, m, n)
		for s := range v {
			if math.Abs(v[s]-want) > 1e-12*want || math.Abs(vopt[s]-want) > 1e-12*want {
				t.Errorf("n = %d: V_eval = %v, V* = %v, want %v", n, v[s], vopt[s], want)
			}
		}
	}
}

func TestGreedyFirstMaximiser(t *testing.T) {
	pi := must[mfg.Policy](t)(Greedy([]float64{1, 3, 3, 0, 2, 2, 2, 1}, 2, 4))
	want := []float64{0, 1, 0, 0, 1, 0, 0, 0}
	for i, p := range pi.Prob {
		if p != want[i] {
			t.Fatalf("Greedy = %v, want %v (NumPy's argmax: the first maximiser)", pi.Prob, want)
		}
	}
}

func TestExploitabilityNonNegative(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	opt := DefaultOptions()
	for _, sg := range SuiteGames {
		g := suiteGame(t, sg.Name)
		S, A := g.States(), g.Actions()
		start := g.InitialPopulation().StateMarginal(nil)
		for trial := 0; trial < 3; trial++ {
			logits := make([]float64, S*A)
			for i := range logits {
				logits[i] = 3 * rng.NormFloat64()
			}
			pi := must[mfg.Policy](t)(Softmax(logits, S, A, 1))
			ev, err := Evaluate(g, pi, start, opt)
			if err != nil {
				t.Fatal(err)
			}
			if ev.Exploitability < -1e-12*ev.Scale() {
				t.Errorf("%s trial %d: E = %g < 0 (value scale %g)", sg.Name, trial, ev.Exploitability, ev.Scale())
			}
			for s := range ev.Optimal {
				if ev.Optimal[s] < ev.Policy[s]-1e-12*ev.Scale() {
					t.Fatalf("%s: V*(%d) = %v < V_eval = %v", sg.Name, s, ev.Optimal[s], ev.Policy[s])
				}
			}
		}
	}
}

// TestNoInteractionBestResponse: without interaction the stationary best response is an
// equilibrium. Its truncated exploitability is not exactly 0, because over the last few of the 99
// backups the finite-horizon optimum stops paying to move (κ = 0.1 for a reward 1 a step later);
// that gap is discounted by about γ^97 ≈ 3.6e-5 and bounded by it times max|r| = 6.1.
func TestNoInteractionBestResponse(t *testing.T) {
	g := suiteGame(t, "no-interaction")
	opt := DefaultOptions()
	mu0 := g.InitialPopulation().StateMarginal(nil)
	m, err := MDPAt(g, mu0)
	if err != nil {
		t.Fatal(err)
	}
	_, br, err := VOpt(m, opt.Horizon-1)
	if err != nil {
		t.Fatal(err)
	}
	for s := 0; s < 7; s++ {
		if br.Row(s)[2] != 1 && s < 6 {
			t.Errorf("best response at x=%d is %v, want right (the reward grows with the position)", s, br.Row(s))
		}
	}
	e, err := Exploitability(g, br, mu0, opt)
	if err != nil {
		t.Fatal(err)
	}
	if bound := 6.1 * math.Pow(0.9, 97); !(e >= 0 && e <= bound) {
		t.Errorf("E(best response) = %g, want in [0, %g]", e, bound)
	}
	// A worse policy is exploitable: always left.
	left := mfg.NewPolicy(7, 3)
	for s := 0; s < 7; s++ {
		left.Row(s)[0] = 1
	}
	if e, _ := Exploitability(g, left, mu0, opt); e < 10 {
		t.Errorf("E(always left) = %g, want at least 10 (it sits at x=0 and pays κ, the optimum earns about 6/step)", e)
	}
}

func TestPushForward(t *testing.T) {
	g := suiteGame(t, "skew-rps")
	// skew-rps moves surely to the chosen action: a one-hot policy on action 2 takes all the mass to
	// state 2 in one step, from any start.
	pi := mfg.NewPolicy(3, 3)
	for s := 0; s < 3; s++ {
		pi.Row(s)[2] = 1
	}
	mu, err := PushForward(g, pi, []float64{2, 1, 1}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if mu[0] != 0 || mu[1] != 0 || mu[2] != 1 {
		t.Errorf("Φ(μ) = %v, want [0 0 1]", mu)
	}
	if mu, _ := PushForward(g, pi, []float64{2, 1, 1}, 0); mu[0] != 0.5 || mu[1] != 0.25 {
		t.Errorf("0 steps: %v, want the start normalised", mu)
	}
}

func TestBadInput(t *testing.T) {
	g := suiteGame(t, "skew-rps")
	pi := mfg.UniformPolicy(3, 3)
	opt := DefaultOptions()
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"negative start", func() error { _, err := Exploitability(g, pi, []float64{0.5, -0.1, 0.6}, opt); return err }(), "mean field[1] = -0.1"},
		{"short start", func() error { _, err := Exploitability(g, pi, []float64{1}, opt); return err }(), "1 states, want 3"},
		{"policy size", func() error {
			_, err := Exploitability(g, mfg.UniformPolicy(2, 3), []float64{1, 1, 1}, opt)
			return err
		}(), "policy is 2×3"},
		{"horizon", func() error {
			o := opt
			o.Horizon = 0
			_, err := Exploitability(g, pi, []float64{1, 1, 1}, o)
			return err
		}(), "horizon = 0"},
		{"temperature", func() error { _, err := InitialPolicy(3, 3, 1, -1); return err }(), "temperature = -1"},
		{"omd rate", func() error { _, err := Train(OMD{LearningRate: 0, Temperature: 1}, g, 1, opt); return err }(), "learning-rate = 0"},
		{"pi damping", func() error {
			_, err := Train(PolicyIteration{Variant: PISmooth, Damping: 2}, g, 1, opt)
			return err
		}(), "damping = 2"},
		{"fp damping", func() error { _, err := Train(DampedFP{Schedule: Damped}, g, 1, opt); return err }(), "damping = 0"},
		{"unknown dir", func() error { _, err := LearnerFor("SGD", "x"); return err }(), `algorithm = "SGD"`},
		{"VEval policy", func() error { _, err := VEval(tinyChain(t), pi, 3); return err }(), "policy is 3×3, want the MDP's 3×2"},
		{"VOpt backups", func() error { _, _, err := VOpt(tinyChain(t), -1); return err }(), "backups = -1"},
		{"Greedy length", func() error { _, err := Greedy([]float64{1, 2, 3}, 2, 2); return err }(), "q has 3 entries"},
		{"Softmax temperature", func() error { _, err := Softmax([]float64{1, 2}, 1, 2, 0); return err }(), "temperature = 0"},
	}
	for _, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, c.err, c.want)
		}
	}
}

// TestInitialPolicyNumPy compares π0 with NumPy's (testdata/initial_policy.py, NumPy 1.24.2).
func TestInitialPolicyNumPy(t *testing.T) {
	data, err := os.ReadFile("testdata/initial_policy.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Temperature float64
		Cases       []struct {
			States, Actions int
			Seed            uint32
			Policy          []float64
		}
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	for _, c := range ref.Cases {
		pi, err := InitialPolicy(c.States, c.Actions, c.Seed, ref.Temperature)
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range c.Policy {
			// The logits are NumPy's bit for bit; exp may differ from NumPy's by an ulp or two.
			if got := pi.Prob[i]; math.Abs(got-want) > 1e-14*max(want, 1e-300)+1e-300 {
				t.Fatalf("%d×%d seed %d: π0[%d] = %.17g, NumPy %.17g", c.States, c.Actions, c.Seed, i, got, want)
			}
		}
	}
}
