package mfg

import "math/rand/v2"

// Game is what every mean-field game states about itself, whatever its horizon: a name and finite
// numbers of states and actions (flat indices 0..States()-1 and 0..Actions()-1). A game is one of
// two kinds: Stationary (discounted, infinite horizon) or Finite (time steps 0..T).
type Game interface {
	// Name is a short identifier such as "auction".
	Name() string
	States() int
	Actions() int
}

// Stationary is a discounted game over an infinite horizon. Access to its reward and dynamics
// comes through ModelBased, ModelFree, or both.
type Stationary interface {
	Game
	// Discount is γ in (0, 1).
	Discount() float64
	// InitialPopulation is L_0, where the fixed-point scheme starts.
	InitialPopulation() Population
}

// ModelBased is a stationary game whose expected reward and transitions are known in closed form.
type ModelBased interface {
	Stationary
	// MDP returns the single-agent problem at population L: r(·,·,L) and P(·|·,·,L).
	MDP(L Population) (*MDP, error)
}

// ModelFree is a stationary game that can be simulated.
type ModelFree interface {
	Stationary
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

// Finite is a finite-horizon game: time steps t = 0..T, an initial state distribution μ0, and at
// each time a reward r(t, s, a, L_t) and (for t < T) transitions P(·|t, s, a, L_t), where L_t is
// the population's state-action distribution at time t. States() and Actions() are the sizes of
// StateShape() and ActionShape().
type Finite interface {
	Game
	// Horizon is T: time steps run 0..T.
	Horizon() int
	// StateShape and ActionShape are the shapes of the (possibly multi-dimensional) state and
	// action spaces; indices are their row-major flattening.
	StateShape() []int
	ActionShape() []int
	// InitialStates is μ0, of length States().
	InitialStates() []float64
	// Stage returns the rewards r(t, ·, ·, L_t) and, for t < T, the transitions P(·|t, ·, ·, L_t)
	// as an MDP whose discount is unused. At t = T only the rewards are read. The returned value
	// may share storage with the game and must not be modified, and it must stay as it is after
	// later calls: callers hold the stages of every time step at once (a mean field keeps them
	// for its backward pass), so a game may not write one time step's stage over storage it
	// returned for another (WriteStage is the way to reuse memory).
	Stage(t int, L Population) (*MDP, error)
}

// FixedStationaryMoves is implemented by the stationary games whose transitions do not depend on
// the population: StationaryMoves() has the transitions of MDP(L) for every L (its rewards are not
// read). The population steps of a search for the population a policy sustains, tens to hundreds
// per evaluation, then reuse them instead of building the MDP at every step. The returned value
// may share storage with the game and must not be modified; nil means none (the MDP is built).
type FixedStationaryMoves interface {
	ModelBased
	StationaryMoves() *MDP
}

// FixedMoves is implemented by the finite-horizon games whose transitions do not depend on the
// population: for t < T, Moves(t) has the transitions of Stage(t, L) for every L (its rewards are
// not read, and may be missing). A mean field read for its populations alone (fictitious play's
// best response) then takes them without building the stages' rewards. The returned value may
// share storage with the game and must not be modified, and stays as it is for the game's life:
// the mean field checks the layout of rows that several Moves(t) share once per pass.
type FixedMoves interface {
	Moves(t int) *MDP
}

// StageWriter is implemented by the finite-horizon games that can write a stage into memory the
// caller owns, which it reuses from one mean field to the next: on small games the allocations
// of Stage cost more than its arithmetic.
type StageWriter interface {
	Finite
	// WriteStage sets *dst to Stage(t, L), bit for bit. The caller gives dst.Reward of length
	// States()·Actions() (its contents do not matter) and keeps that memory: the rewards are
	// written there. Every other field of dst is set by the game, the transitions pointing at
	// the game's storage (shared: not to be modified) or at new memory, as Stage's.
	//
	// The caller gives the rest of dst as this game's last WriteStage on it left it (or zero),
	// and keeps that memory too: a game whose transition probabilities depend on L may write
	// them over the dst.Prob it allocated in that call, where they fit, rather than allocate
	// anew (the probabilities of the caller's previous stage in dst are then gone). It may write
	// the rows (RowStart, Next) over its own memory in dst too, but only as MDPBuilder makes
	// them: each row's successors sorted, distinct, at least one, all below States. A caller
	// may then know the rows' layout (one successor each, every state, or some) from their
	// memory and lengths alone, without reading them again.
	WriteStage(t int, L Population, dst *MDP) error
}
