package npgame

import (
	"fmt"
	"math"

	"meanfield/mfg"
)

// Meet says which empirical distribution an agent's reward and transitions are evaluated at.
type Meet int

const (
	// Others is L_{-i}, the distribution of the N-1 other agents (N ≥ 2).
	Others Meet = iota
	// All is L^N, the distribution of all N agents, the agent included.
	All
)

// String is "others" or "all".
func (m Meet) String() string {
	if m == All {
		return "all"
	}
	return "others"
}

// DefaultHorizonTolerance is the γ^H at which a stationary game's discounted horizon is truncated.
const DefaultHorizonTolerance = 1e-6

// Game is the N-player game of a mean-field game: N agents meeting the empirical distribution
// (Meet), over Times() rounds: T+1 for a finite-horizon game, H for a stationary one (the first H
// with γ^H ≤ the horizon tolerance).
type Game struct {
	// MF is the mean-field game: an mfg.Finite or an mfg.ModelBased.
	MF       mfg.Game
	N        int
	Meet     Meet
	S, A     int
	times    int
	discount float64 // γ for a stationary game, 1 for a finite-horizon one
	finite   mfg.Finite
	model    mfg.ModelBased
	fixed    func(t int) *mfg.MDP // the L-free transitions of round t, nil when there are none
	legal    []bool
}

// New returns the N-player game of g with n agents meeting meet. g must be an mfg.Finite or an
// mfg.ModelBased stationary game of one population; horizonTolerance (0: 1e-6) sets a stationary
// game's truncated horizon, the first H with γ^H ≤ horizonTolerance.
func New(g mfg.Game, n int, meet Meet, horizonTolerance float64) (*Game, error) {
	if g == nil {
		return nil, fmt.Errorf("npgame: no game")
	}
	if meet != Others && meet != All {
		return nil, fmt.Errorf("npgame: meet = %d: must be Others or All", int(meet))
	}
	minN := 1
	if meet == Others {
		minN = 2
	}
	if n < minN {
		return nil, fmt.Errorf("npgame: players = %d: must be at least %d when agents meet the %s", n, minN, meet)
	}
	if n > maxPlayers {
		return nil, fmt.Errorf("npgame: players = %d: must be at most %d", n, maxPlayers)
	}
	if horizonTolerance == 0 {
		horizonTolerance = DefaultHorizonTolerance
	}
	if !(horizonTolerance > 0 && horizonTolerance < 1) {
		return nil, fmt.Errorf("npgame: horizon tolerance = %v: must be in (0, 1)", horizonTolerance)
	}
	ng := &Game{MF: g, N: n, Meet: meet, S: g.States(), A: g.Actions()}
	switch x := g.(type) {
	case mfg.Finite:
		if _, multi := g.(mfg.MultiPopulation); multi {
			return nil, fmt.Errorf("npgame: %s is a multi-population game: its N-player game is not defined here (one population only)", g.Name())
		}
		ng.finite, ng.times, ng.discount = x, x.Horizon()+1, 1
		ng.legal = mfg.LegalMask(x)
		if fm, ok := g.(mfg.FixedMoves); ok {
			ng.fixed = fm.Moves
		}
	case mfg.ModelBased:
		ng.model, ng.discount = x, x.Discount()
		ng.times = int(math.Ceil(math.Log(horizonTolerance) / math.Log(ng.discount)))
		if fm, ok := g.(mfg.FixedStationaryMoves); ok && fm.StationaryMoves() != nil {
			m := fm.StationaryMoves()
			ng.fixed = func(int) *mfg.MDP { return m }
		}
	default:
		return nil, fmt.Errorf("npgame: %s offers neither stages (finite horizon) nor a model (stationary): its N-player game needs r and P at any population", g.Name())
	}
	if ng.S < 1 || ng.A < 1 {
		return nil, fmt.Errorf("npgame: %s has %d states and %d actions", g.Name(), ng.S, ng.A)
	}
	return ng, nil
}

// maxPlayers bounds N so that counts fit in int32.
const maxPlayers = 1 << 30

// Times is the number of rounds: T+1 on a finite-horizon game, the truncated H on a stationary one.
func (g *Game) Times() int { return g.times }

// Discount is γ on a stationary game, 1 on a finite-horizon one: round t's reward counts γ^t.
func (g *Game) Discount() float64 { return g.discount }

// Stationary reports whether the mean-field game is stationary (discounted).
func (g *Game) Stationary() bool { return g.model != nil }

// Legal is the mask of legal actions (nil: all legal).
func (g *Game) Legal() []bool { return g.legal }

// stage is the mean-field game's model at round t and population L.
func (g *Game) stage(t int, L mfg.Population) (*mfg.MDP, error) {
	if g.finite != nil {
		return g.finite.Stage(t, L)
	}
	return g.model.MDP(L)
}

// moves reports whether round t has a move after it (every round but a finite game's last).
func (g *Game) moves(t int) bool { return g.model != nil || t < g.times-1 }

// InitialStates is the start distribution of one agent, drawn i.i.d.: μ0 on a finite-horizon
// game, the state marginal of the initial population on a stationary one (Options.Initial
// replaces it in the estimators).
func (g *Game) InitialStates() []float64 {
	if g.finite != nil {
		return append([]float64(nil), g.finite.InitialStates()...)
	}
	return g.model.InitialPopulation().StateMarginal(nil)
}
