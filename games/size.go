package games

import (
	"fmt"
	"reflect"

	"meanfield/internal/params"
	"meanfield/mfg"
)

// Size is how large a game is: what the memory of a solve grows with. Counts are float64, so that
// a product of parameters too large for an int is compared with a limit instead of wrapping.
type Size struct {
	// States and Actions are |S| and |A|.
	States, Actions float64
	// Times is the number of time steps: T+1 for a finite-horizon game, 1 for a stationary one.
	Times float64
	// Successors is the most next states stored per (state, action) row, at most States.
	Successors float64
	// SharedMoves reports that the transitions do not depend on the population: the game stores
	// them once, and each time step's stage holds only its rewards.
	SharedMoves bool
	// Extra is memory, in bytes, that the game keeps or builds besides its stages (coefficients
	// drawn from a seed, tables of prices, ...).
	Extra float64
	// Params are the parameters the size grows with, as `mfg games` names them: those to lower.
	Params []string
}

// Cells is States × Actions × Times: the length of a policy or a population over every time step.
func (s Size) Cells() float64 { return s.States * s.Actions * s.Times }

// Sizer is a parameter struct that reports the size of its game without building it. The games
// whose size a parameter can make explode implement it, so that a run too large for the memory is
// refused before anything is allocated; the size of the others is read from the game, built.
type Sizer interface {
	GameSize() Size
}

// Size returns the size of the game of the parameter struct p (as Defaults returns it, then
// decoded), after validating p: p's own GameSize when it is a Sizer, without building the game;
// else the game's, built, with every row dense (States successors) and the integer parameters
// named as what it grows with.
func (e Entry) Size(p any) (Size, error) {
	if v, ok := p.(Parameters); ok {
		if err := v.Validate(); err != nil {
			return Size{}, fmt.Errorf("%s: %w", e.Name, err)
		}
	}
	if s, ok := p.(Sizer); ok {
		return s.GameSize(), nil
	}
	g, err := e.Build(p)
	if err != nil {
		return Size{}, err
	}
	s := Size{States: float64(g.States()), Actions: float64(g.Actions()), Times: 1, Successors: float64(g.States())}
	if f, ok := g.(mfg.Finite); ok {
		s.Times = float64(f.Horizon()) + 1
	}
	for _, f := range params.Fields(p) {
		if f.Type.Kind() == reflect.Int {
			s.Params = append(s.Params, f.Name)
		}
	}
	return s, nil
}
