package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A multi-population solve prints each population's exploitability at k = 0 and at the end, which
// add up to the exploitability printed above them (OpenSpiel's NashConv), one policy table per
// population titled with its name, and writes the same per-population values to result.json.
func TestSolveMultiPopulationSummary(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runMFG(t, "solve", "--game", "predator-prey", "--iterations", "3", "--out", dir, "--no-progress")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res struct {
		Exploitability float64 `json:"exploitability"`
		Populations    []struct {
			Name             string    `json:"name"`
			States           int       `json:"states"`
			Exploitability   float64   `json:"exploitability"`
			Exploitabilities []float64 `json:"exploitabilities"`
		} `json:"populations"`
	}
	raw, err := os.ReadFile(filepath.Join(dir, "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Populations) != 3 {
		t.Fatalf("result.json: %d populations, want 3:\n%s", len(res.Populations), raw)
	}
	var sum float64
	for p, pop := range res.Populations {
		sum += pop.Exploitability
		if pop.States != 25 || len(pop.Exploitabilities) != 4 || pop.Exploitabilities[3] != pop.Exploitability {
			t.Errorf("result.json population %d: %+v", p, pop)
		}
		if !strings.Contains(stdout, "— "+pop.Name+":") {
			t.Errorf("no policy table titled with %q:\n%s", pop.Name, stdout)
		}
		line := summaryLine(t, stdout, "    "+pop.Name+" ")
		if want := "final (k=3) " + strconv.FormatFloat(pop.Exploitability, 'g', 6, 64); !strings.Contains(line, want) {
			t.Errorf("population %s: %q lacks %q", pop.Name, line, want)
		}
	}
	if math.Abs(sum-res.Exploitability) > 1e-12*res.Exploitability {
		t.Errorf("populations add up to %v, the exploitability is %v", sum, res.Exploitability)
	}
	if !strings.Contains(stdout, "OpenSpiel's NashConv Σ_p (BR_p − V_p)") {
		t.Errorf("the summary does not say the exploitability is the populations' sum:\n%s", stdout)
	}
}

// summaryLine is the first line of out that starts with prefix.
func summaryLine(t *testing.T, out, prefix string) string {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	t.Fatalf("no line starting with %q in:\n%s", prefix, out)
	return ""
}
