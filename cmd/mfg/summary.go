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
	header := cfg.Run.Algorithm
	if ch := cfg.PresetChanges(); len(ch) > 0 {
		header += " changed from its preset: " + strings.Join(ch, ", ") + ","
	}
	header += " on " + describeGame(rep)
	if d := describeAlgorithm(rep); d != "" {
		header += ", " + d
	}
	fmt.Fprintln(w, header)
	v := rep.Verdict()
	fmt.Fprintf(w, "  verdict                 %s\n", verdictLine(v))
	fmt.Fprintf(w, "  iterations              %d of at most %d, in %s\n", f.K, cfg.Run.Iterations, elapsed.Round(time.Millisecond))
	printExploitability(ctx, w, rep)
	printPopulationExploitabilities(w, rep)
	if v.Kind == engine.VerdictOscillating && v.Window > 0 {
		fmt.Fprintf(w, "  over the last %-9s exploitability mean %.6g, range [%.6g, %.6g] (the last value depends on where the run stops)\n",
			fmt.Sprintf("%d", v.Window), v.Mean, v.Min, v.Max)
	}
	if rep.BenchMFG != nil {
		fmt.Fprintf(w, "  Bench-MFG's definition  exploitability %.6g of π_K after 50 population steps from μ0 and 99 Bellman backups (above: exact, at the population π_K sustains; BENCHMFG.md)\n", *rep.BenchMFG)
	}
	if rep.Greedy != nil {
		fmt.Fprintf(w, "  greedy deployment       exploitability %.6g of π_K's most likely actions (π_K itself, %s: %.6g)\n", *rep.Greedy, rep.Smoothing(), f.Exploitability)
	}
	printInnerConvergence(w, rep)
	if f.HasChange {
		label := "last change of L"
		if cfg.IsFixedPoint() {
			label = "fixed-point residual"
		}
		fmt.Fprintf(w, "  %-23s ‖L_K − L_{K−1}‖₁ %.3e   ‖·‖∞ %.3e\n", label, f.L1Change, f.LInfChange)
	}
	if f.HasReference && rep.Reference != nil {
		name, how := "GMF-V's L*", fmt.Sprintf("converged in %d iterations", rep.Reference.Final().K)
		if !rep.Reference.Converged {
			name, how = "GMF-V's last L", fmt.Sprintf("GMF-V did not converge in %d iterations: no equilibrium", rep.Reference.Final().K)
			if s := rep.Reference.Stop; s != nil {
				how = fmt.Sprintf("GMF-V stopped after %d iterations: %s", rep.Reference.Final().K, s.Detail)
			}
		}
		fmt.Fprintf(w, "  %-23s l1 %.4f   l∞ %.4f   (c = %g; %s)\n", "distance to "+name, f.ReferenceL1, f.ReferenceLInf, cfg.Temperature(), how)
	}
	printNotes(w, rep, v)
	if _, stationary := rep.Game.(mfg.Stationary); stationary {
		printStationary(w, rep.Game, f, policyTitle(rep, v))
	}
	printFinite(w, rep)
	fmt.Fprintf(w, "\nResults in %s/: %s\n", outDir, strings.Join(baseNames(rep.Files), ", "))
}

// verdictLine says how the run ended, in a line: only a converged run found what the algorithm
// looks for.
func verdictLine(v engine.Verdict) string {
	switch v.Kind {
	case engine.VerdictConverged:
		return "converged: " + v.Detail
	case engine.VerdictCycling:
		return "cycling, no equilibrium: " + v.Detail
	case engine.VerdictOscillating:
		return "oscillating, not converged: " + v.Detail
	case engine.VerdictCapped:
		return "stopped at the iteration cap, not converged: " + v.Detail
	}
	return v.Kind + ", not a finished solve: " + v.Detail
}

// policyTitle names the final policy for what it is: an equilibrium only when the run converged
// (of the smoothed game when the algorithm smooths), else the last iterate.
func policyTitle(rep *experiment.SolveReport, v engine.Verdict) string {
	K := rep.Result.Final().K
	if v.Kind != engine.VerdictConverged {
		return fmt.Sprintf("Last policy π_%d (%s: not an equilibrium)", K, v.Kind)
	}
	if s := rep.Smoothing(); s != "" {
		return fmt.Sprintf("Equilibrium policy of the smoothed game (%s), after %d iterations", s, K)
	}
	return fmt.Sprintf("Equilibrium policy, after %d iterations", K)
}

// printNotes explains the numbers a newcomer misreads: the exploitability of a smoothed policy,
// and that of the last iterate of a run that did not converge.
func printNotes(w io.Writer, rep *experiment.SolveReport, v engine.Verdict) {
	f := rep.Result.Final()
	if !f.HasExploitability {
		return
	}
	if s := rep.Smoothing(); s != "" {
		fmt.Fprintf(w, "  note: π_K is smoothed (%s): a smoothed scheme's fixed point is an equilibrium of\n"+
			"        the smoothed game, which stays exploitable in the game itself even when the scheme\n"+
			"        converges; the greedy deployment above scores its most likely actions.\n", s)
	}
	if v.Kind != engine.VerdictConverged {
		fmt.Fprint(w, "  note: not converged, so π_K is only the last iterate. Its exploitability, scored at the\n"+
			"        population π_K sustains, rates that one policy, not the algorithm: the population of\n"+
			"        the iterates may never settle (as with the naive algorithm's argmax-e iterates).\n")
	}
}

