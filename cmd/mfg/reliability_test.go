package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// refused runs mfg and requires exit status 2, one line on stderr containing want, and (when
// quick) an answer before any solving could have happened.
func refused(t *testing.T, want string, args ...string) {
	t.Helper()
	start := time.Now()
	assertRefused(t, args, want)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("%v: refused after %v, want before any work", args, d)
	}
}

// --out is checked before any work: a file, or a folder with files mfg solve did not write
// (unless --force), is refused with exit 2 and left as it was; a killed run's temporary files are
// cleaned; a folder of an earlier solve is reused.
func TestOutFolderCheckedFirst(t *testing.T) {
	file := writeFile(t, "a-file", "x")
	refused(t, "not a directory", "solve", "--out", file, "--no-progress")
	foreign := t.TempDir()
	notes := filepath.Join(foreign, "notes.txt")
	if err := os.WriteFile(notes, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	refused(t, "did not write (notes.txt", "solve", "--out", foreign, "--no-progress", "--iterations", "1000000")
	refused(t, "did not write", "solve", "--game", "beach-bar", "--out", foreign, "--no-progress")
	if entries, _ := os.ReadDir(foreign); len(entries) != 1 {
		t.Errorf("the refused folder was changed: %v", entries)
	}
	if code, _, stderr := runMFG(t, "solve", "--game", "left-right", "--out", foreign, "--force", "--no-progress"); code != 0 {
		t.Fatalf("--force: exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(notes); string(b) != "mine" {
		t.Error("--force replaced a file mfg solve does not write")
	}
	// Other commands' folders (out/sweep-NAME, out/reproduce) and an earlier version's solve
	// files are not foreign: the README's first command works in a used ./out.
	used := t.TempDir()
	if err := os.MkdirAll(filepath.Join(used, "sweep-x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(used, "trace.csv"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runMFG(t, "solve", "--game", "left-right", "--out", used, "--no-progress"); code != 0 {
		t.Fatalf("a used out folder: exit %d: %s", code, stderr)
	}
	ours := t.TempDir()
	if code, _, stderr := runMFG(t, "solve", "--game", "left-right", "--out", ours, "--no-progress"); code != 0 {
		t.Fatal(stderr)
	}
	stale := filepath.Join(ours, ".trace.csv.tmp-12345")
	if err := os.WriteFile(stale, []byte("partial"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runMFG(t, "solve", "--game", "left-right", "--out", ours, "--no-progress"); code != 0 {
		t.Fatalf("a second solve into a solve's folder: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("a killed run's temporary file was not cleaned")
	}
}

// Input that YAML would silently change is refused: a fraction where a whole number is wanted,
// in a configuration file or a sweep, and a file of several documents.
func TestNoSilentlyChangedInput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	refused(t, "iterations = 2.5: must be a whole number", "solve", "--config", writeFile(t, "c.yaml", "iterations: 2.5\n"), "--out", out)
	refused(t, "replicates = 2.5: must be a whole number", "sweep", writeFile(t, "r.yaml", "name: r\nreplicates: 2.5\nbase: {game: left-right}\n"), "--out", out)
	refused(t, "players = 2.5: must be a whole number", "compare", "--config", writeFile(t, "cc.yaml", "players: 2.5\n"), "--out", out)
	refused(t, "more than one YAML document", "solve", "--config", writeFile(t, "m.yaml", "game: auction\n---\ngame: beach-bar\n"), "--out", out)
	refused(t, "param steps = 100.5: must be a whole number", "sweep", writeFile(t, "s.yaml", "name: s\nbase: {game: auction, iterations: 2}\naxes: {steps: [100.5, 200]}\n"), "--out", out)
	refused(t, "base: iterations = 2.5", "sweep", writeFile(t, "s2.yaml", "name: s\nbase: {game: auction, iterations: 2.5}\n"), "--out", out)
	// Every run of a sweep is resolved before the first runs: a bad value, or a parameter on the
	// wrong game, is refused naming the run.
	refused(t, "run 1 (temperature=-2): temperature = -2", "sweep", writeFile(t, "s3.yaml", "name: s\nbase: {game: auction, iterations: 2}\naxes: {temperature: [1, -2, .nan]}\n"), "--out", out)
	refused(t, `game=left-right params.n=4): left-right: parameter "n" is unknown`, "sweep", writeFile(t, "s4.yaml", "name: s\nbase: {iterations: 2}\naxes: {game: [beach-bar, left-right], params.n: [4]}\n"), "--out", out)
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("a refused run wrote its output folder")
	}
}

// A discount so near 1 that value iteration cannot converge no longer yields a negative
// exploitability (it was about -262000): V* comes from policy iteration then, and a negative
// exploitability beyond rounding is an error, never a number.
func TestExploitabilityNearDiscountOneIsNotNegative(t *testing.T) {
	if testing.Short() {
		t.Skip("100000 value-iteration sweeps per evaluation")
	}
	out := t.TempDir()
	code, _, stderr := runMFG(t, "solve", "--algorithm", "gmf-v", "--discount", "0.999999", "--iterations", "2", "--compare-to-gmf-v=false", "--out", out, "--no-progress")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	trace, err := os.ReadFile(filepath.Join(out, "trace.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(trace)), "\n")[1:] {
		if cells := strings.Split(line, ","); strings.HasPrefix(cells[1], "-") {
			t.Errorf("negative exploitability: %s", line)
		}
	}
}

// Every command checks --out before any work: a file in its place is refused with exit 2.
func TestOutIsCheckedFirstByEveryCommand(t *testing.T) {
	file := writeFile(t, "a-file", "x")
	sweepFile := writeFile(t, "s.yaml", "name: s\nbase: {game: left-right, iterations: 2}\n")
	refused(t, "not a directory", "compare", "--out", file, "--no-progress")
	refused(t, "not a directory", "reproduce", "--quick", "--out", file, "--no-progress")
	refused(t, "not a directory", "sweep", sweepFile, "--out", file)
}

// A solve's folder holds a complete set only with its manifest, written last, which lists the
// files and the status; value iteration stopped at its cap is recorded and said.
func TestManifestAndInnerConvergence(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runMFG(t, "solve", "--algorithm", "gmf-v", "--sweeps", "3", "--iterations", "2", "--compare-to-gmf-v=false", "--out", out, "--no-progress")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "stopped at its cap before converging in 2 of 2 iterations") {
		t.Errorf("the summary does not say that value iteration stopped at its cap:\n%s", stdout)
	}
	trace, _ := os.ReadFile(filepath.Join(out, "trace.csv"))
	rows := strings.Split(strings.TrimSpace(string(trace)), "\n")
	if !strings.Contains(rows[0], "inner_converged") || !strings.Contains(rows[2], ",3,false") {
		t.Errorf("trace.csv does not record the unconverged sweeps:\n%s", trace)
	}
	manifest, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"status":"completed"`, `"result.json"`, `"trace.csv"`, `"iterations":2`} {
		if !strings.Contains(string(manifest), want) {
			t.Errorf("manifest.json lacks %s: %s", want, manifest)
		}
	}
}
