package games

import (
	"fmt"
	"strconv"

	"meanfield/mfg"
)

// LasryLionsChainParams are the parameters of Bench-MFG's Lasry–Lions chain, with the values of
// its shipped configuration (config/environment/lasry_lions_chain.yaml).
type LasryLionsChainParams struct {
	// States is the length S of the chain 0..S-1.
	States int `yaml:"states" range:"1 ≤ states ≤ 100000" help:"number of positions S on the chain 0..S-1"`
	// CrowdPenalty is α, the weight of the crowd term -α μ(s).
	CrowdPenalty float64 `yaml:"crowd-penalty" range:"0 ≤ crowd-penalty ≤ 1e6" help:"weight α ≥ 0 of the crowd term -α μ(s)"`
	// MovementPenalty is κ, paid for a move left or right.
	MovementPenalty float64 `yaml:"movement-penalty" range:"0 ≤ movement-penalty ≤ 1e6" help:"cost κ ≥ 0 of a move left or right"`
	// CenterAttraction is c, the weight of -c (s - (S-1)/2)².
	CenterAttraction float64 `yaml:"center-attraction" range:"0 ≤ center-attraction ≤ 1e6" help:"weight c ≥ 0 of the term -c (s - (S-1)/2)²"`
	// NoiseProb is the probability of each of the noise steps -1 and +1 (0 for no noise).
	NoiseProb float64 `yaml:"noise-prob" range:"0 ≤ noise-prob ≤ 0.5" help:"probability of each noise step -1 and +1, added to the move (0: no noise)"`
	// Discount is γ.
	Discount float64 `yaml:"discount" range:"0 < discount < 1" help:"discount factor γ in (0, 1)"`
}

// DefaultLasryLionsChainParams returns Bench-MFG's configuration: S = 7, α = 40, κ = 2, c = 3,
// noise probabilities (0.025, 0.95, 0.025), γ = 0.9.
func DefaultLasryLionsChainParams() LasryLionsChainParams {
	return LasryLionsChainParams{States: 7, CrowdPenalty: 40, MovementPenalty: 2, CenterAttraction: 3, NoiseProb: 0.025, Discount: 0.9}
}

// GameSize is S positions × 3 moves, at most 3 successors a row.
func (p LasryLionsChainParams) GameSize() Size {
	return Size{States: float64(p.States), Actions: 3, Times: 1, Successors: 3, Params: []string{"states"}}
}

// Validate names the first parameter that is out of range.
func (p LasryLionsChainParams) Validate() error {
	if p.States < 1 || p.States > 100000 {
		return fmt.Errorf("states = %d: must be between 1 and 100000", p.States)
	}
	for _, c := range []struct {
		name   string
		x, max float64
	}{{"crowd-penalty", p.CrowdPenalty, 1e6}, {"movement-penalty", p.MovementPenalty, 1e6},
		{"center-attraction", p.CenterAttraction, 1e6}, {"noise-prob", p.NoiseProb, 0.5}} {
		if err := checkClosed(c.name, c.x, 0, c.max); err != nil {
			return err
		}
	}
	return validateDiscount(p.Discount)
}

// LasryLionsChain is Bench-MFG's Lasry–Lions chain (envs/lasry_lions_chain): positions 0..S-1,
// actions move -1, 0, +1; the next position is clip(s + move + ε, 0, S-1) with a noise ε of -1,
// 0, +1 with probabilities (p, 1-2p, p), whatever the population. The reward is
// r(s, a, μ) = -κ |move| - c (s - (S-1)/2)² - α μ(s), μ the population's state marginal. The
// initial population is uniform.
type LasryLionsChain struct {
	params LasryLionsChainParams
	fixed  fixedMoves
}

// NewLasryLionsChain validates p and returns the game.
func NewLasryLionsChain(p LasryLionsChainParams) (*LasryLionsChain, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &LasryLionsChain{params: p}, nil
}

func (g *LasryLionsChain) Name() string      { return "lasry-lions-chain" }
func (g *LasryLionsChain) States() int       { return g.params.States }
func (g *LasryLionsChain) Actions() int      { return 3 }
func (g *LasryLionsChain) Discount() float64 { return g.params.Discount }

// StateLabel is the position s.
func (g *LasryLionsChain) StateLabel(s int) string { return strconv.Itoa(s) }

// ActionLabel is "left" (move -1), "stay" or "right" (move +1).
func (g *LasryLionsChain) ActionLabel(a int) string { return [3]string{"left", "stay", "right"}[a] }

// InitialPopulation is uniform on positions × moves.
func (g *LasryLionsChain) InitialPopulation() mfg.Population {
	return mfg.UniformPopulation(g.params.States, 3)
}

// MDP returns the rewards and the noisy, clipped moves at the population L.
func (g *LasryLionsChain) MDP(L mfg.Population) (*mfg.MDP, error) {
	p := g.params
	mu, err := stateMarginalOf("lasry-lions-chain", L, p.States, 3)
	if err != nil {
		return nil, err
	}
	center := float64(p.States-1) / 2
	noise := [3]float64{p.NoiseProb, 1 - 2*p.NoiseProb, p.NoiseProb}
	b := mfg.NewMDPBuilder(p.States, 3, p.Discount)
	for s := 0; s < p.States; s++ {
		d := float64(s) - center
		for a := 0; a < 3; a++ {
			move := a - 1
			b.MDP.Reward[s*3+a] = -p.MovementPenalty*float64(move*move) - p.CenterAttraction*d*d - p.CrowdPenalty*mu[s]
			// Clipped moves that land on the same position add up (Add merges them).
			for e := 0; e < 3; e++ {
				if noise[e] > 0 {
					b.Add(min(max(s+move+e-1, 0), p.States-1), noise[e])
				}
			}
			b.EndRow()
		}
	}
	return b.Build()
}

func init() {
	Register("lasry-lions-chain", "noisy moves on a chain, pulled to the centre, avoid crowds (Bench-MFG)",
		"Bench-MFG src/benchmfg/envs/lasry_lions_chain (lorenzomagnino/Bench-MFG 3ec7b28)", DefaultLasryLionsChainParams, NewLasryLionsChain)
}

// StationaryMoves: the noisy moves do not depend on the population.
func (g *LasryLionsChain) StationaryMoves() *mfg.MDP { return g.fixed.of(g) }
