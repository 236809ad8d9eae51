package tune_test

import (
	"os"
	"strings"
	"testing"

	"meanfield/tune"
)

// MFGLib 0.3.0's tuner test (tests/test_algorithms.py, test_tuner_finds_low_expl): online mirror
// descent on building_evacuation(n_floor=3, floor_l=5, floor_w=5), 600 iterations, 30 TPE trials
// of alpha ∈ [1e-5, 1e5] in log scale, GeometricMean(shift=0) of each trace's lowest
// exploitability: the best must be in [0, 3e-4]. The study is examples/tune/omd-evacuation.yaml;
// TPE's seed differs from Optuna's (a Go stream, not NumPy's), so the trials do too.
//
// Random search of the same budget and seed (its first 10 trials are TPE's startup trials, the
// same draws) finds a worse best: 4.6e-7 against TPE's 2.0e-8 at seed 0. (Over seeds 0 to 4 TPE
// is better at 3 seeds, equal at 1, worse at 1: BENCHMARKS.md's "Tuning" section.)
func TestMFGLibTunerFindsLowExploitability(t *testing.T) {
	if testing.Short() {
		t.Skip("60 solves of 600 iterations: about 5 s")
	}
	data, err := os.ReadFile("../examples/tune/omd-evacuation.yaml")
	if err != nil {
		t.Fatal(err)
	}
	best := map[string]float64{}
	for _, sampler := range []string{"tpe", "random"} {
		s, err := tune.Parse([]byte(strings.Replace(string(data), "sampler: tpe", "sampler: "+sampler, 1)), 0)
		if err != nil {
			t.Fatal(err)
		}
		if s.File.Trials != 30 || s.Iterations[0] != 600 || s.Space[0].Name != "alpha" || s.Space[0].Low != 1e-5 || s.Space[0].High != 1e5 || !s.Space[0].Log {
			t.Fatalf("the study is not MFGLib's test: %+v", s.File)
		}
		dir := t.TempDir()
		run(t, s, dir, 2)
		sum, err := tune.Summarize(s, dir)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Complete != 30 || sum.Best == nil {
			t.Fatalf("%s: %d complete trials of 30", sampler, sum.Complete)
		}
		best[sampler] = *sum.Best.Value
		t.Logf("%s: best %.4g at alpha = %v (trial %d)", sampler, best[sampler], sum.Best.Params["alpha"], sum.Best.Trial)
	}
	if b := best["tpe"]; !(b >= 0 && b <= 3e-4) {
		t.Errorf("TPE's best %v: MFGLib's test wants it in [0, 3e-4]", b)
	}
	if best["tpe"] >= best["random"] {
		t.Errorf("TPE's best %v is not below random search's %v on the same budget", best["tpe"], best["random"])
	}
}
