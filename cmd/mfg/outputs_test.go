package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// readmeOutputs returns the files the README's Outputs table lists (the backquoted names in the
// first cell of each row of the table under "## Outputs").
func readmeOutputs(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "\n## Outputs\n")
	if start < 0 {
		t.Fatal("README has no Outputs section")
	}
	section := text[start+1:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	name := regexp.MustCompile("`([^`]+)`")
	var files []string
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 3 || strings.HasPrefix(strings.TrimSpace(cells[1]), "---") || strings.TrimSpace(cells[1]) == "file" {
			continue
		}
		for _, m := range name.FindAllStringSubmatch(cells[1], -1) {
			files = append(files, m[1])
		}
	}
	sort.Strings(files)
	return files
}

// manifestFiles solves with args into a new folder and returns the files its manifest lists, and
// the manifest itself.
func manifestFiles(t *testing.T, args ...string) []string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runMFG(t, append([]string{"solve", "--out", out, "--no-progress"}, args...)...); code != 0 {
		t.Fatalf("%v: exit status %d: %s", args, code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Files []string }
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var onDisk []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			onDisk = append(onDisk, e.Name())
		}
	}
	sort.Strings(onDisk)
	files := append(slices.Clone(m.Files), "manifest.json")
	sort.Strings(files)
	if !slices.Equal(files, onDisk) {
		t.Errorf("%v: the manifest lists %v, the folder holds %v", args, files, onDisk)
	}
	return files
}

// The README's Outputs table lists exactly the files solves write: every file of every kind of
// solve is in it, and every file in it is written by some kind.
func TestReadmeOutputsTable(t *testing.T) {
	table := readmeOutputs(t)
	kinds := [][]string{
		{"--iterations", "2"}, // stationary, with the GMF-V reference
		{"--game", "crowd-modelling", "--iterations", "2", "--png"}, // the figures as PNG too
		{"--game", "building-evacuation", "--iterations", "2"},
		{"--game", "rock-paper-scissors", "--iterations", "2"},
	}
	written := map[string]bool{}
	for _, args := range kinds {
		for _, f := range manifestFiles(t, args...) {
			written[f] = true
			if !slices.Contains(table, f) {
				t.Errorf("%v writes %s, which the README's Outputs table does not list (%v)", args, f, table)
			}
		}
	}
	for _, f := range table {
		if !written[f] {
			t.Errorf("the README's Outputs table lists %s, which no solve wrote", f)
		}
	}
}

// A folder holding another solve's results is refused (exit 2, nothing replaced) unless --force;
// the same configuration again replaces its own.
func TestOtherRunsFolderRefused(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	solve := func(args ...string) (int, string) {
		code, _, stderr := runMFG(t, append([]string{"solve", "--out", out, "--no-progress", "--iterations", "2"}, args...)...)
		return code, stderr
	}
	if code, stderr := solve(); code != 0 {
		t.Fatal(stderr)
	}
	before, _ := os.ReadFile(filepath.Join(out, "result.json"))
	assertRefused(t, []string{"solve", "--out", out, "--no-progress", "--iterations", "2", "--game", "beach-bar"},
		"the folder holds the results of another solve (gmf-q on auction, 2 iterations)", "--force")
	if after, _ := os.ReadFile(filepath.Join(out, "result.json")); string(after) != string(before) {
		t.Error("the refused solve changed result.json")
	}
	if code, stderr := solve(); code != 0 {
		t.Errorf("the same configuration again: exit %d: %s", code, stderr)
	}
	if code, stderr := solve("--game", "beach-bar", "--force"); code != 0 {
		t.Errorf("--force: exit %d: %s", code, stderr)
	}
}

// A seed that no random number uses does not make another run: GMF-V from a file with seed 5
// replaces the results of GMF-V (seed 1), while GMF-Q, which draws, refuses another seed.
func TestUnusedSeedIsTheSameRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	file := writeFile(t, "run.yaml", "algorithm: gmf-v\nseed: 5\niterations: 2\n")
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"--algorithm", "gmf-v", "--iterations", "2"}, 0},
		{[]string{"--config", file}, 0},
		{[]string{"--algorithm", "gmf-q", "--iterations", "2", "--force"}, 0},
		{[]string{"--algorithm", "gmf-q", "--iterations", "2", "--seed", "2"}, 2},
	} {
		code, _, stderr := runMFG(t, append([]string{"solve", "--out", out, "--no-progress"}, c.args...)...)
		if code != c.code {
			t.Errorf("%v: exit status %d, want %d: %s", c.args, code, c.code, stderr)
		}
	}
}

// A stationary solve reports Bench-MFG's exploitability beside the exact one, labelled, in the
// summary and result.json; a finite-horizon solve has none. On the contraction game the uniform
// policy sustains the uniform initial population, so the two definitions differ only by Bench-MFG's
// truncation at 99 backups: γ^99 ≈ 3e-5 relative.
func TestBenchMFGExploitabilityBesideOurs(t *testing.T) {
	dir := t.TempDir()
	read := func(out string) map[string]any {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(out, "result.json"))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	out := filepath.Join(dir, "contraction")
	code, stdout, stderr := runMFG(t, "solve", "--game", "contraction", "--algorithm", "online-mirror-descent", "--iterations", "1", "--out", out, "--no-progress")
	if code != 0 {
		t.Fatal(stderr)
	}
	m := read(out)
	ours, _ := m["exploitability"].(float64)
	bench, ok := m["benchmfg_exploitability"].(float64)
	if !ok || !(ours > 1) || math.Abs(bench-ours) > 1e-4*ours {
		t.Errorf("exploitability %v, Bench-MFG's %v (present %v): want both, within 1e-4 relative", ours, bench, ok)
	}
	if !strings.Contains(stdout, "Bench-MFG's definition") {
		t.Errorf("the summary does not show Bench-MFG's exploitability:\n%s", stdout)
	}
	out = filepath.Join(dir, "beach")
	if code, _, stderr := runMFG(t, "solve", "--game", "beach-bar", "--iterations", "1", "--out", out, "--no-progress"); code != 0 {
		t.Fatal(stderr)
	}
	if _, has := read(out)["benchmfg_exploitability"]; has {
		t.Error("a finite-horizon game's result.json has a Bench-MFG exploitability")
	}
}
