package sweep

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meanfield/experiment"
)

// A sweep one of whose runs, or whose list of runs, is too large for the limit is refused by
// ParseWithin, naming the run or the product; a sweep file is read up to 16 MiB.
func TestParseWithinRefusesLargeSweeps(t *testing.T) {
	for _, c := range []struct {
		text  string
		limit int64
		want  []string
	}{
		{"name: grid\nbase: {game: crowd-motion, trace-matrices: 1}\naxes: {params.torus-l: [10, 100000], params.torus-w: [10, 100000]}\n", 1 << 30,
			[]string{"run 1 (params.torus-l=10 params.torus-w=100000): crowd-motion: about", "states 1e6 × actions 5 × times 4", "101 iterations kept", "over --max-memory 1 GiB", "torus-w"}},
		{"name: many\nreplicates: 10000000\nbase: {game: left-right}\n", 1 << 30,
			[]string{"sweep many: about", "runs 1e7", "replicates"}},
	} {
		_, err := ParseWithin([]byte(c.text), c.limit)
		var me *experiment.MemoryError
		if !errors.As(err, &me) {
			t.Fatalf("%v, want a *experiment.MemoryError", err)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q does not name %q", err, w)
			}
		}
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		if _, err := Load("/dev/zero"); err == nil || !strings.Contains(err.Error(), "sweep file = /dev/zero: larger than 16 MiB") {
			t.Errorf("/dev/zero: %v", err)
		}
	}
}

// RunSweep refuses too many workers, and runs at once too large for the limit, before it touches
// the results folder; the estimate is the largest run's times the runs at once.
func TestRunSweepChecksWorkersAndMemoryFirst(t *testing.T) {
	s, err := ParseWithin([]byte("name: par\nbase: {game: beach-bar, params: {n: 1000}, iterations: 10}\naxes: {params.T: [10, 20, 30, 40]}\n"), 200<<20)
	if err != nil {
		t.Fatal(err)
	}
	one, four := s.Memory(1, len(s.Runs)), s.Memory(4, len(s.Runs))
	if four.Bytes() != 4*one.Bytes() || s.Memory(8, 2).Bytes() != 2*one.Bytes() {
		t.Errorf("runs at once: 1 → %v bytes, 4 → %v", one.Bytes(), four.Bytes())
	}
	for _, c := range []struct {
		workers int
		want    string
	}{{1000000, "workers = 1000000: at most"}, {4, "4 runs at once (workers 4)"}} {
		dir := filepath.Join(t.TempDir(), "out")
		s.MaxMemory = int64(2.5 * one.Bytes())
		if _, err := RunSweep(context.Background(), s, dir, Options{Workers: c.workers}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("workers %d: %v, want %q", c.workers, err, c.want)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("workers %d: the results folder was created", c.workers)
		}
	}
}
