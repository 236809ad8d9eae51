package games_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
)

// The congestion game's MDP is r(s,a,L) = -α(a) with a deterministic move to a; the sampler must
// return exactly the same reward and successor for every (s, a), whatever the random stream.
func TestCongestionMDPAndSamplerAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	for _, n := range []int{1, 2, 5, 9} {
		g, err := games.NewCongestion(games.CongestionParams{Locations: n, Discount: 0.7})
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range populationKinds {
			L := randomPopulation(rng, n, n, kind)
			m, err := g.MDP(L)
			if err != nil {
				t.Fatal(err)
			}
			if m.Discount != 0.7 || m.States != n || m.Actions != n {
				t.Fatalf("MDP is %d×%d with γ = %v", m.States, m.Actions, m.Discount)
			}
			sm, err := g.Sampler(L)
			if err != nil {
				t.Fatal(err)
			}
			// α computed here independently of ActionMarginal.
			alpha := make([]float64, n)
			for s := 0; s < n; s++ {
				for a := 0; a < n; a++ {
					alpha[a] += L.Mass[s*n+a]
				}
			}
			for s := 0; s < n; s++ {
				for a := 0; a < n; a++ {
					if got := m.Reward[s*n+a]; math.Abs(got+alpha[a]) > 1e-15 {
						t.Errorf("n=%d %s: r(%d,%d) = %v, want -α(a) = %v", n, kind, s, a, got, -alpha[a])
					}
					next, prob := m.Successors(s, a)
					if len(next) != 1 || next[0] != a || prob[0] != 1 {
						t.Errorf("n=%d: P(·|%d,%d) = %v on %v, want a sure move to %d", n, s, a, prob, next, a)
					}
					for k := 0; k < 3; k++ {
						r, sp := sm.Sample(s, a, rng)
						if r != m.Reward[s*n+a] || sp != a {
							t.Errorf("n=%d: Sample(%d,%d) = (%v, %d), MDP says (%v, %d)", n, s, a, r, sp, m.Reward[s*n+a], a)
						}
					}
				}
			}
		}
	}
}

func TestCongestionParamsValidation(t *testing.T) {
	cases := []struct {
		p     games.CongestionParams
		wants []string
	}{
		{games.CongestionParams{Locations: 0, Discount: 0.8}, []string{"locations", "0"}},
		{games.CongestionParams{Locations: -2, Discount: 0.8}, []string{"locations", "-2"}},
		{games.CongestionParams{Locations: 3, Discount: 0}, []string{"discount", "0"}},
		{games.CongestionParams{Locations: 3, Discount: 1}, []string{"discount", "1"}},
		{games.CongestionParams{Locations: 3, Discount: -0.1}, []string{"discount", "-0.1"}},
		{games.CongestionParams{Locations: 3, Discount: math.NaN()}, []string{"discount", "NaN"}},
	}
	for _, c := range cases {
		err := c.p.Validate()
		if err == nil {
			t.Errorf("Validate accepted %+v", c.p)
			continue
		}
		for _, w := range c.wants {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%+v: error %q does not mention %q", c.p, err, w)
			}
		}
		if _, err := games.NewCongestion(c.p); err == nil {
			t.Errorf("NewCongestion accepted %+v", c.p)
		}
	}
	if err := games.DefaultCongestionParams().Validate(); err != nil {
		t.Errorf("defaults rejected: %v", err)
	}
	g, err := games.NewCongestion(games.DefaultCongestionParams())
	if err != nil {
		t.Fatal(err)
	}
	for _, L := range []mfg.Population{mfg.UniformPopulation(4, 5), mfg.UniformPopulation(5, 4), mfg.NewPopulation(5, 5)} {
		if _, err := g.MDP(L); err == nil {
			t.Errorf("MDP accepted a %d×%d population of mass %v", L.States, L.Actions, sum(L.Mass))
		}
		if _, err := g.Sampler(L); err == nil {
			t.Errorf("Sampler accepted a %d×%d population of mass %v", L.States, L.Actions, sum(L.Mass))
		}
	}
}

func TestRegistry(t *testing.T) {
	names := games.Names()
	if !slices.IsSorted(names) || !slices.Contains(names, "auction") || !slices.Contains(names, "congestion") || !slices.Contains(names, "beach-bar") {
		t.Fatalf("Names() = %v", names)
	}
	for _, name := range []string{"auction", "congestion"} {
		info, ok := games.Lookup(name)
		if !ok || info.Name != name || info.Description == "" || info.Reference == "" {
			t.Errorf("Lookup(%q) = %+v, %v", name, info, ok)
		}
		g, err := games.New(name, map[string]any{"discount": 0.65})
		if err != nil {
			t.Fatalf("New(%q): %v", name, err)
		}
		st, ok := g.(mfg.Stationary)
		if !ok || g.Name() != name {
			t.Fatalf("New(%q) = %s, a %T", name, g.Name(), g)
		}
		if st.Discount() != 0.65 {
			t.Errorf("New(%q).Discount() = %v, want the given 0.65", name, st.Discount())
		}
		if err := st.InitialPopulation().Validate(); err != nil {
			t.Errorf("%s: initial population: %v", name, err)
		}
		if _, ok := g.(mfg.ModelBased); !ok {
			t.Errorf("%s is not model-based", name)
		}
		if _, ok := g.(mfg.ModelFree); !ok {
			t.Errorf("%s is not model-free", name)
		}
	}
	for _, bad := range []string{"no-such-game", "", "Auction"} {
		_, err := games.New(bad, nil)
		if err == nil {
			t.Errorf("New(%q) succeeded", bad)
			continue
		}
		if !strings.Contains(err.Error(), `"`+bad+`"`) {
			t.Errorf("New(%q): error %q does not name the game", bad, err)
		}
		if _, ok := games.Lookup(bad); ok {
			t.Errorf("Lookup(%q) found something", bad)
		}
	}
	if _, err := games.New("congestion", map[string]any{"states": 4}); err == nil || !strings.Contains(err.Error(), `"states" is unknown`) {
		t.Errorf("congestion with the auction's parameter states: %v", err)
	}
}
