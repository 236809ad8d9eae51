package experiment

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// small reports whether every number in a YAML document is at most 64 in absolute value and
// every list at most 64 long: the fuzzers look for parser bugs, not for games too large to build.
func small(data []byte) bool {
	var v any
	if yaml.Unmarshal(data, &v) != nil {
		return true // the parsers must refuse it, quickly
	}
	var ok func(any) bool
	ok = func(v any) bool {
		switch x := v.(type) {
		case int:
			return x >= -64 && x <= 64
		case float64:
			return x >= -64 && x <= 64
		case []any:
			if len(x) > 64 {
				return false
			}
			for _, e := range x {
				if !ok(e) {
					return false
				}
			}
		case map[string]any:
			for _, e := range x {
				if !ok(e) {
					return false
				}
			}
		}
		return true
	}
	return ok(v)
}

// A configuration file never makes loading or resolving panic, and every error is one line.
func FuzzSolveConfig(f *testing.F) {
	for _, seed := range []string{
		"game: auction\nparams: {states: 4, actions: 3}\nalgorithm: gmf-v\ntemperature: 2\n",
		"game: beach-bar\nparams: {n: 5}\nalgorithm: prior-descent\neta: 0.5\n",
		"game: left-right\nalgorithm: fictitious-play\nalpha: 0.3\narithmetic: mfglib-float32\n",
		"game: congestion\nparams: {locations: 3}\nsteps: 10\n",
		"iterations: -3\nseed: x\n",
		"params: [1, 2]\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !small(data) {
			t.Skip()
		}
		cfg, err := LoadYAML(strings.NewReader(string(data)), DefaultSolveConfig())
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error spans lines: %q", err)
			}
			return
		}
		if _, err := cfg.Resolve(); err != nil && strings.Contains(err.Error(), "\n") {
			t.Fatalf("error spans lines: %q", err)
		}
	})
}
