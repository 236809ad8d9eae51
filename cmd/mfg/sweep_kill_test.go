package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A sweep process killed with SIGKILL midway, started again, finishes the rest without redoing any
// finished run.
func TestKilledSweepProcessResumes(t *testing.T) {
	bin := mfgBinary(t)
	file := writeFile(t, "sweep.yaml", "name: kill\nseed: 3\nreplicates: 40\nbase: {game: auction, iterations: 5, steps: 2000, compare-to-gmf-v: false}\naxes: {temperature: [2, 4, 8]}\n")
	out := t.TempDir()
	cmd := exec.Command(bin, "sweep", file, "--out", out, "--no-progress", "--workers", "1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	runs := filepath.Join(out, "runs")
	records := func() []string {
		entries, _ := os.ReadDir(runs)
		var names []string
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".json") && !strings.HasPrefix(e.Name(), ".") {
				names = append(names, e.Name())
			}
		}
		return names
	}
	deadline := time.Now().Add(60 * time.Second)
	for len(records()) < 10 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	done := records()
	if len(done) < 10 || len(done) >= 120 {
		t.Fatalf("%d records when killed; want the sweep stopped midway", len(done))
	}
	mtimes := map[string]time.Time{}
	for _, n := range done {
		fi, err := os.Stat(filepath.Join(runs, n))
		if err != nil {
			t.Fatal(err)
		}
		mtimes[n] = fi.ModTime()
	}
	time.Sleep(10 * time.Millisecond)
	res, err := exec.Command(bin, "sweep", file, "--out", out, "--no-progress").CombinedOutput()
	if err != nil {
		t.Fatalf("restart: %v\n%s", err, res)
	}
	want := "found " + strconv.Itoa(len(done)) + " finished"
	if !strings.Contains(string(res), want) || !strings.Contains(string(res), "merged 120 runs") {
		t.Errorf("restart output lacks %q or the merge:\n%s", want, res)
	}
	for n, m := range mtimes {
		fi, err := os.Stat(filepath.Join(runs, n))
		if err != nil || !fi.ModTime().Equal(m) {
			t.Errorf("finished run %s was redone", n)
		}
	}
	if n := len(records()); n != 120 {
		t.Errorf("%d records after the restart, want 120", n)
	}
}
