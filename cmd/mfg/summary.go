package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"meanfield/engine"
	"meanfield/experiment"
	"meanfield/exploit"
	"meanfield/mfg"
)

// printSummary prints what a solve did, every number labelled with what it measures, the same for
// every kind of run.
func printSummary(ctx context.Context, w io.Writer, rep *experiment.SolveReport, outDir string, elapsed time.Duration) {
	cfg, res := rep.Config, rep.Result
	f := res.Final()
	fmt.Fprintf(w, "%s on %s, seed %d: %s\n", cfg.Algorithm, describeGame(rep), cfg.Seed, describeSolver(cfg))
	status := "ran all iterations"
	switch rep.Status() {
	case "converged":
		status = fmt.Sprintf("converged (||L_k - L_{k-1}||_1 <= %g)", cfg.Tolerance)
	case "interrupted":
		status = fmt.Sprintf("interrupted after %d of %d iterations: not a finished solve", f.K, cfg.Iterations)
	}
	fmt.Fprintf(w, "  iterations              %d, %s, in %s\n", f.K, status, elapsed.Round(time.Millisecond))
	printExploitability(ctx, w, rep)
	if f.HasChange {
		fmt.Fprintf(w, "  last change of L        l1 %.3e   l∞ %.3e\n", f.L1Change, f.LInfChange)
	}
	if f.HasReference && rep.Reference != nil {
		fmt.Fprintf(w, "  distance to GMF-V's L*  l1 %.4f   l∞ %.4f   (GMF-V: %d iterations)\n", f.ReferenceL1, f.ReferenceLInf, rep.Reference.Final().K)
	}
	if _, stationary := rep.Game.(mfg.Stationary); stationary {
		printStationary(w, rep.Game, f)
	}
	fmt.Fprintf(w, "\nResults in %s/: %s\n", outDir, strings.Join(baseNames(rep.Files), ", "))
}

// printExploitability prints the exploitability at π_0, a few iterations, the end, and its lowest.
func printExploitability(ctx context.Context, w io.Writer, rep *experiment.SolveReport) {
	tr := rep.Result.Trace
	f := tr[len(tr)-1]
	if !f.HasExploitability {
		fmt.Fprintln(w, "  exploitability          not computed (the game has no model, or --exploitability=false)")
		return
	}
	fmt.Fprintf(w, "  exploitability of π_k   k=0 %.6g", tr[0].Exploitability)
	for _, k := range []int{1, 2, 5, 10, 20, 50} {
		if k < len(tr)-1 && tr[k].HasExploitability {
			fmt.Fprintf(w, "   k=%d %.6g", k, tr[k].Exploitability)
		}
	}
	fmt.Fprintf(w, "   final (k=%d) %.6g", f.K, f.Exploitability)
	if !f.ExploitabilityConverged {
		fmt.Fprint(w, " (the population π sustains was not found to tolerance)")
	}
	fmt.Fprintln(w)
	best := 0
	for i, it := range tr {
		if it.HasExploitability && it.Exploitability < tr[best].Exploitability {
			best = i
		}
	}
	fmt.Fprintf(w, "  lowest exploitability  %.6g at iteration %d", tr[best].Exploitability, best)
	if rep.Reference != nil {
		if mb, ok := rep.Game.(mfg.ModelBased); ok {
			// A cheap last evaluation, done even when the solve itself was interrupted.
			if e, err := exploit.Exploitability(context.WithoutCancel(ctx), mb, rep.Reference.Final().Policy[0], exploit.Options{}); err == nil {
				fmt.Fprintf(w, "   (GMF-V's final policy: %.6f)", e.Value)
			}
		}
	}
	fmt.Fprintln(w)
}

