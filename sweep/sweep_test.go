package sweep

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const small = "testdata/small.yaml"

func mustLoad(t *testing.T, path string) *Sweep {
	t.Helper()
	s, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseExpandsAxesWithStableIDs(t *testing.T) {
	a, b := mustLoad(t, small), mustLoad(t, small)
	if len(a.Runs) != 3*2*2 {
		t.Fatalf("%d runs, want 3 temperatures × 2 sizes × 2 replicates", len(a.Runs))
	}
	ids := map[string]bool{}
	seedsSeen := map[uint64]bool{}
	for i, r := range a.Runs {
		if r.ID != b.Runs[i].ID || r.Seed != b.Runs[i].Seed {
			t.Fatalf("run %d: id or seed differs between two loads", i)
		}
		if ids[r.ID] || seedsSeen[r.Seed] {
			t.Fatalf("run %d: id %s or seed %d repeated", i, r.ID, r.Seed)
		}
		ids[r.ID], seedsSeen[r.Seed] = true, true
	}
	// Axes in name order (states, temperature), the last fastest, replicates fastest of all; the
	// range includes its end.
	if a.Runs[0].Params["params.states"] != 5 || a.Runs[2].Params["temperature"] != 4 || a.Runs[1].Replicate != 1 || a.Runs[6].Params["params.states"] != 6 || a.Runs[11].Params["temperature"] != 8 {
		t.Errorf("unexpected order: %+v", a.Runs[:5])
	}
	// A different seed changes the run seeds but not the ids.
	data, _ := os.ReadFile(small)
	c, err := Parse(bytes.Replace(data, []byte("seed: 11"), []byte("seed: 12"), 1))
	if err != nil {
		t.Fatal(err)
	}
	if c.Runs[0].ID != a.Runs[0].ID || c.Runs[0].Seed == a.Runs[0].Seed || c.Fingerprint == a.Fingerprint {
		t.Error("the sweep seed should change seeds and fingerprint, not ids")
	}
}

func TestParseRejectsBadSweepFiles(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"base: {game: auction}\naxes: {tempreature: [1, 2]}\n", "tempreature"},
		{"base: {game: auction}\naxes: {temperature: []}\n", "temperature is empty"},
		{"base: {game: auction}\naxes: {steps: {from: 10, to: 1, step: 1}}\n", "to < from"},
		{"base: {game: auction}\naxes: {steps: {from: 1, to: 10, step: 0}}\n", "step must be positive"},
		{"base: {game: auction}\naxes: {steps: {from: 1, to: 10, by: 2}}\n", `"by"`},
		{"base: {game: auction}\naxis: {steps: [1]}\n", "axis"},
		{"base: {game: auction, seed: 3}\n", "seed"},
		{"base: {game: auction}\naxes: {seed: [1, 2]}\n", "replicates"},
		{"base: {game: auction}\nreplicates: -1\n", "replicates = -1"},
		{"base: {gmae: auction}\n", "gmae"},
		{"base: [1, 2\n", "line 1: not valid YAML"},
	} {
		_, err := Parse([]byte(c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want an error containing %q", c.text, err, c.want)
		}
	}
	for _, spec := range []string{"3/3", "-1/2", "0/0", "1", "a/b"} {
		if _, _, err := ParseShard(spec); err == nil {
			t.Errorf("shard %q accepted", spec)
		}
	}
}

func readAll(t *testing.T, dir string) (runs, iters []byte) {
	t.Helper()
	var err error
	if runs, err = os.ReadFile(filepath.Join(dir, "runs.parquet")); err != nil {
		t.Fatal(err)
	}
	if iters, err = os.ReadFile(filepath.Join(dir, "iterations.parquet")); err != nil {
		t.Fatal(err)
	}
	return runs, iters
}

