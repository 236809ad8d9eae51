package tune_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meanfield/tune"
)

// Two games whose exploitability at iteration 0 is 1.7e308 (a reward of ±1.7e308 at the first
// step, the uniform policy's value 0): their mean overflows to +Inf. The trial is failed, saying
// so, rather than its record being unwritable (JSON has no +Inf: every run of the study stopped
// at that trial), and a failed trial is never the best.
func TestOverflowingObjectiveIsAFailedTrial(t *testing.T) {
	dir := t.TempDir()
	game := filepath.Join(dir, "huge.star")
	if err := os.WriteFile(game, []byte(`def reward(p, t, s, a, mf):
    if t > 0:
        return 0.0
    return 1.7e308 if a == 0 else -1.7e308

def transition(p, t, s, a, mf):
    return {a: 1.0}

game = finite(horizon = 1, states = 2, actions = 2, reward = reward, transition = transition)
`), 0o644); err != nil {
		t.Fatal(err)
	}
	s := parse(t, `name: huge
seed: 1
trials: 2
sampler: random
base: {game-file: `+game+`, algorithm: prior-descent, iterations: 2}
games: [{}, {}]
params:
  eta: {type: float, low: 0.01, high: 10, log: true}
objective: {stat: at, iteration: 0, aggregate: mean}
`)
	out := filepath.Join(dir, "out")
	run(t, s, out, 1)
	sum, err := tune.Summarize(s, out)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed != 2 || sum.Best != nil {
		t.Fatalf("%d failed, best %v: want both trials failed, no best", sum.Failed, sum.Best)
	}
	for _, r := range sum.Records {
		if r.Value != nil || !strings.Contains(r.Error, "objective") || !strings.Contains(r.Error, "+Inf") {
			t.Errorf("trial %d: value %v, error %q: want no value and an error naming the objective +Inf", r.Trial, r.Value, r.Error)
		}
		if len(r.Games) != 2 || *r.Games[0].Stat != 1.7e308 {
			t.Errorf("trial %d: games %+v: want both games kept with their statistic 1.7e308", r.Trial, r.Games)
		}
	}
	if err := sum.Write(s, out); err != nil {
		t.Fatal(err)
	}
}

// A grid or choice value that is not a finite number is refused naming it: the study's
// fingerprint (JSON, which has no NaN) could not be computed, and every such study got the
// fingerprint of nothing, so that a folder accepted another study's trials.
func TestNonFiniteGridOrChoiceRefused(t *testing.T) {
	for _, p := range []string{
		"eta: {type: float, low: 0.01, high: 10, grid: [.nan, 1]}",
		"eta: {type: categorical, choices: [1, .inf]}",
	} {
		_, err := tune.Parse([]byte("seed: 1\ntrials: 2\nsampler: random\nbase: {game: left-right, algorithm: prior-descent, iterations: 5}\nparams:\n  "+p+"\n"), 0)
		if err == nil || !strings.Contains(err.Error(), "eta") || !strings.Contains(err.Error(), "Inf") && !strings.Contains(err.Error(), "NaN") {
			t.Errorf("%s: error %v; want one naming params: eta and the value", p, err)
		}
	}
}

