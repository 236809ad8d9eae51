package gamefile_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"meanfield/gamefile"
	"meanfield/mfg"
)

// simulated is a two-state stationary game with a simulator: a round is "crowd" with weight
// μ(1) (the crowded state's mass) and "calm" with weight μ(0); an agent playing a = 1 moves to the
// other state, and earns -1 in a crowd, else 0. OUTCOMES and SETTLE are replaced to break it.
const simulated = `def reward(p, t, s, a, mf):
    return -mf.mu[1]
def transition(p, t, s, a, mf):
    return {(s + a) % 2: 1.0}
def outcomes(p, mf):
    return OUTCOMES
def settle(p, s, a, outcome):
    return SETTLE
game = stationary(discount = 0.5, states = 2, actions = 2, reward = reward, transition = transition,
                  outcomes = outcomes, settle = settle)
`

func simulatedSource(outcomes, settle string) string {
	if outcomes == "" {
		outcomes = `[(mf.mu[0], "calm"), (mf.mu[1], "crowd")]`
	}
	if settle == "" {
		settle = `(-1.0 if outcome == "crowd" else 0.0), (s + a) % 2`
	}
	return strings.Replace(strings.Replace(simulated, "OUTCOMES", outcomes, 1), "SETTLE", settle, 1)
}

// TestSamplerDrawsTheOutcomes draws from the file's simulator at a population with μ(1) = 0.3
// and checks the frequency of the crowd's reward against 0.3 (within 5 standard errors), the
// next state against settle, and that equal streams give equal draws.
func TestSamplerDrawsTheOutcomes(t *testing.T) {
	g, err := gamefile.LoadSource("g.star", []byte(simulatedSource("", "")), nil)
	if err != nil {
		t.Fatal(err)
	}
	mf, ok := g.(mfg.ModelFree)
	if !ok {
		t.Fatalf("%T is not an mfg.ModelFree", g)
	}
	L := mfg.Population{States: 2, Actions: 2, Mass: []float64{0.35, 0.35, 0.1, 0.2}}
	sm, err := mf.Sampler(L)
	if err != nil {
		t.Fatal(err)
	}
	const n = 20000
	rng := rand.New(rand.NewPCG(1, 2))
	crowd := 0
	for i := 0; i < n; i++ {
		r, next := sm.Sample(1, 1, rng)
		if next != 0 {
			t.Fatalf("Sample(1, 1) moved to %d, settle says 0", next)
		}
		if r == -1 {
			crowd++
		}
	}
	if se := math.Sqrt(0.3 * 0.7 / n); math.Abs(float64(crowd)/n-0.3) > 5*se {
		t.Errorf("crowd drawn with frequency %v, want 0.3 (5 standard errors %v)", float64(crowd)/n, 5*se)
	}
	if _, err := mf.Sampler(mfg.UniformPopulation(2, 2)); err != nil { // another population, then L again
		t.Fatal(err)
	}
	again, err := mf.Sampler(L)
	if err != nil {
		t.Fatal(err)
	}
	a, b := rand.New(rand.NewPCG(3, 4)), rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 100; i++ {
		r1, n1 := sm.Sample(i%2, i/2%2, a)
		r2, n2 := again.Sample(i%2, i/2%2, b)
		if r1 != r2 || n1 != n2 {
			t.Fatalf("draw %d: (%v, %d) then (%v, %d) from equal streams", i, r1, n1, r2, n2)
		}
	}
}

// TestSamplerErrors breaks the simulator in each way the loader checks.
func TestSamplerErrors(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"not a list", simulatedSource("7", ""), "g.star:5:1: in outcomes(p, mf): returned 7 (a int): want a list of pairs (weight, outcome)"},
		{"not a pair", simulatedSource(`[(1.0, "a", 2)]`, ""), "g.star:5:1: in outcomes(p, mf): entry 0 is a tuple of 3 entries: want a pair (weight, outcome)"},
		{"negative", simulatedSource(`[(-0.5, "a"), (1.5, "b")]`, ""), "g.star:5:1: in outcomes(p, mf): entry 0: the weight is -0.5: must be non-negative and finite"},
		{"weight type", simulatedSource(`[("w", "a")]`, ""), "in outcomes(p, mf): entry 0: the weight is \"w\" (a string): want a number"},
		{"no weight", simulatedSource(`[(0, "a")]`, ""), "g.star:5:1: in outcomes(p, mf): no outcome has a positive weight"},
		{"unhashable", simulatedSource(`[(1.0, [1, 2])]`, ""), "in outcomes(p, mf): the outcome [1, 2]: unhashable type: list"},
		{"next", simulatedSource("", `0.0, s + a`), "g.star:7:1: in settle(s=1, a=1, outcome=\"calm\"): the next state is 2 (a int): want a state index in [0, 2)"},
		{"reward", simulatedSource("", `float("nan"), s`), "g.star:7:1: in settle(s=0, a=0, outcome=\"calm\"): the reward is nan (a float): want a finite number"},
		{"settle value", simulatedSource("", `s`), "g.star:7:1: in settle(s=0, a=0, outcome=\"calm\"): returned 0 (a int): want a pair (reward, next state)"},
		{"settle fails", simulatedSource("", `1 // (s - s)`), "g.star:8:14: in settle(s=0, a=0, outcome=\"calm\"): floored division by zero"},
		{"alone", strings.Replace(simulatedSource("", ""), ", settle = settle", "", 1), "g.star:9:18: stationary(...): give both outcomes and settle (a simulator), or neither"},
		{"finite", strings.Replace(simulatedSource("", ""), "stationary(discount = 0.5,", "finite(horizon = 1,", 1), "outcomes and settle (a simulator) are for stationary games"},
	}
	for _, c := range cases {
		err := sample(c.src)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v\nwant it to contain %q", c.name, err, c.want)
		}
		var fe *gamefile.Error
		if err != nil && !errors.As(err, &fe) {
			t.Errorf("%s: %T, want *gamefile.Error", c.name, err)
		}
	}
}

// sample loads src and builds its sampler at the uniform population.
func sample(src string) error {
	g, err := gamefile.LoadSource("g.star", []byte(src), nil)
	if err != nil {
		return err
	}
	mf, ok := g.(mfg.ModelFree)
	if !ok {
		return errors.New("no simulator")
	}
	_, err = mf.Sampler(mfg.UniformPopulation(2, 2))
	return err
}

// An outcome computed from the mean field is settled at its value at each population: the cache
// of settle's values is keyed by the outcome, not by the population.
func TestSamplerOutcomesOfThePopulation(t *testing.T) {
	src := simulatedSource(`[(1.0, mf.mu[0])]`, `outcome, s`)
	g, err := gamefile.LoadSource("g.star", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for _, mu0 := range []float64{0.3, 0.5, 0.3, 0.9} {
		L := mfg.Population{States: 2, Actions: 2, Mass: []float64{mu0 / 2, mu0 / 2, (1 - mu0) / 2, (1 - mu0) / 2}}
		sm, err := g.(mfg.ModelFree).Sampler(L)
		if err != nil {
			t.Fatal(err)
		}
		if r, next := sm.Sample(1, 0, rng); r != mu0 || next != 1 {
			t.Errorf("μ(0) = %v: Sample(1, 0) = (%v, %d), want (%v, 1)", mu0, r, next, mu0)
		}
	}
}
