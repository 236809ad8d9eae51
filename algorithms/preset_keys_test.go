package algorithms

import (
	"slices"
	"testing"
)

func TestPresetKeys(t *testing.T) {
	want := []string{"cycle-ratio", "cycle-tolerance", "cycle-window", "inner", "max-period", "policy-map", "projection", "tolerance"}
	for _, name := range []string{"gmf-v", "gmf-q", "naive"} {
		if got := PresetKeys(name); !slices.Equal(got, want) {
			t.Errorf("PresetKeys(%s) = %v, want %v", name, got, want)
		}
	}
	for _, name := range []string{"fictitious-play", "prior-descent", "unknown"} {
		if got := PresetKeys(name); len(got) != 0 {
			t.Errorf("PresetKeys(%s) = %v, want none", name, got)
		}
	}
}
