package experiment

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strconv"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/internal/atomicfile"
	"meanfield/mfg"
	"meanfield/plot"
	"meanfield/seeds"
)

// naivePath is one sample path of the naive experiment, by outer iteration k = 1..K: the distances
// ‖L_k − L*‖_∞ and ‖L_k − L*‖₁ to GMF-V's equilibrium L*, and the change ‖L_k − L_{k−1}‖₁.
type naivePath struct{ linf, l1, change []float64 }

// pathLInf picks a path's distances to L* in l∞.
func pathLInf(p naivePath) []float64 { return p.linf }

// pathL1 picks a path's distances to L* in l1.
func pathL1(p naivePath) []float64 { return p.l1 }

// pathChange picks a path's changes per iteration in l1.
func pathChange(p naivePath) []float64 { return p.change }

// runNaive is the experiment naive: the naive algorithm (argmax-e, no projection) against GMF-Q
// (softmax, ε-net), nc.Paths sample paths each, measured against the equilibrium L* of GMF-V run
// for 1000 iterations. The talk's claim holds when, over the last half of the iterations, the
// naive population moves more than 5 times as much per iteration as GMF-Q's and stays farther
// from L* in l1.
func runNaive(ctx context.Context, cfg ReproduceConfig, dir string, tick func()) (*Outcome, error) {
	g, err := defaultAuction()
	if err != nil {
		return nil, err
	}
	ref, err := engine.Solve(ctx, g, algorithms.GMFV(cfg.DeltaQ.Temperature), engine.Options{Iterations: 1000})
	if err != nil {
		return nil, err
	}
	tick()
	runs, err := naiveRuns(ctx, g, cfg, ref.Final().Population, tick)
	if err != nil {
		return nil, err
	}
	if err := plotNaive(dir, cfg, runs); err != nil {
		return nil, err
	}
	if err := writeNaiveCSV(filepath.Join(dir, "naive_paths.csv"), cfg.Naive, runs); err != nil {
		return nil, err
	}
	o := naiveOutcome(cfg.Naive, runs)
	o.Verdict += " L* is GMF-V's final population. " + solveVerdict("GMF-V", ref)
	return o, nil
}

// naiveRuns runs, in parallel, nc.Paths paths of the naive algorithm and then nc.Paths of GMF-Q,
// each for nc.Iterations outer iterations with nc.Steps Q-learning steps, and records every
// iteration's distance to Lstar and change.
func naiveRuns(ctx context.Context, g mfg.Stationary, cfg ReproduceConfig, Lstar []mfg.Population, tick func()) ([]naivePath, error) {
	nc, dq := cfg.Naive, cfg.DeltaQ
	runs := make([]naivePath, 2*nc.Paths) // naive paths, then GMF-Q paths
	err := parallelFor(ctx, len(runs), func(i int) error {
		f, seed := algorithms.Naive(nc.Steps), seeds.Sub(cfg.Seed, streamNaive, uint64(i))
		if i >= nc.Paths {
			f, seed = algorithms.GMFQ(nc.Steps, dq.Temperature, dq.EpsilonNet), seeds.Sub(cfg.Seed, streamNaiveGMFQ, uint64(i-nc.Paths))
		}
		res, err := engine.Solve(ctx, g, f, engine.Options{Iterations: nc.Iterations, Seed: seed, Reference: Lstar})
		if err != nil {
			return err
		}
		for _, it := range res.Trace[1:] { // iterations 1..K: iteration 0 is L_0, before any step
			runs[i].linf = append(runs[i].linf, it.ReferenceLInf)
			runs[i].l1 = append(runs[i].l1, it.ReferenceL1)
			runs[i].change = append(runs[i].change, it.L1Change)
		}
		tick()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return runs, nil
}

// naiveGroup is the plot group of the series pick of the paths runs, at the outer iterations xs.
func naiveGroup(name string, xs []float64, runs []naivePath, pick func(naivePath) []float64) plot.PathGroup {
	gr := plot.PathGroup{Name: name, X: xs}
	for _, r := range runs {
		gr.Paths = append(gr.Paths, pick(r))
	}
	return gr
}

// naivePanelTexts are the title and y label of the three panels of the naive figure, with the
// series each shows.
var naivePanelTexts = []struct {
	title, yLabel string
	pick          func(naivePath) []float64
}{
	{"Distance to L* in l∞", "‖L_k − L*‖_{∞} (log scale)", pathLInf},
	{"Distance to L* in l1", "‖L_k − L*‖₁ (log scale)", pathL1},
	{"Change per iteration in l1", "‖L_k − L_{k−1}‖₁ (log scale)", pathChange},
}

// plotNaive draws naive_fluctuation.png/svg into dir: three panels, the distance of L_k to L* in
// l∞ and in l1, and the change ‖L_k − L_{k−1}‖₁, each with the naive and the GMF-Q paths, two
// panels to a row so that the figure reads at the width of a report page, and the legend they
// share in the fourth cell.
func plotNaive(dir string, cfg ReproduceConfig, runs []naivePath) error {
	nc := cfg.Naive
	naive, gmfq := runs[:nc.Paths], runs[nc.Paths:2*nc.Paths]
	xs := make([]float64, nc.Iterations) // outer iterations k = 1..K
	for k := range xs {
		xs[k] = float64(k + 1)
	}
	var panels []*gplot.Plot
	for _, m := range naivePanelTexts {
		p, err := plot.Paths(m.title, "outer iteration k", m.yLabel, true,
			naiveGroup(naiveName, xs, naive, m.pick), naiveGroup(gmfqName(cfg), xs, gmfq, m.pick))
		if err != nil {
			return err
		}
		panels = append(panels, p)
	}
	legend := plot.SharedLegend(vg.Points(12), []string{"Thin lines: each sample path.", "L*: GMF-V's equilibrium (c = " + strconv.FormatFloat(cfg.DeltaQ.Temperature, 'g', -1, 64) + ")."}, panels...)
	fig := plot.Grid(2, fmt.Sprintf("Naive algorithm vs GMF-Q, %d sample paths each", nc.Paths), panels[0], panels[1], panels[2], legend)
	return plot.SaveFigure(fig, 9*vg.Inch, 7*vg.Inch, filepath.Join(dir, "naive_fluctuation.png"), filepath.Join(dir, "naive_fluctuation.svg"))
}

// naiveName is the name of the naive algorithm's paths in the figure.
const naiveName = "naive (argmax-e, no projection)"

// gmfqName is the name of GMF-Q's paths in the figure.
func gmfqName(cfg ReproduceConfig) string {
	return fmt.Sprintf("GMF-Q (softmax c = %g, ε-net)", cfg.DeltaQ.Temperature)
}

// writeNaiveCSV writes every path's distances and changes, one row per algorithm, path and
// iteration, to path.
func writeNaiveCSV(path string, nc NaiveConfig, runs []naivePath) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"algorithm", "path", "iteration", "linf_to_equilibrium", "l1_to_equilibrium", "l1_change"})
		for i, r := range runs {
			alg, p := "naive", i
			if i >= nc.Paths {
				alg, p = "gmf-q", i-nc.Paths
			}
			for k := range r.l1 {
				cw.Write([]string{alg, strconv.Itoa(p), strconv.Itoa(k + 1), formatFloat(r.linf[k]), formatFloat(r.l1[k]), formatFloat(r.change[k])})
			}
		}
		cw.Flush()
		return cw.Error()
	})
}

