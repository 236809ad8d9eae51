package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --quick writes into its own folder by default, so a quick run neither replaces nor hides the
// full run's results; and a later --only says which finished experiments it kept.
func TestReproduceQuickHasItsOwnFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two experiments of the quick reproduction and one of the full")
	}
	t.Chdir(t.TempDir())
	code, stdout, stderr := runMFG(t, "reproduce", "--quick", "--only", "q-heatmaps", "--no-progress")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join("out", "reproduce-quick", "q-heatmaps", "outcome.json")); err != nil {
		t.Errorf("--quick did not write into out/reproduce-quick: %v", err)
	}
	if _, err := os.Stat(filepath.Join("out", "reproduce")); err == nil {
		t.Error("--quick wrote into out/reproduce, the full run's folder")
	}
	if !strings.Contains(stdout, "Reproduction in out/reproduce-quick/") {
		t.Errorf("the summary does not name out/reproduce-quick:\n%s", stdout)
	}

	code, _, stderr = runMFG(t, "reproduce", "--only", "q-heatmaps", "--no-progress")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join("out", "reproduce", "q-heatmaps", "outcome.json")); err != nil {
		t.Errorf("the full run did not write into out/reproduce: %v", err)
	}

	code, stdout, stderr = runMFG(t, "reproduce", "--quick", "--only", "delta-q", "--no-progress")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"ran 1 experiment (delta-q); kept 1 experiment (q-heatmaps) finished earlier with the same configuration",
		"not in the report: naive: not run in this folder yet: --only left it out",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the summary lacks %q:\n%s", want, stdout)
		}
	}
}
