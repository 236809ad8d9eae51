package games

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"meanfield/mfg"
)

// Bench-MFG (lorenzomagnino/Bench-MFG at 3ec7b28) writes each of its stationary games as a
// deterministic next state s' = T(s, a, n, μ) for every noise atom n, drawn with probability
// noise[n], so P(s'|s, a, μ) = Σ_n noise[n]·1[T(s, a, n, μ) = s'], atoms that land on the same
// state adding up. noiseAtomMDP builds that MDP from reward(s, a) and next(s, a, n).
//
// Each row's atoms add up in a dense row indexed by state, in atom order, and the row's successors
// are emitted in increasing state order; only the states the atoms reach are visited and cleared,
// so a row costs O(atoms), not O(states) (benchmfg rebuilds these MDPs at every population step).
func noiseAtomMDP(states, actions int, discount float64, noise []float64, reward func(s, a int) float64, next func(s, a, n int) int) (*mfg.MDP, error) {
	b := mfg.NewMDPBuilder(states, actions, discount)
	b.Grow(states * actions * min(len(noise), states))
	row := make([]float64, states)
	touched := make([]int, 0, len(noise))
	for s := 0; s < states; s++ {
		for a := 0; a < actions; a++ {
			b.MDP.Reward[s*actions+a] = reward(s, a)
			touched = touched[:0]
			for n, p := range noise {
				sp := next(s, a, n)
				if !slices.Contains(touched, sp) {
					touched = append(touched, sp)
				}
				row[sp] += p
			}
			slices.Sort(touched)
			for _, sp := range touched {
				if p := row[sp]; p != 0 {
					b.Add(sp, p)
				}
				row[sp] = 0
			}
			b.EndRow()
		}
	}
	return b.Build()
}

// checkStatesActions checks that L is a valid states×actions population of the named game.
func checkStatesActions(name string, L mfg.Population, states, actions int) error {
	if L.States != states || L.Actions != actions {
		return fmt.Errorf("%s: population is %d×%d, want %d×%d", name, L.States, L.Actions, states, actions)
	}
	return L.Validate()
}

// Bench-MFG's 1-D chains (no-interaction, multiple equilibria): 7 positions 0..6, moves -1, 0, +1,
// and a noise ε ∈ {-1, 0, +1} with probabilities 0.025, 0.95, 0.025; s' = clip(s + move + ε, 0, 6).
const benchChainStates = 7

var benchChainNoise = []float64{0.025, 0.95, 0.025}

func benchChainNext(s, a, n int) int { return min(max(s+(a-1)+(n-1), 0), benchChainStates-1) }

func benchChainActionLabel(a int) string { return [...]string{"left", "stay", "right"}[a] }

func benchChainStateLabel(s int) string { return "x=" + strconv.Itoa(s) }

func validateFinite(name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("%s = %v: must be finite", name, v)
	}
	return nil
}

// NoInteractionParams are the parameters of Bench-MFG's no-interaction chain.
type NoInteractionParams struct {
	// MovementPenalty is κ, paid per step moved.
	MovementPenalty float64 `yaml:"movement-penalty" range:"finite" help:"cost κ of moving one position (Bench-MFG's movement_penalty)"`
	// Discount is γ.
	Discount float64 `yaml:"discount" range:"0 < discount < 1" help:"discount factor γ in (0, 1)"`
}

// DefaultNoInteractionParams returns Bench-MFG's shipped configuration: κ = 0.1, γ = 0.9.
func DefaultNoInteractionParams() NoInteractionParams {
	return NoInteractionParams{MovementPenalty: 0.1, Discount: 0.9}
}

// Validate names the first parameter that is out of range.
func (p NoInteractionParams) Validate() error {
	if err := validateFinite("movement-penalty", p.MovementPenalty); err != nil {
		return err
	}
	return validateDiscount(p.Discount)
}

// NoInteraction is Bench-MFG's no-interaction chain (envs/no_interaction, NoInteractionChain): a
// single-agent sanity game on the chain 0..6 with moves left, stay, right, noise ±1 with
// probability 0.025 each, clipped at the ends, and the reward r(s, a) = -κ·|move| + s, which does
// not depend on the population. Every optimal policy of the MDP is an equilibrium. The initial
// population is uniform over the 7 positions (Bench-MFG's μ0) and the 3 moves.
type NoInteraction struct {
	params NoInteractionParams
}

// NewNoInteraction validates p and returns the game.
func NewNoInteraction(p NoInteractionParams) (*NoInteraction, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &NoInteraction{params: p}, nil
}

func (g *NoInteraction) Name() string      { return "no-interaction" }
func (g *NoInteraction) States() int       { return benchChainStates }
func (g *NoInteraction) Actions() int      { return 3 }
func (g *NoInteraction) Discount() float64 { return g.params.Discount }

// StateLabel is the position "x=s".
func (g *NoInteraction) StateLabel(s int) string { return benchChainStateLabel(s) }

// ActionLabel is the move: left, stay, right.
func (g *NoInteraction) ActionLabel(a int) string { return benchChainActionLabel(a) }

// Move is the action's displacement, -1, 0 or +1, before the noise and the clipping.
func (g *NoInteraction) Move(a int) []float64 { return []float64{float64(a - 1)} }

// InitialPopulation is uniform on positions × moves.
func (g *NoInteraction) InitialPopulation() mfg.Population {
	return mfg.UniformPopulation(benchChainStates, 3)
}

// MDP returns r(s, a) = -κ·|move| + s and the noisy clipped moves; L is only checked.
func (g *NoInteraction) MDP(L mfg.Population) (*mfg.MDP, error) {
	if err := checkStatesActions(g.Name(), L, benchChainStates, 3); err != nil {
		return nil, err
	}
	kappa := g.params.MovementPenalty
	return noiseAtomMDP(benchChainStates, 3, g.params.Discount, benchChainNoise,
		func(s, a int) float64 { return -kappa*math.Abs(float64(a-1)) + float64(s) }, benchChainNext)
}

func init() {
	Register("no-interaction", "Bench-MFG's no-interaction chain: 7 positions, noisy moves, reward -κ|move| + position, no mean-field term (a sanity game)",
		"Bench-MFG src/benchmfg/envs/no_interaction (3ec7b28)", DefaultNoInteractionParams, NewNoInteraction)
}