// lateMean is the late behaviour of the paths runs: the mean of the series pick over the paths and
// the last half of the iterations (from index ⌊K/2⌋).
func lateMean(runs []naivePath, pick func(naivePath) []float64) float64 {
	var s float64
	var n int
	for _, r := range runs {
		v := pick(r)
		for _, x := range v[len(v)/2:] {
			s += x
			n++
		}
	}
	return s / float64(n)
}

// naiveOutcome judges the claim on the late means: it holds when the naive change per iteration is
// more than 5 times GMF-Q's and the naive distance to L* (in l1) exceeds GMF-Q's.
func naiveOutcome(nc NaiveConfig, runs []naivePath) *Outcome {
	naive, gmfq := runs[:nc.Paths], runs[nc.Paths:2*nc.Paths]
	naiveChange, gmfqChange := lateMean(naive, pathChange), lateMean(gmfq, pathChange)
	naiveDist, gmfqDist := lateMean(naive, pathL1), lateMean(gmfq, pathL1)
	holds := naiveChange > 5*gmfqChange && naiveDist > gmfqDist
	table := Table{
		Caption: fmt.Sprintf("Means over %d paths and the last %d of %d outer iterations", nc.Paths, nc.Iterations-nc.Iterations/2, nc.Iterations),
		Header:  []string{"algorithm", "change per iteration ‖L_k − L_{k−1}‖₁", "distance to L*, ‖L_k − L*‖₁"},
		Rows: [][]string{
			{"naive", f4(naiveChange), f4(naiveDist)},
			{"GMF-Q", f4(gmfqChange), f4(gmfqDist)},
		},
	}
	return &Outcome{
		Claim: "The naive algorithm (argmax-e, no projection) keeps fluctuating, while GMF-Q (softmax, ε-net) settles.",
		Holds: holds,
		Verdict: fmt.Sprintf("Over the last half of the iterations the naive algorithm's population still moves by %.3f in l1 per iteration against %.3f for GMF-Q (%.0f times more), and stays %.3f from L* in l1 against %.3f for GMF-Q.",
			naiveChange, gmfqChange, naiveChange/gmfqChange, naiveDist, gmfqDist),
		Tables:  []Table{table},
		Figures: []Figure{{Caption: "Distance of L_k to GMF-V's equilibrium L* in l∞ (top left) and l1 (top right), and the change ‖L_k − L_{k−1}‖₁ per outer iteration (bottom left): every sample path thin, the mean over the paths bold. Log scales.", PNG: "naive_fluctuation.png"}},
	}
}
