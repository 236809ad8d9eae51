package mfg

import (
	"fmt"
	"math"
)

// PopulationBlock is one population of a multi-population game: its name and its states, the
// block [First, First+States) of the game's flat state indices.
type PopulationBlock struct {
	Name          string
	First, States int
}

// MultiPopulation is implemented by the finite-horizon games of K ≥ 2 populations (OpenSpiel's
// multi-population games). The game's state space is the disjoint union of the populations'
// state spaces: population p's states are the block Populations()[p], the blocks are contiguous,
// in order, and cover every state; all populations share the action set. μ0 puts mass 1/K on each
// block, so the population L_t of the game is the K populations' own distributions, each scaled
// by 1/K, side by side: population p's own state distribution at time t is K·μ_t restricted to its
// block, and the game's rewards read it so. Since a policy is per state, each population has its
// own policy; a best response to the game's mean field is each population's best response, on its
// block, to the joint mean field. Population p's exploitability (OpenSpiel's BR_p − V_p, its
// population of mass 1) is then
//
//	E_p(π) = K · Σ_{s ∈ block p} μ0(s) (max_a Q*_0(s, a) − Σ_a π_0(a|s) Q^π_0(s, a)),
//
// and the game's exploitability is OpenSpiel's NashConv Σ_p E_p(π) = K · E(π), E(π) the
// single-population formula over all states (see finite.PopulationExploitabilities).
type MultiPopulation interface {
	Populations() []PopulationBlock
}

// CheckPopulations checks the blocks of a multi-population finite game (nothing for another
// game): at least two, each non-empty, contiguous and in order from state 0 to the last, and μ0
// putting mass 1/K on each (to 1e-9). An error names the game and the block.
func CheckPopulations(g Finite) error {
	mp, ok := g.(MultiPopulation)
	if !ok {
		return nil
	}
	blocks := mp.Populations()
	K := len(blocks)
	if K < 2 {
		return fmt.Errorf("%s: %d populations: a multi-population game has at least 2", g.Name(), K)
	}
	next := 0
	for p, b := range blocks {
		switch {
		case b.States < 1:
			return fmt.Errorf("%s: population %d (%s) has %d states: must be at least 1", g.Name(), p, b.Name, b.States)
		case b.First != next:
			return fmt.Errorf("%s: population %d (%s) starts at state %d, want %d (blocks contiguous, in order)", g.Name(), p, b.Name, b.First, next)
		case b.First+b.States > g.States():
			return fmt.Errorf("%s: population %d (%s) ends at state %d, past the game's %d states", g.Name(), p, b.Name, b.First+b.States, g.States())
		}
		next = b.First + b.States
	}
	if next != g.States() {
		return fmt.Errorf("%s: the populations cover states 0..%d of %d", g.Name(), next-1, g.States())
	}
	mu0 := g.InitialStates()
	if len(mu0) != g.States() {
		return nil // the game's own check reports it
	}
	for p, b := range blocks {
		var m float64
		for _, x := range mu0[b.First : b.First+b.States] {
			m += x
		}
		if !(math.Abs(m-1/float64(K)) <= 1e-9) {
			return fmt.Errorf("%s: population %d (%s) has initial mass %v, want 1/%d (mu0 gives each of the %d populations the same mass)", g.Name(), p, b.Name, m, K, K)
		}
	}
	return nil
}
