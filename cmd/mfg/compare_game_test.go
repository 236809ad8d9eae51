package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// mfg compare --game left-right at small sizes: the labelled table (both methods, the solve's
// status, what ε is), the four files, and the same table whatever the workers.
func TestCompareGameTable(t *testing.T) {
	run := func(workers string) string {
		dir := t.TempDir()
		code, stdout, stderr := runMFG(t, "compare", "--game", "left-right", "--players", "3", "--paths", "2", "--episodes", "100",
			"--checkpoints", "2", "--eval-episodes", "100", "--eval-train-episodes", "20", "--iterations", "30",
			"--workers", workers, "--no-progress", "--out", dir)
		if code != 0 {
			t.Fatalf("exit status %d: %s", code, stderr)
		}
		for _, f := range []string{"paths.csv", "summary.csv", "config.yaml", "epsilon.svg"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("%s not written: %v", f, err)
			}
		}
		csv, err := os.ReadFile(filepath.Join(dir, "paths.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(csv), "\n"); n != 1+2*3 {
			t.Errorf("paths.csv has %d lines, want a header and 2 paths × (2 IL checkpoints + 1)", n)
		}
		return stdout[strings.Index(stdout, "\nMETHOD"):strings.Index(stdout, "Results in")]
	}
	one := run("1")
	for _, want := range []string{"MEAN ε", "90% CI OF THE MEAN", "MEAN RATIO", "MEAN ε_i OVER AGENTS", "MEAN V_i(π)", "BEST-RESPONSE CLASS",
		"mean-field (fictitious-play)", "IL (100 episodes)", "own state and time, learned", "Lower mean ε"} {
		if !strings.Contains(one, want) {
			t.Errorf("table lacks %q:\n%s", want, one)
		}
	}
	if two := run("2"); two != one {
		t.Errorf("workers 1 and 2 differ:\n%s\n%s", one, two)
	}
	dir := t.TempDir()
	_, stdout, _ := runMFG(t, "compare", "--game", "left-right", "--players", "3", "--paths", "1", "--episodes", "50", "--checkpoints", "1",
		"--eval-episodes", "50", "--eval-train-episodes", "10", "--iterations", "10", "--no-progress", "--out", dir)
	for _, want := range []string{"converged on 0 of 1 paths; where not, π is the last iterate, not an equilibrium", "n/a (1 path)", "not distinguishable with 1 path"} {
		if !strings.Contains(stdout, want) || strings.Contains(stdout, "NaN") {
			t.Errorf("one path: lacks %q or shows NaN:\n%s", want, stdout)
		}
	}
}

// Bad input exits 2 naming the field and the value, before any work; the two comparisons refuse
// each other's flags.
func TestCompareGameBadInputExitsTwo(t *testing.T) {
	out := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--game", "beach-bar", "--states", "5"}, "--states: applies to the auction's comparison only"},
		{[]string{"--episodes", "5"}, "--episodes: applies to a game other than the auction"},
		{[]string{"--game", "auction", "--param", "states=5"}, "--param: applies to a game other than the auction"},
		{[]string{"--game", "beach-bar", "--players", "1"}, "players = 1"},
		{[]string{"--game", "beach-bar", "--paths", "0"}, "paths = 0"},
		{[]string{"--game", "beach-bar", "--episodes", "0"}, "episodes = 0"},
		{[]string{"--game", "beach-bar", "--explore-end", "2"}, "explore-end = 2"},
		{[]string{"--game", "beach-bar", "--eval-episodes", "1"}, "eval-episodes = 1"},
		{[]string{"--game", "beach-bar", "--param", "n=0"}, "n = 0"},
		{[]string{"--game", "beach-bar", "--algorithm", "nosuch"}, "nosuch"},
		{[]string{"--game", "predator-prey"}, "multi-population"},
		{[]string{"--game", "nosuchgame"}, "nosuchgame"},
		{[]string{"--game", "beach-bar", "--workers", "-1"}, "workers = -1"},
	} {
		assertRefused(t, append(append([]string{"compare"}, c.args...), "--out", out), c.want)
	}
}

// mfg compare --help describes the comparison on any other game.
func TestCompareHelpDescribesOtherGames(t *testing.T) {
	_, stdout, _ := runMFG(t, "compare", "--help")
	for _, want := range []string{"On any other game (--game G", "independent", "argmax-e", "--eval-episodes", "never below 0"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

// mfg compare --game with a training of 10⁹ episodes, sent SIGTERM, exits 130 within 2 s saying
// it was interrupted, and writes nothing.
func TestCompareGameStopsOnSignal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program and interrupts a long run")
	}
	bin := filepath.Join(t.TempDir(), "mfg")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out := filepath.Join(t.TempDir(), "out")
	line, took := interrupt(t, bin, []string{"compare", "--game", "beach-bar", "--episodes", "1000000000", "--paths", "2",
		"--out", out, "--no-progress"}, syscall.SIGTERM, 700*time.Millisecond)
	t.Logf("exit 130 after %v: %s", took.Round(time.Millisecond), line)
	if !strings.Contains(line, "nothing written") {
		t.Errorf("the line does not say nothing was written: %s", line)
	}
	if _, err := os.Stat(filepath.Join(out, "summary.csv")); !os.IsNotExist(err) {
		t.Errorf("summary.csv written by an interrupted comparison (%v)", err)
	}
}