// The same sweep with 1, 2 or 4 workers, or in 3 shards merged, gives byte-identical results.
func TestResultsIndependentOfWorkersAndShards(t *testing.T) {
	s := mustLoad(t, small)
	var refRuns, refIters []byte
	for _, workers := range []int{1, 2, 4} {
		dir := t.TempDir()
		if _, err := RunSweep(context.Background(), s, dir, Options{Workers: workers}); err != nil {
			t.Fatal(err)
		}
		if _, err := Merge(s, dir); err != nil {
			t.Fatal(err)
		}
		runs, iters := readAll(t, dir)
		if refRuns == nil {
			refRuns, refIters = runs, iters
			continue
		}
		if !bytes.Equal(runs, refRuns) || !bytes.Equal(iters, refIters) {
			t.Errorf("%d workers: results differ from 1 worker", workers)
		}
	}
	dir := t.TempDir()
	for i := 0; i < 3; i++ {
		if rep, err := Merge(s, dir); err == nil && i > 0 && len(rep.Missing) == 0 {
			t.Fatalf("merge reported nothing missing before shard %d ran", i)
		}
		if _, err := RunSweep(context.Background(), s, dir, Options{Shard: i, Shards: 3, Workers: 2}); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := Merge(s, dir)
	if err != nil || len(rep.Missing) != 0 {
		t.Fatalf("merge after 3 shards: %v, missing %v", err, rep.Missing)
	}
	runs, iters := readAll(t, dir)
	if !bytes.Equal(runs, refRuns) || !bytes.Equal(iters, refIters) {
		t.Error("3 shards merged differ from a single process")
	}
}

// A sweep stopped midway and started again finishes the rest without redoing any finished run.
func TestKilledSweepResumes(t *testing.T) {
	s := mustLoad(t, small)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	rep, err := RunSweep(ctx, s, dir, Options{Workers: 1, Progress: func(done, total int) {
		if done == 5 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted sweep returned %v", err)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "runs"))
	var finished []string
	mtimes := map[string]time.Time{}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			finished = append(finished, e.Name())
			fi, _ := e.Info()
			mtimes[e.Name()] = fi.ModTime()
		} else {
			t.Errorf("stray file %s left by the interrupted sweep", e.Name())
		}
	}
	if len(finished) != rep.Ran || len(finished) < 5 || len(finished) >= len(s.Runs) {
		t.Fatalf("%d records after the interruption (ran %d), want between 5 and %d", len(finished), rep.Ran, len(s.Runs)-1)
	}
	time.Sleep(10 * time.Millisecond)
	rep2, err := RunSweep(context.Background(), s, dir, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Skipped != len(finished) || rep2.Ran != len(s.Runs)-len(finished) {
		t.Errorf("resumed: ran %d, skipped %d; want ran %d, skipped %d", rep2.Ran, rep2.Skipped, len(s.Runs)-len(finished), len(finished))
	}
	for name, m := range mtimes {
		fi, err := os.Stat(filepath.Join(dir, "runs", name))
		if err != nil || !fi.ModTime().Equal(m) {
			t.Errorf("finished run %s was rewritten", name)
		}
	}
	if mrep, err := Merge(s, dir); err != nil || len(mrep.Missing) > 0 {
		t.Fatalf("merge after resuming: %v, missing %v", err, mrep.Missing)
	}
}

// A value out of range fails when the file is read, naming the run and the field.
func TestBadRunIsRefusedBeforeRunning(t *testing.T) {
	_, err := Parse([]byte("name: f\nbase: {game: auction, iterations: 2, steps: 500, compare-to-gmf-v: false}\naxes: {temperature: [4, -1]}\n"))
	if err == nil || !strings.Contains(err.Error(), "run 1 (temperature=-1): temperature = -1") {
		t.Fatalf("got %v, want an error naming run 1 and temperature = -1", err)
	}
	// A combination that fails although each value alone is fine: n is beach-bar's, not
	// left-right's.
	_, err = Parse([]byte("name: g\nbase: {iterations: 2}\naxes: {game: [beach-bar, left-right], params.n: [4]}\n"))
	if err == nil || !strings.Contains(err.Error(), `game=left-right params.n=4): left-right: parameter "n" is unknown`) {
		t.Fatalf("got %v, want an error naming the left-right run and n", err)
	}
}

// A run that fails while running is recorded with its error; the others go on; merge reports
// it. (Prior descent with a tiny eta overflows in MFGLib's float32 arithmetic.)
func TestFailedRunIsRecorded(t *testing.T) {
	s, err := Parse([]byte("name: f\nbase: {game: beach-bar, algorithm: prior-descent, arithmetic: mfglib-float32, iterations: 3}\naxes: {eta: [1, 0.001]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rep, err := RunSweep(context.Background(), s, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Ran != 2 || rep.Failed != 1 {
		t.Fatalf("ran %d, failed %d; want 2 and 1", rep.Ran, rep.Failed)
	}
	mrep, err := Merge(s, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(mrep.Failed) != 1 || !strings.Contains(mrep.Failed[0].Error, "is not finite in float32") {
		t.Fatalf("failed runs %+v, want one whose policy overflowed", mrep.Failed)
	}
}

// A results folder of another sweep is refused and left as it is.
func TestOtherSweepsFolderIsRefused(t *testing.T) {
	s := mustLoad(t, small)
	dir := t.TempDir()
	if _, err := RunSweep(context.Background(), s, dir, Options{}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "sweep.json"))
	other, err := Parse([]byte("name: other\nbase: {game: auction, iterations: 2}\naxes: {temperature: [3]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := RunSweep(context.Background(), other, dir, Options{}); !errors.Is(err, ErrOtherSweep) {
		t.Fatalf("got %v, want ErrOtherSweep", err)
	}
	if _, err := Merge(other, dir); !errors.Is(err, ErrOtherSweep) {
		t.Fatalf("merge: got %v, want ErrOtherSweep", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "sweep.json"))
	entries, _ := os.ReadDir(filepath.Join(dir, "runs"))
	if !bytes.Equal(before, after) || len(entries) != len(s.Runs) {
		t.Error("the other sweep's folder was changed")
	}
}

func TestSummarizeGroupsAndRejectsUnknownAxes(t *testing.T) {
	s := mustLoad(t, small)
	dir := t.TempDir()
	if _, err := RunSweep(context.Background(), s, dir, Options{}); err != nil {
		t.Fatal(err)
	}
	groups, err := Summarize(s, dir, []string{"temperature"}, "exploitability")
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 3 {
		t.Fatalf("%d groups, want 3", len(groups))
	}
	for _, g := range groups {
		if g.N != 4 || !(g.Lower <= g.Mean && g.Mean <= g.Upper) || g.Mean <= 0 {
			t.Errorf("group %v: n %d mean %v CI [%v, %v]", g.Key, g.N, g.Mean, g.Lower, g.Upper)
		}
	}
	// Recompute one mean from the records.
	var sum float64
	var n int
	for _, r := range s.Runs {
		if r.Params["temperature"] == 8 {
			rec, err := ReadRecord(dir, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			sum += *rec.Exploitability
			n++
		}
	}
	if got := groups[2].Mean; got != sum/float64(n) && (got-sum/float64(n)) > 1e-12 {
		t.Errorf("mean at temperature 8: %v, records give %v", got, sum/float64(n))
	}
	for _, g := range groups {
		if !(g.Lower >= 0) {
			t.Errorf("group %v: interval [%v, %v] reaches below 0", g.Key, g.Lower, g.Upper)
		}
	}
	// The window metric is each record's verdict mean, averaged.
	windows, err := Summarize(s, dir, []string{"temperature"}, "window_exploitability")
	if err != nil {
		t.Fatal(err)
	}
	sum, n = 0, 0
	for _, r := range s.Runs {
		if r.Params["temperature"] == 8 {
			rec, _ := ReadRecord(dir, r.ID)
			sum += rec.Verdict().Mean
			n++
		}
	}
	if g := windows[2]; g.N != n || math.Abs(g.Mean-sum/float64(n)) > 1e-12 || !(g.Lower >= 0 && g.Lower <= g.Mean && g.Mean <= g.Upper) {
		t.Errorf("window exploitability at temperature 8: %+v, records give mean %v of %d", g, sum/float64(n), n)
	}
	if _, err := Summarize(s, dir, []string{"nope"}, "exploitability"); err == nil {
		t.Error("unknown axis accepted")
	}
	if _, err := Summarize(s, dir, []string{"temperature"}, "speed"); err == nil {
		t.Error("unknown metric accepted")
	}
	if !slices.Contains(s.ParamNames(), "params.states") {
		t.Error("axes lost")
	}
}

// A killed process's partial record (runs/.<id>.json.tmp-*) is removed when its run is taken.
func TestStaleTemporaryRecordsAreRemoved(t *testing.T) {
	s := mustLoad(t, small)
	dir := t.TempDir()
	if err := Prepare(s, dir); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "runs", "."+s.Runs[0].ID+".json.tmp-123")
	if err := os.WriteFile(stale, []byte("{partial"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := RunSweep(context.Background(), s, dir, Options{Workers: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale temporary record is still there (%v)", err)
	}
}

// A record's verdict is the engine's, from its trace: an alternating exploitability oscillates
// with period 2, and a failed run has none.
func TestRecordVerdict(t *testing.T) {
	rec := &Record{Status: "ok", Iterations: 40}
	for k := 0; k <= 40; k++ {
		e := 0.3 + 0.1*float64(k%2)
		rec.Trace = append(rec.Trace, Point{Iteration: k, Exploitability: &e})
	}
	if v := rec.Verdict(); v.Kind != "oscillating" || v.Period != 2 || v.Window != 20 || math.Abs(v.Mean-0.35) > 1e-12 {
		t.Errorf("verdict %+v, want oscillating, period 2, mean 0.35 over 20", v)
	}
	rec.CyclePeriod = 2
	if v := rec.Verdict(); v.Kind != "cycling" || v.Start != 38 {
		t.Errorf("verdict %+v, want cycling from 38", v)
	}
	rec.Status = "failed"
	if v := rec.Verdict(); v.Kind != "" {
		t.Errorf("failed run: verdict %+v", v)
	}
}
