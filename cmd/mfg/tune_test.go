package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// killStudy is MFGLib's tuner study at 200 iterations a trial, with successive halving.
const killStudy = `name: kill
seed: 4
trials: 36
base: {game: building-evacuation, params: {n-floor: 3, floor-l: 5, floor-w: 5}, algorithm: online-mirror-descent, iterations: 200}
params:
  alpha: {type: float, low: 1e-5, high: 1e5, log: true}
objective: {stat: min, aggregate: geometric-mean}
prune: {rule: successive-halving, min-resource: 10}
`

// A study killed with SIGKILL midway, started again, ends with the same trials, to the byte,
// and the same best trial as one run without interruption; no finished trial is redone.
func TestKilledStudyResumes(t *testing.T) {
	bin := mfgBinary(t)
	file := writeFile(t, "kill.yaml", killStudy)
	out, ref := t.TempDir(), t.TempDir()
	cmd := exec.Command(bin, "tune", file, "--out", out, "--no-progress", "--workers", "1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	trials := filepath.Join(out, "trials")
	records := func(dir string) []string {
		entries, _ := os.ReadDir(dir)
		var names []string
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".json") && !strings.HasPrefix(e.Name(), ".") {
				names = append(names, e.Name())
			}
		}
		return names
	}
	deadline := time.Now().Add(60 * time.Second)
	for len(records(trials)) < 6 && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	done := records(trials)
	if len(done) < 6 || len(done) >= 36 {
		t.Fatalf("%d records when killed; want the study stopped midway", len(done))
	}
	mtimes := map[string]time.Time{}
	for _, n := range done {
		fi, _ := os.Stat(filepath.Join(trials, n))
		mtimes[n] = fi.ModTime()
	}
	resumed, err := exec.Command(bin, "tune", file, "--out", out, "--no-progress", "--workers", "2").CombinedOutput()
	if err != nil {
		t.Fatalf("restart: %v\n%s", err, resumed)
	}
	if want := "found " + strconv.Itoa(len(done)) + " finished"; !strings.Contains(string(resumed), want) {
		t.Errorf("restart output lacks %q:\n%s", want, resumed)
	}
	for n, m := range mtimes {
		if fi, err := os.Stat(filepath.Join(trials, n)); err != nil || !fi.ModTime().Equal(m) {
			t.Errorf("finished trial %s was redone", n)
		}
	}
	whole, err := exec.Command(bin, "tune", file, "--out", ref, "--no-progress").CombinedOutput()
	if err != nil {
		t.Fatalf("uninterrupted: %v\n%s", err, whole)
	}
	for k := range 36 {
		a, _ := os.ReadFile(filepath.Join(trials, strconv.Itoa(k)+".json"))
		b, _ := os.ReadFile(filepath.Join(ref, "trials", strconv.Itoa(k)+".json"))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("trial %d differs between the resumed and the uninterrupted study", k)
		}
	}
	best := func(out []byte) string {
		for _, l := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(l, "best trial") {
				return l
			}
		}
		return ""
	}
	if best(resumed) == "" || best(resumed) != best(whole) {
		t.Errorf("best trial: resumed %q, uninterrupted %q", best(resumed), best(whole))
	}
	for _, f := range []string{"trials.parquet", "games.parquet", "best.yaml", "history.svg", "params.svg"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
}

// The best configuration runs as it is with mfg solve and gives the trial's exploitability;
// bad study files exit with status 2 and one line naming the field. The best step, 0.1 (final
// exploitability 0.0461 against 2 at step 1), is not fictitious play's default (alpha 0: 0.0255),
// so that a best.yaml without the tuned value would not give the trial's exploitability.
func TestTuneCommand(t *testing.T) {
	file := writeFile(t, "lr.yaml", "name: lr\nsampler: grid\nbase: {game: left-right, algorithm: fictitious-play, iterations: 20}\nparams:\n  alpha: {type: float, low: 0, high: 1, grid: [1, 0.1]}\nobjective: {stat: final, aggregate: mean}\n")
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"tune", file, "--out", out, "--no-progress"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	// The summary's best objective, printed to 6 digits, is what mfg solve of best.yaml finds.
	var value string
	for _, l := range strings.Split(stdout.String(), "\n") {
		if v, ok := strings.CutPrefix(l, "best trial "); ok {
			_, value, _ = strings.Cut(v, "(the final exploitability) ")
		}
	}
	if value == "" || !strings.Contains(stdout.String(), "best trial 1:") {
		t.Fatalf("no best trial, or not trial 1 (alpha 0.1), in the summary:\n%s", stdout.String())
	}
	stdout.Reset()
	solveOut := filepath.Join(t.TempDir(), "solve")
	if code := run(t.Context(), []string{"solve", "--config", filepath.Join(out, "best.yaml"), "--out", solveOut}, &stdout, &stderr); code != 0 {
		t.Fatalf("solve best.yaml: exit %d: %s", code, stderr.String())
	}
	if want := "final (k=20) " + value; !strings.Contains(stdout.String(), want) {
		t.Errorf("mfg solve of best.yaml lacks %q:\n%s", want, stdout.String())
	}
	bad := writeFile(t, "bad.yaml", "base: {game: left-right}\nparams: {alpha: {type: float, low: 1, high: 0}}\ntrials: 2\n")
	stderr.Reset()
	if code := run(t.Context(), []string{"tune", bad, "--out", t.TempDir()}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "low = 1, high = 0") {
		t.Errorf("bad study: exit %d, %q; want 2 naming low and high", code, stderr.String())
	}
	other := writeFile(t, "other.yaml", strings.Replace(string(mustRead(t, file)), "name: lr", "name: lr\nseed: 9", 1))
	stderr.Reset()
	if code := run(t.Context(), []string{"tune", other, "--out", out, "--no-progress"}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), `holds study "lr"`) {
		t.Errorf("another study's folder: exit %d, %q; want 2 naming the study", code, stderr.String())
	}
	for _, c := range [][]string{{"--workers", "1000", "workers = 1000"}, {"--max-memory", "1KiB", "over --max-memory"}} {
		stderr.Reset()
		if code := run(t.Context(), []string{"tune", file, "--out", t.TempDir(), c[0], c[1]}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), c[2]) {
			t.Errorf("%s %s: exit %d, %q; want 2 naming %q", c[0], c[1], code, stderr.String(), c[2])
		}
	}
}

