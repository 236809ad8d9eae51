package games

import (
	"fmt"
	"math"
	"slices"

	"meanfield/mfg"
)

// MultipleEquilibriaParams are the parameters of Bench-MFG's multiple-equilibria chain.
type MultipleEquilibriaParams struct {
	// MovementPenalty is c₁, paid per step moved.
	MovementPenalty float64 `yaml:"movement-penalty" range:"movement-penalty ≥ 0, finite" help:"cost c₁ of moving one position (Bench-MFG's movement_penalty)"`
	// Beta is c₂, the cost per unit of distance to the nearest target.
	Beta float64 `yaml:"beta" range:"beta ≥ 0, finite" help:"cost c₂ per unit of distance to the nearest target (Bench-MFG's beta)"`
	// Alpha is α, the reward per unit of the population's mass at one's own position.
	Alpha float64 `yaml:"alpha" range:"alpha ≥ 0, finite" help:"crowd attraction α: reward α·μ(s) for sharing position s (Bench-MFG's alpha)"`
	// Targets are the positions whose distance is penalised.
	Targets []int `yaml:"targets" range:"a non-empty list of positions 0..6" help:"target positions t; the cost is c₂·min_t |s - t|"`
	// Discount is γ.
	Discount float64 `yaml:"discount" range:"0 < discount < 1" help:"discount factor γ in (0, 1)"`
}

// DefaultMultipleEquilibriaParams returns Bench-MFG's shipped configuration: c₁ = 4, c₂ = 20,
// α = 5, targets 2 and 4, γ = 0.9.
func DefaultMultipleEquilibriaParams() MultipleEquilibriaParams {
	return MultipleEquilibriaParams{MovementPenalty: 4, Beta: 20, Alpha: 5, Targets: []int{2, 4}, Discount: 0.9}
}

// Validate names the first parameter that is out of range.
func (p MultipleEquilibriaParams) Validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"movement-penalty", p.MovementPenalty}, {"beta", p.Beta}, {"alpha", p.Alpha}} {
		if !(f.v >= 0) || math.IsInf(f.v, 1) {
			return fmt.Errorf("%s = %v: must be ≥ 0 and finite (Bench-MFG refuses a negative one)", f.name, f.v)
		}
	}
	if len(p.Targets) == 0 {
		return fmt.Errorf("targets = []: must list at least one position 0..%d", benchChainStates-1)
	}
	for _, t := range p.Targets {
		if t < 0 || t >= benchChainStates {
			return fmt.Errorf("targets = %v: position %d is not in 0..%d", p.Targets, t, benchChainStates-1)
		}
	}
	return validateDiscount(p.Discount)
}

// MultipleEquilibria is Bench-MFG's multiple-equilibria game (envs/multiple_equilibria,
// MultipleEquilibria1DGame): the chain 0..6 of the no-interaction game (moves left, stay, right;
// noise ±1 with probability 0.025 each; clipped at the ends) with the reward
//
//	r(s, a, μ) = -c₁·|move| - c₂·min_t |s - t| + α·μ(s),
//
// where μ is the population's distribution over positions: agents are drawn to crowds, so a
// crowd at either target sustains itself. The initial population is uniform over the 7
// positions (Bench-MFG's μ0) and the 3 moves.
type MultipleEquilibria struct {
	params MultipleEquilibriaParams
	dist   []float64 // min_t |s - t|
	fixed  fixedMoves
}

// NewMultipleEquilibria validates p and returns the game.
func NewMultipleEquilibria(p MultipleEquilibriaParams) (*MultipleEquilibria, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p.Targets = slices.Clone(p.Targets)
	g := &MultipleEquilibria{params: p, dist: make([]float64, benchChainStates)}
	for s := range g.dist {
		g.dist[s] = math.Inf(1)
		for _, t := range p.Targets {
			g.dist[s] = math.Min(g.dist[s], math.Abs(float64(s-t)))
		}
	}
	return g, nil
}

func (g *MultipleEquilibria) Name() string      { return "multiple-equilibria" }
func (g *MultipleEquilibria) States() int       { return benchChainStates }
func (g *MultipleEquilibria) Actions() int      { return 3 }
func (g *MultipleEquilibria) Discount() float64 { return g.params.Discount }

// StateLabel is the position "x=s".
func (g *MultipleEquilibria) StateLabel(s int) string { return benchChainStateLabel(s) }

// ActionLabel is the move: left, stay, right.
func (g *MultipleEquilibria) ActionLabel(a int) string { return benchChainActionLabel(a) }

// Move is the action's displacement, -1, 0 or +1, before the noise and the clipping.
func (g *MultipleEquilibria) Move(a int) []float64 { return []float64{float64(a - 1)} }

// InitialPopulation is uniform on positions × moves.
func (g *MultipleEquilibria) InitialPopulation() mfg.Population {
	return mfg.UniformPopulation(benchChainStates, 3)
}

// MDP returns r(s, a, μ) = -c₁·|move| - c₂·min_t |s - t| + α·μ(s) and the noisy clipped moves.
func (g *MultipleEquilibria) MDP(L mfg.Population) (*mfg.MDP, error) {
	if err := checkStatesActions(g.Name(), L, benchChainStates, 3); err != nil {
		return nil, err
	}
	mu := L.StateMarginal(nil)
	p := g.params
	return noiseAtomMDP(benchChainStates, 3, p.Discount, benchChainNoise, func(s, a int) float64 {
		return -p.MovementPenalty*math.Abs(float64(a-1)) - p.Beta*g.dist[s] + p.Alpha*mu[s]
	}, benchChainNext)
}

func init() {
	Register("multiple-equilibria", "Bench-MFG's multiple-equilibria chain: 7 positions, noisy moves, costs for moving and for distance to the nearest target, reward α·μ(s) for crowds",
		"Bench-MFG src/benchmfg/envs/multiple_equilibria (3ec7b28)", DefaultMultipleEquilibriaParams, NewMultipleEquilibria)
}

// StationaryMoves: the noisy moves do not depend on the population.
func (g *MultipleEquilibria) StationaryMoves() *mfg.MDP { return g.fixed.of(g) }
