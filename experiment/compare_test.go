package experiment

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// An interrupted comparison returns the interruption and writes nothing, even when the job in
// progress finished its last estimate.
func TestInterruptedCompareWritesNothing(t *testing.T) {
	cfg := DefaultCompareConfig()
	cfg.Paths, cfg.Checkpoints, cfg.Iterations, cfg.Steps = 3, 1, 2, 100
	cfg.EvalStates, cfg.EvalRollouts, cfg.BestResponseRounds = 2, 1, 20
	dir := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := RunCompare(ctx, cfg, dir, 1, func(done, total int) {
		if done == 1 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "summary.csv")); !os.IsNotExist(err) {
		t.Error("an interrupted comparison wrote summary.csv")
	}
}
