package experiment

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// tinyReproduceConfig is the quick configuration cut down to what the ΔQ table and the heat maps
// need to run in a fraction of a second: one T_k, a few outer iterations and sweeps.
func tinyReproduceConfig() ReproduceConfig {
	cfg := QuickReproduceConfig()
	cfg.DeltaQ.Steps = []int{500}
	cfg.DeltaQ.Iterations = 3
	cfg.DeltaQ.Sweeps = 200
	return cfg
}

// The heat map of GMF-Q's Q-table names the master seed its run comes from (it said "seed 0",
// the index of the run among the ΔQ table's, whatever --seed was).
func TestHeatmapTitleCarriesTheSeed(t *testing.T) {
	for _, seed := range []uint64{1, 7} {
		cfg := tinyReproduceConfig()
		cfg.Seed = seed
		dir := t.TempDir()
		o, err := runHeatmaps(context.Background(), cfg, dir, func() {})
		if err != nil {
			t.Fatal(err)
		}
		svg, err := os.ReadFile(filepath.Join(dir, "q_heatmaps.svg"))
		if err != nil {
			t.Fatal(err)
		}
		want := "seed " + strconv.FormatUint(seed, 10) + ")"
		if !strings.Contains(string(svg), want) || strings.Contains(string(svg), "seed 0)") {
			t.Errorf("--seed %d: the heat map's title does not read %q", seed, want)
		}
		if _, gmfq, _ := heatmapTitles(cfg); !strings.HasSuffix(gmfq, want) {
			t.Errorf("--seed %d: GMF-Q's title is %q, want it to end in %q", seed, gmfq, want)
		}
		if !strings.Contains(o.Figures[0].Caption, "master seed "+strconv.FormatUint(seed, 10)) {
			t.Errorf("--seed %d: caption %q does not name the seed", seed, o.Figures[0].Caption)
		}
	}
}

// --only keeps in the report every experiment finished earlier with the same configuration and
// says so; an experiment of another configuration is left out with the reason, in the result
// and in report.md.
func TestReproduceOnlyKeepsFinishedExperiments(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	quick := tinyReproduceConfig()
	if _, err := RunReproduce(ctx, quick, dir, []string{"delta-q", "q-heatmaps"}, nil); err != nil {
		t.Fatal(err)
	}
	rep, err := RunReproduce(ctx, quick, dir, []string{"q-heatmaps"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Ran, nil) || !slices.Equal(rep.Kept, []string{"delta-q", "q-heatmaps"}) || len(rep.Outcomes) != 2 {
		t.Errorf("--only q-heatmaps again: ran %v, kept %v, %d outcomes; want nothing run, both kept and reported", rep.Ran, rep.Kept, len(rep.Outcomes))
	}
	md := readReport(t, dir)
	if !strings.Contains(md, "Kept from earlier runs in this folder, with the same configuration: `delta-q`, `q-heatmaps`.") {
		t.Errorf("report.md does not say which experiments it kept:\n%s", md)
	}
	if !strings.Contains(md, "`naive` (not run in this folder yet: --only left it out)") {
		t.Errorf("report.md does not say why naive is missing:\n%s", md)
	}

	full := quick
	full.Quick = false
	full.DeltaQ.Seeds++ // the full configuration has other sizes
	rep, err = RunReproduce(ctx, full, dir, []string{"q-heatmaps"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Ran, []string{"q-heatmaps"}) || len(rep.Kept) != 0 || len(rep.Outcomes) != 1 {
		t.Errorf("full --only q-heatmaps: ran %v, kept %v; want q-heatmaps run, nothing kept", rep.Ran, rep.Kept)
	}
	reason := missing(rep, "delta-q")
	if !strings.Contains(reason, "configuration differs") || !strings.Contains(reason, "quick (--quick)") || !strings.Contains(reason, "this run is full") {
		t.Errorf("delta-q of the quick run: reason %q, want that its configuration differs, quick against full", reason)
	}
	if md := readReport(t, dir); !strings.Contains(md, "`delta-q` ("+reason+")") {
		t.Errorf("report.md does not give delta-q's reason %q:\n%s", reason, md)
	}

	full.Seed = 2
	rep, err = RunReproduce(ctx, full, dir, []string{"delta-q"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if reason := missing(rep, "q-heatmaps"); !strings.Contains(reason, "seed 1, this run's seed is 2") {
		t.Errorf("q-heatmaps of seed 1 in a run of seed 2: reason %q", reason)
	}
}

// missing is the reason rep gives for leaving out the experiment name, "" if it does not.
func missing(rep *ReproduceReport, name string) string {
	for _, m := range rep.Missing {
		if m.Name == name {
			return m.Reason
		}
	}
	return ""
}

// readReport reads dir/report.md and checks that no parenthesis follows another: "((", "))" or
// ") (" read badly.
func readReport(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"((", "))", ") ("} {
		if strings.Contains(string(b), bad) {
			t.Errorf("report.md contains %q:\n%s", bad, b)
		}
	}
	return string(b)
}

// The HTML report renders subscripts as <sub> outside code, and a star after a letter (L*) as a
// star, not as emphasis.
func TestReportHTMLText(t *testing.T) {
	for in, want := range map[string]string{
		"‖L_k − L_{k−1}‖₁ in `q_heatmaps`": "‖L<sub>k</sub> − L<sub>k−1</sub>‖₁ in <code>q_heatmaps</code>",
		"from L* to L* and *the talk*":     "from L* to L* and <em>the talk</em>",
		"**Here: holds.** a < b":           "<strong>Here: holds.</strong> a &lt; b",
	} {
		if got := inlineHTML(in); got != want {
			t.Errorf("inlineHTML(%q) = %q, want %q", in, got, want)
		}
	}
}
