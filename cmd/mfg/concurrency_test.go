package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"meanfield/sweep"
)

var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

// TestMain removes the mfg binary that mfgBinary built.
func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// mfgBinary builds the program once per test binary and returns its path; it skips the test in
// -short mode.
func mfgBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the program and runs it in several processes")
	}
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "mfg-test-bin-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "mfg")
		if out, err := exec.Command("go", "build", "-o", built.bin, ".").CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

// proc is a finished process: its exit status and output.
type proc struct {
	code           int
	stdout, stderr string
}

// startAll starts every command, then waits for all of them.
func startAll(t *testing.T, bin string, argvs ...[]string) []proc {
	t.Helper()
	cmds := make([]*exec.Cmd, len(argvs))
	outs := make([][2]bytes.Buffer, len(argvs))
	for i, argv := range argvs {
		cmds[i] = exec.Command(bin, argv...)
		cmds[i].Stdout, cmds[i].Stderr = &outs[i][0], &outs[i][1]
	}
	for _, c := range cmds {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
	}
	res := make([]proc, len(cmds))
	for i, c := range cmds {
		err := c.Wait()
		res[i] = proc{code: c.ProcessState.ExitCode(), stdout: outs[i][0].String(), stderr: outs[i][1].String()}
		if err != nil && res[i].code < 0 {
			t.Fatalf("%v: %v", argvs[i], err)
		}
	}
	return res
}

// ranRE reads the account line of mfg sweep.
var ranRE = regexp.MustCompile(`this invocation ran (\d+) \(\d+ failed\) and found (\d+) finished`)

// ranAndFound returns the runs a sweep process computed and found finished, from its output.
func ranAndFound(t *testing.T, p proc) (ran, found int) {
	t.Helper()
	m := ranRE.FindStringSubmatch(p.stdout)
	if m == nil {
		t.Fatalf("no account line in %q (stderr %q)", p.stdout, p.stderr)
	}
	ran, _ = strconv.Atoi(m[1])
	found, _ = strconv.Atoi(m[2])
	return ran, found
}

// sameResults fails the test unless the Parquet files of the two folders are byte-identical.
func sameResults(t *testing.T, got, want string) {
	t.Helper()
	for _, f := range []string{"runs.parquet", "iterations.parquet"} {
		a, errA := os.ReadFile(filepath.Join(got, f))
		b, errB := os.ReadFile(filepath.Join(want, f))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%s of %s differs from %s's (%v, %v)", f, got, want, errA, errB)
		}
	}
}

// aloneIn runs the sweep file in a fresh folder in one process and returns the folder.
func aloneIn(t *testing.T, bin, file string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "alone")
	if p := startAll(t, bin, []string{"sweep", file, "--out", dir, "--no-progress"})[0]; p.code != 0 {
		t.Fatalf("sweep alone: exit %d\n%s%s", p.code, p.stdout, p.stderr)
	}
	return dir
}

const raceSweep = "name: race\nseed: %d\nreplicates: 4\nbase: {game: auction, iterations: 4, steps: 2000, compare-to-gmf-v: false}\naxes: {temperature: [2, 4, 8]}\n"

// Two different sweeps (the same file but for the seed) started at once on one empty folder, in
// two processes: exactly one finishes (exit 0), the other exits 2 with one line naming the folder
// and both fingerprints, and the folder's results are those of the winner run alone. Repeated.
func TestDifferentSweepsAtOnceOnOneFolder(t *testing.T) {
	bin := mfgBinary(t)
	files := [2]string{writeFile(t, "a.yaml", fmt.Sprintf(raceSweep, 1)), writeFile(t, "b.yaml", fmt.Sprintf(raceSweep, 2))}
	var prints [2]string
	for i, f := range files {
		s, err := sweep.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		prints[i] = s.Fingerprint
	}
	alone := map[int]string{}
	for round := range 3 {
		dir := filepath.Join(t.TempDir(), "shared")
		ps := startAll(t, bin, []string{"sweep", files[0], "--out", dir, "--no-progress", "--workers", "1"},
			[]string{"sweep", files[1], "--out", dir, "--no-progress", "--workers", "1"})
		winner := -1
		for i, p := range ps {
			switch {
			case p.code == 0 && winner < 0:
				winner = i
			case p.code == 2 && strings.Count(p.stderr, "\n") == 1 && strings.Contains(p.stderr, "out = "+dir+":") &&
				strings.Contains(p.stderr, prints[0]) && strings.Contains(p.stderr, prints[1]):
			default:
				t.Fatalf("round %d: process %d exit %d\n%s%s", round, i, p.code, p.stdout, p.stderr)
			}
		}
		if winner < 0 || ps[1-winner].code != 2 {
			t.Fatalf("round %d: exits %d and %d, want one 0 and one 2", round, ps[0].code, ps[1].code)
		}
		if ran, found := ranAndFound(t, ps[winner]); ran != 12 || found != 0 {
			t.Errorf("round %d: the winner ran %d and found %d, want 12 and 0", round, ran, found)
		}
		if alone[winner] == "" {
			alone[winner] = aloneIn(t, bin, files[winner])
		}
		sameResults(t, dir, alone[winner])
		if p := startAll(t, bin, []string{"sweep", "merge", files[winner], "--out", dir})[0]; p.code != 0 {
			t.Errorf("round %d: merge after the race: exit %d %s", round, p.code, p.stderr)
		}
	}
}

