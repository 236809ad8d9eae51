package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"meanfield/internal/mfglibref"
)

// runMFG runs the program in-process and returns its exit status, stdout and stderr.
func runMFG(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// assertRefused runs mfg with args and requires exit status 2, nothing on stdout, and one line on
// stderr starting with "mfg: " and containing every want.
func assertRefused(t *testing.T, args []string, want ...string) {
	t.Helper()
	code, stdout, stderr := runMFG(t, args...)
	if code != 2 {
		t.Fatalf("%v: exit status %d, want 2; stderr: %s", args, code, stderr)
	}
	if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "mfg: ") {
		t.Errorf("%v: stderr is not one line starting with \"mfg: \": %q", args, stderr)
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			t.Errorf("%v: stderr %q does not contain %q", args, stderr, w)
		}
	}
	if stdout != "" {
		t.Errorf("%v: stdout not empty on bad input: %q", args, stdout)
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Each bad input exits with status 2 and one line on stderr naming the field and the value.
func TestBadInputExitsTwoWithOneLine(t *testing.T) {
	malformed := writeFile(t, "bad.yaml", "states: [1, 2\niterations: 3\n")
	unknownKey := writeFile(t, "unknown.yaml", "statez: 3\n")
	cases := []struct {
		name string
		args []string
		want []string // substrings of the message
	}{
		{"negative size", []string{"--states", "-3"}, []string{"states = -3"}},
		{"negative actions", []string{"--actions", "-1"}, []string{"actions = -1"}},
		{"too few bidders", []string{"--players-per-auction", "1"}, []string{"players-per-auction = 1"}},
		{"transition does not sum to 1", []string{"--fulfillment-probs", "0.5,0.2,0.1"}, []string{"fulfillment-probs", "sums to 0.8"}},
		{"conversion probs do not sum to 1", []string{"--conversion-probs", "0.5,0.5,0.5,0,0"}, []string{"conversion-probs", "sums to 1.5"}},
		{"temperature zero", []string{"--temperature", "0"}, []string{"temperature = 0"}},
		{"temperature negative", []string{"--temperature", "-2"}, []string{"temperature = -2"}},
		{"discount above 1", []string{"--discount", "1.5"}, []string{"discount = 1.5"}},
		{"discount 1", []string{"--discount", "1"}, []string{"discount = 1"}},
		{"discount 0", []string{"--discount", "0"}, []string{"discount = 0"}},
		{"unknown algorithm", []string{"--algorithm", "sarsa"}, []string{`algorithm = "sarsa"`, "gmf-q"}},
		{"unknown game", []string{"--game", "chess"}, []string{`game = "chess"`, "auction"}},
		{"malformed YAML", []string{"--config", malformed}, []string{"config = " + malformed, "yaml"}},
		{"unknown YAML key", []string{"--config", unknownKey}, []string{"statez"}},
		{"missing config file", []string{"--config", "/nonexistent/run.yaml"}, []string{"config = /nonexistent/run.yaml"}},
		{"bad epsilon net", []string{"--epsilon-net", "0.3"}, []string{"epsilon-net = 0.3"}},
		{"zero steps", []string{"--steps", "0"}, []string{"steps = 0"}},
		{"zero iterations", []string{"--iterations", "-1"}, []string{"iterations = -1"}},
		{"unknown flag", []string{"--bogus"}, []string{"unknown flag", "--bogus"}},
		{"malformed flag value", []string{"--states", "ten"}, []string{"states", "ten"}},
		{"unknown policy map", []string{"--policy-map", "greedy"}, []string{`policy-map = "greedy"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assertRefused(t, append([]string{"solve", "--out", t.TempDir(), "--no-progress"}, c.args...), c.want...)
		})
	}
}

func TestUnknownCommandExitsTwo(t *testing.T) {
	code, _, stderr := runMFG(t, "solvee")
	if code != 2 || !strings.Contains(stderr, "unknown command") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

// The default solve with --png writes every output, and the same seed gives byte-identical files.
func TestSolveOutputsAndDeterminism(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two full default solves")
	}
	dirs := []string{t.TempDir(), t.TempDir()}
	for _, d := range dirs {
		code, stdout, stderr := runMFG(t, "solve", "--out", d, "--no-progress", "--png")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		for _, want := range []string{"gmf-q on auction", "exploitability of π_k", "distance to GMF-V", "Last policy π_20 (oscillating: not an equilibrium)"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("summary lacks %q:\n%s", want, stdout)
			}
		}
	}
	for _, name := range []string{"config.yaml", "trace.csv", "result.json", "trace.json", "convergence.png", "convergence.svg"} {
		a, err := os.ReadFile(filepath.Join(dirs[0], name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dirs[1], name))
		if err != nil {
			t.Fatal(err)
		}
		if len(a) == 0 {
			t.Errorf("%s is empty", name)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
}

// Flags override the configuration file, which overrides the defaults; the resolved configuration
// written next to the results reproduces the run.
func TestConfigPrecedenceAndRoundTrip(t *testing.T) {
	cfgPath := writeFile(t, "run.yaml", "game: congestion\nalgorithm: gmf-v\nparams: {locations: 4}\niterations: 7\nseed: 5\n")
	out := t.TempDir()
	code, _, stderr := runMFG(t, "solve", "--config", cfgPath, "--iterations", "3", "--out", out, "--no-progress", "--tolerance", "0")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	written, err := os.ReadFile(filepath.Join(out, "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"game: congestion", "iterations: 3", "seed: 5", "locations: 4", "algorithm: gmf-v"} {
		if !strings.Contains(string(written), want) {
			t.Errorf("resolved config lacks %q:\n%s", want, written)
		}
	}
	trace, _ := os.ReadFile(filepath.Join(out, "trace.csv"))
	if n := strings.Count(string(trace), "\n"); n != 1+4 {
		t.Errorf("trace.csv has %d lines, want header + iterations 0..3", n)
	}
	// Feeding the written configuration back gives the same results.
	out2 := t.TempDir()
	if code, _, stderr := runMFG(t, "solve", "--config", filepath.Join(out, "config.yaml"), "--out", out2, "--no-progress"); code != 0 {
		t.Fatalf("rerun from written config: exit %d: %s", code, stderr)
	}
	again, _ := os.ReadFile(filepath.Join(out2, "trace.csv"))
	if !bytes.Equal(trace, again) {
		t.Errorf("rerun from the written config.yaml gives a different trace")
	}
}

func TestListings(t *testing.T) {
	code, out, _ := runMFG(t, "games")
	if code != 0 || !strings.Contains(out, "auction") || !strings.Contains(out, "congestion") {
		t.Errorf("mfg games: exit %d\n%s", code, out)
	}
	code, out, _ = runMFG(t, "algorithms")
	for _, a := range []string{"gmf-v", "gmf-q", "naive"} {
		if code != 0 || !strings.Contains(out, a) {
			t.Errorf("mfg algorithms lacks %s: exit %d\n%s", a, code, out)
		}
	}
}

func TestCompareBadInputExitsTwo(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"fewer players than per auction", []string{"--players", "3"}, []string{"players = 3", "players-per-auction = 5"}},
		{"one player", []string{"--players", "1"}, []string{"players = 1"}},
		{"zero rounds", []string{"--rounds", "0"}, []string{"rounds = 0"}},
		{"unknown algorithm", []string{"--algorithms", "gmf-q,dqn"}, []string{`"dqn"`, "il"}},
		{"no algorithm", []string{"--algorithms", ""}, []string{"algorithms is empty"}},
		{"zero paths", []string{"--paths", "0"}, []string{"paths = 0"}},
		{"bad deploy", []string{"--deploy", "greedy"}, []string{`deploy = "greedy"`}},
		{"bad discount", []string{"--discount", "2"}, []string{"discount = 2"}},
		{"negative workers", []string{"--workers", "-2"}, []string{"workers = -2"}},
		{"negative budget bins", []string{"--best-response-budget-bins", "-1"}, []string{"best-response-budget-bins = -1"}},
		{"too many budget bins", []string{"--best-response-budget-bins", "101"}, []string{"best-response-budget-bins = 101"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"compare", "--out", t.TempDir(), "--no-progress"}, c.args...)
			code, stdout, stderr := runMFG(t, args...)
			if code != 2 {
				t.Fatalf("exit status %d, want 2; stderr: %s", code, stderr)
			}
			if strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr is not one line: %q", stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not contain %q", stderr, w)
				}
			}
			if stdout != "" {
				t.Errorf("stdout not empty: %q", stdout)
			}
		})
	}
}

// A short comparison runs end to end, writes its files and prints the table; the results do not
// depend on the number of workers. Its best responses see the others' mean budget in 2 bins, and
// every row of paths.csv names that class.
func TestCompareShortRunIsWorkerIndependent(t *testing.T) {
	args := []string{"compare", "--no-progress", "--paths", "3", "--checkpoints", "2", "--iterations", "4", "--steps", "2000",
		"--eval-states", "8", "--eval-rollouts", "2", "--best-response-rounds", "500", "--best-response-budget-bins", "2"}
	var outputs [][]byte
	for _, workers := range []string{"1", "3"} {
		dir := t.TempDir()
		code, stdout, stderr := runMFG(t, append(args, "--out", dir, "--workers", workers)...)
		if code != 0 {
			t.Fatalf("workers %s: exit %d: %s", workers, code, stderr)
		}
		for _, want := range []string{"gmf-q", "il", "mf-q", "MEAN C(π)", "Lowest mean C(π)", "4 of the 20 bidders"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("table lacks %q:\n%s", want, stdout)
			}
		}
		for _, name := range []string{"config.yaml", "summary.csv", "c_pi.png", "c_pi.svg"} {
			if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() == 0 {
				t.Errorf("%s missing or empty: %v", name, err)
			}
		}
		b, err := os.ReadFile(filepath.Join(dir, "paths.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(b), "\n"); n != 1+3*3*2 {
			t.Errorf("paths.csv has %d lines, want header + 18", n)
		}
		if n := strings.Count(string(b), ",own budget + others' mean budget in 2 bins\n"); n != 18 {
			t.Errorf("paths.csv names the best responses' class in %d rows, want 18", n)
		}
		outputs = append(outputs, b)
	}
	if !bytes.Equal(outputs[0], outputs[1]) {
		t.Error("paths.csv differs between 1 and 3 workers")
	}
}

// Bad sweep files and folders exit with status 2 and never overwrite results.
func TestSweepBadInputExitsTwo(t *testing.T) {
	write := func(text string) string { return writeFile(t, "sweep.yaml", text) }
	good := write("name: ok\nbase: {game: auction, iterations: 2, steps: 200, compare-to-gmf-v: false}\naxes: {temperature: [2, 4]}\n")
	out := t.TempDir()
	if code, stdout, stderr := runMFG(t, "sweep", good, "--out", out, "--no-progress"); code != 0 || !strings.Contains(stdout, "merged 2 runs") {
		t.Fatalf("good sweep: exit %d\n%s%s", code, stdout, stderr)
	}
	before, _ := os.ReadFile(filepath.Join(out, "runs.parquet"))
	other := write("name: other\nbase: {game: auction, iterations: 2}\naxes: {temperature: [3]}\n")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown parameter", []string{"sweep", write("base: {game: auction}\naxes: {tempreature: [1]}\n")}, "tempreature"},
		{"empty axis", []string{"sweep", write("base: {game: auction}\naxes: {temperature: []}\n")}, "temperature is empty"},
		{"shard out of range", []string{"sweep", good, "--shard", "3/3"}, `shard = "3/3"`},
		{"other sweep's folder", []string{"sweep", other, "--out", out}, "holds results of sweep \"ok\""},
		{"merge into other sweep's folder", []string{"sweep", "merge", other, "--out", out}, "holds results of sweep \"ok\""},
		{"missing file", []string{"sweep", "/nonexistent.yaml"}, "/nonexistent.yaml"},
		{"summarize unknown axis", []string{"sweep", "summarize", good, "--out", out, "--by", "eta"}, `by = "eta"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append(c.args, "--no-progress")
			if c.args[1] == "merge" || c.args[1] == "summarize" {
				args = c.args
			}
			code, _, stderr := runMFG(t, args...)
			if code != 2 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want 2 and one line containing %q", code, stderr, c.want)
			}
		})
	}
	after, _ := os.ReadFile(filepath.Join(out, "runs.parquet"))
	if !bytes.Equal(before, after) {
		t.Error("a refused command changed the results")
	}
}

