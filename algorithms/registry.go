package algorithms

import (
	"fmt"

	"meanfield/engine"
	"meanfield/internal/registry"
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

// Register adds an algorithm; each algorithm's file calls it from init. defaults returns the
// parameters with their default values; build makes the algorithm from them.
func Register[P Params](name, description, reference string, iterations int, defaults func() P, build func(P) (engine.Algorithm, error)) {
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

// Lookup returns the entry of an algorithm.
func Lookup(name string) (Entry, bool) { return entries.Lookup(name) }

// Names lists the registered algorithms in alphabetical order.
func Names() []string { return entries.Names() }

// New builds the named algorithm with its default parameters.
func New(name string) (engine.Algorithm, error) {
	e, ok := entries.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("algorithm = %q: unknown algorithm (known: %v)", name, Names())
	}
	return e.Build(e.Defaults())
}
