package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meanfield/gamefile"
)

// TestSolveGameFile solves examples/games/beach_bar.star from the command line and reads the
// file's path and hash back from manifest.json and result.json; the exploitability of the
// uniform policy (iteration 0) is the built-in beach bar's, 1.22126225529653 (mfg solve --game
// beach-bar).
func TestSolveGameFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join("..", "..", "examples", "games", "beach_bar.star")
	code, stdout, stderr := runMFG(t, "solve", "--game-file", file, "--iterations", "3", "--out", dir, "--no-progress")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "fictitious-play on beach-bar-file") || !strings.Contains(stdout, "k=0 1.22126") {
		t.Errorf("summary:\n%s", stdout)
	}
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"manifest.json", "result.json"} {
		var m struct {
			File string `json:"game_file"`
			Hash string `json:"game_file_sha256"`
		}
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &m); err != nil || m.File != file || m.Hash != gamefile.Hash(src) {
			t.Errorf("%s: game_file %q, sha256 %q (%v); want %q, %s", name, m.File, m.Hash, err, file, gamefile.Hash(src))
		}
	}
}

// TestGameFileInConfig gives the file as game-file: in a configuration, with a parameter.
func TestGameFileInConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "run.yaml")
	file, _ := filepath.Abs(filepath.Join("..", "..", "examples", "games", "crowd_modelling.star"))
	if err := os.WriteFile(cfg, []byte("game-file: "+file+"\nalgorithm: prior-descent\niterations: 2\nparams: {size: 6}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runMFG(t, "solve", "--config", cfg, "--out", filepath.Join(dir, "out"), "--no-progress")
	if code != 0 || !strings.Contains(stdout, "prior-descent on crowd-modelling-file (10 time steps t = 0..9, states [6]") {
		t.Errorf("exit %d, stderr %s, stdout:\n%s", code, stderr, stdout)
	}
}

// TestGameFileErrors: bad input from a game file, whether found when it is loaded or during the
// solve, exits with status 2 and names the file's line and column.
func TestGameFileErrors(t *testing.T) {
	bb := filepath.Join("..", "..", "examples", "games", "beach_bar.star")
	assertRefused(t, []string{"solve", "--game-file", bb, "--param", "n=2.5", "--out", t.TempDir()},
		"beach_bar.star:16:5: parameter n = 2.5: want an integer")
	assertRefused(t, []string{"solve", "--game-file", bb, "--param", "p-still=2", "--out", t.TempDir()},
		"beach_bar.star:43:13: in game(p): fail: p-still = 2.0")
	late := filepath.Join("testdata", "gamefile", "late_nan.star")
	code, _, stderr := runMFG(t, "solve", "--game-file", late, "--iterations", "2", "--out", t.TempDir(), "--no-progress")
	if code != 2 || !strings.Contains(stderr, "late_nan.star:2:1: in reward(t=1, s=1, a=0): the reward is NaN: must be finite") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