// printStationary prints the final policy of a stationary game (when it fits) and the marginals
// of the final population.
func printStationary(w io.Writer, g mfg.Game, f engine.Iteration) {
	A := g.Actions()
	fmt.Fprintln(w)
	if A <= 12 {
		fmt.Fprintf(w, "Policy after %d iterations, π(a|s): rows are states s, columns actions a\n", f.K)
		printMatrix(w, f.Policy[0].Prob, g.States(), A)
		fmt.Fprintln(w)
	}
	if f.Population != nil {
		fmt.Fprintf(w, "Population after %d iterations, L_%d\n", f.K, f.K)
		printVector(w, "  state marginal μ(s) ", f.Population[0].StateMarginal(nil))
		printVector(w, "  action marginal α(a)", f.Population[0].ActionMarginal(nil))
	}
}

func describeGame(rep *experiment.SolveReport) string {
	cfg := rep.Config
	switch g := rep.Game.(type) {
	case mfg.Finite:
		arith := ""
		if cfg.Arithmetic == experiment.ArithmeticMFGLib {
			arith = ", in MFGLib's float32 arithmetic"
		}
		return fmt.Sprintf("%s (horizon T = %d, states %v, actions %v%s)", cfg.Game, g.Horizon(), g.StateShape(), g.ActionShape(), arith)
	}
	switch cfg.Game {
	case "auction":
		a := cfg.GameParams.Auction
		return fmt.Sprintf("auction (S=%d budgets, A=%d bids, M=%d, γ=%g)", a.States, a.Actions, a.PlayersPerAuction, a.Discount)
	case "congestion":
		return fmt.Sprintf("congestion (%d places, γ=%g)", cfg.GameParams.Congestion.Locations, cfg.GameParams.Auction.Discount)
	}
	return cfg.Game
}

// describeSolver names the parts of the fixed-point scheme, or the policy method's parameters.
func describeSolver(cfg experiment.SolveConfig) string {
	if !cfg.IsFixedPoint() {
		return describePolicyMethod(cfg)
	}
	var parts []string
	if cfg.Inner == "q-learning" {
		parts = append(parts, fmt.Sprintf("Q-learning %d steps/iteration (%s)", cfg.Steps, cfg.Exploration))
	} else {
		parts = append(parts, fmt.Sprintf("value iteration ≤ %d sweeps/iteration", cfg.Sweeps))
	}
	if cfg.PolicyMap == "softmax" {
		parts = append(parts, fmt.Sprintf("softmax c=%g", cfg.Temperature))
	} else {
		parts = append(parts, "argmax-e")
	}
	if cfg.Projection == "epsilon-net" {
		parts = append(parts, fmt.Sprintf("ε-net %g", cfg.EpsilonNet))
	}
	if cfg.PopulationStep == "sampled" {
		parts = append(parts, fmt.Sprintf("%d sampled agents", cfg.Agents))
	}
	return strings.Join(parts, ", ")
}

func describePolicyMethod(cfg experiment.SolveConfig) string {
	switch cfg.Algorithm {
	case "fictitious-play":
		if cfg.Alpha == 0 {
			return "step 1/(k+1)"
		}
		return fmt.Sprintf("step alpha=%g", cfg.Alpha)
	case "online-mirror-descent":
		return fmt.Sprintf("learning rate alpha=%g", cfg.Alpha)
	case "prior-descent":
		return fmt.Sprintf("eta=%g, prior renewed every %d iterations (0: never)", cfg.Eta, cfg.NInner)
	case "damped-fixed-point":
		return fmt.Sprintf("damping=%g", cfg.Damping)
	}
	return "default parameters"
}

func printMatrix(w io.Writer, m []float64, rows, cols int) {
	fmt.Fprintf(w, "  %4s", "s\\a")
	for a := 0; a < cols; a++ {
		fmt.Fprintf(w, " %6d", a)
	}
	fmt.Fprintln(w)
	for s := 0; s < rows; s++ {
		fmt.Fprintf(w, "  %4d", s)
		for a := 0; a < cols; a++ {
			fmt.Fprintf(w, " %6.3f", m[s*cols+a])
		}
		fmt.Fprintln(w)
	}
}

func printVector(w io.Writer, label string, v []float64) {
	fmt.Fprint(w, label)
	for _, x := range v {
		fmt.Fprintf(w, " %.3f", x)
	}
	fmt.Fprintln(w)
}

func baseNames(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = p[strings.LastIndex(p, "/")+1:]
	}
	return out
}
