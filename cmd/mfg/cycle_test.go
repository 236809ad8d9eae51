package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// GMF-V at c = 20 on the default auction stops as L approaches its cycle of period 2 (iteration
// 39 of 300; the cycle closes to 1e-10 at 285, see algorithms.TestGMFVStopsApproachingCycle):
// the summary says so and that there is no equilibrium, never that it converged, and result.json
// records status "cycled" with the period and the start.
func TestSolveStopsAtCycle(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runMFG(t, "solve", "--algorithm", "gmf-v", "--temperature", "20", "--out", out, "--no-progress")
	if code != 0 {
		t.Fatalf("exit status %d: %s", code, stderr)
	}
	for _, want := range []string{
		"verdict                 cycling, no equilibrium: L approaches a cycle of period 2: for 30 iterations ||L_k - L_{k-2}||_1 <= 0.2 ||L_k - L_{k-1}||_1",
		"iterations              39 of at most 300",
		"Last policy π_39 (cycling: not an equilibrium)",
		"greedy deployment       exploitability",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the summary does not contain %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "converged:") || strings.Contains(stdout, "Equilibrium policy") {
		t.Errorf("a cycled solve is presented as converged:\n%s", stdout)
	}
	b, err := os.ReadFile(filepath.Join(out, "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Status      string
		Iterations  int
		CyclePeriod int  `json:"cycle_period"`
		CycleStart  *int `json:"cycle_start"`
		Convergence struct {
			Verdict     string
			Period      int
			Equilibrium bool
		}
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if res.Status != "cycled" || res.Iterations != 39 || res.CyclePeriod != 2 || res.CycleStart == nil || *res.CycleStart != 37 {
		t.Errorf("result.json: status %q, iterations %d, cycle_period %d, cycle_start %v", res.Status, res.Iterations, res.CyclePeriod, res.CycleStart)
	}
	if c := res.Convergence; c.Verdict != "cycling" || c.Period != 2 || c.Equilibrium {
		t.Errorf("result.json: convergence %+v, want cycling with period 2, no equilibrium", c)
	}
}
