package games

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"meanfield/finite"
)

// FiniteInfo describes a finite-horizon game for listings and builds it from parameters.
type FiniteInfo struct {
	Name, Description, Reference string
	// Defaults returns the game's parameters with their default values (a pointer to a struct
	// with YAML tags: the parameter names).
	Defaults func() any
	build    func(params any) (finite.Game, error)
}

// finiteRegistry holds every finite-horizon game; each game's file registers itself.
var finiteRegistry = map[string]FiniteInfo{}

// registerFinite adds a game: defaults returns its default parameters, build makes the game.
func registerFinite[P any](name, description, reference string, defaults func() P, build func(P) (finite.Game, error)) {
	finiteRegistry[name] = FiniteInfo{
		Name: name, Description: description, Reference: reference,
		Defaults: func() any { p := defaults(); return &p },
		build:    func(p any) (finite.Game, error) { return build(*p.(*P)) },
	}
}

// FiniteNames lists the finite-horizon games in alphabetical order.
func FiniteNames() []string {
	names := make([]string, 0, len(finiteRegistry))
	for n := range finiteRegistry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LookupFinite returns the description of a finite-horizon game.
func LookupFinite(name string) (FiniteInfo, bool) {
	info, ok := finiteRegistry[name]
	return info, ok
}

// IsFinite reports whether name is a finite-horizon game.
func IsFinite(name string) bool { _, ok := finiteRegistry[name]; return ok }

// NewFinite builds the named finite-horizon game. params maps parameter names (as in the game's
// YAML tags) to values; missing ones keep their defaults, unknown ones are an error naming them.
func NewFinite(name string, params map[string]any) (finite.Game, error) {
	info, ok := finiteRegistry[name]
	if !ok {
		return nil, fmt.Errorf("game = %q: unknown game (known: %s)", name, strings.Join(AllNames(), ", "))
	}
	p := info.Defaults()
	known := ParamNames(p)
	for k := range params {
		if !slices.Contains(known, k) {
			return nil, fmt.Errorf("%s: parameter %q is unknown (known: %s)", name, k, strings.Join(known, ", "))
		}
	}
	if len(params) > 0 {
		raw, err := yaml.Marshal(params)
		if err != nil {
			return nil, fmt.Errorf("%s: params: %w", name, err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(raw))
		dec.KnownFields(true)
		if err := dec.Decode(p); err != nil {
			return nil, fmt.Errorf("%s: params: %s", name, strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " "))
		}
	}
	g, err := info.build(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return g, nil
}

// AllNames lists every game, stationary and finite-horizon, in alphabetical order.
func AllNames() []string {
	names := append(Names(), FiniteNames()...)
	sort.Strings(names)
	return names
}

// ParamNames lists the parameter names (YAML tags) of a parameter struct, in declaration order.
func ParamNames(params any) []string {
	t := reflect.TypeOf(params)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if tag != "" && tag != "-" {
			names = append(names, tag)
		}
	}
	return names
}
