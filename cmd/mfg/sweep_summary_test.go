package main

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"meanfield/sweep"
)

// With one run per group, mfg sweep summarize prints "n/a (1 run)" instead of an interval,
// leaves the interval and SD cells of summary.csv empty, and still plots the means.
func TestSweepSummarizeOneRunPerGroup(t *testing.T) {
	file := writeFile(t, "one.yaml", "name: one\nseed: 2\nreplicates: 1\nbase: {game: auction, iterations: 2, steps: 200, compare-to-gmf-v: false}\naxes: {temperature: [2, 4]}\n")
	dir := t.TempDir()
	if code, _, stderr := runMFG(t, "sweep", file, "--out", dir, "--no-progress"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := runMFG(t, "sweep", "summarize", file, "--out", dir, "--by", "temperature")
	if code != 0 {
		t.Fatalf("summarize: exit %d: %s", code, stderr)
	}
	if strings.Count(stdout, "n/a (1 run)") != 2 || strings.Contains(stdout, "NaN") || strings.Contains(stdout, "[") {
		t.Errorf("table:\n%s", stdout)
	}
	f, err := os.Open(filepath.Join(dir, "summary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) int { return slices.Index(rows[0], name) }
	for _, row := range rows[1:] {
		if row[col("lower95")] != "" || row[col("upper95")] != "" || row[col("sd")] != "" || row[col("mean")] == "" || row[col("runs")] != "1" {
			t.Errorf("summary.csv row %v (header %v)", row, rows[0])
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "summary.png")); err != nil {
		t.Error(err)
	}
}

// The summary plot says "over replicates", and draws a band, only for curves whose points all
// have 2 runs or more.
func TestSweepSummaryPlotBandsOnlyOverReplicates(t *testing.T) {
	group := func(temp, steps, n int) sweep.Group {
		g := sweep.Group{Key: []any{temp, steps}, N: n, Mean: float64(temp), SD: math.NaN(), Lower: math.NaN(), Upper: math.NaN()}
		if n > 1 {
			g.SD, g.Lower, g.Upper = 0.5, float64(temp)-0.3, float64(temp)+0.3
		}
		return g
	}
	by := []string{"temperature", "steps"}
	cases := []struct {
		name     string
		groups   []sweep.Group
		bands    []bool
		title    string
		replicas bool
	}{
		{"one run each", []sweep.Group{group(2, 100, 1), group(4, 100, 1), group(2, 200, 1), group(4, 200, 1)}, []bool{false, false}, "one run per point: no confidence interval", false},
		{"three runs each", []sweep.Group{group(2, 100, 3), group(4, 100, 3), group(2, 200, 3), group(4, 200, 3)}, []bool{true, true}, "mean and 95% confidence interval over replicates", true},
		{"mixed", []sweep.Group{group(2, 100, 3), group(4, 100, 3), group(2, 200, 3), group(4, 200, 1)}, []bool{true, false}, "band only on curves with 2 runs or more", true},
	}
	for _, c := range cases {
		series, title := summarySeries(by, "exploitability", c.groups)
		if len(series) != len(c.bands) {
			t.Fatalf("%s: %d curves, want %d", c.name, len(series), len(c.bands))
		}
		for i, s := range series {
			if (s.Lower != nil) != c.bands[i] {
				t.Errorf("%s: curve %q has a band: %v, want %v", c.name, s.Name, s.Lower != nil, c.bands[i])
			}
		}
		if !strings.Contains(title, c.title) || strings.Contains(title, "over replicates") != c.replicas {
			t.Errorf("%s: title %q", c.name, title)
		}
		if summaryPlot(by, "exploitability", c.groups) == nil {
			t.Errorf("%s: no plot", c.name)
		}
	}
}
