package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"meanfield/experiment"
	"meanfield/finite"
	"meanfield/mfg"
)

// maxPolicyRows is the most states the policy printout of a finite-horizon game shows; a larger
// game shows those its population visits most.
const maxPolicyRows = 20

// summaryWidth is the most columns a line of the policy printout takes.
const summaryWidth = 100

// printFinite prints the final policy of a finite-horizon game (nothing for another game), titled
// for what it is (policyTitle): see finitePolicyLines. It is the policy of result.json, made
// feasible as its exploitability scores it.
func printFinite(w io.Writer, rep *experiment.SolveReport) {
	g, ok := rep.Game.(mfg.Finite)
	if !ok {
		return
	}
	f := rep.Result.Final()
	var visits []float64
	if L, err := rep.FinalPopulation(); err == nil && L != nil {
		visits = make([]float64, g.States())
		for _, l := range L {
			for s, m := range l.StateMarginal(nil) {
				visits[s] += m
			}
		}
	}
	fmt.Fprintln(w)
	if printPopulationPolicies(w, g, finite.Feasible(f.Policy), visits, policyTitle(rep, rep.Verdict())) {
		return
	}
	for _, line := range finitePolicyLines(g, finite.Feasible(f.Policy), visits, policyTitle(rep, rep.Verdict())) {
		fmt.Fprintln(w, line)
	}
}

// policyTable is what the policy printout shows: its rows (states), columns (times) and the
// words that name them.
type policyTable struct {
	g       mfg.Finite
	pi      []mfg.Policy
	states  []string // the game's state labels
	actions []string // the game's action labels
	rows    []int    // the states shown, in order
	times   []int    // the time steps shown
	noun    string   // what a state is: "position", "cell" or "state"
	mover1D mfg.Mover
}

// finitePolicyLines lays out the policy π_t(a|s) of a finite-horizon game in at most
// summaryWidth columns under title: a row per state (its label; at most maxPolicyRows, those of
// the largest visits Σ_t μ_t(s) when there are more, with a line saying how many are left out),
// a column per time step shown (t = 0, T/2 and T, fewer when they do not fit), and in each cell
// the most likely action's label and, in brackets, its probability π_t(a|s) ("uniform" when every action is
// as likely, a * when another action ties with it). On a 1-D game whose actions are moves the
// cell also holds the mean move Σ_a π_t(a|x) Move(a). visits may be nil: the first states are
// then shown.
func finitePolicyLines(g mfg.Finite, pi []mfg.Policy, visits []float64, title string) []string {
	return policyLines(g, pi, shownStates(g.States(), visits), g.States(), visits == nil, title)
}

// policyLines is finitePolicyLines showing the states rows of n (a line says how many are left
// out: the last ones when unvisited, else those the population visits least).
func policyLines(g mfg.Finite, pi []mfg.Policy, rows []int, n int, unvisited bool, title string) []string {
	tab := policyTable{g: g, pi: pi, states: mfg.StateLabels(g), actions: mfg.ActionLabels(g), noun: "state"}
	if m, ok := g.(mfg.Mover); ok {
		tab.noun = "cell"
		if len(g.StateShape()) == 1 {
			tab.noun, tab.mover1D = "position", m
		}
	}
	tab.rows = rows
	lines := []string{title, "  " + tab.legend()}
	labelW, cellW := tab.widths()
	T := g.Horizon()
	for _, times := range [][]int{{0, T / 2, T}, {0, T}, {0}} {
		tab.times = slices.Compact(times)
		if 2+labelW+len(tab.times)*(3+cellW) <= summaryWidth {
			break
		}
	}
	head := fmt.Sprintf("  %-*s", labelW, tab.noun)
	for _, t := range tab.times {
		head += fmt.Sprintf("   %-*s", cellW, "t = "+strconv.Itoa(t))
	}
	lines = append(lines, strings.TrimRight(head, " "))
	tied := false
	for _, s := range tab.rows {
		line := "  " + pad(tab.states[s], labelW)
		for _, t := range tab.times {
			cell, tie := tab.cell(t, s)
			tied = tied || tie
			line += "   " + pad(cell, cellW)
		}
		lines = append(lines, strings.TrimRight(line, " "))
	}
	if tied {
		lines = append(lines, "  * another action is as likely")
	}
	if n := n - len(tab.rows); n > 0 {
		which := "those the population visits least"
		if unvisited {
			which = "the last ones"
		}
		lines = append(lines, fmt.Sprintf("  ... %d more %ss (%s); the full policy is in result.json", n, tab.noun, which))
	}
	return lines
}

// legend says what a cell holds.
func (tab policyTable) legend() string {
	if tab.mover1D != nil {
		return "each cell: the most likely move (its probability) and the mean move Σ_a π_t(a|x) move(a)"
	}
	return "each cell: the most likely action a at that " + tab.noun + " s and time t (its probability π_t(a|s))"
}

// widths are the widths of the label column and of a cell, in characters.
func (tab policyTable) widths() (labelW, cellW int) {
	labelW = utf8.RuneCountInString(tab.noun)
	for _, s := range tab.rows {
		labelW = max(labelW, utf8.RuneCountInString(tab.states[s]))
	}
	cellW = utf8.RuneCountInString("uniform")
	for _, a := range tab.actions {
		cellW = max(cellW, utf8.RuneCountInString(a)+1) // room for a tie's *
	}
	cellW += len(" (0.00)")
	if tab.mover1D != nil {
		cellW += len(" +0.00")
	}
	return labelW, max(cellW, len("t = ")+len(strconv.Itoa(tab.g.Horizon())))
}

// cell is the most likely action at state s and time t with its probability (and the mean move
// of a 1-D game); tie reports that another action is as likely.
func (tab policyTable) cell(t, s int) (cell string, tie bool) {
	row := tab.pi[t].Row(s)
	best, ties := 0, 0
	for a, p := range row {
		switch {
		case p > row[best]+1e-9:
			best, ties = a, 0
		case a != best && math.Abs(p-row[best]) <= 1e-9:
			ties++
		}
	}
	label := tab.actions[best]
	switch {
	case ties == len(row)-1 && len(row) > 1:
		label = "uniform"
	case ties > 0:
		label, tie = label+"*", true
	}
	cell = fmt.Sprintf("%s (%.2f)", label, row[best])
	if tab.mover1D != nil {
		m := math.Round(100*mfg.MeanMove(tab.mover1D, row, 1, len(row))[0]) / 100
		if m == 0 {
			m = 0 // not -0, which would print as -0.00
		}
		cell += fmt.Sprintf(" %+.2f", m)
	}
	return cell, tie
}

// shownStates are the states the printout shows, in order: all of them when there are at most
// maxPolicyRows, else the maxPolicyRows of the largest visits (the first ones without visits).
func shownStates(n int, visits []float64) []int {
	all := make([]int, n)
	for s := range all {
		all[s] = s
	}
	if n <= maxPolicyRows {
		return all
	}
	if visits != nil {
		slices.SortStableFunc(all, func(a, b int) int {
			switch {
			case visits[a] > visits[b]:
				return -1
			case visits[a] < visits[b]:
				return 1
			}
			return 0
		})
	}
	shown := all[:maxPolicyRows]
	slices.Sort(shown)
	return shown
}

// pad left-aligns s in width characters.
func pad(s string, width int) string {
	if n := utf8.RuneCountInString(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}
