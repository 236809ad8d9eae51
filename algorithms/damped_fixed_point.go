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
		"this project; fictitious play with a constant step; damping 1 is OpenSpiel fixed_point.py (br-temperature = temperature, tie-break lowest)", 100,
		func() *DampedFixedPoint { return &DampedFixedPoint{Damping: 0.5, TieBreak: TieSplit} },
		func(d *DampedFixedPoint) (engine.Algorithm, error) { return *d, nil })
}

// DampedFixedPoint is the fixed-point iteration π_k = BR(L(π_{k-1})) damped in the space of
// populations: FictitiousPlay with the constant step α = Damping (1 is the undamped iteration),
// its best response greedy or, with Temperature T > 0, softmax of Q*/T (FictitiousPlay describes
// both and the tie rules).
//
// Damping 1 is OpenSpiel's FixedPoint(game, temperature): π_k = greedy(Q*) (TieBreak "lowest" for
// its np.argmax) or π_k(a) ∝ exp((Q*(a) - max Q*)/T), Q* at the mean field of π_{k-1}. (Where
// the best response's population does not reach a state, the policy there is uniform instead of
// the best response; no value depends on it.)
type DampedFixedPoint struct {
	Damping     float64 `yaml:"damping" help:"step in (0, 1] towards the best response's population (1: undamped)"`
	Temperature float64 `yaml:"br-temperature" help:"softmax best response exp(Q*/T) of temperature T, OpenSpiel's temperature (0: greedy)"`
	TieBreak    string  `yaml:"tie-break" help:"greedy best response among tied actions: split (equal shares, MFGLib's argmax-e) or lowest (the lowest-numbered action, OpenSpiel's np.argmax)"`
}

// Name is "damped-fixed-point".
func (DampedFixedPoint) Name() string { return "damped-fixed-point" }

// Validate checks Damping in (0, 1], Temperature >= 0 and the tie rule.
func (d DampedFixedPoint) Validate() error {
	if !(d.Damping > 0 && d.Damping <= 1) {
		return fmt.Errorf("damping = %v: must be in (0, 1]", d.Damping)
	}
	return validateBestResponse(d.Temperature, d.TieBreak, 0)
}

// Applies accepts every game whose policies can be evaluated.
func (d DampedFixedPoint) Applies(g mfg.Game) error { return needsModel(d.Name(), g) }

// Begin starts a solve.
func (d DampedFixedPoint) Begin(_ context.Context, s engine.Start) (engine.Run, engine.Iterate, error) {
	g := s.Problem.Game()
	return &mixing{p: s.Problem, S: g.States(), A: g.Actions(), alpha: d.Damping, temp: d.Temperature, lowest: d.TieBreak == TieLowest}, engine.Iterate{Policy: s.Policy}, nil
}

// String describes the step.
func (d DampedFixedPoint) String() string {
	return fmt.Sprintf("damping=%g%s", d.Damping, bestResponseString(d.Temperature, d.TieBreak))
}

// bestResponseString describes a best response other than the default greedy one.
func bestResponseString(temperature float64, tieBreak string) string {
	switch {
	case temperature > 0:
		return fmt.Sprintf(", softmax best response of temperature %g", temperature)
	case tieBreak == TieLowest:
		return ", ties to the lowest action"
	}
	return ""
}

// Smoothing: with a temperature the best response is a softmax, whose fixed point is an
// equilibrium of the smoothed game.
func (d DampedFixedPoint) Smoothing() string { return softmaxSmoothing(d.Temperature) }

// softmaxSmoothing describes a softmax best response of temperature T ("" for a greedy one).
func softmaxSmoothing(T float64) string {
	if T > 0 {
		return fmt.Sprintf("softmax best response exp(Q*/T) with T = %g", T)
	}
	return ""
}