// Two processes started on one study folder (as the tasks of a Slurm job array) share its trials:
// each trial is computed once between them, and the study is the one a single process gives.
func TestTwoProcessesShareAStudy(t *testing.T) {
	if testing.Short() {
		t.Skip("three studies in subprocesses; tune's TestWorkersGiveTheSameStudy shares a folder in one process")
	}
	bin := mfgBinary(t)
	study := strings.Replace(killStudy, "iterations: 200", "iterations: 60", 1)
	study = strings.Replace(study, "trials: 36", "trials: 16\nbatch: 4", 1)
	file := writeFile(t, "shared.yaml", study)
	shared, ref := t.TempDir(), t.TempDir()
	var outs [2]bytes.Buffer
	var cmds [2]*exec.Cmd
	for i := range cmds {
		cmds[i] = exec.Command(bin, "tune", file, "--out", shared, "--no-progress", "--workers", "1")
		cmds[i].Stdout, cmds[i].Stderr = &outs[i], &outs[i]
		if err := cmds[i].Start(); err != nil {
			t.Fatal(err)
		}
	}
	ran := 0
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatalf("process %d: %v\n%s", i, err, outs[i].String())
		}
		var n, found int
		line := strings.SplitN(outs[i].String(), "\n", 2)[0]
		if _, err := fmt.Sscanf(line[strings.Index(line, "ran "):], "ran %d and found %d", &n, &found); err != nil {
			t.Fatalf("process %d: %q: %v", i, line, err)
		}
		ran += n
	}
	if ran != 16 {
		t.Errorf("the two processes ran %d trials between them, want 16, each once:\n%s\n%s", ran, outs[0].String(), outs[1].String())
	}
	if out, err := exec.Command(bin, "tune", file, "--out", ref, "--no-progress").CombinedOutput(); err != nil {
		t.Fatalf("single process: %v\n%s", err, out)
	}
	for k := range 16 {
		a, _ := os.ReadFile(filepath.Join(shared, "trials", strconv.Itoa(k)+".json"))
		b, _ := os.ReadFile(filepath.Join(ref, "trials", strconv.Itoa(k)+".json"))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("trial %d differs between two processes and one", k)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A study in which no trial completes (here every objective overflows to +Inf) writes its results
// and exits 1 saying it has no best parameters: a script must not take it for an answer.
func TestStudyWithoutACompleteTrialFails(t *testing.T) {
	dir := t.TempDir()
	game := filepath.Join(dir, "huge.star")
	src := "def reward(p, t, s, a, mf):\n    return 1.7e308 if a == 0 else -1.7e308\n\n" +
		"def transition(p, t, s, a, mf):\n    return {a: 1.0}\n\n" +
		"game = finite(horizon = 1, states = 2, actions = 2, reward = reward, transition = transition)\n"
	study := filepath.Join(dir, "study.yaml")
	spec := "name: huge\nseed: 1\ntrials: 2\nsampler: random\nbase: {game-file: " + game +
		", algorithm: prior-descent, iterations: 2}\ngames: [{}, {}]\nparams:\n  eta: {type: float, low: 0.01, high: 10, log: true}\n" +
		"objective: {stat: at, iteration: 0, aggregate: mean}\n"
	if err := os.WriteFile(game, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(study, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runMFG(t, "tune", study, "--out", filepath.Join(dir, "out"), "--no-progress")
	if code != 1 || !strings.Contains(stderr, "no trial of the study completed (0 pruned, 2 failed)") {
		t.Errorf("exit status %d, stderr %q: want 1 and no best parameters", code, stderr)
	}
	if !strings.Contains(stdout, "trials: 0 complete, 0 pruned, 2 failed") {
		t.Errorf("stdout lacks the trials' count:\n%s", stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "trials.parquet")); err != nil {
		t.Errorf("trials.parquet not written: %v", err)
	}
}

// failure-rate's threshold is named by its value (not a pointer) when out of range, and its
// absence is said.
func TestFailureRateThresholdRefused(t *testing.T) {
	base := "name: f\nseed: 1\ntrials: 2\nsampler: random\nbase: {game: left-right, algorithm: fictitious-play, iterations: 5}\n" +
		"params:\n  alpha: {type: float, low: 0, high: 1}\n"
	for _, c := range []struct{ objective, want string }{
		{"{stat: final, aggregate: failure-rate, threshold: -1}", "threshold = -1: failure-rate needs a finite threshold > 0"},
		{"{stat: final, aggregate: failure-rate}", "failure-rate needs a threshold"},
	} {
		study := filepath.Join(t.TempDir(), "s.yaml")
		if err := os.WriteFile(study, []byte(base+"objective: "+c.objective+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		assertRefused(t, []string{"tune", study, "--out", t.TempDir()}, c.want)
	}
}
