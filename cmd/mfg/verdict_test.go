package main

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meanfield/experiment"
	"meanfield/exploit"
	"meanfield/games"
	"meanfield/mfg"
)

// resultOf reads the parts of result.json the verdict tests check.
type resultOf struct {
	Exploitability *float64
	Policy         [][][]float64
	PresetChanges  []string `json:"preset_changes"`
	Convergence    experiment.ConvergenceJSON
}

func solveFor(t *testing.T, args ...string) (string, string, resultOf) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runMFG(t, append([]string{"solve", "--out", out, "--no-progress"}, args...)...)
	if code != 0 {
		t.Fatalf("%v: exit status %d: %s", args, code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r resultOf
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return stdout, stderr, r
}

func containsAll(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

// GMF-V at its default c = 4 converges: its policy is called the equilibrium of the smoothed game,
// and the greedy deployment of that policy is scored beside it, as an exploitability computed
// here independently from result.json's policy.
func TestSummaryConvergedSmoothed(t *testing.T) {
	stdout, _, r := solveFor(t, "--algorithm", "gmf-v")
	containsAll(t, "the summary", stdout,
		"verdict                 converged: the algorithm's stopping rule held at iteration 116",
		"greedy deployment       exploitability", "fixed-point residual",
		"note: π_K is smoothed (softmax_c with c = 4)",
		"Equilibrium policy of the smoothed game (softmax_c with c = 4), after 116 iterations")
	if strings.Contains(stdout, "not converged") {
		t.Errorf("a converged run is called unconverged:\n%s", stdout)
	}
	c := r.Convergence
	if c.Verdict != "converged" || !c.Equilibrium || c.Smoothing == "" || c.FixedPointResidual == nil || *c.FixedPointResidual > 1e-12 || c.GreedyExploitability == nil {
		t.Fatalf("result.json convergence: %+v", c)
	}
	g, err := games.New("auction", nil)
	if err != nil {
		t.Fatal(err)
	}
	pi := mfg.NewPolicy(g.States(), g.Actions())
	for s, row := range r.Policy[0] {
		copy(pi.Prob[s*g.Actions():], row)
	}
	greedy := experiment.Greedy([]mfg.Policy{pi})[0]
	e, err := exploit.Exploitability(context.Background(), g.(mfg.ModelBased), greedy, exploit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(e.Value-*c.GreedyExploitability) > 1e-9 || e.Value < 0 {
		t.Errorf("greedy exploitability %v in result.json, %v recomputed", *c.GreedyExploitability, e.Value)
	}
	if *c.GreedyExploitability >= *r.Exploitability {
		t.Errorf("the greedy deployment (%v) is expected to be less exploitable than the softmax policy (%v) here", *c.GreedyExploitability, *r.Exploitability)
	}
}

// The naive algorithm does not converge: its last iterate is never called an equilibrium, and the
// summary says what its (low) exploitability means; argmax-e does not smooth.
func TestSummaryNaiveNotConverged(t *testing.T) {
	stdout, _, r := solveFor(t, "--algorithm", "naive", "--iterations", "50")
	containsAll(t, "the summary", stdout,
		"verdict                 stopped at the iteration cap, not converged: ran all 50 iterations",
		"note: not converged, so π_K is only the last iterate",
		"Last policy π_50 (stopped at the cap: not an equilibrium)")
	for _, bad := range []string{"Equilibrium", "greedy deployment", "smoothed"} {
		if strings.Contains(stdout, bad) {
			t.Errorf("the naive run's summary says %q:\n%s", bad, stdout)
		}
	}
	if c := r.Convergence; c.Verdict != "stopped at the cap" || c.Equilibrium || c.GreedyExploitability != nil || c.Smoothing != "" {
		t.Errorf("result.json convergence: %+v", c)
	}
}

// Prior descent at η = 0.1 on the beach bar alternates between two policies: the verdict says
// oscillating with period 2, and the mean over the last iterations, printed beside the last value,
// hardly depends on whether the run stops at an even or an odd iteration, where the last value does.
func TestSummaryOscillating(t *testing.T) {
	var last, means []float64
	for _, n := range []string{"50", "51"} {
		stdout, _, r := solveFor(t, "--game", "beach-bar", "--algorithm", "prior-descent", "--eta", "0.1", "--iterations", n)
		containsAll(t, "the summary", stdout, "verdict                 oscillating, not converged:", "with period 2",
			"exploitability mean", "Last policy π_"+n+" (oscillating: not an equilibrium)")
		c := r.Convergence
		if c.Verdict != "oscillating" || c.Period != 2 || c.Window != 25 || c.WindowMean == nil || c.Equilibrium {
			t.Fatalf("result.json convergence: %+v", c)
		}
		if !(*c.WindowMin <= *c.WindowMean && *c.WindowMean <= *c.WindowMax) {
			t.Errorf("window mean %v outside [%v, %v]", *c.WindowMean, *c.WindowMin, *c.WindowMax)
		}
		last, means = append(last, *r.Exploitability), append(means, *c.WindowMean)
	}
	if d, dm := math.Abs(last[0]-last[1]), math.Abs(means[0]-means[1]); !(dm < d/5) {
		t.Errorf("last values %v differ by %v, window means %v by %v: the mean should be far steadier", last, d, means, dm)
	}
}

// An algorithm named on the command line over a file written for another runs as its preset
// defines it (the file's restated defaults are dropped, and a note says so); a value of the file
// that is neither algorithm's default is refused; a run whose preset parts are changed says so.
func TestPresetPrecedence(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runMFG(t, "solve", "--iterations", "2", "--out", dir, "--no-progress"); code != 0 {
		t.Fatalf("exit status %d: %s", code, stderr)
	}
	stdout, stderr, r := solveFor(t, "--config", filepath.Join(dir, "resolved.yaml"), "--algorithm", "gmf-v")
	if !strings.HasPrefix(stdout, "gmf-v on auction (10 states, 10 actions, γ = 0.8), value iteration") || strings.Contains(stdout, "Q-learning") {
		t.Errorf("the header does not name what ran:\n%s", stdout)
	}
	containsAll(t, "stderr", stderr, "mfg: note: algorithm gmf-v (command line) replaces the file's gmf-q defaults:", "inner: q-learning (now value-iteration)", "projection: epsilon-net (now none)")
	if len(r.PresetChanges) != 0 {
		t.Errorf("preset_changes %v, want none", r.PresetChanges)
	}
	conflict := writeFile(t, "run.yaml", "algorithm: gmf-q\nprojection: bogus\n")
	assertRefused(t, []string{"solve", "--config", conflict, "--algorithm", "gmf-v", "--out", t.TempDir()},
		"algorithm = gmf-v (command line) conflicts with", "run.yaml, line 2: projection: bogus")
	stdout, _, r = solveFor(t, "--algorithm", "gmf-v", "--inner", "q-learning", "--iterations", "2")
	containsAll(t, "the summary", stdout, "gmf-v changed from its preset: inner q-learning (gmf-v: value-iteration), on auction")
	if len(r.PresetChanges) != 1 || r.PresetChanges[0] != "inner q-learning (gmf-v: value-iteration)" {
		t.Errorf("preset_changes %v", r.PresetChanges)
	}
}
