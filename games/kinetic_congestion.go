package games

import (
	"fmt"
	"math"

	"meanfield/mfg"
)

// KineticCongestionParams are the parameters of Bench-MFG's kinetic congestion game, with the
// values of its shipped configuration (config/environment/kinetic_congestion.yaml).
type KineticCongestionParams struct {
	// Dimension is the side n of the n×n grid.
	Dimension int `yaml:"dimension" range:"1 ≤ dimension ≤ 1000, with target-state < dimension²" help:"side n of the n×n grid; cell (row, col) is state row·n + col, row 0 at the bottom"`
	// TargetState is the cell the agents want to be in.
	TargetState int `yaml:"target-state" range:"0 ≤ target-state ≤ dimension²-1" help:"target cell row·n + col; every step away from it costs 1"`
	// MovementCost is paid for every action but stay.
	MovementCost float64 `yaml:"movement-cost" range:"0 ≤ movement-cost ≤ 1e6" help:"cost ≥ 0 of every action but stay (a move into a wall included)"`
	// CapacityThreshold is θ: a move into a cell of mass μ succeeds with probability 1 - min(1, μ/θ).
	CapacityThreshold float64 `yaml:"capacity-threshold" range:"capacity-threshold > 0, finite" help:"capacity θ > 0: a move into a cell of mass μ succeeds with probability 1 - min(1, μ/θ)"`
	// Discount is γ.
	Discount float64 `yaml:"discount" range:"0 < discount < 1" help:"discount factor γ in (0, 1)"`
}

// DefaultKineticCongestionParams returns Bench-MFG's configuration: a 5×5 grid, target 24 (the
// top right corner), movement cost 0.1, θ = 0.18, γ = 0.9.
func DefaultKineticCongestionParams() KineticCongestionParams {
	return KineticCongestionParams{Dimension: 5, TargetState: 24, MovementCost: 0.1, CapacityThreshold: 0.18, Discount: 0.9}
}

// GameSize is n² cells × 5 actions, at most 2 successors a row.
func (p KineticCongestionParams) GameSize() Size {
	n := float64(p.Dimension)
	return Size{States: n * n, Actions: 5, Times: 1, Successors: 2, Params: []string{"dimension"}}
}

// Validate names the first parameter that is out of range.
func (p KineticCongestionParams) Validate() error {
	if p.Dimension < 1 || p.Dimension > 1000 {
		return fmt.Errorf("dimension = %d: must be between 1 and 1000", p.Dimension)
	}
	if p.TargetState < 0 || p.TargetState >= p.Dimension*p.Dimension {
		return fmt.Errorf("target-state = %d: must be a cell 0..%d of the %d×%d grid", p.TargetState, p.Dimension*p.Dimension-1, p.Dimension, p.Dimension)
	}
	if err := checkClosed("movement-cost", p.MovementCost, 0, 1e6); err != nil {
		return err
	}
	if !(p.CapacityThreshold > 0 && !math.IsInf(p.CapacityThreshold, 1)) {
		return fmt.Errorf("capacity-threshold = %v: must be positive and finite", p.CapacityThreshold)
	}
	return validateDiscount(p.Discount)
}

// KineticCongestion is Bench-MFG's kinetic congestion game (envs/kinetic_congestion): cells of an
// n×n grid, state row·n + col with row 0 at the bottom; actions up (row+1), right (col+1), down,
// left and stay, a move into a wall staying put. A move to a different cell y succeeds with
// probability 1 - φ, φ = min(1, μ(y)/θ) (1 once μ(y) ≥ θ), rounded to a multiple of 0.01 as
// Bench-MFG's 100 noise atoms do (thresholdProb); otherwise the agent stays. μ is the
// population's state marginal. The reward is -1[s ≠ target] - c·1[a ≠ stay]. The initial
// population is uniform.
type KineticCongestion struct {
	params KineticCongestionParams
}

// NewKineticCongestion validates p and returns the game.
func NewKineticCongestion(p KineticCongestionParams) (*KineticCongestion, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &KineticCongestion{params: p}, nil
}

func (g *KineticCongestion) Name() string      { return "kinetic-congestion" }
func (g *KineticCongestion) States() int       { return g.params.Dimension * g.params.Dimension }
func (g *KineticCongestion) Actions() int      { return 5 }
func (g *KineticCongestion) Discount() float64 { return g.params.Discount }

// StateLabel is the cell "(row, col)".
func (g *KineticCongestion) StateLabel(s int) string {
	return fmt.Sprintf("(%d, %d)", s/g.params.Dimension, s%g.params.Dimension)
}

// ActionLabel is "up", "right", "down", "left" or "stay".
func (g *KineticCongestion) ActionLabel(a int) string {
	return [5]string{"up", "right", "down", "left", "stay"}[a]
}

// InitialPopulation is uniform on cells × actions.
func (g *KineticCongestion) InitialPopulation() mfg.Population {
	return mfg.UniformPopulation(g.States(), 5)
}

// kineticTarget is the cell that action a aims at from s, s itself for stay or a wall.
func kineticTarget(n, s, a int) int {
	row, col := s/n, s%n
	switch a {
	case 0:
		row = min(row+1, n-1)
	case 1:
		col = min(col+1, n-1)
	case 2:
		row = max(row-1, 0)
	case 3:
		col = max(col-1, 0)
	}
	return row*n + col
}

// MDP returns the rewards and the congested moves at the population L.
func (g *KineticCongestion) MDP(L mfg.Population) (*mfg.MDP, error) {
	p := g.params
	S := g.States()
	mu, err := stateMarginalOf("kinetic-congestion", L, S, 5)
	if err != nil {
		return nil, err
	}
	b := mfg.NewMDPBuilder(S, 5, p.Discount)
	for s := 0; s < S; s++ {
		for a := 0; a < 5; a++ {
			r := 0.0
			if s != p.TargetState {
				r = -1
			}
			if a != 4 {
				r -= p.MovementCost
			}
			b.MDP.Reward[s*5+a] = r
			y := kineticTarget(p.Dimension, s, a)
			moved := 0.0
			if y != s {
				phi := 1.0
				if mu[y] < p.CapacityThreshold {
					phi = min(1, mu[y]/p.CapacityThreshold)
				}
				moved = thresholdProb(1 - phi)
			}
			if moved < 1 {
				b.Add(s, 1-moved)
			}
			if moved > 0 {
				b.Add(y, moved)
			}
			b.EndRow()
		}
	}
	return b.Build()
}

func init() {
	Register("kinetic-congestion", "grid walk to a target; a move into a crowded cell may fail (Bench-MFG)",
		"Bench-MFG src/benchmfg/envs/kinetic_congestion (lorenzomagnino/Bench-MFG 3ec7b28)", DefaultKineticCongestionParams, NewKineticCongestion)
}
