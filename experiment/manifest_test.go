package experiment

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// A set of results that could not be written whole has no manifest: a write that fails half-way
// (here trace.json cannot replace a folder of that name, as a full disk would fail it) leaves the
// earlier files but no manifest.json, and the error says so; a set written whole has one.
func TestManifestOnlyForCompleteSets(t *testing.T) {
	cfg := DefaultSolveConfig()
	cfg.Run.Game, cfg.Run.Iterations = "left-right", 3
	dir := t.TempDir()
	if _, err := RunSolve(context.Background(), cfg, dir, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ManifestName)); err != nil {
		t.Fatalf("a complete set has no manifest: %v", err)
	}
	broken := t.TempDir()
	if err := os.MkdirAll(filepath.Join(broken, "trace.json", "in-the-way"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := RunSolve(context.Background(), cfg, broken, nil); err == nil {
		t.Fatal("writing over a folder named trace.json succeeded")
	}
	if _, err := os.Stat(filepath.Join(broken, ManifestName)); !os.IsNotExist(err) {
		t.Errorf("an incomplete set has a manifest (%v)", err)
	}
}
