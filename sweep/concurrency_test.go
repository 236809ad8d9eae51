package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// twoSweeps returns small.yaml and the same file with another seed.
func twoSweeps(t *testing.T) (a, b *Sweep) {
	t.Helper()
	data, err := os.ReadFile(small)
	if err != nil {
		t.Fatal(err)
	}
	a = mustLoad(t, small)
	if b, err = Parse(bytes.Replace(data, []byte("seed: 11"), []byte("seed: 12"), 1)); err != nil {
		t.Fatal(err)
	}
	return a, b
}

// Of many goroutines preparing one empty folder at once for two sweeps that differ only in their
// seed, exactly the ones of one sweep succeed: the one whose manifest was created first, and the
// others get ErrOtherSweep naming the folder and both fingerprints. Repeated, so that a
// check-then-write would be caught.
func TestPrepareRaceHasOneOwner(t *testing.T) {
	a, b := twoSweeps(t)
	rounds := 200
	if testing.Short() {
		rounds = 40
	}
	for round := range rounds {
		dir := filepath.Join(t.TempDir(), "out")
		start := make(chan struct{})
		errs := make([]error, 8)
		var wg sync.WaitGroup
		for g := range errs {
			s := a
			if g%2 == 1 {
				s = b
			}
			wg.Go(func() {
				<-start
				errs[g] = Prepare(s, dir)
			})
		}
		close(start)
		wg.Wait()
		m, err := readManifest(dir)
		if err != nil {
			t.Fatal(err)
		}
		for g, err := range errs {
			s := a
			if g%2 == 1 {
				s = b
			}
			switch {
			case s.Fingerprint == m.Fingerprint && err != nil:
				t.Fatalf("round %d: the owner's goroutine %d failed: %v", round, g, err)
			case s.Fingerprint != m.Fingerprint && !errors.Is(err, ErrOtherSweep):
				t.Fatalf("round %d: goroutine %d of the other sweep got %v, want ErrOtherSweep", round, g, err)
			case err != nil && (!strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), a.Fingerprint) || !strings.Contains(err.Error(), b.Fingerprint)):
				t.Fatalf("round %d: %q does not name the folder and both fingerprints", round, err)
			}
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 2 { // runs and sweep.json, no temporary file
			t.Fatalf("round %d: %d entries in the folder, want runs and sweep.json", round, len(entries))
		}
	}
}

