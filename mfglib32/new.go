package mfglib32

import (
	"fmt"

	"meanfield/games"
)

// New builds the named game of MFGLib 0.3.0's suite in MFGLib's float32 arithmetic, from
// parameters as games.NewFinite takes them (names as in the game's YAML tags, missing ones at
// their defaults), validated the same way.
func New(name string, params map[string]any) (Game, error) {
	p, err := games.FiniteParams(name, params)
	if err != nil {
		return nil, err
	}
	var g Game
	switch p := p.(type) {
	case *games.BeachBarParams:
		g, err = ok(NewBeachBar(*p))
	case *games.BuildingEvacuationParams:
		g, err = ok(NewBuildingEvacuation(*p))
	case *games.ConservativeTreasureHuntingParams:
		g, err = ok(NewConservativeTreasureHunting(*p))
	case *games.CrowdMotionParams:
		g, err = ok(NewCrowdMotion(*p))
	case *games.EquilibriumPriceParams:
		g, err = ok(NewEquilibriumPrice(*p))
	case *games.LeftRightParams:
		g, err = ok(NewLeftRight(*p))
	case *games.LinearQuadraticParams:
		g, err = ok(NewLinearQuadratic(*p))
	case *games.RandomLinearParams:
		g, err = ok(NewRandomLinear(*p))
	case *games.RockPaperScissorsParams:
		g, err = ok(NewRockPaperScissors(*p))
	case *games.SusceptibleInfectedParams:
		g, err = ok(NewSusceptibleInfected(*p))
	default:
		return nil, fmt.Errorf("game = %q: not one of MFGLib 0.3.0's games, whose float32 arithmetic this reproduces (%s)", name, Games())
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return g, nil
}

// ok turns a constructor's typed result into a Game, nil on error (not a typed nil).
func ok[G Game](g G, err error) (Game, error) {
	if err != nil {
		return nil, err
	}
	return g, nil
}

// Games lists the games New builds, comma-separated.
func Games() string {
	return "beach-bar, building-evacuation, conservative-treasure-hunting, crowd-motion, equilibrium-price, left-right, linear-quadratic, random-linear, rock-paper-scissors, susceptible-infected"
}
