package experiment

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"meanfield/engine"
)

// An interrupted solve writes the iterations done with status "interrupted" in result.json and
// draws no convergence plot; an earlier run's plot is removed rather than left beside them.
func TestInterruptedSolveIsMarkedAndNotPlotted(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"convergence.png", "convergence.svg"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("an earlier run's plot"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := DefaultSolveConfig()
	cfg.Run.Algorithm, cfg.Run.Iterations, cfg.Outputs.CompareToGMFV = "gmf-q", 50, false
	cfg.AlgorithmParams = map[string]any{"steps": 1000}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rep, err := RunSolve(ctx, cfg, dir, func(it engine.Iteration) {
		if it.K == 2 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || rep == nil || !rep.Interrupted {
		t.Fatalf("got %v (report %v), want an interrupted solve", err, rep)
	}
	b, err := os.ReadFile(filepath.Join(dir, "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res ResultJSON
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if res.Status != "interrupted" || res.Iterations != 2 {
		t.Errorf("result.json: status %q after %d iterations, want interrupted after 2", res.Status, res.Iterations)
	}
	for _, name := range []string{"convergence.png", "convergence.svg"} {
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s is there after an interrupted solve", name)
		}
	}
}
