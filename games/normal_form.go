package games

import (
	"fmt"
	"strconv"

	"meanfield/mfg"
)

// NormalFormParams are the parameters of OpenSpiel's mean-field normal-form game (mean_field_nfg).
type NormalFormParams struct {
	// NumActions is OpenSpiel's num_actions. Its reward functions read the masses of actions 0, 1
	// and 2 and raise on any other action, so only 3 can be evaluated; the parameter is kept so
	// that a configuration written for OpenSpiel says why another value fails.
	NumActions     int    `yaml:"num-actions" range:"3 ≤ num-actions ≤ 3" help:"number of actions (OpenSpiel's rewards exist for 3 only)"`
	RewardFunction string `yaml:"reward-function" range:"coop, dom or biased_indirect_rps" help:"the reward f(a, ν): coop, dom or biased_indirect_rps"`
}

// DefaultNormalFormParams are OpenSpiel's defaults: 3 actions, the coop reward.
func DefaultNormalFormParams() NormalFormParams {
	return NormalFormParams{NumActions: 3, RewardFunction: "coop"}
}

// Validate names the first parameter out of range.
func (p NormalFormParams) Validate() error {
	if p.NumActions != 3 {
		return fmt.Errorf("num-actions = %d: must be 3 (OpenSpiel's reward functions are defined for actions 0, 1, 2 only)", p.NumActions)
	}
	if _, ok := normalFormRewards[p.RewardFunction]; !ok {
		return fmt.Errorf("reward-function = %q: must be coop, dom or biased_indirect_rps", p.RewardFunction)
	}
	return nil
}

// normalFormRewards are OpenSpiel's reward functions f(a, ν), ν the masses of the actions,
// written term for term in Python's order of evaluation.
var normalFormRewards = map[string]func(a int, nu []float64) float64{
	"coop": func(a int, nu []float64) float64 {
		na, nb, nc := nu[0], nu[1], nu[2]
		switch a {
		case 0:
			return 10*na - 200.0/9*(na-nc)*nc - 20*nb
		case 1:
			return 20*(na-nb) - 2380*nc
		}
		return 2000.0 / 9 * (na - nc) * nc
	},
	"dom": func(a int, nu []float64) float64 {
		switch a {
		case 0:
			return nu[0] + nu[2]
		case 1:
			return nu[1]
		}
		return nu[0] + nu[2] - 0.25
	},
	"biased_indirect_rps": func(a int, nu []float64) float64 {
		na, nb, nc := 0.7*nu[0], 0.5*nu[1], 0.3*nu[2]
		switch a {
		case 0:
			return nb - nc
		case 1:
			return nc - na
		}
		return na - nb
	},
}

// NormalForm is OpenSpiel's mean-field normal-form game (mean_field_nfg, a static MFG): one
// decision, no state, no noise. Each agent picks an action a ∈ {0, 1, 2}; with ν the population's
// distribution of actions, it receives f(a, ν):
//
//	coop:  f(0) = 10ν₀ - (200/9)(ν₀ - ν₂)ν₂ - 20ν₁,  f(1) = 20(ν₀ - ν₁) - 2380ν₂,  f(2) = (2000/9)(ν₀ - ν₂)ν₂
//	dom:   f(0) = ν₀ + ν₂,  f(1) = ν₁,  f(2) = ν₀ + ν₂ - 1/4  (action 2 is dominated by 0)
//	biased_indirect_rps, with u = 0.7ν₀, v = 0.5ν₁, w = 0.3ν₂:  f(0) = v - w,  f(1) = w - u,  f(2) = u - v.
//
// OpenSpiel pays f at the terminal node, after the mean-field node that records ν; as a
// finite-horizon game it is T = 0, one state, and r(0, a) = f(a, ν) with ν(a) = L_0(0, a). No
// caching quirk: the terminal string "a_final" names the action.
type NormalForm struct {
	p     NormalFormParams
	f     func(a int, nu []float64) float64
	moves *mfg.MDP
}

// NewNormalForm validates p and returns the game.
func NewNormalForm(p NormalFormParams) (*NormalForm, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	b := mfg.NewMDPBuilder(1, p.NumActions, 0)
	for a := 0; a < p.NumActions; a++ {
		b.Add(0, 1) // never read (T = 0); the stage still has rows
		b.EndRow()
	}
	m, err := b.BuildStage()
	if err != nil {
		return nil, err
	}
	return &NormalForm{p: p, f: normalFormRewards[p.RewardFunction], moves: m}, nil
}

// Reward is f(a, ν) for the distribution ν of the actions.
func (g *NormalForm) Reward(a int, nu []float64) float64 { return g.f(a, nu) }

func (g *NormalForm) Name() string             { return "normal-form" }
func (g *NormalForm) Horizon() int             { return 0 }
func (g *NormalForm) StateShape() []int        { return []int{1} }
func (g *NormalForm) ActionShape() []int       { return []int{g.p.NumActions} }
func (g *NormalForm) States() int              { return 1 }
func (g *NormalForm) Actions() int             { return g.p.NumActions }
func (g *NormalForm) InitialStates() []float64 { return []float64{1} }
func (g *NormalForm) StateLabel(s int) string  { return "initial" }
func (g *NormalForm) ActionLabel(a int) string { return strconv.Itoa(a) }
func (g *NormalForm) Moves(t int) *mfg.MDP     { return g.moves }
func (g *NormalForm) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	st := *g.moves
	st.Reward = make([]float64, g.p.NumActions)
	for a := range st.Reward {
		st.Reward[a] = g.f(a, L.Mass)
	}
	return &st, nil
}

func init() {
	Register("normal-form", "a one-shot game whose rewards depend on the distribution of actions (OpenSpiel)",
		"OpenSpiel mean_field_nfg (python/mfg/games/normal_form_game.py)", DefaultNormalFormParams,
		func(p NormalFormParams) (mfg.Finite, error) { return NewNormalForm(p) })
}
