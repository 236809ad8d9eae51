package algorithms

import (
	"fmt"

	"meanfield/games"
	"meanfield/mfg"
)

// newFinite builds a registered finite-horizon game by name.
func newFinite(name string, params map[string]any) (mfg.Finite, error) {
	g, err := games.New(name, params)
	if err != nil {
		return nil, err
	}
	f, ok := g.(mfg.Finite)
	if !ok {
		return nil, fmt.Errorf("%s is not a finite-horizon game", name)
	}
	return f, nil
}
