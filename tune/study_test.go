package tune_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"meanfield/tune"
)

// tiny is a study that runs in a fraction of a second: prior descent on two small games, its
// temperature (log scale) and prior renewal (an int) tuned by TPE after 3 random trials, batches
// of 2, with median pruning.
const tiny = `name: tiny
seed: 5
trials: 10
batch: 2
sampler: tpe
tpe: {startup-trials: 3}
base: {algorithm: prior-descent, iterations: 30}
games:
  - {game: left-right}
  - {game: beach-bar, params: {n: 5, T: 3}}
params:
  eta: {type: float, low: 0.01, high: 10, log: true}
  n-inner: {type: int, low: 0, high: 4}
objective: {stat: min, aggregate: geometric-mean, shift: 0}
prune: {rule: median, startup-trials: 2}
`

func parse(t *testing.T, text string) *tune.Study {
	t.Helper()
	s, err := tune.Parse([]byte(text), 0)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func run(t *testing.T, s *tune.Study, dir string, workers int) *tune.Report {
	t.Helper()
	rep, err := tune.Run(context.Background(), s, dir, tune.Options{Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// records reads the study's trial records as bytes, in order.
func records(t *testing.T, dir string, n int) [][]byte {
	t.Helper()
	out := make([][]byte, n)
	for k := range out {
		b, err := os.ReadFile(filepath.Join(dir, "trials", strconv.Itoa(k)+".json"))
		if err != nil {
			t.Fatal(err)
		}
		out[k] = b
	}
	return out
}

// One and two workers, and two processes' worth of runners sharing a folder, give the same
// trials to the last bit: proposals and pruning read only the batches before a trial's own.
func TestWorkersGiveTheSameStudy(t *testing.T) {
	s := parse(t, tiny)
	one, two, shared := t.TempDir(), t.TempDir(), t.TempDir()
	if rep := run(t, s, one, 1); rep.Ran != 10 || rep.Skipped != 0 {
		t.Errorf("first run: %+v, want 10 ran", rep)
	}
	run(t, s, two, 2)
	var wg sync.WaitGroup
	reps := make([]*tune.Report, 2)
	for i := range reps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps[i] = run(t, s, shared, 2)
		}()
	}
	wg.Wait()
	a, b, c := records(t, one, 10), records(t, two, 10), records(t, shared, 10)
	for k := range a {
		if !bytes.Equal(a[k], b[k]) || !bytes.Equal(a[k], c[k]) {
			t.Errorf("trial %d differs:\n1 worker:  %s\n2 workers: %s\nshared:    %s", k, a[k], b[k], c[k])
		}
	}
	if reps[0].Ran+reps[1].Ran != 10 {
		t.Errorf("two runners sharing a folder ran %d and %d trials; want 10 between them, each once", reps[0].Ran, reps[1].Ran)
	}
	sum, err := tune.Summarize(s, one)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Complete+sum.Pruned+sum.Failed != 10 || sum.Failed != 0 || sum.Best == nil {
		t.Fatalf("summary %+v", sum)
	}
	if sum.Pruned == 0 {
		t.Errorf("no trial pruned: the test does not exercise pruning's determinism")
	}
	// Again on a finished folder: nothing is run.
	if rep := run(t, s, one, 2); rep.Ran != 0 || rep.Skipped != 10 {
		t.Errorf("rerun: %+v, want 10 found finished", rep)
	}
}

// Every complete trial's objective is recomputed from its traces, independently of the runner:
// the geometric mean of each game's lowest exploitability; the best is the least of them, and
// every exploitability is ≥ 0.
func TestRecordsAgreeWithTheirTraces(t *testing.T) {
	s := parse(t, tiny)
	dir := t.TempDir()
	run(t, s, dir, 2)
	sum, err := tune.Summarize(s, dir)
	if err != nil {
		t.Fatal(err)
	}
	best := math.Inf(1)
	for _, r := range sum.Records {
		prod := 1.0
		for _, g := range r.Games {
			lo := math.Inf(1)
			for _, e := range g.Trace {
				if e < -1e-12 {
					t.Errorf("trial %d: exploitability %v < 0", r.Trial, e)
				}
				lo = min(lo, e)
			}
			prod *= lo
		}
		if r.State != tune.Complete {
			continue
		}
		if len(r.Games) != 2 || len(r.Games[0].Trace) != 31 || len(r.Games[1].Trace) != 31 {
			t.Fatalf("trial %d: complete with %d games", r.Trial, len(r.Games))
		}
		want := math.Sqrt(prod)
		if math.Abs(*r.Value-want) > 1e-12*want {
			t.Errorf("trial %d: objective %v, want the geometric mean of the lowest exploitabilities %v", r.Trial, *r.Value, want)
		}
		best = min(best, want)
	}
	if math.Abs(*sum.Best.Value-best) > 1e-12*best {
		t.Errorf("best %v, want %v", *sum.Best.Value, best)
	}
	if err := sum.Write(s, dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"trials.parquet", "games.parquet", "best.yaml", "best-1.yaml", "history.svg", "params.svg"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

// A folder of one study refuses another (here: the same file with another seed), and a record
// copied from another study is refused by name.
func TestFolderBelongsToOneStudy(t *testing.T) {
	s := parse(t, tiny)
	dir := t.TempDir()
	run(t, s, dir, 1)
	other := parse(t, strings.Replace(tiny, "seed: 5", "seed: 6", 1))
	if _, err := tune.Run(context.Background(), other, dir, tune.Options{}); !errors.Is(err, tune.ErrOtherStudy) {
		t.Errorf("another study's folder: %v, want ErrOtherStudy", err)
	}
	dir2 := t.TempDir()
	if err := tune.Prepare(other, dir2); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "trials", "0.json"))
	os.WriteFile(filepath.Join(dir2, "trials", "0.json"), b, 0o644)
	_, err := tune.Run(context.Background(), other, dir2, tune.Options{})
	if !errors.Is(err, tune.ErrForeignRecord) || !strings.Contains(err.Error(), "0.json") {
		t.Errorf("a foreign record: %v, want ErrForeignRecord naming the file", err)
	}
}

// A cancelled study stops and keeps its finished trials; started again it ends as an
// uninterrupted one.
func TestCancelledStudyResumes(t *testing.T) {
	s := parse(t, tiny)
	dir, ref := t.TempDir(), t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := tune.Run(ctx, s, dir, tune.Options{Workers: 1, Progress: func(done, total int) {
		if n++; n == 4 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "trials"))
	if len(entries) < 4 || len(entries) >= 10 {
		t.Errorf("%d files after cancelling at the 4th trial", len(entries))
	}
	rep := run(t, s, dir, 2)
	if rep.Skipped < 4 {
		t.Errorf("resume found %d finished, want at least 4", rep.Skipped)
	}
	run(t, s, ref, 1)
	a, b := records(t, dir, 10), records(t, ref, 10)
	for k := range a {
		if !bytes.Equal(a[k], b[k]) {
			t.Errorf("trial %d differs after resuming", k)
		}
	}
}

// Bad study files are refused with the field and the value.
func TestBadStudies(t *testing.T) {
	base := "base: {game: left-right, algorithm: online-mirror-descent, iterations: 5}\n"
	alpha := "params: {alpha: {type: float, low: 0.1, high: 10, log: true}}\n"
	for _, c := range []struct{ text, want string }{
		{"", "empty"},
		{"trials: 3\n" + alpha, "base: missing"},
		{"trials: 3\n" + base, "params: none given"},
		{"trials: 0\n" + base + alpha, "trials = 0"},
		{"trials: 3\nbatch: -1\n" + base + alpha, "batch = -1"},
		{"trials: 3\nsampler: bayes\n" + base + alpha, `sampler = "bayes"`},
		{"trials: 3\n" + base + "params: {alpha: {type: float, low: 10, high: 1}}\n", "low = 10, high = 1"},
		{"trials: 3\n" + base + "params: {alpha: {type: float, low: 0, high: 1, log: true}}\n", "low = 0: log: true needs low > 0"},
		{"trials: 3\n" + base + "params: {alpha: {type: real, low: 0, high: 1}}\n", `type = "real"`},
		{"trials: 3\n" + base + "params: {alpha: {type: float, low: 0}}\n", "needs low and high"},
		{"trials: 3\n" + base + "params: {alpha: {type: int, low: 0.5, high: 3}}\n", "whole numbers"},
		{"trials: 3\n" + base + "params: {tie: {type: categorical}}\n", "needs choices"},
		{"trials: 3\n" + base + "params: {eta: {type: float, low: 0.1, high: 1}}\n", "eta"},
		{"trials: 3\n" + base + "params: {alpha: {type: float, low: -5, high: 1}}\n", "alpha"},
		{"trials: 3\n" + base + alpha + "objective: {stat: best}\n", `stat = "best"`},
		{"trials: 3\n" + base + alpha + "objective: {aggregate: failure-rate}\n", "threshold"},
		{"trials: 3\n" + base + alpha + "objective: {stat: at, iteration: 9}\n", "iteration = 9"},
		{"trials: 3\n" + base + alpha + "objective: {aggregate: geometric-mean, shift: -1}\n", "shift = -1"},
		{"trials: 3\n" + base + alpha + "prune: {rule: hyperband}\n", `rule = "hyperband"`},
		{"trials: 3\n" + base + alpha + "prune: {rule: median, reduction-factor: 3}\n", "reduction-factor"},
		{"trials: 3\n" + base + alpha + "prune: {rule: successive-halving, reduction-factor: 1}\n", "reduction-factor = 1"},
		{"trials: 9\nsampler: grid\n" + base + "params: {alpha: {type: float, low: 0.1, high: 10, points: 3}}\n", "trials = 9: the grid has only 3 points"},
		{"trials: 3\nsampler: grid\n" + base + alpha, "needs grid"},
		{"trials: 3\nseed: 1\nbase: {game: left-right, seed: 4}\n" + alpha, "seed"},
		{"trials: 3\nunknown: 1\n" + base + alpha, "unknown"},
	} {
		_, err := tune.Parse([]byte(c.text), 0)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one naming %q", c.text, err, c.want)
		}
	}
}

// The example studies parse.
func TestExampleStudies(t *testing.T) {
	files, _ := filepath.Glob("../examples/tune/*.yaml")
	if len(files) < 2 {
		t.Fatalf("example studies: %v", files)
	}
	for _, f := range files {
		if _, err := tune.Load(f, 0); err != nil {
			t.Error(err)
		}
	}
}

// Raising trials continues a study: 10 trials then 14 give the trials of 14 at once.
func TestMoreTrialsContinueTheStudy(t *testing.T) {
	s10, s14 := parse(t, tiny), parse(t, strings.Replace(tiny, "trials: 10", "trials: 14", 1))
	if s10.Fingerprint != s14.Fingerprint {
		t.Fatal("the number of trials changes the fingerprint")
	}
	dir, ref := t.TempDir(), t.TempDir()
	run(t, s10, dir, 2)
	if rep := run(t, s14, dir, 2); rep.Ran != 4 || rep.Skipped != 10 {
		t.Errorf("continued: %+v, want 4 ran and 10 found", rep)
	}
	run(t, s14, ref, 1)
	a, b := records(t, dir, 14), records(t, ref, 14)
	for k := range a {
		if !bytes.Equal(a[k], b[k]) {
			t.Errorf("trial %d differs", k)
		}
	}
}
