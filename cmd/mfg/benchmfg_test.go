package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"meanfield/benchmfg"
)

// mfg benchmfg on skew-rps with OMD and PSO for one seed prints Bench-MFG's
// published final beside ours, and ours agrees with it within float32 rounding.
func TestBenchMFGCommand(t *testing.T) {
	md := filepath.Join(t.TempDir(), "table.md")
	code, stdout, stderr := runMFG(t, "benchmfg", "--games", "skew-rps", "--algorithms", "omd,pso", "--seeds", "42", "--no-progress", "--markdown", md)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	p, err := benchmfg.LoadPublished()
	if err != nil {
		t.Fatal(err)
	}
	pub, err := p.Lookup("RockPaperScissors", "OMD")
	if err != nil {
		t.Fatal(err)
	}
	want := pub.Seeds["42"].Final
	m := regexp.MustCompile(`seed 42: published (\S+), ours (\S+), tolerance (\S+): final agrees`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no agreeing seed 42 line in:\n%s", stdout)
	}
	printed, _ := strconv.ParseFloat(m[1], 64)
	ours, _ := strconv.ParseFloat(m[2], 64)
	if !benchmfg.Agrees(printed, want, 0) || !benchmfg.Agrees(ours, want, 1) {
		t.Errorf("printed published %v and ours %v, want published %v", printed, ours, want)
	}
	for _, w := range []string{"omd_sweep_lr0p0050_temp0p80", "omd(η=0.005, τ=0.8)", "pso(N=200, τ=0.2, w=0.7, c1=1.2, c2=1.2)", "published final exploitability: mean"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("output lacks %q:\n%s", w, stdout)
		}
	}
	table, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(table), "| skew-rps | omd | `omd_sweep_lr0p0050_temp0p80` |") || !strings.Contains(string(table), m[2]+" / "+m[1]) {
		t.Errorf("Markdown table lacks the omd row with ours / published:\n%s", table)
	}
}

func TestBenchMFGRefusesUnknownNames(t *testing.T) {
	assertRefused(t, []string{"benchmfg", "--games", "auction"}, `game = "auction"`, "not a Bench-MFG game", "skew-rps")
	assertRefused(t, []string{"benchmfg", "--algorithms", "gmf-q"}, `algorithm = "gmf-q"`, "omd")
	assertRefused(t, []string{"benchmfg", "--seeds", "7"}, "seed = 7", "42, 10, 111, 1032")
}
