package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// forbiddenFragments are pieces of Go's or the YAML decoder's own words that a message to the user
// must not hold: Go type names, the decoder's tags and verbs, formatting mistakes.
var forbiddenFragments = []string{"unmarshal", "!!", "experiment.", "main.", "sweep.", "strconv", "reflect",
	"type struct", "%!", "interface {}", "map[string]", "[]float64", "[]int", "uint64", "float64", " yaml:"}

// checkPlainMessage fails when msg holds a forbidden fragment.
func checkPlainMessage(t testing.TB, input, msg string) {
	t.Helper()
	for _, f := range forbiddenFragments {
		if strings.Contains(msg, f) {
			t.Errorf("%s: message holds %q: %s", input, f, msg)
		}
	}
}

// Bad input, whatever its path (a configuration file, --param, a flag, a sweep file), is refused
// with exit status 2 and one line naming the key and the value, in the user's words: no Go type,
// no decoder jargon.
func TestBadInputMessagesAreInTheUsersWords(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	solveFile := func(name, content string) []string {
		return []string{"solve", "--config", file(name, content), "--out", filepath.Join(dir, "out-"+name), "--no-progress"}
	}
	sweepFile := func(name, content string) []string {
		return []string{"sweep", file(name, content), "--out", filepath.Join(dir, "sweep-"+name), "--no-progress"}
	}
	solve := func(args ...string) []string {
		return append([]string{"solve", "--out", filepath.Join(dir, "out-flags"), "--no-progress"}, args...)
	}
	for _, c := range []struct {
		name string
		args []string
		want []string // the key, the value, and what is expected or known
	}{
		// A configuration file: typos in keys, at the top level and under params:.
		{"top-level typo", solveFile("a.yaml", "gam: auction\n"), []string{"gam", "line 1", "did you mean game?"}},
		{"typo under params", solveFile("b.yaml", "game: auction\nparams: {state: 3}\n"), []string{`"state"`, "line 2", "known: states", "did you mean states?"}},
		{"typo of an algorithm parameter", solveFile("c.yaml", "game: auction\ntemperatur: 3\n"), []string{"temperatur", "line 2", "did you mean temperature?"}},
		// Wrong types of run keys.
		{"int run key", solveFile("d.yaml", "game: auction\niterations: abc\n"), []string{"iterations = abc", "line 2", "whole number"}},
		{"unsigned run key", solveFile("e.yaml", "game: auction\nseed: -1\n"), []string{"seed = -1", "line 2", "whole number ≥ 0"}},
		{"bool run key", solveFile("f.yaml", "game: auction\nexploitability: maybe\n"), []string{"exploitability = maybe", "true or false"}},
		{"string run key given a list", solveFile("g.yaml", "game: [auction]\n"), []string{"game = [auction]", "text, not a list"}},
		{"fraction for an int run key", solveFile("h.yaml", "game: auction\niterations: 2.5\n"), []string{"iterations = 2.5", "whole number"}},
		{"params given a list", solveFile("i.yaml", "game: auction\nparams: [1, 2]\n"), []string{"params = [1, 2]", "mapping", "not a list"}},
		{"document a list", solveFile("j.yaml", "- game\n- auction\n"), []string{"line 1", "mapping of keys to values", "not a list"}},
		{"key given twice", solveFile("k.yaml", "game: auction\ngame: congestion\n"), []string{"game", "line 2", "twice"}},
		{"not YAML", solveFile("l.yaml", "game: {auction\n"), []string{"not valid YAML", "line"}},
		// Wrong types of game and algorithm parameters in a file.
		{"int parameter", solveFile("m.yaml", "game: auction\nparams: {states: abc}\n"), []string{"states = abc", "line 2", "whole number"}},
		{"float parameter", solveFile("n.yaml", "game: auction\nparams: {discount: high}\n"), []string{"discount = high", "a number"}},
		{"bool parameter", solveFile("o.yaml", "game: crowd-modelling\nparams: {openspiel-costs: maybe}\n"), []string{"openspiel-costs = maybe", "true or false"}},
		{"list parameter", solveFile("p.yaml", "game: auction\nparams: {conversion-values: [1, x]}\n"), []string{"conversion-values", "x", "a whole number"}},
		{"pairs parameter", solveFile("q.yaml", "game: crowd-motion\nparams: {bar-locs: abc}\n"), []string{"bar-locs = abc", "list of lists of 2 whole numbers"}},
		{"float algorithm parameter", solveFile("r.yaml", "game: auction\ntemperature: warm\n"), []string{"temperature = warm", "a number"}},
		// --param and flags.
		{"--param int", solve("--param", "states=abc"), []string{"states = abc", "whole number"}},
		{"--param typo", solve("--param", "stats=3"), []string{`"stats"`, "did you mean states?"}},
		{"--param list", solve("--game", "beach-bar", "--param", "mu0=[0.5, x]"), []string{"mu0", "x", "a number"}},
		{"--param bad YAML", solve("--param", "discount=[1"), []string{"discount", `"[1"`, "cannot be read"}},
		{"--param pair", solve("--game", "crowd-motion", "--param", "bar-locs=[[1, 2, 3]]"), []string{"bar-locs = [[1, 2, 3]]", "2 entries"}},
		{"--param bool", solve("--game", "crowd-modelling", "--param", "openspiel-costs=maybe"), []string{"openspiel-costs = maybe", "true or false"}},
		{"int flag", solve("--iterations", "abc"), []string{`--iterations = "abc"`, "whole number"}},
		{"unsigned flag", solve("--seed", "-1"), []string{`--seed = "-1"`, "whole number ≥ 0"}},
		{"bool flag", solve("--exploitability=maybe"), []string{`--exploitability = "maybe"`, "true or false"}},
		{"float flag", solve("--temperature", "warm"), []string{"temperature = warm", "a number"}},
		{"int alias flag", solve("--states", "2.5"), []string{"states = 2.5", "whole number"}},
		{"unknown flag", solve("--iteration", "3"), []string{"--iteration", "did you mean --iterations?"}},
		{"compare int flag", []string{"compare", "--paths", "many"}, []string{`--paths = "many"`, "whole number"}},
		// Sweep files.
		{"sweep typo", sweepFile("s1.yaml", "nam: x\nbase: {game: auction}\n"), []string{"nam", "line 1", "known keys", "did you mean name?"}},
		{"sweep int", sweepFile("s2.yaml", "base: {game: auction}\nreplicates: abc\n"), []string{"replicates = abc", "line 2", "whole number"}},
		{"sweep base int", sweepFile("s3.yaml", "base: {game: auction, iterations: abc}\n"), []string{"base", "iterations = abc", "whole number"}},
		{"sweep base typo", sweepFile("s4.yaml", "base: {game: auction, gam: x}\n"), []string{"gam", "did you mean game?"}},
		{"sweep range", sweepFile("s5.yaml", "base: {game: auction}\naxes:\n  temperature: {from: abc, to: 3, step: 1}\n"), []string{"axes.temperature.from = abc", "line 3", "a number"}},
		{"sweep axis param", sweepFile("s6.yaml", "base: {game: auction}\naxes:\n  params.states: [2, abc]\n"), []string{"states = abc", "whole number"}},
		{"sweep base list", sweepFile("s7.yaml", "base: [1]\n"), []string{"base = [1]", "mapping", "not a list"}},
		{"sweep seed", sweepFile("s8.yaml", "base: {game: auction}\nseed: -3\n"), []string{"seed = -3", "whole number ≥ 0"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runMFG(t, c.args...)
			if code != 2 || stdout != "" {
				t.Fatalf("%v: exit %d, stdout %q, stderr %q; want exit 2 and nothing on stdout", c.args, code, stdout, stderr)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "mfg: ") {
				t.Errorf("not one line starting mfg: %q", stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("message lacks %q: %s", w, stderr)
				}
			}
			checkPlainMessage(t, strings.Join(c.args, " "), stderr)
		})
	}
}

// A misspelt game parameter at the top level of a configuration (overbid_penalty for the
// auction's overbid-penalty) is refused with the game parameter it resembles.
func TestMisspeltGameParameterSuggested(t *testing.T) {
	file := writeFile(t, "bad.yaml", "game: auction\noverbid_penalty: 0.3\n")
	assertRefused(t, []string{"solve", "--config", file, "--out", t.TempDir()},
		"overbid_penalty (", "line 2", "did you mean the parameter overbid-penalty of the game auction (under params: or --param overbid-penalty=VALUE)?")
}
