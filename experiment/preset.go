package experiment

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"meanfield/algorithms"
	"meanfield/internal/params"
)

// ReplacePreset applies the precedence of an algorithm named on the command line over a file
// written for another: the file's algorithm parameters that only restate fileAlgorithm's defaults
// (as resolved.yaml does) are dropped where c's algorithm defines them otherwise, or lacks them,
// so that c's algorithm runs as its preset defines it. A parameter set to a value that is neither
// algorithm's default, where the two differ, is a conflict: an error names it and its line.
// Notes say what was dropped, for people.
func (c *SolveConfig) ReplacePreset(fileAlgorithm string) (notes []string, err error) {
	to := c.Run.Algorithm
	from, mine := algorithms.DefaultValues(fileAlgorithm), algorithms.DefaultValues(to)
	if from == nil || mine == nil || fileAlgorithm == to {
		return nil, nil
	}
	keys := make([]string, 0, len(c.AlgorithmParams))
	for k := range c.AlgorithmParams {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var dropped []string
	for _, k := range keys {
		v, old := c.AlgorithmParams[k], from[k]
		def, has := mine[k]
		if has && sameValue(old, def) {
			continue // the two algorithms agree: the file's value applies as given
		}
		switch {
		case sameValue(v, old):
			delete(c.AlgorithmParams, k)
			if has {
				dropped = append(dropped, fmt.Sprintf("%s: %v (now %v)", k, v, def))
			} else {
				dropped = append(dropped, fmt.Sprintf("%s: %v (%s has no %s)", k, v, to, k))
			}
		case has && !sameValue(v, def):
			return nil, fmt.Errorf("algorithm = %s (command line) conflicts with %s: %s: %v is neither %s's default (%v) nor %s's (%v); remove it from the file, or start from config.yaml, which holds only the parameters given",
				to, c.where(k), k, v, fileAlgorithm, old, to, def)
		}
	}
	if len(dropped) > 0 {
		notes = append(notes, fmt.Sprintf("algorithm %s (command line) replaces the file's %s defaults: %s", to, fileAlgorithm, strings.Join(dropped, ", ")))
	}
	return notes, nil
}

// PresetChanges lists the preset-defining parameters (algorithms.PresetKeys) of a resolved
// configuration that differ from its algorithm's defaults, as "inner q-learning (gmf-v:
// value-iteration)": a run so changed is no longer the preset its name says, and its header and
// result.json say so.
func (c SolveConfig) PresetChanges() []string {
	def := algorithms.DefaultValues(c.Run.Algorithm)
	var out []string
	for _, k := range algorithms.PresetKeys(c.Run.Algorithm) {
		if v, ok := c.AlgorithmParams[k]; ok && !sameValue(v, def[k]) {
			out = append(out, fmt.Sprintf("%s %v (%s: %v)", k, v, c.Run.Algorithm, def[k]))
		}
	}
	return out
}

// sameValue compares parameter values as YAML gives them: numbers by value, whatever their type.
func sameValue(a, b any) bool {
	x, okx := params.Number(a)
	y, oky := params.Number(b)
	if okx && oky {
		return x == y
	}
	return reflect.DeepEqual(a, b) || (isEmptyList(a) && isEmptyList(b))
}

func isEmptyList(v any) bool {
	r := reflect.ValueOf(v)
	return v == nil || (r.Kind() == reflect.Slice && r.Len() == 0)
}
