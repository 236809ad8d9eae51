package games

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"meanfield/finite"
	"meanfield/internal/oneline"
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
	p, err := FiniteParams(name, params)
	if err != nil {
		return nil, err
	}
	g, err := finiteRegistry[name].build(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return g, nil
}

// FiniteParams returns the named game's parameter struct (a pointer, such as
// *BeachBarParams) with params decoded over its defaults, as NewFinite reads them, for code that
// builds another representation of the same game.
func FiniteParams(name string, params map[string]any) (any, error) {
	info, ok := finiteRegistry[name]
	if !ok {
		return nil, fmt.Errorf("game = %q: unknown game (known: %s)", name, strings.Join(AllNames(), ", "))
	}
	p := info.Defaults()
	known := ParamNames(p)
	keys := make([]string, 0, len(params))
	for k := range params {
		if !slices.Contains(known, k) {
			return nil, fmt.Errorf("%s: parameter %q is unknown (known: %s)", name, k, strings.Join(known, ", "))
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys { // one at a time, so that an error names its parameter
		v := params[k]
		if err := checkWhole(p, k, v); err != nil {
			return nil, fmt.Errorf("%s: param %s = %v: %w", name, k, v, err)
		}
		raw, err := yaml.Marshal(map[string]any{k: v})
		if err != nil {
			return nil, fmt.Errorf("%s: param %s = %v: %w", name, k, v, err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(raw))
		dec.KnownFields(true)
		if err := dec.Decode(p); err != nil {
			msg := oneline.String(err.Error())
			return nil, fmt.Errorf("%s: param %s = %v: %s", name, k, v, msg)
		}
	}
	return p, nil
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

// maxIntParam bounds every integer parameter of a finite-horizon game (sizes, horizons), so that
// a typo fails with a message instead of exhausting memory.
const maxIntParam = 1_000_000

// checkWhole rejects, for an integer parameter, a value that is not a whole number (YAML would
// truncate it) or that is out of bounds.
func checkWhole(params any, key string, v any) error {
	t := reflect.TypeOf(params).Elem()
	for i := 0; i < t.NumField(); i++ {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if tag != key {
			continue
		}
		switch t.Field(i).Type.Kind() {
		case reflect.Int, reflect.Int64:
		default:
			return nil
		}
		var x float64
		switch n := v.(type) {
		case int:
			x = float64(n)
		case float64:
			if n != math.Trunc(n) {
				return fmt.Errorf("must be a whole number")
			}
			x = n
		default:
			return nil // yaml reports the type mismatch
		}
		if math.Abs(x) > maxIntParam {
			return fmt.Errorf("at most %d in absolute value", maxIntParam)
		}
	}
	return nil
}