// Two invocations of one sweep on one folder at once compute every run once between them, and
// the results equal a single invocation's.
func TestSameSweepTwiceAtOnceComputesEachRunOnce(t *testing.T) {
	s, err := Parse([]byte("name: twice\nseed: 1\nreplicates: 8\nbase: {game: auction, iterations: 4, steps: 2000, compare-to-gmf-v: false}\naxes: {temperature: [2, 4, 8]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	ref := t.TempDir()
	if _, err := RunSweep(context.Background(), s, ref, Options{Workers: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := Merge(s, ref); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	reps := make([]*Report, 2)
	var wg sync.WaitGroup
	for i := range reps {
		wg.Go(func() {
			rep, err := RunSweep(context.Background(), s, dir, Options{Workers: 2})
			if err != nil {
				t.Error(err)
			}
			reps[i] = rep
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	n := len(s.Runs)
	if reps[0].Ran+reps[1].Ran != n || reps[0].Ran+reps[0].Skipped != n || reps[1].Ran+reps[1].Skipped != n {
		t.Errorf("reports %+v and %+v: want the %d runs computed once between them, each finding the others done", *reps[0], *reps[1], n)
	}
	if _, err := Merge(s, dir); err != nil {
		t.Fatal(err)
	}
	wantRuns, wantIters := readAll(t, ref)
	gotRuns, gotIters := readAll(t, dir)
	if !bytes.Equal(gotRuns, wantRuns) || !bytes.Equal(gotIters, wantIters) {
		t.Error("results of two invocations at once differ from a single one")
	}
	noLockFiles(t, dir)
}

// noLockFiles fails the test if a lock file is left in dir/runs.
func noLockFiles(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Join(dir, "runs"))
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") || strings.HasPrefix(e.Name(), ".") {
			t.Errorf("stray file runs/%s", e.Name())
		}
	}
}

// A record copied from another sweep's folder (same id, other seed), a record of another run, and
// records whose fingerprint or sweep seed were changed are refused, naming the file, by Merge, by
// Collect and by a resumed RunSweep, and left as they are.
func TestForeignRecordsAreRefused(t *testing.T) {
	a, b := twoSweeps(t)
	dirA, dirB := t.TempDir(), t.TempDir()
	for _, c := range []struct {
		s   *Sweep
		dir string
	}{{a, dirA}, {b, dirB}} {
		if _, err := RunSweep(context.Background(), c.s, c.dir, Options{Workers: 2}); err != nil {
			t.Fatal(err)
		}
	}
	target := recordPath(dirA, a.Runs[0].ID)
	own, _ := os.ReadFile(target)
	edit := func(field string, v any) []byte {
		var m map[string]any
		json.Unmarshal(own, &m)
		m[field] = v
		out, _ := json.Marshal(m)
		return out
	}
	otherSweep, _ := os.ReadFile(recordPath(dirB, a.Runs[0].ID))
	otherRun, _ := os.ReadFile(recordPath(dirA, a.Runs[1].ID))
	for _, c := range []struct {
		name, want string
		data       []byte
	}{
		{"another sweep's record", "sweep fingerprint " + b.Fingerprint, otherSweep},
		{"another run's record", "run id " + a.Runs[1].ID, otherRun},
		{"fingerprint changed", "sweep fingerprint 0123", edit("sweep_fingerprint", "0123")},
		{"sweep seed changed", "sweep seed 12", edit("sweep_seed", 12)},
		{"run seed changed", "run seed 5", edit("seed", 5)},
	} {
		if err := os.WriteFile(target, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, merr := Merge(a, dirA)
		_, _, cerr := Collect(a, dirA)
		_, rerr := RunSweep(context.Background(), a, dirA, Options{})
		for what, err := range map[string]error{"merge": merr, "collect": cerr, "resume": rerr} {
			if !errors.Is(err, ErrForeignRecord) || !strings.Contains(err.Error(), target) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: %s gave %v; want ErrForeignRecord naming %s and %q", c.name, what, err, target, c.want)
			}
		}
		if after, _ := os.ReadFile(target); !bytes.Equal(after, c.data) {
			t.Errorf("%s: the record was changed", c.name)
		}
		if _, err := os.Stat(filepath.Join(dirA, "runs.parquet")); err == nil {
			t.Fatalf("%s: merged", c.name)
		}
	}
	if err := os.WriteFile(target, own, 0o644); err != nil {
		t.Fatal(err)
	}
	if rep, err := Merge(a, dirA); err != nil || len(rep.Missing) > 0 {
		t.Fatalf("merge of the folder restored: %v", err)
	}
}

// Names are one safe path component; an empty file, a null or empty document and a file of
// several documents are refused.
func TestParseRefusesBadNamesAndDocuments(t *testing.T) {
	const base = "base: {game: auction, iterations: 2}\n"
	for _, c := range []struct{ text, want string }{
		{"name: x/../../escaped\n" + base, `name = "x/../../escaped"`},
		{"name: ..\n" + base, `name = ".."`},
		{"name: /\n" + base, `name = "/"`},
		{"name: \"\"\n" + base, `name = ""`},
		{"name:\n" + base, `name = ""`},
		{"name: .hidden\n" + base, `name = ".hidden"`},
		{"name: a..b\n" + base, `name = "a..b"`},
		{"name: a b\n" + base, `name = "a b"`},
		{"name: " + strings.Repeat("a", 65) + "\n" + base, "name = "},
		{"", "empty"},
		{"# nothing\n", "empty"},
		{"---\n", "empty"},
		{"{}\n", "empty"},
		{"name: a\n" + base + "---\nname: b\n" + base, "more than one YAML document"},
		{base + "---\n", "more than one YAML document"},
	} {
		_, err := Parse([]byte(c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: got %v, want one line containing %q", c.text, err, c.want)
		}
	}
	for _, name := range []string{"a", "A.b_c-1", "0", strings.Repeat("z", 64)} {
		if _, err := Parse([]byte("name: " + name + "\n" + base)); err != nil {
			t.Errorf("name %q refused: %v", name, err)
		}
	}
}

// An unnamed sweep takes its file's base name when that is a valid name, and none otherwise.
func TestLoadNamesUnnamedSweepsAfterTheirFile(t *testing.T) {
	dir := t.TempDir()
	for file, want := range map[string]string{"study-1.yaml": "study-1", "my study.yaml": "", ".yaml": ""} {
		path := filepath.Join(dir, file)
		if err := os.WriteFile(path, []byte("base: {game: auction, iterations: 2}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if s := mustLoad(t, path); s.File.Name != want {
			t.Errorf("%s: name %q, want %q", file, s.File.Name, want)
		}
	}
}
