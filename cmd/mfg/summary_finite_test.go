package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"meanfield/games"
	"meanfield/mfg"
)

// peakedPolicy puts 0.9 on action (s+t) mod A at state s and time t and spreads the rest evenly:
// every action is somewhere the most likely one, so that every label is printed.
func peakedPolicy(g mfg.Finite) []mfg.Policy {
	S, A := g.States(), g.Actions()
	pi := make([]mfg.Policy, g.Horizon()+1)
	for t := range pi {
		pi[t] = mfg.NewPolicy(S, A)
		for s := 0; s < S; s++ {
			row := pi[t].Row(s)
			for a := range row {
				row[a] = 0.1 / float64(A-1)
			}
			row[(s+t)%A] = 0.9
			if A == 1 {
				row[0] = 1
			}
		}
	}
	return pi
}

// Every finite-horizon game's policy printout, at its defaults, fits 100 columns, shows at most
// 20 states, and says how many it leaves out.
func TestFinitePolicyPrintoutFits(t *testing.T) {
	for _, name := range games.Names() {
		g0, err := games.New(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		g, ok := g0.(mfg.Finite)
		if !ok {
			continue
		}
		lines := finitePolicyLines(g, peakedPolicy(g), nil, "Last policy π_100 (stopped at the cap: not an equilibrium)")
		for _, l := range lines {
			if n := utf8.RuneCountInString(l); n > 100 {
				t.Errorf("%s: a line of %d columns:\n%s", name, n, l)
			}
		}
		text := strings.Join(lines, "\n")
		shown := min(g.States(), maxPolicyRows)
		if rows := len(lines) - 3; rows != shown && rows != shown+1 { // title, legend, header; the note
			t.Errorf("%s: %d lines for %d states:\n%s", name, len(lines), g.States(), text)
		}
		for _, a := range mfg.ActionLabels(g)[:min(g.Actions(), shown)] {
			if !strings.Contains(text, a+" (0.90)") {
				t.Errorf("%s: action %q is not shown with its probability 0.90:\n%s", name, a, text)
			}
		}
		note := fmt.Sprintf("... %d more", g.States()-maxPolicyRows)
		if more := strings.Contains(text, note); more != (g.States() > maxPolicyRows) {
			t.Errorf("%s: %d states, and the note %q is there: %v\n%s", name, g.States(), note, more, text)
		}
	}
}

// A large game shows the 20 states its population visits most, in order, and says that the other
// 380 are left out and where to find them.
func TestFinitePolicyPrintoutElidesLeastVisited(t *testing.T) {
	g, err := games.NewFinite("crowd-motion", nil) // 20 × 20 cells
	if err != nil {
		t.Fatal(err)
	}
	visits := make([]float64, g.States())
	for s := range visits {
		visits[s] = float64((s * 7) % 400) // the 20 largest are s*7 mod 400 = 380..399
	}
	lines := finitePolicyLines(g, peakedPolicy(g), visits, "title")
	labels := mfg.StateLabels(g)
	var want []string
	for s, v := range visits {
		if v >= 380 {
			want = append(want, labels[s])
		}
	}
	var got []string
	for _, l := range lines[3 : 3+maxPolicyRows] {
		got = append(got, strings.Fields(l)[0]+" "+strings.Fields(l)[1])
	}
	if !slices.Equal(got, want) {
		t.Errorf("cells shown %q, want the most visited %q", got, want)
	}
	if last := lines[len(lines)-1]; last != "  ... 380 more cells (those the population visits least); the full policy is in result.json" {
		t.Errorf("last line %q", last)
	}
}

// The cells of a 1-D game: the most likely move, its probability and the mean move, computed here
// from the moves -1, 0, +1 of left, stay and right.
func TestFinitePolicyPrintoutCells(t *testing.T) {
	g, err := games.NewFinite("crowd-modelling", map[string]any{"horizon": 3})
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]float64{{0, 0.3, 0.7}, {0.6, 0, 0.4}, {1. / 3, 1. / 3, 1. / 3}, {0.5, 0, 0.5}}
	want := []string{"right (0.70) +0.70", "left (0.60) -0.20", "uniform (0.33) +0.00", "left* (0.50) +0.00"}
	pi := make([]mfg.Policy, 3)
	for t := range pi {
		pi[t] = mfg.NewPolicy(10, 3)
		for s := 0; s < 10; s++ {
			copy(pi[t].Row(s), rows[s%4])
		}
	}
	lines := finitePolicyLines(g, pi, nil, "Last policy π_7")
	if lines[0] != "Last policy π_7" {
		t.Errorf("title %q", lines[0])
	}
	if h := strings.Fields(lines[2]); !slices.Equal(h, []string{"position", "t", "=", "0", "t", "=", "1", "t", "=", "2"}) {
		t.Errorf("header %q", lines[2])
	}
	for s := 0; s < 10; s++ {
		cells := strings.Split(strings.TrimSpace(lines[3+s]), "   ")
		cells = slices.DeleteFunc(cells, func(c string) bool { return c == "" })
		if cells[0] != fmt.Sprint(s) {
			t.Errorf("row %d is labelled %q", s, cells[0])
		}
		for _, c := range cells[1:] {
			if strings.TrimSpace(c) != want[s%4] {
				t.Errorf("position %d: cell %q, want %q", s, c, want[s%4])
			}
		}
	}
	if !slices.Contains(lines, "  * another action is as likely") {
		t.Errorf("no note on ties:\n%s", strings.Join(lines, "\n"))
	}
}

// A solve of crowd modelling says how long the game is as mfg games does, and prints its policy.
func TestFiniteSolveSummary(t *testing.T) {
	code, stdout, stderr := runMFG(t, "solve", "--game", "crowd-modelling", "--iterations", "3", "--out", t.TempDir(), "--no-progress")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"crowd-modelling (10 time steps t = 0..9,", "\nLast policy π_3 (stopped at the cap: not an equilibrium)\n", "  position   t = 0", "population.svg"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the summary lacks %q:\n%s", want, stdout)
		}
	}
	_, listing, _ := runMFG(t, "games")
	if !strings.Contains(listing, "crowd-modelling: agents on a ring prefer the middle and avoid crowds (OpenSpiel's 1-D game)\n  kind: finite horizon, 10 time steps t = 0..9 by default\n") {
		t.Errorf("mfg games words the length otherwise:\n%s", listing)
	}
}
