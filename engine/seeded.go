package engine

// Seeded is implemented by algorithms that may draw random numbers: UsesSeed reports whether this
// value does (GMF-Q does, GMF-V does not). An algorithm that does not implement it draws none, so
// the seed of a solve does not change its result.
type Seeded interface {
	UsesSeed() bool
}

// Smoothed is implemented by algorithms whose policies may be smoothed best responses, such as a
// softmax at a fixed temperature: their fixed point is an equilibrium of the smoothed game, so
// its exploitability in the game itself is positive even when the algorithm converged. Smoothing
// describes the smoothing ("softmax_c with c = 4"), or is "" when this value does not smooth (a
// fixed-point scheme with the argmax-e map). The summary then also scores the greedy deployment of
// the final policy: each state's most likely actions.
type Smoothed interface {
	Smoothing() string
}
