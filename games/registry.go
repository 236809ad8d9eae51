package games

import (
	"fmt"
	"strings"
	"sync"

	"meanfield/internal/params"
	"meanfield/internal/registry"
	"meanfield/mfg"
)

// Parameters is what every game's parameter struct offers: a check of its values that names the first
// one out of range. The struct's exported fields with YAML tags are the parameters, under those
// names, with `help` tags describing them.
type Parameters interface {
	Validate() error
}

// Entry describes a registered game.
type Entry struct {
	// Name is the command-line name, e.g. "beach-bar".
	Name string
	// Description is one line; Reference names the paper or library the game follows.
	Description, Reference string
	// Defaults returns a new parameter struct (a pointer, such as *BeachBarParams) holding the
	// defaults; its fields' YAML tags are the parameters' names.
	Defaults func() any
	build    func(params any) (mfg.Game, error)
	// prototype is the game of default parameters, built on first use and then shared.
	prototype func() (mfg.Game, error)
}

// Build makes the game from a parameter struct returned by Defaults (then decoded or edited).
func (e Entry) Build(params any) (mfg.Game, error) {
	g, err := e.build(params)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e.Name, err)
	}
	return g, nil
}

// Prototype returns the game of default parameters, built once on first use and shared by every
// caller: what kind of game the entry makes (the interfaces it implements), for the checks that
// need a game but not the one of the given size. Games are only read once built (see
// engine.Problem.Worker), so the shared game serves concurrent callers too.
func (e Entry) Prototype() (mfg.Game, error) {
	if e.prototype == nil { // an Entry not made by Register
		return e.Build(e.Defaults())
	}
	return e.prototype()
}

// registry holds every game; each game's file registers itself from init.
var entries = registry.Registry[Entry]{What: "game"}

// Register adds a game: defaults returns its default parameters, build makes the game from them
// (validating them). Each game's file calls it from init; a game defined outside this package
// registers the same way.
func Register[P Parameters, G mfg.Game](name, description, reference string, defaults func() P, build func(P) (G, error)) {
	e := Entry{
		Name: name, Description: description, Reference: reference,
		Defaults: func() any { p := defaults(); return &p },
		build: func(p any) (mfg.Game, error) {
			typed, ok := p.(*P)
			if !ok {
				return nil, fmt.Errorf("parameters of type %T, want %T", p, new(P))
			}
			if err := (*typed).Validate(); err != nil {
				return nil, err
			}
			g, err := build(*typed)
			if err != nil {
				return nil, err // not a typed nil in the interface
			}
			return g, nil
		},
	}
	e.prototype = sync.OnceValues(func() (mfg.Game, error) { return e.Build(e.Defaults()) })
	entries.Add(name, e)
}

// Names lists the games in alphabetical order.
func Names() []string { return entries.Names() }

// Lookup returns the entry of a game.
func Lookup(name string) (Entry, bool) { return entries.Lookup(name) }

// New builds the named game. params maps parameter names (as `mfg games` lists them) to values;
// missing ones keep their defaults, unknown ones are an error naming them.
func New(name string, params map[string]any) (mfg.Game, error) {
	p, err := Params(name, params)
	if err != nil {
		return nil, err
	}
	e, _ := entries.Lookup(name)
	return e.Build(p)
}

// NewFinite is New for a finite-horizon game: an error names a stationary one.
func NewFinite(name string, params map[string]any) (mfg.Finite, error) {
	g, err := New(name, params)
	if err != nil {
		return nil, err
	}
	f, ok := g.(mfg.Finite)
	if !ok {
		return nil, fmt.Errorf("game = %q is a stationary game, not a finite-horizon one", name)
	}
	return f, nil
}

// Params returns the named game's parameter struct (a pointer, such as *BeachBarParams) with
// params decoded over its defaults, as New reads them: for code that builds another
// representation of the same game.
func Params(name string, values map[string]any) (any, error) {
	e, ok := entries.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("game = %q: unknown game (known: %s)%s", name, strings.Join(Names(), ", "), registry.DidYouMean(name, Names()))
	}
	p := e.Defaults()
	if err := params.Decode(p, values); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return p, nil
}

// ParamNames lists the parameter names (YAML tags) of a parameter struct, in declaration order.
func ParamNames(p any) []string { return params.Names(p) }

// ParamMap returns the parameters of a parameter struct by name, as New takes them.
func ParamMap(p any) (map[string]any, error) { return params.Map(p) }
