package algorithms

import (
	"context"
	"fmt"

	"meanfield/engine"
	"meanfield/mfg"
)

func init() {
	Register("damped-fixed-point",
		"fixed-point iteration damped in the space of populations (damping 1: undamped)",
		"this project; fictitious play with a constant step", 100,
		func() *DampedFixedPoint { return &DampedFixedPoint{Damping: 0.5} },
		func(d *DampedFixedPoint) (engine.Algorithm, error) { return *d, nil })
}

// DampedFixedPoint is the fixed-point iteration π_k = BR(L(π_{k-1})) damped in the space of
// populations: FictitiousPlay with the constant step α = Damping (1 is the undamped iteration).
type DampedFixedPoint struct {
	Damping float64 `yaml:"damping" help:"step in (0, 1] towards the best response's population (1: undamped)"`
}

// Name is "damped-fixed-point".
func (DampedFixedPoint) Name() string { return "damped-fixed-point" }

// Validate checks Damping in (0, 1].
func (d DampedFixedPoint) Validate() error {
	if !(d.Damping > 0 && d.Damping <= 1) {
		return fmt.Errorf("damping = %v: must be in (0, 1]", d.Damping)
	}
	return nil
}

// Applies accepts every game whose policies can be evaluated.
func (d DampedFixedPoint) Applies(g mfg.Game) error { return needsModel(d.Name(), g) }

// Begin starts a solve.
func (d DampedFixedPoint) Begin(_ context.Context, s engine.Start) (engine.Run, engine.Iterate, error) {
	return mixing{p: s.Problem, alpha: d.Damping}, engine.Iterate{Policy: s.Policy}, nil
}

// String describes the step.
func (d DampedFixedPoint) String() string { return fmt.Sprintf("damping=%g", d.Damping) }
