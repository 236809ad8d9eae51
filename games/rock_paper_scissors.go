package games

import (
	"fmt"

	"meanfield/mfg"
)

// RockPaperScissorsParams are the parameters of the rock-paper-scissors game (MFGLib's names and
// defaults).
type RockPaperScissorsParams struct {
	T int `yaml:"T" range:"0 ≤ T ≤ 1000000" help:"last time step T ≥ 0: T+1 time steps t = 0..T"`
	// Mu0 is the initial distribution over (start, rock, paper, scissors).
	Mu0 []float64 `yaml:"mu0" range:"4 probabilities summing to 1" help:"initial distribution μ0 over (start, rock, paper, scissors)"`
}

// DefaultRockPaperScissorsParams is MFGLib's default: T = 1, everyone starts in the start state.
func DefaultRockPaperScissorsParams() RockPaperScissorsParams {
	return RockPaperScissorsParams{T: 1, Mu0: []float64{1, 0, 0, 0}}
}

// Validate names the first parameter out of range.
func (p RockPaperScissorsParams) Validate() error {
	if p.T < 0 {
		return fmt.Errorf("last time step T = %d: must be non-negative (time steps t = 0..T)", p.T)
	}
	if len(p.Mu0) != 4 {
		return fmt.Errorf("mu0 = %v: must have 4 entries (start, rock, paper, scissors)", p.Mu0)
	}
	return mfg.CheckDistribution(fmt.Sprintf("mu0 = %v", p.Mu0), p.Mu0)
}

// RockPaperScissors is MFGLib's generalised rock-paper-scissors (Shapley 1964; Cui and Koeppl
// 2021): states (start, rock, paper, scissors), actions (rock, paper, scissors); from any state,
// action a moves to state 1+a. The reward depends on the state only, through the shares μ_t:
//
//	rock: 2 μ_t(scissors) - μ_t(paper),   paper: 4 μ_t(rock) - 2 μ_t(scissors),
//	scissors: 6 μ_t(paper) - 3 μ_t(rock),   start: 0.
type RockPaperScissors struct {
	p     RockPaperScissorsParams
	moves *mfg.MDP
}

// NewRockPaperScissors validates p and returns the game.
func NewRockPaperScissors(p RockPaperScissorsParams) (*RockPaperScissors, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	b := mfg.NewMDPBuilder(4, 3, 0)
	for s := 0; s < 4; s++ {
		for a := 0; a < 3; a++ {
			b.Add(1+a, 1)
			b.EndRow()
		}
	}
	m, err := b.BuildStage()
	if err != nil {
		return nil, err
	}
	return &RockPaperScissors{p: p, moves: m}, nil
}

func (g *RockPaperScissors) Name() string             { return "rock-paper-scissors" }
func (g *RockPaperScissors) Horizon() int             { return g.p.T }
func (g *RockPaperScissors) StateShape() []int        { return []int{4} }
func (g *RockPaperScissors) ActionShape() []int       { return []int{3} }
func (g *RockPaperScissors) States() int              { return mfg.Size(g.StateShape()) }
func (g *RockPaperScissors) Actions() int             { return mfg.Size(g.ActionShape()) }
func (g *RockPaperScissors) InitialStates() []float64 { return append([]float64(nil), g.p.Mu0...) }

// StateLabel is "start", "rock", "paper" or "scissors": the hand last played.
func (g *RockPaperScissors) StateLabel(s int) string {
	return [4]string{"start", "rock", "paper", "scissors"}[s]
}

// ActionLabel is "rock", "paper" or "scissors", the hand the action plays.
func (g *RockPaperScissors) ActionLabel(a int) string {
	return [3]string{"rock", "paper", "scissors"}[a]
}

// Moves returns the moves, the same at every time and population (mfg.FixedMoves).
func (g *RockPaperScissors) Moves(t int) *mfg.MDP { return g.moves }

// Stage returns the rewards at L_t and the (fixed) moves.
func (g *RockPaperScissors) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	st := &struct { // one allocation for the stage and its rewards
		m mfg.MDP
		r [12]float64
	}{}
	st.m.Reward = st.r[:]
	return &st.m, g.WriteStage(t, L, &st.m)
}

// WriteStage writes the rewards at L_t into dst.Reward and gives dst the (fixed) moves
// (mfg.StageWriter).
func (g *RockPaperScissors) WriteStage(t int, L mfg.Population, dst *mfg.MDP) error {
	mass, A := L.Mass, L.Actions
	mu1, mu2, mu3 := rowMass(mass, A, 1), rowMass(mass, A, 2), rowMass(mass, A, 3)
	rock, paper, scissors := 2*mu3-mu2, 4*mu1-2*mu3, 6*mu2-3*mu1
	setMoves(dst, g.moves)
	// The rows written out, one store an entry, rather than by a loop over the states and actions.
	r := (*[12]float64)(dst.Reward)
	r[0], r[1], r[2] = 0, 0, 0
	r[3], r[4], r[5] = rock, rock, rock
	r[6], r[7], r[8] = paper, paper, paper
	r[9], r[10], r[11] = scissors, scissors, scissors
	return nil
}

func init() {
	Register("rock-paper-scissors", "generalised rock-paper-scissors: beating a rival pays 2, 4 or 6 times its share, losing costs 1, 2 or 3 times",
		"Shapley 1964; Cui and Koeppl 2021; MFGLib 0.3.0 rock_paper_scissors", DefaultRockPaperScissorsParams,
		func(p RockPaperScissorsParams) (mfg.Finite, error) { return NewRockPaperScissors(p) })
}
