package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// mfg nplayer on left-right: a labelled table, the solve's status and mean-field exploitability,
// the slope line, the four files; the same seed gives the same table whatever the workers.
func TestNPlayerOutputs(t *testing.T) {
	run := func(workers string) string {
		dir := t.TempDir()
		code, stdout, stderr := runMFG(t, "nplayer", "--game", "left-right", "--players", "2,4,8", "--episodes", "200",
			"--train-episodes", "50", "--iterations", "30", "--workers", workers, "--no-progress", "--out", dir)
		if code != 0 {
			t.Fatalf("exit status %d: %s", code, stderr)
		}
		for _, f := range []string{"nplayer.csv", "fit.csv", "config.yaml"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("%s not written: %v", f, err)
			}
		}
		csv, err := os.ReadFile(filepath.Join(dir, "nplayer.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(csv), "\n"); n != 4 {
			t.Errorf("nplayer.csv has %d lines, want a header and 3 rows", n)
		}
		return stdout[strings.Index(stdout, "\nN "):strings.Index(stdout, "Results in")]
	}
	one := run("1")
	for _, want := range []string{"ε ESTIMATE", "95% INTERVAL", "RATIO", "BEST-RESPONSE CLASS", "own state and time, learned", "Slope of log ε"} {
		if !strings.Contains(one, want) {
			t.Errorf("output lacks %q:\n%s", want, one)
		}
	}
	if two := run("2"); two != one {
		t.Errorf("workers 1 and 2 differ:\n%s\n%s", one, two)
	}
}

// Bad input exits 2 naming the field and the value, before any work.
func TestNPlayerBadInputExitsTwo(t *testing.T) {
	out := t.TempDir()
	assertRefused(t, []string{"nplayer", "--game", "left-right", "--players", "1,5", "--out", out}, "players = 1")
	assertRefused(t, []string{"nplayer", "--game", "left-right", "--players", "5,3", "--out", out}, "increasing")
	assertRefused(t, []string{"nplayer", "--game", "left-right", "--meet", "nobody", "--out", out}, `meet = "nobody"`)
	assertRefused(t, []string{"nplayer", "--game", "predator-prey", "--out", out}, "multi-population")
	assertRefused(t, []string{"nplayer", "--game", "left-right", "--episodes", "1", "--out", out}, "episodes = 1")
	assertRefused(t, []string{"nplayer", "--game", "nosuchgame", "--out", out}, "nosuchgame")
}

// mfg nplayer --game-file on the beach-bar file gives the built-in beach-bar's nplayer.csv, byte
// for byte: the file's stages are the built-in game's, and the simulation draws the same numbers.
func TestNPlayerGameFile(t *testing.T) {
	run := func(game ...string) []byte {
		dir := t.TempDir()
		args := append([]string{"nplayer"}, game...)
		args = append(args, "--param", "n=5", "--players", "2,6", "--episodes", "100", "--train-episodes", "20",
			"--iterations", "20", "--no-progress", "--out", dir)
		code, _, stderr := runMFG(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit status %d: %s", game, code, stderr)
		}
		csv, err := os.ReadFile(filepath.Join(dir, "nplayer.csv"))
		if err != nil {
			t.Fatal(err)
		}
		return csv
	}
	builtin := run("--game", "beach-bar")
	if file := run("--game-file", "../../examples/games/beach_bar.star"); string(file) != string(builtin) {
		t.Errorf("the file's nplayer.csv differs from the built-in game's:\n%s\n%s", file, builtin)
	}
	assertRefused(t, []string{"nplayer", "--game-file", "nosuch.star", "--out", t.TempDir()}, "game-file = nosuch.star")
}
