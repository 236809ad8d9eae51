package experiment

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The quick reproduction produces every artifact, and each parses.
func TestReproduceQuickProducesEveryArtifact(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole quick reproduction")
	}
	dir := t.TempDir()
	cfg := QuickReproduceConfig()
	rep, err := RunReproduce(context.Background(), cfg, dir, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Outcomes) != len(Experiments(cfg)) {
		t.Fatalf("%d outcomes, want %d", len(rep.Outcomes), len(Experiments(cfg)))
	}
	want := map[string][]string{
		"delta-q":        {"delta_q.csv", "delta_q.md", "delta_q.png", "delta_q.svg"},
		"q-heatmaps":     {"q_heatmaps.png", "q_heatmaps.svg", "q_tables.csv"},
		"naive":          {"naive_fluctuation.png", "naive_fluctuation.svg", "naive_paths.csv"},
		"c-pi-10x10-n20": {"c_pi.png", "c_pi.svg", "paths.csv", "summary.csv", "config.yaml"},
		"c-pi-20x20-n20": {"c_pi.png", "c_pi.svg", "paths.csv", "summary.csv", "config.yaml"},
		"c-pi-10x10-n40": {"c_pi.png", "c_pi.svg", "paths.csv", "summary.csv", "config.yaml"},
	}
	for name, files := range want {
		for _, f := range append(files, "outcome.json") {
			path := filepath.Join(dir, name, f)
			checkParses(t, path)
		}
	}
	md := readReport(t, dir) // also checks for doubled parentheses
	for _, o := range rep.Outcomes {
		if !strings.Contains(md, o.Title) || !strings.Contains(md, o.Claim) {
			t.Errorf("report.md lacks the section or claim of %s", o.Name)
		}
		for _, f := range o.Figures {
			if !strings.Contains(md, filepath.ToSlash(filepath.Join(o.Name, f.PNG))) {
				t.Errorf("report.md does not show %s/%s", o.Name, f.PNG)
			}
		}
	}
	// The solves' verdicts are in the report: GMF-V's L* converged; the table's fixed-length runs
	// stop at their cap.
	for _, v := range []string{"L* is GMF-V's final population. GMF-V's run: converged after", "GMF-V's run: stopped at the cap after", "GMF-Q's run: "} {
		if !strings.Contains(md, v) {
			t.Errorf("report.md lacks the verdict %q", v)
		}
	}
	for _, talk := range []string{"0.21263", "0.1294", "0.10258", "0.0989"} {
		if !strings.Contains(md, talk) {
			t.Errorf("report.md lacks the talk's ΔQ %s", talk)
		}
	}
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	figures := 0
	for _, o := range rep.Outcomes {
		figures += len(o.Figures)
	}
	if n := strings.Count(string(page), "data:image/png;base64,"); n != figures {
		t.Errorf("report.html embeds %d images, want %d", n, figures)
	}
	if strings.Contains(string(page), `src="`+"delta-q") {
		t.Error("report.html links an image instead of embedding it")
	}
	checkParses(t, filepath.Join(dir, "config.yaml"))
}

// checkParses opens a result file by its kind and fails the test if it is empty or malformed.
func checkParses(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Error(err)
		return
	}
	defer f.Close()
	fi, _ := f.Stat()
	if fi.Size() == 0 {
		t.Errorf("%s is empty", path)
		return
	}
	switch filepath.Ext(path) {
	case ".png":
		if _, err := png.Decode(f); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	case ".csv":
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil || len(rows) < 2 {
			t.Errorf("%s: %d rows, %v", path, len(rows), err)
		}
	case ".json":
		var v any
		if err := json.NewDecoder(f).Decode(&v); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	case ".yaml":
		if _, err := LoadYAMLFile(path, DefaultReproduceConfig()); err != nil && !strings.Contains(path, "c-pi") {
			t.Errorf("%s: %v", path, err)
		}
	case ".svg":
		head := make([]byte, 256)
		n, _ := f.Read(head)
		if !strings.Contains(string(head[:n]), "<svg") && !strings.Contains(string(head[:n]), "<?xml") {
			t.Errorf("%s does not start like an SVG", path)
		}
	}
}