// Finite-horizon games take their algorithms and parameters; mismatched pairs are refused with the
// reason; MFGLib's algorithms also run on stationary games with a model.
func TestSolveAcrossKindsOfGames(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runMFG(t, "solve", "--game", "beach-bar", "--algorithm", "prior-descent", "--param", "n=6", "--iterations", "5", "--out", out, "--no-progress")
	if code != 0 || !strings.Contains(stdout, "prior-descent on beach-bar") || !strings.Contains(stdout, "states [6]") {
		t.Fatalf("beach bar: exit %d\n%s%s", code, stdout, stderr)
	}
	trace, _ := os.ReadFile(filepath.Join(out, "trace.csv"))
	if n := strings.Count(string(trace), "\n"); n != 1+6 {
		t.Errorf("trace.csv has %d lines, want header + π_0 + 5 iterations", n)
	}
	code, stdout, stderr = runMFG(t, "solve", "--algorithm", "online-mirror-descent", "--iterations", "3", "--out", t.TempDir(), "--no-progress")
	if code != 0 || !strings.Contains(stdout, "online-mirror-descent on auction") {
		t.Fatalf("auction with mirror descent: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--game", "beach-bar", "--algorithm", "gmf-q"}, "finite-horizon game"},
		{[]string{"--game", "beach-bar", "--param", "bar-loc=9"}, "bar-loc = 9"},
		{[]string{"--game", "beach-bar", "--param", "bogus=1"}, `parameter "bogus" is unknown`},
		{[]string{"--game", "auction", "--param", "n=4"}, `auction: parameter "n" is unknown`},
		{[]string{"--game", "beach-bar", "--states", "4"}, `beach-bar: parameter "states" is unknown`},
		{[]string{"--game", "left-right", "--algorithm", "prior-descent", "--eta", "0"}, "eta = 0"},
		{[]string{"--game", "crowd-modelling", "--param", "size=0"}, "size = 0"},
	} {
		code, _, stderr := runMFG(t, append([]string{"solve", "--out", t.TempDir(), "--no-progress"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

// Review cases: list flags over a configuration file, a new algorithm over a written config.yaml,
// whole-number and bounded game parameters, --only with nothing, result files readable by all.
func TestFlagsOverConfigFilesAndParameterChecks(t *testing.T) {
	cfg := writeFile(t, "c.yaml", "game: beach-bar\nparams:\n  n: 6\n")
	out := t.TempDir()
	code, stdout, stderr := runMFG(t, "solve", "--config", cfg, "--param", "bar-loc=3", "--iterations", "2", "--out", out, "--no-progress")
	if code != 0 || !strings.Contains(stdout, "states [6]") {
		t.Fatalf("--config with --param: exit %d\n%s%s", code, stdout, stderr)
	}
	written, _ := os.ReadFile(filepath.Join(out, "config.yaml"))
	if !strings.Contains(string(written), "bar-loc: 3") || !strings.Contains(string(written), `"n": 6`) {
		t.Errorf("config.yaml lacks the file's or the flag's parameter:\n%s", written)
	}
	if fi, err := os.Stat(filepath.Join(out, "trace.csv")); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("trace.csv mode %v (%v), want 0644", fi.Mode().Perm(), err)
	}
	ccfg := writeFile(t, "cc.yaml", "paths: 2\nalgorithms: [il]\n")
	code, stdout, stderr = runMFG(t, "compare", "--config", ccfg, "--algorithms", "gmf-q", "--checkpoints", "1", "--iterations", "2", "--steps", "200",
		"--eval-states", "4", "--eval-rollouts", "1", "--best-response-rounds", "50", "--out", t.TempDir(), "--no-progress")
	if code != 0 || !strings.Contains(stdout, "gmf-q") || strings.Contains(stdout, "\nil ") {
		t.Fatalf("compare --config with --algorithms: exit %d\n%s%s", code, stdout, stderr)
	}
	// A written config.yaml resolves another algorithm's presets afresh.
	first := t.TempDir()
	if code, _, stderr := runMFG(t, "solve", "--iterations", "2", "--out", first, "--no-progress"); code != 0 {
		t.Fatal(stderr)
	}
	code, stdout, _ = runMFG(t, "solve", "--config", filepath.Join(first, "config.yaml"), "--algorithm", "gmf-v", "--out", t.TempDir(), "--no-progress")
	if code != 0 || !strings.Contains(stdout, "value iteration") {
		t.Errorf("gmf-v over a gmf-q config.yaml does not run value iteration:\n%s", stdout)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"solve", "--game", "beach-bar", "--param", "n=2.9"}, "param n = 2.9: must be a whole number"},
		{[]string{"solve", "--game", "beach-bar", "--param", "T=100000000"}, "param T = 100000000: at most"},
		{[]string{"solve", "--game", "beach-bar", "--param", "n="}, "param n has no value"},
		{[]string{"solve", "--states", "100000", "--actions", "100000"}, "states × actions"},
		{[]string{"reproduce", "--only", ""}, `only = ""`},
		{[]string{"solve", "--game", "beach-bar", "--seed", "2"}, "--seed does not apply"},
		{[]string{"solve", "--game", "beach-bar", "--sweeps", "3"}, "--sweeps does not apply"},
		{[]string{"solve", "--algorithm", "gmf-q", "--eta", "2"}, "--eta does not apply"},
		{[]string{"solve", "--algorithm", "prior-descent", "--steps", "100"}, "--steps does not apply"},
		{[]string{"solve", "--game", "crowd-modelling", "--algorithm", "boltzmann-policy-iteration", "--alpha", "-1"}, "alpha = -1: must be positive"},
		{[]string{"solve", "--game", "crowd-modelling", "--br-temperature", "-1"}, "br-temperature = -1: must be non-negative"},
		{[]string{"solve", "--game", "crowd-modelling", "--tie-break", "first"}, `tie-break = "first": must be split or lowest`},
		{[]string{"solve", "--game", "beach-bar", "--algorithm", "online-mirror-descent", "--openspiel-live-read"}, "openspiel-live-read = true needs"},
		{[]string{"solve", "--game", "crowd-modelling", "--param", "openspiel-costs=false", "--algorithm", "online-mirror-descent", "--openspiel-live-read"}, "add openspiel-costs: true to the game's parameters"},
		{[]string{"solve", "--game", "crowd-modelling", "--algorithm", "online-mirror-descent", "--openspiel-live-read"}, "add openspiel-costs: true to the game's parameters"},
		{[]string{"solve", "--game", "left-right", "--arithmetic", "mfglib-float32", "--br-temperature", "1"}, "MFGLib's fictitious play has a greedy best response"},
	} {
		code, _, stderr := runMFG(t, append(c.args, "--out", t.TempDir(), "--no-progress")...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

// --arithmetic mfglib-float32 writes MFGLib 0.3.0's exploitabilities exactly (the reference values
// of finite/testdata/mfglib_reference.json), and is refused where it cannot apply.
func TestSolveInMFGLibArithmetic(t *testing.T) {
	ref, err := mfglibref.Load()
	if err != nil {
		t.Fatal(err)
	}
	want := ref.Games["crowd_motion"]["fictitious_play"]
	out := t.TempDir()
	code, stdout, stderr := runMFG(t, "solve", "--game", "crowd-motion", "--arithmetic", "mfglib-float32", "--iterations", "10", "--out", out, "--no-progress")
	if code != 0 || !strings.Contains(stdout, "in MFGLib's float32 arithmetic") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	f, err := os.Open(filepath.Join(out, "trace.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(want) {
		t.Fatalf("trace.csv has %d rows, want header + %d", len(rows), len(want))
	}
	for k, w := range want {
		if got, err := strconv.ParseFloat(rows[k+1][1], 64); err != nil || got != w {
			t.Errorf("iteration %d: trace.csv has %q, MFGLib %v", k, rows[k+1][1], w)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--arithmetic", "mfglib-float32"}, "auction is a stationary game"},
		{[]string{"--game", "crowd-modelling", "--arithmetic", "mfglib-float32"}, "not one of MFGLib 0.3.0's games"},
		{[]string{"--game", "beach-bar", "--algorithm", "damped-fixed-point", "--arithmetic", "mfglib-float32"}, "damped-fixed-point"},
		{[]string{"--game", "beach-bar", "--tie-tolerance", "1e-9", "--arithmetic", "mfglib-float32"}, "tie-tolerance"},
		{[]string{"--game", "beach-bar", "--arithmetic", "float16"}, `arithmetic = "float16"`},
	} {
		code, _, stderr := runMFG(t, append([]string{"solve", "--out", t.TempDir(), "--no-progress"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

// --trace-matrices 0 writes a trace.json of numbers only: each iteration's k, exploitability and
// changes of L, no table; config.yaml keeps the choice.
func TestSolveTraceMatricesZero(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runMFG(t, "solve", "--out", dir, "--no-progress", "--algorithm", "gmf-v", "--iterations", "4", "--compare-to-gmf-v=false", "--trace-matrices", "0")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "trace.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tr struct {
		Iterations []map[string]any `json:"iterations"`
	}
	if err := json.Unmarshal(b, &tr); err != nil {
		t.Fatal(err)
	}
	if len(tr.Iterations) != 5 {
		t.Fatalf("trace.json holds %d iterations, want 5", len(tr.Iterations))
	}
	for i, it := range tr.Iterations {
		for key := range it {
			if !slices.Contains([]string{"k", "exploitability", "l1_change", "linf_change"}, key) {
				t.Errorf("iteration %d holds %q", i, key)
			}
		}
		if _, ok := it["l1_change"]; i > 0 && !ok {
			t.Errorf("iteration %d has no l1_change", i)
		}
	}
	if cfg, err := os.ReadFile(filepath.Join(dir, "config.yaml")); err != nil || !strings.Contains(string(cfg), "trace-matrices: 0") {
		t.Errorf("config.yaml lacks trace-matrices: 0 (%v):\n%s", err, cfg)
	}
}

// OpenSpiel's caching of move costs is a compatibility switch, off by default: crowd-modelling's
// uniform policy has the clean exploitability 2.7866824162983335 at the defaults and OpenSpiel's
// pinned NashConv 2.8135365543870385 with --param openspiel-costs=true, and OpenSpiel's
// MirrorDescent(lr=0.01) runs (--openspiel-live-read) only with the switch, ending at its pinned
// 2.2730324915546056 (7 places; the re-implementation's 2.2730324915545985).
func TestOpenSpielCostsSwitch(t *testing.T) {
	exploitabilities := func(args ...string) []float64 {
		t.Helper()
		out := t.TempDir()
		code, _, stderr := runMFG(t, append(append([]string{"solve", "--game", "crowd-modelling"}, args...), "--out", out, "--no-progress")...)
		if code != 0 {
			t.Fatalf("%v: exit %d, %s", args, code, stderr)
		}
		b, err := os.ReadFile(filepath.Join(out, "result.json"))
		if err != nil {
			t.Fatal(err)
		}
		var res struct {
			Exploitabilities []float64 `json:"exploitabilities"`
		}
		if err := json.Unmarshal(b, &res); err != nil {
			t.Fatal(err)
		}
		return res.Exploitabilities
	}
	for _, c := range []struct {
		param string
		want  float64
	}{{"", 2.7866824162983335}, {"openspiel-costs=false", 2.7866824162983335}, {"openspiel-costs=true", 2.8135365543870385}} {
		args := []string{"--iterations", "1"}
		if c.param != "" {
			args = append(args, "--param", c.param)
		}
		if e := exploitabilities(args...); math.Abs(e[0]-c.want) > 1e-9 {
			t.Errorf("--param %q: uniform policy's exploitability %.17g, want %.17g", c.param, e[0], c.want)
		}
	}
	e := exploitabilities("--param", "openspiel-costs=true", "--algorithm", "online-mirror-descent", "--alpha", "0.01", "--openspiel-live-read", "--iterations", "10")
	if got := e[len(e)-1]; math.Abs(got-2.2730324915546056) > 0.5e-7 {
		t.Errorf("live-read mirror descent: exploitability %.17g after 10 iterations, OpenSpiel's 2.2730324915546056", got)
	}
}
