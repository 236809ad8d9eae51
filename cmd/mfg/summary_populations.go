package main

import (
	"fmt"
	"io"
	"strings"

	"meanfield/experiment"
	"meanfield/mfg"
)

// printPopulationExploitabilities prints, on a multi-population game (mfg.MultiPopulation), each
// population's exploitability at π_0 and at the end (OpenSpiel's BR_p − V_p), whose sum is the
// exploitability printed above it (OpenSpiel's NashConv).
func printPopulationExploitabilities(w io.Writer, rep *experiment.SolveReport) {
	mp, ok := rep.Game.(mfg.MultiPopulation)
	f := rep.Result.Final()
	if !ok || !f.HasExploitability {
		return
	}
	blocks := mp.Populations()
	first := rep.FirstIteration()
	if len(f.PopulationExploitabilities) != len(blocks) || len(first.PopulationExploitabilities) != len(blocks) {
		return
	}
	fmt.Fprintf(w, "  %-23s the exploitability is their sum, OpenSpiel's NashConv Σ_p (BR_p − V_p)\n", "per population")
	for p, b := range blocks {
		fmt.Fprintf(w, "    %-21s k=0 %.6g   final (k=%d) %.6g\n", b.Name, first.PopulationExploitabilities[p], f.K, f.PopulationExploitabilities[p])
	}
}

// printPopulationPolicies prints the policy of a multi-population game one population at a time
// (each titled with its name, its rows its own states, those it visits most when they do not
// all fit) and reports true; it prints nothing and reports false on another game.
func printPopulationPolicies(w io.Writer, g mfg.Finite, pi []mfg.Policy, visits []float64, title string) bool {
	mp, ok := g.(mfg.MultiPopulation)
	if !ok {
		return false
	}
	for i, b := range mp.Populations() {
		var sub []float64
		if visits != nil {
			sub = visits[b.First : b.First+b.States]
		}
		rows := shownStates(b.States, sub)
		for j := range rows {
			rows[j] += b.First
		}
		if i > 0 {
			fmt.Fprintln(w)
		}
		head := strings.TrimSuffix(title, ":") + " — " + b.Name + ":"
		for _, line := range policyLines(g, pi, rows, b.States, visits == nil, head) {
			fmt.Fprintln(w, line)
		}
	}
	return true
}