// An interrupted reproduction resumes without recomputing what finished.
func TestReproduceResumesWithoutRecomputing(t *testing.T) {
	dir := t.TempDir()
	cfg := QuickReproduceConfig()
	only := []string{"delta-q", "q-heatmaps", "naive"}
	first := Experiments(cfg)[0]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Cancel as soon as the first experiment's work is done: it still writes its outcome, the
	// rest do not start.
	_, err := RunReproduce(ctx, cfg, dir, only, func(done, total int) {
		if done == first.units {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run returned %v, want context.Canceled", err)
	}
	finished := filepath.Join(dir, first.Name, "outcome.json")
	before, err := os.Stat(finished)
	if err != nil {
		t.Fatalf("the finished experiment left no outcome: %v", err)
	}
	for _, name := range only[1:] {
		if _, err := os.Stat(filepath.Join(dir, name, "outcome.json")); err == nil {
			t.Errorf("%s finished although the run was interrupted before it", name)
		}
	}
	if report, err := os.ReadFile(filepath.Join(dir, "report.md")); err != nil || !strings.Contains(string(report), "Interrupted during `"+only[1]+"`") {
		t.Errorf("the report of the interrupted run does not say where it stopped (%v)", err)
	}
	time.Sleep(10 * time.Millisecond) // so that a rewrite would change the modification time
	units := 0
	rep, err := RunReproduce(context.Background(), cfg, dir, only, func(done, total int) { units = total })
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Skipped, []string{first.Name}) || !slices.Equal(rep.Ran, only[1:]) {
		t.Errorf("resumed run ran %v and skipped %v, want ran %v, skipped [%s]", rep.Ran, rep.Skipped, only[1:], first.Name)
	}
	if want := Experiments(cfg)[1].units + Experiments(cfg)[2].units; units != want {
		t.Errorf("resumed run planned %d units of work, want %d (the unfinished experiments only)", units, want)
	}
	after, err := os.Stat(finished)
	if err != nil {
		t.Fatal(err)
	}
	if !after.ModTime().Equal(before.ModTime()) {
		t.Error("the finished experiment's outcome was rewritten")
	}
	if len(rep.Outcomes) != 3 {
		t.Errorf("%d outcomes after resuming, want 3", len(rep.Outcomes))
	}
	// A different configuration is not mistaken for finished work.
	cfg.DeltaQ.Seeds++
	rep, err = RunReproduce(context.Background(), cfg, dir, []string{"delta-q"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Ran, []string{"delta-q"}) {
		t.Errorf("changed configuration: ran %v, want delta-q recomputed", rep.Ran)
	}
}

func TestReproduceRejectsUnknownExperiment(t *testing.T) {
	_, err := RunReproduce(context.Background(), QuickReproduceConfig(), t.TempDir(), []string{"fig-9"}, nil)
	if !errors.Is(err, ErrUnknownExperiment) || !strings.Contains(err.Error(), "fig-9") {
		t.Fatalf("got %v", err)
	}
}

// The comparison's claim holds only when GMF-Q's interval lies below every other's; a lowest mean
// whose interval overlaps another's is said to be indistinguishable.
func TestComparisonVerdictNeedsDisjointIntervals(t *testing.T) {
	s := func(alg string, mean, lo, hi float64) CompareSummary {
		return CompareSummary{Algorithm: alg, Mean: mean, Lower90: lo, Upper90: hi}
	}
	holds, undecided, v := comparisonVerdict([]CompareSummary{s("gmf-q", 0.085, 0.062, 0.117), s("il", 0.100, 0.092, 0.110), s("mf-q", 0.77, 0.69, 0.85)}, 20)
	if holds || !undecided || !strings.Contains(v, "not distinguishable at 20 paths") || !strings.Contains(v, "overlaps those of IL") {
		t.Errorf("overlapping intervals: holds %v, verdict %q", holds, v)
	}
	holds, undecided, v = comparisonVerdict([]CompareSummary{s("gmf-q", 0.085, 0.062, 0.09), s("il", 0.100, 0.092, 0.110), s("mf-q", 0.77, 0.69, 0.85)}, 20)
	if !holds || undecided || !strings.Contains(v, "beyond the 90% intervals") {
		t.Errorf("disjoint intervals: holds %v, verdict %q", holds, v)
	}
	// IL lowest beyond the intervals: the claim does not hold, and that is decided.
	holds, undecided, _ = comparisonVerdict([]CompareSummary{s("gmf-q", 0.2, 0.15, 0.25), s("il", 0.05, 0.04, 0.06)}, 20)
	if holds || undecided || (&Outcome{Undecided: true}).Here() != "not decided" || (&Outcome{Holds: true}).Here() != "holds" {
		t.Errorf("IL lowest: holds %v undecided %v", holds, undecided)
	}
}