// A record read back gives each parameter the type the study file gave it: an int an int, a
// categorical its choice (JSON made both float64, printed 1e+06 in the summary and in
// trials.parquet's string column of a categorical).
func TestRecordParamsReadBackAsTheStudyTypes(t *testing.T) {
	s := parse(t, `seed: 1
trials: 1
sampler: random
base: {game: left-right, algorithm: prior-descent, iterations: 5}
params:
  n-inner: {type: categorical, choices: [0, 1000000]}
  eta: {type: float, low: 0.01, high: 10}
`)
	dir := t.TempDir()
	if err := tune.Prepare(s, dir); err != nil {
		t.Fatal(err)
	}
	v := 1.0
	b, _ := json.Marshal(tune.Record{Fingerprint: s.Fingerprint, StudySeed: 1, Trial: 0, State: tune.Complete, Value: &v,
		Params: map[string]any{"n-inner": 1000000, "eta": 2.0}})
	if err := os.WriteFile(filepath.Join(dir, "trials", "0.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := tune.ReadRecord(s, dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := r.Params["n-inner"].(int); !ok || n != 1000000 || fmt.Sprint(r.Params["eta"]) != "2" {
		t.Errorf("params read back %#v; want n-inner the int 1000000, eta 2", r.Params)
	}
}

// The keys the study sets itself in every solve (seed, compare-to-gmf-v) cannot be tuned: a tuned
// seed was accepted, recorded per trial (0, 1, 2, 3) and silently replaced by the game's seed.
func TestKeysTheStudySetsAreNotTuned(t *testing.T) {
	for _, p := range []string{"seed: {type: int, low: 0, high: 3}", "compare-to-gmf-v: {type: categorical, choices: [true, false]}"} {
		name, _, _ := strings.Cut(p, ":")
		_, err := tune.Parse([]byte("seed: 1\ntrials: 2\nsampler: random\nbase: {game: left-right, algorithm: fictitious-play, iterations: 5}\nparams:\n  "+p+"\n"), 0)
		if err == nil || !strings.Contains(err.Error(), "params: "+name) {
			t.Errorf("tuning %s: error %v; want one naming params: %s", name, err, name)
		}
	}
}

// A tuned value that turns the exploitability off is refused before anything runs, naming it:
// such trials failed with "exploitability 0 is not a finite number".
func TestTunedExploitabilityOffRefused(t *testing.T) {
	_, err := tune.Parse([]byte("seed: 1\ntrials: 2\nsampler: random\nbase: {game: left-right, algorithm: fictitious-play, iterations: 5}\nparams:\n  exploitability: {type: categorical, choices: [true, false]}\n"), 0)
	if err == nil || !strings.Contains(err.Error(), "exploitability=false") {
		t.Errorf("error %v; want one naming exploitability=false", err)
	}
}

// A study of a game file is another study when the file's contents change: resuming its folder
// mixed trials of two games (the fingerprint named the file's path only).
func TestGameFileContentsAreInTheFingerprint(t *testing.T) {
	dir := t.TempDir()
	game := filepath.Join(dir, "g.star")
	text := func(r string) string {
		return "def reward(p, t, s, a, mf):\n    return " + r + "\n\ndef transition(p, t, s, a, mf):\n    return {a: 1.0}\n\ngame = finite(horizon = 1, states = 2, actions = 2, reward = reward, transition = transition)\n"
	}
	study := "seed: 1\ntrials: 2\nsampler: random\nbase: {game-file: " + game + ", algorithm: prior-descent, iterations: 2}\nparams:\n  eta: {type: float, low: 0.01, high: 10}\n"
	var prints []string
	for _, r := range []string{"-mf.mu[s]", "-2 * mf.mu[s]"} {
		if err := os.WriteFile(game, []byte(text(r)), 0o644); err != nil {
			t.Fatal(err)
		}
		prints = append(prints, parse(t, study).Fingerprint)
	}
	if prints[0] == prints[1] {
		t.Errorf("fingerprint %s for two different game files", prints[0])
	}
	// A study of built-in games keeps the fingerprint it had before game files' contents were in
	// it (computed then), so that its folders are still its own.
	if got := parse(t, tiny).Fingerprint; got != "eadfe81373cd4855" {
		t.Errorf("tiny's fingerprint %s, want eadfe81373cd4855 as before", got)
	}
}

// An int's bounds beyond ±2^53 are refused naming them: 1e19 became the int -9223372036854775808
// in the error of the range check.
func TestIntBoundsBeyondExactRefused(t *testing.T) {
	_, err := tune.Parse([]byte("seed: 1\ntrials: 2\nsampler: random\nbase: {game: left-right, algorithm: prior-descent, iterations: 2}\nparams:\n  n-inner: {type: int, low: 0, high: 1e19}\n"), 0)
	if err == nil || !strings.Contains(err.Error(), "params: n-inner") || !strings.Contains(err.Error(), "high = 1e+19") {
		t.Errorf("error %v; want one naming params: n-inner and high = 1e+19", err)
	}
}

// A grid value outside [low, high] (or not whole for an int) is refused before anything runs,
// naming it: it ran, unchecked, as a failed trial ("alpha = 7: must be in [0, 1]").
func TestGridValueOutsideTheRangeRefused(t *testing.T) {
	for p, want := range map[string]string{
		"alpha: {type: float, low: 0, high: 1, grid: [0.5, 7]}": "grid value 7",
		"n-inner: {type: int, low: 0, high: 4, grid: [1, 2.5]}": "grid value 2.5",
	} {
		alg := "fictitious-play"
		if strings.HasPrefix(p, "n-inner") {
			alg = "prior-descent"
		}
		_, err := tune.Parse([]byte("seed: 1\nsampler: grid\nbase: {game: left-right, algorithm: "+alg+", iterations: 5}\nparams:\n  "+p+"\n"), 0)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v; want one naming %q", p, err, want)
		}
	}
}

// Under failure-rate a game whose solve diverges (an exploitability that is not a finite number)
// is one of the games that fail, as MFGLib's FailureRate counts a solve that does not reach the
// threshold: the trial's objective is the share of such games. It was a failed trial, so a
// suite's one diverging game hid how the others fared. Under the other aggregates it still fails
// the trial: no mean includes an infinite statistic.
func TestDivergingGameIsAFailureUnderFailureRate(t *testing.T) {
	dir := t.TempDir()
	game := filepath.Join(dir, "diverges.star")
	if err := os.WriteFile(game, []byte(`def reward(p, t, s, a, mf):
    return 1.5e308

def transition(p, t, s, a, mf):
    return {a: 1.0}

game = finite(horizon = 2, states = 2, actions = 2, reward = reward, transition = transition)
`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, agg := range []string{"failure-rate, threshold: 1", "mean"} {
		s := parse(t, `name: suite
seed: 1
trials: 2
sampler: random
base: {game: left-right, algorithm: prior-descent, iterations: 2}
games: [{}, {game: null, game-file: `+game+`}]
params:
  eta: {type: float, low: 0.01, high: 10, log: true}
objective: {stat: final, aggregate: `+agg+`}
`)
		out := filepath.Join(dir, strings.Fields(agg)[0])
		run(t, s, out, 1)
		sum, err := tune.Summarize(s, out)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range sum.Records {
			if len(r.Games) != 2 || !r.Games[1].Diverged || r.Games[1].Stat != nil {
				t.Fatalf("%s: trial %d: games %+v: want the second game diverged, with no statistic", agg, r.Trial, r.Games)
			}
			if agg == "mean" {
				if r.State != tune.Failed || !strings.Contains(r.Error, "not a finite number") {
					t.Errorf("mean: trial %d: state %s, error %q: want failed, naming the exploitability", r.Trial, r.State, r.Error)
				}
				continue
			}
			left := *r.Games[0].Stat < 1
			want := 0.5
			if !left {
				want = 1
			}
			if r.State != tune.Complete || r.Value == nil || *r.Value != want {
				t.Errorf("failure-rate: trial %d: state %s, value %v, error %q: want complete with %v", r.Trial, r.State, r.Value, r.Error, want)
			}
		}
		if err := sum.Write(s, out); err != nil {
			t.Fatal(err)
		}
	}
}