// printInnerConvergence warns when the inner solver stopped at its cap in some iterations: their
// Q-functions, and the policies derived from them, are not converged.
func printInnerConvergence(w io.Writer, rep *experiment.SolveReport) {
	if n, of := rep.InnerConvergence(); n > 0 {
		fmt.Fprintf(w, "  inner solver            stopped at its cap before converging in %d of %d iterations (raise --sweeps): their Q is not the best response\n", n, of)
	}
}

// printExploitability prints the exploitability at π_0, a few iterations, the end, and its lowest.
func printExploitability(ctx context.Context, w io.Writer, rep *experiment.SolveReport) {
	f := rep.Result.Final()
	if !f.HasExploitability {
		why := "not asked for (--exploitability=false)"
		if p, err := engine.NewProblem(rep.Game, engine.EvaluationOptions{}); err == nil && p.CanEvaluate() != nil {
			why = "not computed: " + p.CanEvaluate().Error()
		}
		fmt.Fprintln(w, "  exploitability          "+why)
		return
	}
	e0, _ := rep.ExploitabilityAt(0)
	fmt.Fprintf(w, "  exploitability of π_k   k=0 %.6g", e0)
	for _, k := range []int{1, 2, 5, 10, 20, 50} {
		if k < rep.Records()-1 {
			if e, ok := rep.ExploitabilityAt(k); ok {
				fmt.Fprintf(w, "   k=%d %.6g", k, e)
			}
		}
	}
	fmt.Fprintf(w, "   final (k=%d) %.6g", f.K, f.Exploitability)
	if !f.ExploitabilityConverged {
		fmt.Fprint(w, " (the population π sustains was not found to tolerance)")
	}
	fmt.Fprintln(w)
	lowest, best := rep.LowestExploitability()
	fmt.Fprintf(w, "  lowest exploitability   %.6g at iteration %d", lowest, best)
	if rep.Reference != nil {
		if mb, ok := rep.Game.(mfg.ModelBased); ok {
			// A cheap last evaluation, done even when the solve itself was interrupted.
			if e, err := exploit.Exploitability(context.WithoutCancel(ctx), mb, rep.Reference.Final().Policy[0], exploit.Options{}); err == nil {
				fmt.Fprintf(w, "   (GMF-V's final policy: %.6g)", e.Value)
			}
		}
	}
	fmt.Fprintln(w)
}

// printStationary prints the final policy of a stationary game (when it fits) and the marginals
// of the final population.
func printStationary(w io.Writer, g mfg.Game, f engine.Iteration, title string) {
	A := g.Actions()
	fmt.Fprintln(w)
	if A <= 12 {
		fmt.Fprintf(w, "%s, π(a|s): rows are states s, columns actions a\n", title)
		printMatrix(w, f.Policy[0].Prob, g.States(), A)
		fmt.Fprintln(w)
	}
	if f.Population != nil {
		fmt.Fprintf(w, "Population after %d iterations, L_%d\n", f.K, f.K)
		printVector(w, "  state marginal μ(s) ", f.Population[0].StateMarginal(nil))
		printVector(w, "  action marginal α(a)", f.Population[0].ActionMarginal(nil))
	}
}

// describeGame names the game with its size: horizon and shapes of a finite-horizon game, numbers
// of states and actions and the discount of a stationary one.
func describeGame(rep *experiment.SolveReport) string {
	cfg := rep.Config
	switch g := rep.Game.(type) {
	case mfg.Finite:
		arith := ""
		if cfg.Run.Arithmetic == experiment.ArithmeticMFGLib {
			arith = ", in MFGLib's float32 arithmetic"
		}
		return fmt.Sprintf("%s (%s, states %v, actions %v%s)", cfg.Run.Game, mfg.TimeSteps(g.Horizon()), g.StateShape(), g.ActionShape(), arith)
	case mfg.Stationary:
		return fmt.Sprintf("%s (%d states, %d actions, γ = %g)", cfg.Run.Game, g.States(), g.Actions(), g.Discount())
	}
	return cfg.Run.Game
}

// describeAlgorithm says what the algorithm does with which parameters (the algorithm's own
// description when it has one) and the seed when it draws random numbers.
func describeAlgorithm(rep *experiment.SolveReport) string {
	alg, err := rep.Config.BuildAlgorithm()
	if err != nil {
		return ""
	}
	desc := ""
	if s, ok := alg.(fmt.Stringer); ok {
		desc = s.String()
	}
	if s, ok := alg.(engine.Seeded); ok && s.UsesSeed() {
		desc += fmt.Sprintf(", seed %d", rep.Config.Run.Seed)
	}
	return strings.TrimPrefix(desc, ", ")
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
