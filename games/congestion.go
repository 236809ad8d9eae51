package games

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"meanfield/mfg"
)

// CongestionParams are the parameters of the crowd-aversion game.
type CongestionParams struct {
	// Locations is the number of places n; states and actions are both the places.
	Locations int `yaml:"locations" range:"1 ≤ locations ≤ 1000" help:"number of places n (1..1000): both the states and the actions"`
	// Discount is γ.
	Discount float64 `yaml:"discount" range:"0 < discount < 1" help:"discount factor γ in (0, 1)"`
}

// DefaultCongestionParams returns n = 5, γ = 0.8.
func DefaultCongestionParams() CongestionParams { return CongestionParams{Locations: 5, Discount: 0.8} }

// GameSize is n places × n choices, each a sure move.
func (p CongestionParams) GameSize() Size {
	n := float64(p.Locations)
	return Size{States: n, Actions: n, Times: 1, Successors: 1, Params: []string{"locations"}}
}

// Validate names the first parameter that is out of range.
func (p CongestionParams) Validate() error {
	if p.Locations < 1 || p.Locations > 1000 {
		return fmt.Errorf("locations = %d: must be between 1 and 1000", p.Locations)
	}
	return validateDiscount(p.Discount)
}

// Congestion is a crowd-aversion game with a closed-form equilibrium. Each round an agent at
// place s chooses the place a to go to; it moves there for sure and pays the fraction of the
// population that chose the same place: r(s, a, L) = -α(a).
//
// Every policy whose population spreads evenly (α uniform) is an equilibrium, for instance the
// uniform policy. For a policy that does not depend on the state, π(·|s) = p, the population it
// sustains has α = p, and its exploitability is (Σ_a p_a² - min_a p_a) / (1-γ): the agent pays
// Σ p_a² per round instead of the least crowded min p_a.
type Congestion struct {
	params CongestionParams
}

// NewCongestion validates p and returns the game.
func NewCongestion(p CongestionParams) (*Congestion, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &Congestion{params: p}, nil
}

func (g *Congestion) Name() string      { return "congestion" }
func (g *Congestion) States() int       { return g.params.Locations }
func (g *Congestion) Actions() int      { return g.params.Locations }
func (g *Congestion) Discount() float64 { return g.params.Discount }

// StateLabel is "place s", where the agent is.
func (g *Congestion) StateLabel(s int) string { return "place " + strconv.Itoa(s) }

// ActionLabel is "to place a", the place the agent chooses and moves to.
func (g *Congestion) ActionLabel(a int) string { return "to place " + strconv.Itoa(a) }

// InitialPopulation is uniform on places × choices.
func (g *Congestion) InitialPopulation() mfg.Population {
	return mfg.UniformPopulation(g.params.Locations, g.params.Locations)
}

func (g *Congestion) check(L mfg.Population) error {
	n := g.params.Locations
	if L.States != n || L.Actions != n {
		return fmt.Errorf("congestion: population is %d×%d, want %d×%d", L.States, L.Actions, n, n)
	}
	return L.Validate()
}

// MDP returns r(s, a, L) = -α(a) and the deterministic move to a.
func (g *Congestion) MDP(L mfg.Population) (*mfg.MDP, error) {
	if err := g.check(L); err != nil {
		return nil, err
	}
	n := g.params.Locations
	alpha := L.ActionMarginal(nil)
	b := mfg.NewMDPBuilder(n, n, g.params.Discount)
	for s := 0; s < n; s++ {
		for a := 0; a < n; a++ {
			b.MDP.Reward[s*n+a] = -alpha[a]
			b.Add(a, 1)
			b.EndRow()
		}
	}
	return b.Build()
}

// Sampler returns the (deterministic) simulator of one round at L.
func (g *Congestion) Sampler(L mfg.Population) (mfg.Sampler, error) {
	if err := g.check(L); err != nil {
		return nil, err
	}
	return congestionSampler(L.ActionMarginal(nil)), nil
}

type congestionSampler []float64

func (alpha congestionSampler) Sample(s, a int, _ *rand.Rand) (float64, int) { return -alpha[a], a }

func init() {
	Register("congestion", "crowd aversion: pick a place, pay the share of the population that picked it; closed-form equilibrium",
		"this project (a test game)", DefaultCongestionParams, NewCongestion)
}
