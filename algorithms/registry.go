package algorithms

import (
	"fmt"
	"slices"
	"strings"

	"meanfield/engine"
	"meanfield/internal/params"
	"meanfield/internal/registry"
	"meanfield/mfg"
)

// Params is what every algorithm's parameter struct offers: a check of its values. The struct's
// exported fields with YAML tags are the parameters, under those names.
type Params interface {
	Validate() error
}

// Entry describes a registered algorithm.
type Entry struct {
	// Name is the command-line name, e.g. "fictitious-play".
	Name string
	// Description is one line; Reference names the paper or library it follows.
	Description, Reference string
	// Iterations is the default number of iterations.
	Iterations int
	// Defaults returns a new parameter struct (a pointer) holding the defaults.
	Defaults func() Params
	// Build makes the algorithm from a parameter struct returned by Defaults (and then decoded or
	// edited); it validates the parameters.
	Build func(Params) (engine.Algorithm, error)
}

var entries = registry.Registry[Entry]{What: "algorithm"}

// Reserved are the names no algorithm parameter may take: the run and output keys of a
// configuration and the command line's own flags, which share the parameters' namespace.
var Reserved = []string{"game", "game-file", "game-file-sha256", "game-steps", "algorithm", "iterations", "seed", "arithmetic", "exploitability", "compare-to-gmf-v", "trace-matrices",
	"params", "param", "config", "out", "no-progress", "force", "help"}

// Register adds an algorithm; each algorithm's file calls it from init. defaults returns the
// parameters with their default values; build makes the algorithm from them.
func Register[P Params](name, description, reference string, iterations int, defaults func() P, build func(P) (engine.Algorithm, error)) {
	for _, f := range params.Names(defaults()) {
		if slices.Contains(Reserved, f) {
			panic(fmt.Sprintf("algorithm %q: parameter %q has a reserved name (algorithms.Reserved)", name, f))
		}
	}
	entries.Add(name, Entry{
		Name: name, Description: description, Reference: reference, Iterations: iterations,
		Defaults: func() Params { return defaults() },
		Build: func(p Params) (engine.Algorithm, error) {
			typed, ok := p.(P)
			if !ok {
				return nil, fmt.Errorf("algorithm %s: parameters of type %T, want %T", name, p, *new(P))
			}
			if err := typed.Validate(); err != nil {
				return nil, err
			}
			return build(typed)
		},
	})
}

// Defaults are the algorithms tried, in order, when a configuration names none: the first that
// applies to the game (GMF-Q on stationary games with a simulator and a model, fictitious play on
// the others).
var Defaults = []string{"gmf-q", "fictitious-play"}

// DefaultFor returns the default algorithm of g: the first of Defaults that applies to it.
func DefaultFor(g mfg.Game) (string, error) {
	for _, name := range Defaults {
		if alg, err := New(name); err == nil && alg.Applies(g) == nil {
			return name, nil
		}
	}
	return "", fmt.Errorf("game %s: none of the default algorithms (%v) applies to it: name one with algorithm", g.Name(), Defaults)
}

// Applicable lists the registered algorithms that apply to g with their defaults.
func Applicable(g mfg.Game) []string {
	var names []string
	for _, name := range Names() {
		if alg, err := New(name); err == nil && alg.Applies(g) == nil {
			names = append(names, name)
		}
	}
	return names
}

// Lookup returns the entry of an algorithm.
func Lookup(name string) (Entry, bool) { return entries.Lookup(name) }

// Names lists the registered algorithms in alphabetical order.
func Names() []string { return entries.Names() }

// New builds the named algorithm with its default parameters.
func New(name string) (engine.Algorithm, error) {
	e, ok := entries.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("algorithm = %q: unknown algorithm (known: %s)%s", name, strings.Join(Names(), ", "), registry.DidYouMean(name, Names()))
	}
	return e.Build(e.Defaults())
}
