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
	header := cfg.Run.Algorithm + " on " + describeGame(rep)
	if d := describeAlgorithm(rep); d != "" {
		header += ", " + d
	}
	fmt.Fprintln(w, header)
	status := "ran all iterations"
	switch rep.Status() {
	case "converged":
		status = "converged (the algorithm's stopping rule held)"
	case "cycled":
		status = "stopped: " + res.Stop.Detail + ": no equilibrium"
	case "interrupted":
		status = fmt.Sprintf("interrupted after %d of %d iterations: not a finished solve", f.K, cfg.Run.Iterations)
	case "failed":
		status = fmt.Sprintf("failed after %d of %d iterations (the error follows): not a finished solve", f.K, cfg.Run.Iterations)
	}
	fmt.Fprintf(w, "  iterations              %d, %s, in %s\n", f.K, status, elapsed.Round(time.Millisecond))
	printExploitability(ctx, w, rep)
	printInnerConvergence(w, res.Trace)
	if f.HasChange {
		fmt.Fprintf(w, "  last change of L        l1 %.3e   l∞ %.3e\n", f.L1Change, f.LInfChange)
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
	if _, stationary := rep.Game.(mfg.Stationary); stationary {
		printStationary(w, rep.Game, f)
	}
	printFinite(w, rep)
	fmt.Fprintf(w, "\nResults in %s/: %s\n", outDir, strings.Join(baseNames(rep.Files), ", "))
}

// printInnerConvergence warns when the inner solver stopped at its cap in some iterations: their
// Q-functions, and the policies derived from them, are not converged.
func printInnerConvergence(w io.Writer, trace []engine.Iteration) {
	n, of := 0, 0
	for _, it := range trace {
		if it.InnerConverged != nil {
			of++
			if !*it.InnerConverged {
				n++
			}
		}
	}
	if n > 0 {
		fmt.Fprintf(w, "  inner solver            stopped at its cap before converging in %d of %d iterations (raise --sweeps): their Q is not the best response\n", n, of)
	}
}

// printExploitability prints the exploitability at π_0, a few iterations, the end, and its lowest.
func printExploitability(ctx context.Context, w io.Writer, rep *experiment.SolveReport) {
	tr := rep.Result.Trace
	f := tr[len(tr)-1]
	if !f.HasExploitability {
		why := "not asked for (--exploitability=false)"
		if p, err := engine.NewProblem(rep.Game, engine.EvaluationOptions{}); err == nil && p.CanEvaluate() != nil {
			why = "not computed: " + p.CanEvaluate().Error()
		}
		fmt.Fprintln(w, "  exploitability          "+why)
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
	fmt.Fprintf(w, "  lowest exploitability   %.6g at iteration %d", tr[best].Exploitability, best)
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
	_, alg, err := rep.Config.Build()
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
