package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"meanfield/algorithms"
	"meanfield/games"
)

// solveInto runs mfg solve with args into a new folder and returns it.
func solveInto(t *testing.T, args ...string) string {
	t.Helper()
	out := t.TempDir()
	if code, _, stderr := runMFG(t, append([]string{"solve", "--out", out, "--no-progress", "--force"}, args...)...); code != 0 {
		t.Fatalf("mfg solve %v: exit %d: %s", args, code, stderr)
	}
	return out
}

// readYAMLMap reads a configuration file written by mfg solve as a map, and its comment lines.
func readYAMLMap(t *testing.T, path string) (map[string]any, []string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var comments []string
	for _, line := range strings.Split(string(raw), "\n") {
		if n := utf8.RuneCountInString(line); n > 100 {
			t.Errorf("%s: a line of %d characters: %q", filepath.Base(path), n, line)
		}
		if strings.HasPrefix(line, "#") {
			comments = append(comments, line)
		}
	}
	m := map[string]any{}
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m, comments
}

// For a game of every kind (stationary with a model and a simulator, finite horizon, finite horizon
// in MFGLib's float32 arithmetic), and from a configuration file holding placeholders
// (algorithm: "", iterations: 0, arithmetic: "", params: {}), config.yaml holds no placeholder: no
// empty value, no iterations of 0. Its header says the truth: what it leaves out takes its default
// (resolved.yaml's algorithm is the game's default one, its iterations that algorithm's default),
// and `mfg solve --config config.yaml` repeats the run, as resolved.yaml does: the same trace.
func TestConfigYAMLHoldsNoPlaceholderAndItsHeaderIsTrue(t *testing.T) {
	placeholders := writeFile(t, "p.yaml", "game: beach-bar\nalgorithm: \"\"\niterations: 0\narithmetic: \"\"\nparams: {}\n")
	for _, args := range [][]string{
		{"--game", "auction", "--steps", "200"},
		{"--game", "beach-bar"},
		{"--game", "left-right", "--arithmetic", "mfglib-float32"},
		{"--config", placeholders},
	} {
		out := solveInto(t, args...)
		given, header := readYAMLMap(t, filepath.Join(out, "config.yaml"))
		resolved, _ := readYAMLMap(t, filepath.Join(out, "resolved.yaml"))
		for k, v := range given {
			if v == nil || v == "" || (k == "iterations" && v == 0) || isEmptyCollection(v) {
				t.Errorf("%v: config.yaml holds the placeholder %s: %v", args, k, v)
			}
		}
		text := strings.Join(header, " ")
		for _, claim := range []string{"takes its default", "resolved.yaml", "`mfg solve --config config.yaml` repeats the run"} {
			if !strings.Contains(text, claim) {
				t.Errorf("%v: config.yaml's header lacks %q: %s", args, claim, text)
			}
		}
		game, _ := resolved["game"].(string)
		g, err := games.New(game, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := given["algorithm"]; !ok {
			if def, _ := algorithms.DefaultFor(g); resolved["algorithm"] != def {
				t.Errorf("%v: algorithm left out, resolved to %v, not the default %s", args, resolved["algorithm"], def)
			}
		}
		if _, ok := given["iterations"]; !ok {
			e, _ := algorithms.Lookup(resolved["algorithm"].(string))
			if resolved["iterations"] != e.Iterations {
				t.Errorf("%v: iterations left out, resolved to %v, not %s's default %d", args, resolved["iterations"], e.Name, e.Iterations)
			}
		}
		trace := readFile(t, filepath.Join(out, "trace.csv"))
		for _, file := range []string{"config.yaml", "resolved.yaml"} {
			again := readFile(t, filepath.Join(solveInto(t, "--config", filepath.Join(out, file)), "trace.csv"))
			if !bytes.Equal([]byte(trace), []byte(again)) {
				t.Errorf("%v: rerun from %s gives another trace", args, file)
			}
		}
	}
}

// isEmptyCollection reports an empty list or mapping.
func isEmptyCollection(v any) bool {
	switch x := v.(type) {
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}
