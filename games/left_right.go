package games

import (
	"fmt"

	"meanfield/mfg"
)

// LeftRightParams are the parameters of the left-right game.
type LeftRightParams struct {
	// Mu0 is the initial distribution over (center, left, right).
	Mu0 []float64 `yaml:"mu0" range:"3 probabilities summing to 1" help:"initial distribution μ0 over (center, left, right)"`
}

// DefaultLeftRightParams is MFGLib's default: everyone starts in the center.
func DefaultLeftRightParams() LeftRightParams { return LeftRightParams{Mu0: []float64{1, 0, 0}} }

// Validate checks that mu0 is a distribution over the 3 states.
func (p LeftRightParams) Validate() error {
	if len(p.Mu0) != 3 {
		return fmt.Errorf("mu0 = %v: must have 3 entries (center, left, right)", p.Mu0)
	}
	return mfg.CheckDistribution(fmt.Sprintf("mu0 = %v", p.Mu0), p.Mu0)
}

// LeftRight is MFGLib's left-right game (Cui and Koeppl 2021): horizon T = 1, states
// (center, left, right), actions (left, right). From any state, action a moves to state 1+a. An
// agent in the left state pays the share of the population there, μ_t(left); in the right state
// twice the share there, 2 μ_t(right); nothing in the center.
type LeftRight struct {
	p     LeftRightParams
	moves *mfg.MDP
}

// NewLeftRight validates p and returns the game.
func NewLeftRight(p LeftRightParams) (*LeftRight, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	b := mfg.NewMDPBuilder(3, 2, 0)
	for s := 0; s < 3; s++ {
		for a := 0; a < 2; a++ {
			b.Add(1+a, 1)
			b.EndRow()
		}
	}
	m, err := b.BuildStage()
	if err != nil {
		return nil, err
	}
	return &LeftRight{p: p, moves: m}, nil
}

func (g *LeftRight) Name() string             { return "left-right" }
func (g *LeftRight) Horizon() int             { return 1 }
func (g *LeftRight) StateShape() []int        { return []int{3} }
func (g *LeftRight) ActionShape() []int       { return []int{2} }
func (g *LeftRight) States() int              { return mfg.Size(g.StateShape()) }
func (g *LeftRight) Actions() int             { return mfg.Size(g.ActionShape()) }
func (g *LeftRight) InitialStates() []float64 { return append([]float64(nil), g.p.Mu0...) }

// StateLabel is "center", "left" or "right".
func (g *LeftRight) StateLabel(s int) string { return [3]string{"center", "left", "right"}[s] }

// ActionLabel is "left" or "right", the side the action moves to.
func (g *LeftRight) ActionLabel(a int) string { return [2]string{"left", "right"}[a] }

// Moves returns the moves, the same at every time and population (mfg.FixedMoves).
func (g *LeftRight) Moves(t int) *mfg.MDP { return g.moves }

// Stage returns the rewards at L_t and the (fixed) moves.
func (g *LeftRight) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	st := &struct { // one allocation for the stage and its rewards
		m mfg.MDP
		r [6]float64
	}{}
	st.m.Reward = st.r[:]
	return &st.m, g.WriteStage(t, L, &st.m)
}

// WriteStage writes the rewards at L_t into dst.Reward and gives dst the (fixed) moves
// (mfg.StageWriter).
func (g *LeftRight) WriteStage(t int, L mfg.Population, dst *mfg.MDP) error {
	mu1, mu2 := rowMass(L.Mass, L.Actions, 1), rowMass(L.Mass, L.Actions, 2)
	setMoves(dst, g.moves)
	r := (*[6]float64)(dst.Reward)
	r[0], r[1], r[2], r[3], r[4], r[5] = 0, 0, -mu1, -mu1, -2*mu2, -2*mu2
	return nil
}

func init() {
	Register("left-right", "choose left or right; pay the share who chose the same side, twice on the right",
		"Cui and Koeppl 2021; MFGLib 0.3.0 left_right", DefaultLeftRightParams,
		func(p LeftRightParams) (mfg.Finite, error) { return NewLeftRight(p) })
}
