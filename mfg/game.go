package mfg

import "math/rand/v2"

// Game is what every finite stationary GMFG states about itself. Access to its reward and dynamics
// comes through ModelBased, ModelFree, or both.
type Game interface {
	// Name is a short identifier such as "auction".
	Name() string
	States() int
	Actions() int
	// Discount is γ in (0, 1).
	Discount() float64
	// InitialPopulation is L_0, where the fixed-point scheme starts.
	InitialPopulation() Population
}

// ModelBased is a game whose expected reward and transitions are known in closed form.
type ModelBased interface {
	Game
	// MDP returns the single-agent problem at population L: r(·,·,L) and P(·|·,·,L).
	MDP(L Population) (*MDP, error)
}

// ModelFree is a game that can be simulated.
type ModelFree interface {
	Game
	// Sampler returns a simulator of one agent's step when the population is frozen at L.
	Sampler(L Population) (Sampler, error)
}

// Sampler draws one transition of the representative agent: given (s, a) and a random stream it
// returns a reward and the next state, distributed as r(s,a,L) (in mean) and P(·|s,a,L).
// A Sampler is not safe for concurrent use only if its documentation says so; the random stream
// is always the caller's.
type Sampler interface {
	Sample(s, a int, rng *rand.Rand) (reward float64, next int)
}
