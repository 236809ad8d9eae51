package experiment

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

	"meanfield/engine"
)

// sameFolders fails t unless the folders a and b hold the same files, byte for byte, but for the
// figures (drawn from the same numbers) and nothing else: no temporary file left.
func sameFolders(t *testing.T, name, a, b string) {
	t.Helper()
	ea, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	eb, err := os.ReadDir(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(ea) != len(eb) {
		t.Fatalf("%s: %d files streamed, %d not", name, len(eb), len(ea))
	}
	for i, e := range ea {
		if e.Name() != eb[i].Name() || strings.Contains(eb[i].Name(), ".tmp-") {
			t.Fatalf("%s: file %s streamed, %s not", name, eb[i].Name(), e.Name())
		}
		x, _ := os.ReadFile(filepath.Join(a, e.Name()))
		y, _ := os.ReadFile(filepath.Join(b, e.Name()))
		if !bytes.Equal(x, y) {
			t.Errorf("%s: %s differs streamed", name, e.Name())
		}
	}
}

// A streamed solve writes the files RunSolve writes from the whole trace, byte for byte, keeps
// one record in Result.Trace, and its report answers as RunSolve's: on stationary and
// finite-horizon games, with a reference, several populations, trace-matrices, MFGLib's
// arithmetic, traces longer than a buffer of 64 KiB (written out to temporary files).
func TestStreamedSolveWritesTheSameFiles(t *testing.T) {
	three, zero := 3, 0
	cases := []struct {
		name string
		edit func(*SolveConfig)
	}{
		{"gmf-q on the auction, with GMF-V", func(c *SolveConfig) { c.Run.Iterations = 4 }},
		{"gmf-v, every 3rd", func(c *SolveConfig) {
			c.Run.Algorithm, c.Run.Iterations, c.Outputs.TraceMatrices = "gmf-v", 7, &three
		}},
		{"beach bar, 3000 iterations", func(c *SolveConfig) {
			c.Run.Game, c.Run.Algorithm, c.Run.Iterations, c.Outputs.TraceMatrices = "beach-bar", "online-mirror-descent", 3000, &zero
		}},
		{"left-right, prior descent, 2500 iterations, every 1000th", func(c *SolveConfig) {
			every := 1000
			c.Run.Game, c.Run.Algorithm, c.Run.Iterations, c.Outputs.TraceMatrices = "left-right", "prior-descent", 2500, &every
		}},
		{"predator-prey", func(c *SolveConfig) {
			c.Run.Game, c.Run.Algorithm, c.Run.Iterations = "predator-prey", "online-mirror-descent", 6
		}},
		{"crowd motion, MFGLib's arithmetic", func(c *SolveConfig) {
			c.Run.Game, c.Run.Iterations, c.Run.Arithmetic = "crowd-motion", 3, ArithmeticMFGLib
		}},
	}
	for _, c := range cases {
		cfg := DefaultSolveConfig()
		c.edit(&cfg)
		whole, streamed := t.TempDir(), t.TempDir()
		a, err := RunSolve(context.Background(), cfg, whole, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		b, err := RunSolveStreamed(context.Background(), cfg, streamed, nil)
		if err != nil {
			t.Fatalf("%s, streamed: %v", c.name, err)
		}
		sameFolders(t, c.name, whole, streamed)
		if cfg.Run.Arithmetic != ArithmeticMFGLib && len(b.Result.Trace) != 1 {
			t.Errorf("%s: %d records kept streamed", c.name, len(b.Result.Trace))
		}
		sameReports(t, c.name, a, b)
	}
}

// sameReports fails t unless the reports a (of a whole trace) and b (streamed) answer alike.
func sameReports(t *testing.T, name string, a, b *SolveReport) {
	t.Helper()
	if a.Records() != b.Records() || a.Records() != len(a.Result.Trace) {
		t.Fatalf("%s: %d records, %d streamed, %d in the trace", name, a.Records(), b.Records(), len(a.Result.Trace))
	}
	for i := range a.Records() {
		x, okx := a.ExploitabilityAt(i)
		y, oky := b.ExploitabilityAt(i)
		if math.Float64bits(x) != math.Float64bits(y) || okx != oky || math.Float64bits(x) != math.Float64bits(a.Result.Trace[i].Exploitability) || okx != a.Result.Trace[i].HasExploitability {
			t.Fatalf("%s: exploitability %d: %v %v, streamed %v %v", name, i, x, okx, y, oky)
		}
	}
	ea, ka := a.LowestExploitability()
	eb, kb := b.LowestExploitability()
	sa, oa := a.InnerConvergence()
	sb, ob := b.InnerConvergence()
	if math.Float64bits(ea) != math.Float64bits(eb) || ka != kb || sa != sb || oa != ob || a.Verdict() != b.Verdict() || a.Status() != b.Status() {
		t.Errorf("%s: lowest %v at %d, inner %d of %d, verdict %+v; streamed %v at %d, %d of %d, %+v", name, ea, ka, sa, oa, a.Verdict(), eb, kb, sb, ob, b.Verdict())
	}
	// The whole trace's figures, counted as the summary counted them from it.
	tr, best, stopped, known := a.Result.Trace, 0, 0, 0
	for i, it := range tr {
		if it.HasExploitability && it.Exploitability < tr[best].Exploitability {
			best = i
		}
		if it.InnerConverged != nil {
			known++
			if !*it.InnerConverged {
				stopped++
			}
		}
	}
	if math.Float64bits(eb) != math.Float64bits(tr[best].Exploitability) || kb != best || sb != stopped || ob != known {
		t.Errorf("%s: streamed lowest %v at %d, inner %d of %d; the trace's %v at %d, %d of %d", name, eb, kb, sb, ob, tr[best].Exploitability, best, stopped, known)
	}
	fa, fb := tr[0], b.FirstIteration()
	if fb.K != 0 || math.Float64bits(fa.Exploitability) != math.Float64bits(fb.Exploitability) || !slices.Equal(fa.PopulationExploitabilities, fb.PopulationExploitabilities) ||
		len(fa.Population) != len(fb.Population) || len(fb.Population) > 0 && !slices.Equal(fa.Population[0].Mass, fb.Population[0].Mass) {
		t.Errorf("%s: first iteration %+v, streamed %+v", name, fa, fb)
	}
}

// An interrupted streamed solve writes the iterations done, marked interrupted, as RunSolve
// interrupted at the same iteration does, and leaves no temporary file.
func TestInterruptedStreamedSolve(t *testing.T) {
	cfg, zero := DefaultSolveConfig(), 0
	cfg.Run.Game, cfg.Run.Algorithm, cfg.Run.Iterations, cfg.Outputs.TraceMatrices = "left-right", "fictitious-play", 2000, &zero
	dirs := []string{t.TempDir(), t.TempDir()}
	var reps [2]*SolveReport
	for i, run := range []func(context.Context, SolveConfig, string, func(engine.Iteration)) (*SolveReport, error){RunSolve, RunSolveStreamed} {
		ctx, cancel := context.WithCancel(context.Background())
		rep, err := run(ctx, cfg, dirs[i], func(it engine.Iteration) {
			if it.K == 1500 { // past a buffer of trace.csv: a temporary file is there
				cancel()
			}
		})
		cancel()
		if !errors.Is(err, context.Canceled) || rep == nil || !rep.Interrupted || rep.Result.Final().K != 1500 {
			t.Fatalf("run %d: %v, want a solve interrupted after 1500 iterations", i, err)
		}
		reps[i] = rep
	}
	sameFolders(t, "interrupted", dirs[0], dirs[1])
	sameReports(t, "interrupted", reps[0], reps[1])
}

// A trace whose temporary file cannot be made fails its commit with "write PATH: ...", the
// error kept since the first write; a trace never written out is written at once.
func TestTextOutCommit(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	o := textOut{path: filepath.Join(blocker, "trace.csv"), b: make([]byte, 0, 1<<17)}
	o.b = append(o.b, bytes.Repeat([]byte("x"), 1<<16)...)
	if o.flush(1 << 16); o.err == nil {
		t.Fatal("no error making a file below a file")
	}
	if err := o.commit(); err == nil || !strings.HasPrefix(err.Error(), "write "+o.path+": ") {
		t.Errorf("commit: %v", err)
	}
	ok := textOut{path: filepath.Join(dir, "trace.csv"), b: []byte("a,b\n")}
	if ok.flush(0); ok.commit() != nil {
		t.Fatal("commit failed")
	}
	if b, err := os.ReadFile(ok.path); err != nil || string(b) != "a,b\n" {
		t.Errorf("%s: %q, %v", ok.path, b, err)
	}
}

// The log's figures are those counted over the trace, on traces edited to hold ties of the
// lowest exploitability, values not recorded below it, NaN, and inner solvers that stop.
func TestLogFiguresOfEditedTraces(t *testing.T) {
	cfg, zero := DefaultSolveConfig(), 0
	cfg.Run.Game, cfg.Run.Algorithm, cfg.Run.Iterations, cfg.Outputs.TraceMatrices = "left-right", "fictitious-play", 60, &zero
	rep, err := RunSolve(context.Background(), cfg, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	tr := rep.Result.Trace
	yes, no := true, false
	for round := range 30 {
		for i := range tr {
			it := &tr[i]
			it.Exploitability = float64((i*7+round)%5) / 4
			it.HasExploitability = (i+round)%6 != 0
			it.InnerConverged = []*bool{nil, &yes, &no}[(i+round)%3]
		}
		if round%4 == 1 {
			tr[round].Exploitability = math.NaN()
		}
		if round%5 == 2 {
			tr[round+1].Exploitability, tr[round+1].HasExploitability = -1, false // not recorded: not the lowest
		}
		b := &SolveReport{Config: rep.Config, Game: rep.Game, Result: rep.Result}
		sameReports(t, "round "+strings.Repeat("I", round%4+1), rep, b)
	}
}

// A streamed solve whose outputs are not written (its folder cannot be made) still answers for
// every record: with trace-matrices k > 0 the last one waits in the log for the next, and no
// next comes.
func TestStreamedReportWithoutOutputs(t *testing.T) {
	cfg, three := DefaultSolveConfig(), 3
	cfg.Run.Game, cfg.Run.Algorithm, cfg.Run.Iterations, cfg.Outputs.TraceMatrices = "beach-bar", "online-mirror-descent", 10, &three
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := RunSolve(context.Background(), cfg, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := RunSolveStreamed(context.Background(), cfg, filepath.Join(file, "out"), nil)
	if err == nil || b == nil {
		t.Fatalf("report %v, error %v: want a report and the error of its folder", b, err)
	}
	sameReports(t, "outputs not written", a, b)
}