// Two processes of the same sweep on one folder at once do each run once between them, both
// exit 0, and the results equal a single run's.
func TestSameSweepTwiceAtOnceOnOneFolder(t *testing.T) {
	bin := mfgBinary(t)
	file := writeFile(t, "twice.yaml", strings.Replace(fmt.Sprintf(raceSweep, 5), "replicates: 4", "replicates: 10", 1))
	dir := filepath.Join(t.TempDir(), "shared")
	argv := []string{"sweep", file, "--out", dir, "--no-progress", "--workers", "1"}
	ps := startAll(t, bin, argv, argv)
	total := 0
	for i, p := range ps {
		if p.code != 0 || !strings.Contains(p.stdout, "merged 30 runs") {
			t.Fatalf("process %d: exit %d\n%s%s", i, p.code, p.stdout, p.stderr)
		}
		ran, found := ranAndFound(t, p)
		if ran+found != 30 {
			t.Errorf("process %d ran %d and found %d, want 30 in all", i, ran, found)
		}
		total += ran
	}
	if total != 30 {
		t.Errorf("the two processes computed %d runs between them, want each of the 30 once", total)
	}
	sameResults(t, dir, aloneIn(t, bin, file))
}

// Three shards of one sweep in three processes at once on one folder (as the tasks of a Slurm job
// array), then a merge, give the results of a single process.
func TestShardsAtOnceOnOneFolder(t *testing.T) {
	bin := mfgBinary(t)
	file := filepath.Join("..", "..", "sweep", "testdata", "small.yaml")
	dir := filepath.Join(t.TempDir(), "shared")
	var argvs [][]string
	for i := range 3 {
		argvs = append(argvs, []string{"sweep", file, "--out", dir, "--no-progress", "--workers", "1", "--shard", fmt.Sprintf("%d/3", i)})
	}
	for i, p := range startAll(t, bin, argvs...) {
		if ran, found := ranAndFound(t, p); p.code != 0 || ran != 4 || found != 0 {
			t.Fatalf("shard %d: exit %d, ran %d, found %d\n%s%s", i, p.code, ran, found, p.stdout, p.stderr)
		}
	}
	if p := startAll(t, bin, []string{"sweep", "merge", file, "--out", dir})[0]; p.code != 0 || !strings.Contains(p.stdout, "merged 12 runs") {
		t.Fatalf("merge: exit %d\n%s%s", p.code, p.stdout, p.stderr)
	}
	sameResults(t, dir, aloneIn(t, bin, file))
}

// A record copied from another sweep's folder is refused by merge and by a resumed sweep (exit 2,
// one line naming the file), and nothing is merged.
func TestMergeRefusesForeignRecord(t *testing.T) {
	a, b := writeFile(t, "a.yaml", fmt.Sprintf(raceSweep, 1)), writeFile(t, "b.yaml", fmt.Sprintf(raceSweep, 2))
	dirA, dirB := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	for _, c := range [][]string{{"sweep", a, "--out", dirA, "--shard", "0/2"}, {"sweep", b, "--out", dirB}} {
		if code, stdout, stderr := runMFG(t, append(c, "--no-progress")...); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", c, code, stdout, stderr)
		}
	}
	s, err := sweep.Load(a)
	if err != nil {
		t.Fatal(err)
	}
	id := s.Runs[0].ID
	rec, err := os.ReadFile(filepath.Join(dirB, "runs", id+".json"))
	if err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dirA, "runs", id+".json")
	if err := os.WriteFile(target, rec, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"sweep", "merge", a, "--out", dirA}, {"sweep", a, "--out", dirA, "--no-progress"}} {
		code, _, stderr := runMFG(t, args...)
		if code != 2 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "record "+target+":") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line naming %s", args, code, stderr, target)
		}
	}
	if _, err := os.Stat(filepath.Join(dirA, "runs.parquet")); err == nil {
		t.Error("runs.parquet written with a foreign record")
	}
	if after, _ := os.ReadFile(target); !bytes.Equal(after, rec) {
		t.Error("the foreign record was changed")
	}
}

// Names that could leave the default folder out/, an empty sweep file and a file of two documents
// are refused with exit 2 and one line, and nothing is written anywhere.
func TestSweepNamesAndDocumentsAreChecked(t *testing.T) {
	const base = "base: {game: auction, iterations: 2, steps: 200, compare-to-gmf-v: false}\naxes: {temperature: [2]}\n"
	files := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(files, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct{ file, want string }{
		{write("1.yaml", "name: x/../../escaped\n"+base), `name = "x/../../escaped"`},
		{write("2.yaml", "name: x/../../../escaped\n"+base), `name = "x/../../../escaped"`},
		{write("3.yaml", "name: ..\n"+base), `name = ".."`},
		{write("4.yaml", "name: /\n"+base), `name = "/"`},
		{write("5.yaml", "name: \"\"\n"+base), `name = ""`},
		{write("empty.yaml", ""), "the sweep file is empty"},
		{write("comments.yaml", "# only a comment\n"), "the sweep file is empty"},
		{write("two.yaml", "name: a\n"+base+"---\nname: b\n"+base), "more than one YAML document"},
		{write("bad name.yaml", base), "give name: NAME or --out"},
	}
	root := t.TempDir()
	work := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(work)
	for _, c := range cases {
		for _, args := range [][]string{{"sweep", c.file, "--no-progress"}, {"sweep", "merge", c.file}, {"sweep", "summarize", c.file, "--by", "temperature"}} {
			code, stdout, stderr := runMFG(t, args...)
			if code != 2 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, c.want) || stdout != "" {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and one line containing %q", args, code, stdout, stderr, c.want)
			}
		}
	}
	var written []string
	filepath.Walk(root, func(path string, fi os.FileInfo, err error) error {
		if path != root && path != filepath.Join(root, "a") && path != work {
			written = append(written, path)
		}
		return nil
	})
	if len(written) > 0 {
		t.Errorf("refused sweeps wrote %v", written)
	}
}
