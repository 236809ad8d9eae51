package algorithms

import (
	"maps"
	"reflect"
	"slices"
	"sync"

	"meanfield/internal/params"
)

// PresetKeys are the parameters that make algorithm name the preset it is: those whose defaults
// differ between it and another registered algorithm with the same parameters (for gmf-v, gmf-q
// and naive: inner, policy-map, projection, tolerance, cycle-tolerance, max-period). An
// algorithm that shares its parameters with no other has none.
func PresetKeys(name string) []string {
	v, _ := presetKeys.LoadOrStore(name, sync.OnceValue(func() []string { return findPresetKeys(name) }))
	return slices.Clone(v.(func() []string)())
}

// presetKeys remembers PresetKeys by name: the registry, from which they follow, is complete
// once the program has started, and a solve asks for them several times.
var presetKeys sync.Map

// findPresetKeys finds PresetKeys(name).
func findPresetKeys(name string) []string {
	e, ok := Lookup(name)
	mine := DefaultValues(name)
	if !ok || mine == nil {
		return nil
	}
	var keys []string
	for _, other := range Names() {
		o, _ := Lookup(other)
		if other == name || reflect.TypeOf(o.Defaults()) != reflect.TypeOf(e.Defaults()) {
			continue
		}
		theirs := DefaultValues(other)
		if theirs == nil {
			continue
		}
		for k, v := range mine {
			if !reflect.DeepEqual(v, theirs[k]) && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	return keys
}

// DefaultValues returns the default parameters of algorithm name by key (nil when unknown).
func DefaultValues(name string) map[string]any {
	v, _ := defaultValues.LoadOrStore(name, sync.OnceValue(func() map[string]any {
		e, ok := Lookup(name)
		if !ok {
			return nil
		}
		m, err := params.Map(e.Defaults())
		if err != nil {
			return nil
		}
		return m
	}))
	return maps.Clone(v.(func() map[string]any)())
}

// defaultValues remembers DefaultValues by name (the map through YAML costs more than a copy).
var defaultValues sync.Map
