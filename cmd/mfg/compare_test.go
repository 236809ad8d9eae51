package main

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"meanfield/experiment"
)

// compareReport is a finished comparison of gmf-q, il and mf-q at one checkpoint with the given
// final intervals (their midpoints the means), for the printed table.
func compareReport(paths, deviators int, bounds [3][2]float64) *experiment.CompareReport {
	cfg := experiment.DefaultCompareConfig()
	cfg.Paths, cfg.Checkpoints, cfg.EvalDeviators = paths, 1, deviators
	rep := &experiment.CompareReport{Config: cfg}
	for i, alg := range cfg.Algorithms {
		lo, hi := bounds[i][0], bounds[i][1]
		mean := (lo + hi) / 2
		if math.IsNaN(mean) {
			mean = float64(i + 1) // no interval: any means
		}
		rep.Summary = append(rep.Summary, experiment.CompareSummary{Algorithm: alg, Checkpoint: 1, Paths: paths,
			Mean: mean, Lower90: lo, Upper90: hi})
	}
	return rep
}

func printed(rep *experiment.CompareReport) string {
	var b bytes.Buffer
	printCompareTable(&b, rep, "out", time.Second)
	return b.String()
}

// The header says what C(π) is (why it can exceed 1) and how many of the N bidders were
// evaluated per joint state, as configured: 4 of 20, or all of them.
func TestCompareHeaderNamesTheDeviators(t *testing.T) {
	apart := [3][2]float64{{0.05, 0.1}, {0.2, 0.3}, {1, 2}}
	for _, c := range []struct {
		deviators int
		want      string
	}{{4, "evaluating 4 of the 20 bidders per\n  joint state, drawn at random"}, {7, "evaluating 7 of the 20 bidders"}, {0, "evaluating all 20 bidders."}, {25, "evaluating all 20 bidders."}} {
		out := printed(compareReport(20, c.deviators, apart))
		for _, want := range []string{c.want, "no upper bound", "above 1 when", "ε0 = 0.1", "Student's t for log(mean C(π))", "never below 0",
			"lower bound of the talk's C(π): the best responses are policies of own budget\n", "LOWER BOUND"} {
			if !strings.Contains(out, want) {
				t.Errorf("eval-deviators %d: the header lacks %q:\n%s", c.deviators, want, out)
			}
		}
		if strings.Contains(out, "so few paths") {
			t.Errorf("20 paths called few:\n%s", out)
		}
	}
}

// The lowest algorithm is named only when its interval lies below the others'; otherwise the
// table says which are not distinguishable, and with few paths that the interval is approximate.
func TestCompareRankingOnlyWhenDistinguishable(t *testing.T) {
	out := printed(compareReport(20, 4, [3][2]float64{{0.05, 0.1}, {0.2, 0.3}, {1, 2}}))
	if !strings.Contains(out, "Lowest mean C(π): gmf-q (its 90% interval lies below every other's).") || strings.Contains(out, "not distinguishable") {
		t.Errorf("apart: %s", out)
	}
	out = printed(compareReport(4, 4, [3][2]float64{{0.0443, 0.4583}, {0.2532, 0.3396}, {0.7897, 1.5608}}))
	for _, want := range []string{"Lowest mean C(π): gmf-q and il are not distinguishable at 4 paths; mf-q is higher.", "[0.0443, 0.4583]", "with so few paths wide"} {
		if !strings.Contains(out, want) {
			t.Errorf("overlapping: lacks %q:\n%s", want, out)
		}
	}
	nan := math.NaN()
	out = printed(compareReport(1, 4, [3][2]float64{{nan, nan}, {nan, nan}, {nan, nan}}))
	for _, want := range []string{"n/a (1 path)", "not distinguishable with 1 path", "No interval"} {
		if !strings.Contains(out, want) || strings.Contains(out, "NaN") {
			t.Errorf("one path: lacks %q or shows NaN:\n%s", want, out)
		}
	}
}

// mfg compare --help states the definition of C(π), why it can exceed 1, the deviator sampling
// and what the interval is.
func TestCompareHelpExplainsC(t *testing.T) {
	code, stdout, stderr := runMFG(t, "compare", "--help")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"|V_i(s, (π^-i, BR_i))| + ε0", "no upper bound", "exceeds 1 when", "--eval-deviators 4 of the N bidders",
		"0 evaluates all", "Student's t for log(mean C(π))", "not distinguishable", "lower bound of that literal C(π)",
		"--best-response-budget-bins", "only the mean is floored at 0"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("help lacks %q", want)
		}
	}
}
