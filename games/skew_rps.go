package games

import "meanfield/mfg"

// SkewRPSParams are the parameters of Bench-MFG's rock–paper–scissors.
type SkewRPSParams struct {
	// Discount is γ.
	Discount float64 `yaml:"discount" range:"0 < discount < 1" help:"discount factor γ in (0, 1)"`
}

// DefaultSkewRPSParams returns Bench-MFG's γ = 0.9.
func DefaultSkewRPSParams() SkewRPSParams { return SkewRPSParams{Discount: 0.9} }

// Validate names the first parameter that is out of range.
func (p SkewRPSParams) Validate() error { return validateDiscount(p.Discount) }

// SkewRPS is Bench-MFG's stationary rock–paper–scissors (envs/rock_paper_scissors,
// RockPaperScissors), not MFGLib's finite-horizon rock-paper-scissors game: the state is the
// agent's current sign (rock, paper, scissors), the action the sign it plays next (s' = a for
// sure), and the reward of holding s is (Kμ)(s) with the skew-symmetric K = [[0,-1,1],[1,0,-1],
// [-1,1,0]]: μ(the sign s beats) - μ(the sign that beats s), whatever the action. The uniform
// population is the equilibrium, and the initial population (Bench-MFG's μ0) is uniform.
type SkewRPS struct {
	params SkewRPSParams
	fixed  fixedMoves
}

// NewSkewRPS validates p and returns the game.
func NewSkewRPS(p SkewRPSParams) (*SkewRPS, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &SkewRPS{params: p}, nil
}

var skewRPSSigns = [...]string{"rock", "paper", "scissors"}

func (g *SkewRPS) Name() string      { return "skew-rps" }
func (g *SkewRPS) States() int       { return 3 }
func (g *SkewRPS) Actions() int      { return 3 }
func (g *SkewRPS) Discount() float64 { return g.params.Discount }

// StateLabel is the sign held: rock, paper, scissors.
func (g *SkewRPS) StateLabel(s int) string { return skewRPSSigns[s] }

// ActionLabel is the sign to hold next: "to rock", "to paper", "to scissors".
func (g *SkewRPS) ActionLabel(a int) string { return "to " + skewRPSSigns[a] }

// InitialPopulation is uniform on signs × choices.
func (g *SkewRPS) InitialPopulation() mfg.Population { return mfg.UniformPopulation(3, 3) }

// MDP returns r(s, a, μ) = μ(s-1 mod 3) - μ(s+1 mod 3) (paper beats rock, scissors paper, rock
// scissors) and the sure move to a.
func (g *SkewRPS) MDP(L mfg.Population) (*mfg.MDP, error) {
	if err := checkStatesActions(g.Name(), L, 3, 3); err != nil {
		return nil, err
	}
	mu := L.StateMarginal(nil)
	return noiseAtomMDP(3, 3, g.params.Discount, []float64{1},
		func(s, a int) float64 { return mu[(s+2)%3] - mu[(s+1)%3] },
		func(s, a, n int) int { return a })
}

func init() {
	Register("skew-rps", "Bench-MFG's stationary rock-paper-scissors: choose your next sign, earn μ(prey) - μ(predator) of the sign held (MFGLib's finite-horizon game is rock-paper-scissors)",
		"Bench-MFG src/benchmfg/envs/rock_paper_scissors (3ec7b28)", DefaultSkewRPSParams, NewSkewRPS)
}

// StationaryMoves: the chosen next states do not depend on the population.
func (g *SkewRPS) StationaryMoves() *mfg.MDP { return g.fixed.of(g) }
