package experiment

import (
	"strings"
	"testing"
)

func TestLoadSolveConfigKeepsUnsetKeysAndRejectsUnknown(t *testing.T) {
	base := DefaultSolveConfig()
	cfg, err := LoadYAML(strings.NewReader("steps: 123\nfulfillment-values: [0, 3]\n"), base)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Steps != 123 || len(cfg.GameParams.Auction.FulfillmentValues) != 2 || cfg.GameParams.Auction.FulfillmentValues[1] != 3 {
		t.Errorf("keys not applied: steps %d, fulfillment %v", cfg.Steps, cfg.GameParams.Auction.FulfillmentValues)
	}
	if cfg.Temperature != base.Temperature || cfg.GameParams.Auction.States != base.GameParams.Auction.States {
		t.Errorf("unset keys changed: %+v", cfg)
	}
	for _, bad := range []string{"stepz: 1\n", "steps: [1\n", "steps: many\n"} {
		if _, err := LoadYAML(strings.NewReader(bad), base); err == nil {
			t.Errorf("%q accepted", bad)
		} else if strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error spans lines: %q", bad, err)
		}
	}
}

func TestResolveFillsPresets(t *testing.T) {
	for alg, want := range map[string][4]string{
		"gmf-v": {"value-iteration", "softmax", "none", "exact"},
		"gmf-q": {"q-learning", "softmax", "epsilon-net", "exact"},
		"naive": {"q-learning", "argmax-e", "none", "exact"},
	} {
		c := DefaultSolveConfig()
		c.Algorithm = alg
		r, err := c.Resolve()
		if err != nil {
			t.Fatal(err)
		}
		got := [4]string{r.Inner, r.PolicyMap, r.Projection, r.PopulationStep}
		if got != want {
			t.Errorf("%s resolved to %v, want %v", alg, got, want)
		}
		if r.Iterations < 1 || r.Tolerance < 0 {
			t.Errorf("%s: iterations %d, tolerance %v not resolved", alg, r.Iterations, r.Tolerance)
		}
	}
	// A part swapped out of a preset stays swapped.
	c := DefaultSolveConfig()
	c.PolicyMap = "argmax-e"
	if r, err := c.Resolve(); err != nil || r.PolicyMap != "argmax-e" {
		t.Errorf("override lost: %v %v", r.PolicyMap, err)
	}
}
