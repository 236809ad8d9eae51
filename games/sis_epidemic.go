package games

import (
	"fmt"

	"meanfield/mfg"
)

// SISEpidemicParams are the parameters of Bench-MFG's SIS epidemic, with the values of its
// shipped configuration (config/environment/sis_epidemic.yaml).
type SISEpidemicParams struct {
	// Actions is the number A of activity levels x_a = a/(A-1) in [0, 1].
	Actions int `yaml:"actions" range:"1 ≤ actions ≤ 1000" help:"number A of activity levels a/(A-1), from 0 to 1 (A = 1: level 0 only)"`
	// InfectionRate is β: a susceptible agent at level x is infected with probability β x μ(I).
	InfectionRate float64 `yaml:"infection-rate" range:"0 ≤ infection-rate ≤ 1e6" help:"rate β ≥ 0: a susceptible agent at level x is infected with probability min(1, β x μ(infected))"`
	// RecoveryRate is ν, the probability that an infected agent recovers.
	RecoveryRate float64 `yaml:"recovery-rate" range:"0 ≤ recovery-rate ≤ 1" help:"probability ν that an infected agent recovers"`
	// InfectionCost is C, paid every step by an infected agent.
	InfectionCost float64 `yaml:"infection-cost" range:"0 ≤ infection-cost ≤ 1e6" help:"cost C ≥ 0 paid every step while infected"`
	// Discount is γ.
	Discount float64 `yaml:"discount" range:"0 < discount < 1" help:"discount factor γ in (0, 1)"`
}

// DefaultSISEpidemicParams returns Bench-MFG's configuration: A = 5, β = 0.8, ν = 0.1, C = 10,
// γ = 0.9.
func DefaultSISEpidemicParams() SISEpidemicParams {
	return SISEpidemicParams{Actions: 5, InfectionRate: 0.8, RecoveryRate: 0.1, InfectionCost: 10, Discount: 0.9}
}

// Validate names the first parameter that is out of range.
func (p SISEpidemicParams) Validate() error {
	if p.Actions < 1 || p.Actions > 1000 {
		return fmt.Errorf("actions = %d: must be between 1 and 1000", p.Actions)
	}
	if err := checkClosed("infection-rate", p.InfectionRate, 0, 1e6); err != nil {
		return err
	}
	if err := checkClosed("recovery-rate", p.RecoveryRate, 0, 1); err != nil {
		return err
	}
	if err := checkClosed("infection-cost", p.InfectionCost, 0, 1e6); err != nil {
		return err
	}
	return validateDiscount(p.Discount)
}

// noiseAtoms is the number of equiprobable noise atoms of Bench-MFG's threshold games.
const noiseAtoms = 100

// thresholdProb is the probability that Bench-MFG's games give an event of probability p: atom
// n = 0..99 rolls u = (n + 0.5)/100 and the event happens when u < p, so p is rounded to a
// multiple of 0.01 (0.125 to 0.12, 0.126 to 0.13).
func thresholdProb(p float64) float64 {
	k := 0
	for n := 0; n < noiseAtoms; n++ {
		if (float64(n)+0.5)/noiseAtoms < p {
			k++
		}
	}
	return float64(k) / noiseAtoms
}

// SISEpidemic is Bench-MFG's SIS epidemic (envs/sis_epidemic): states susceptible (0) and
// infected (1), actions the activity levels x_a = a/(A-1). A susceptible agent is infected with
// probability min(1, β x_a μ(I)), an infected one recovers with probability ν, both rounded to a
// multiple of 0.01 as Bench-MFG's 100 noise atoms do (see thresholdProb); μ is the population's
// state marginal. The reward is x_a - C·1[s = infected]. The initial population is uniform.
type SISEpidemic struct {
	params SISEpidemicParams
}

// NewSISEpidemic validates p and returns the game.
func NewSISEpidemic(p SISEpidemicParams) (*SISEpidemic, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &SISEpidemic{params: p}, nil
}

func (g *SISEpidemic) Name() string      { return "sis-epidemic" }
func (g *SISEpidemic) States() int       { return 2 }
func (g *SISEpidemic) Actions() int      { return g.params.Actions }
func (g *SISEpidemic) Discount() float64 { return g.params.Discount }

// StateLabel is "susceptible" or "infected".
func (g *SISEpidemic) StateLabel(s int) string { return [2]string{"susceptible", "infected"}[s] }

// ActionLabel is the activity level, "activity 0.25".
func (g *SISEpidemic) ActionLabel(a int) string { return fmt.Sprintf("activity %.4g", g.level(a)) }

// level is x_a = a/(A-1), or 0 when A = 1 (NumPy's linspace(0, 1, A)).
func (g *SISEpidemic) level(a int) float64 {
	if g.params.Actions == 1 {
		return 0
	}
	return float64(a) / float64(g.params.Actions-1)
}

// InitialPopulation is uniform on states × actions.
func (g *SISEpidemic) InitialPopulation() mfg.Population {
	return mfg.UniformPopulation(2, g.params.Actions)
}

// MDP returns the rewards and the infection and recovery probabilities at the population L.
func (g *SISEpidemic) MDP(L mfg.Population) (*mfg.MDP, error) {
	p := g.params
	mu, err := stateMarginalOf("sis-epidemic", L, 2, p.Actions)
	if err != nil {
		return nil, err
	}
	recovery := thresholdProb(p.RecoveryRate)
	b := mfg.NewMDPBuilder(2, p.Actions, p.Discount)
	for s := 0; s < 2; s++ {
		for a := 0; a < p.Actions; a++ {
			x := g.level(a)
			b.MDP.Reward[s*p.Actions+a] = x - p.InfectionCost*float64(s)
			q := recovery // probability of ending susceptible
			if s == 0 {
				q = 1 - thresholdProb(min(max(p.InfectionRate*x*mu[1], 0), 1))
			}
			if q > 0 {
				b.Add(0, q)
			}
			if q < 1 {
				b.Add(1, 1-q)
			}
			b.EndRow()
		}
	}
	return b.Build()
}

func init() {
	Register("sis-epidemic", "susceptible or infected; choose an activity level, paid for by the risk of infection (Bench-MFG)",
		"Bench-MFG src/benchmfg/envs/sis_epidemic (lorenzomagnino/Bench-MFG 3ec7b28)", DefaultSISEpidemicParams, NewSISEpidemic)
}
