package games

import (
	"fmt"
	"sync"

	"meanfield/mfg"
)

// ContractionParams are the parameters of Bench-MFG's contraction game, with the values of its
// shipped configuration (config/environment/contraction_game.yaml).
type ContractionParams struct {
	// SwitchingCost is C, paid for the action Switch.
	SwitchingCost float64 `yaml:"switching-cost" range:"0 ≤ switching-cost ≤ 1e6" help:"cost C ≥ 0 of the action switch"`
	// CongestionCoefficient is α, the weight of the crowd term -α μ(s).
	CongestionCoefficient float64 `yaml:"congestion-coefficient" range:"0 ≤ congestion-coefficient ≤ 1e6" help:"weight α ≥ 0 of the crowd term -α μ(s)"`
	// Discount is γ.
	Discount float64 `yaml:"discount" range:"0 < discount < 1" help:"discount factor γ in (0, 1)"`
}

// DefaultContractionParams returns Bench-MFG's configuration: C = 2, α = 2, γ = 0.9.
func DefaultContractionParams() ContractionParams {
	return ContractionParams{SwitchingCost: 2, CongestionCoefficient: 2, Discount: 0.9}
}

// Validate names the first parameter that is out of range.
func (p ContractionParams) Validate() error {
	if err := checkClosed("switching-cost", p.SwitchingCost, 0, 1e6); err != nil {
		return err
	}
	if err := checkClosed("congestion-coefficient", p.CongestionCoefficient, 0, 1e6); err != nil {
		return err
	}
	return validateDiscount(p.Discount)
}

// checkClosed refuses x outside [lo, hi] (and NaN), naming the parameter.
func checkClosed(name string, x, lo, hi float64) error {
	if !(x >= lo && x <= hi) {
		return fmt.Errorf("%s = %v: must be between %v and %v", name, x, lo, hi)
	}
	return nil
}

// Contraction is Bench-MFG's contraction game (envs/contraction_game): two states 0 and 1, the
// actions stay and switch (to the other state), deterministic moves that do not depend on the
// population, and the reward r(s, a, μ) = -C·1[a = switch] - α μ(s), μ the population's state
// marginal. The initial population is uniform.
type Contraction struct {
	params ContractionParams
	fixed  fixedMoves
}

// NewContraction validates p and returns the game.
func NewContraction(p ContractionParams) (*Contraction, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &Contraction{params: p}, nil
}

func (g *Contraction) Name() string      { return "contraction" }
func (g *Contraction) States() int       { return 2 }
func (g *Contraction) Actions() int      { return 2 }
func (g *Contraction) Discount() float64 { return g.params.Discount }

// StateLabel is "state 0" or "state 1".
func (g *Contraction) StateLabel(s int) string { return fmt.Sprintf("state %d", s) }

// ActionLabel is "stay" (action 0) or "switch" (action 1).
func (g *Contraction) ActionLabel(a int) string { return [2]string{"stay", "switch"}[a] }

// InitialPopulation is uniform on states × actions.
func (g *Contraction) InitialPopulation() mfg.Population { return mfg.UniformPopulation(2, 2) }

// MDP returns the rewards and (sure) moves at the population L.
func (g *Contraction) MDP(L mfg.Population) (*mfg.MDP, error) {
	mu, err := stateMarginalOf("contraction", L, 2, 2)
	if err != nil {
		return nil, err
	}
	b := mfg.NewMDPBuilder(2, 2, g.params.Discount)
	for s := 0; s < 2; s++ {
		for a := 0; a < 2; a++ {
			b.MDP.Reward[s*2+a] = -g.params.SwitchingCost*float64(a) - g.params.CongestionCoefficient*mu[s]
			b.Add(s^a, 1)
			b.EndRow()
		}
	}
	return b.Build()
}

// stateMarginalOf checks that L is a states×actions population and returns its state
// marginal μ, the mean field of Bench-MFG's games.
func stateMarginalOf(game string, L mfg.Population, states, actions int) ([]float64, error) {
	if err := checkStatesActions(game, L, states, actions); err != nil {
		return nil, err
	}
	return L.StateMarginal(nil), nil
}

func init() {
	Register("contraction", "two states, stay or switch at a cost, avoid crowds (Bench-MFG)",
		"Bench-MFG src/benchmfg/envs/contraction_game (lorenzomagnino/Bench-MFG 3ec7b28)", DefaultContractionParams, NewContraction)
}

// fixedMoves gives the stationary games whose transitions do not depend on the population their
// mfg.FixedStationaryMoves: the MDP at the initial population, built once, on first use.
type fixedMoves struct {
	once  sync.Once
	moves *mfg.MDP
}

// of returns g's transitions (nil if g's MDP at its initial population fails, which the solvers
// then meet themselves).
func (f *fixedMoves) of(g mfg.ModelBased) *mfg.MDP {
	f.once.Do(func() {
		if m, err := g.MDP(g.InitialPopulation()); err == nil {
			f.moves = m
		}
	})
	return f.moves
}

// StationaryMoves: the switches do not depend on the population.
func (g *Contraction) StationaryMoves() *mfg.MDP { return g.fixed.of(g) }
