package mfglib32

import (
	"fmt"
	"sort"
	"strings"

	"meanfield/games"
)

// builders make each of MFGLib 0.3.0's games in float32 from the parameter struct the game's
// registry entry decodes (games.Params), so that both arithmetics read parameters the same way.
var builders = map[string]func(params any) (Game, error){
	"beach-bar":                     build(NewBeachBar),
	"building-evacuation":           build(NewBuildingEvacuation),
	"conservative-treasure-hunting": build(NewConservativeTreasureHunting),
	"crowd-motion":                  build(NewCrowdMotion),
	"equilibrium-price":             build(NewEquilibriumPrice),
	"left-right":                    build(NewLeftRight),
	"linear-quadratic":              build(NewLinearQuadratic),
	"random-linear":                 build(NewRandomLinear),
	"rock-paper-scissors":           build(NewRockPaperScissors),
	"susceptible-infected":          build(NewSusceptibleInfected),
}

// build adapts a typed constructor to the parameter struct pointer the registry returns.
func build[P any, G Game](f func(P) (G, error)) func(any) (Game, error) {
	return func(params any) (Game, error) {
		p, ok := params.(*P)
		if !ok {
			return nil, fmt.Errorf("parameters of type %T, want %T", params, new(P))
		}
		g, err := f(*p)
		if err != nil {
			return nil, err // not a typed nil in the interface
		}
		return g, nil
	}
}

// New builds the named game of MFGLib 0.3.0's suite in MFGLib's float32 arithmetic, from
// parameters as games.New takes them (names as `mfg games` lists them, missing ones at their
// defaults), validated the same way.
func New(name string, params map[string]any) (Game, error) {
	if _, ok := games.Lookup(name); !ok {
		_, err := games.Params(name, params) // the registry's "unknown game" error
		return nil, err
	}
	b, ok := builders[name]
	if !ok {
		return nil, fmt.Errorf("game = %q: not one of MFGLib 0.3.0's games, whose float32 arithmetic this reproduces (%s)", name, Games())
	}
	p, err := games.Params(name, params)
	if err != nil {
		return nil, err
	}
	g, err := b(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return g, nil
}

// Games lists the games New builds, comma-separated.
func Games() string {
	names := make([]string, 0, len(builders))
	for n := range builders {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
