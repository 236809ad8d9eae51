package experiment

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot/vg"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
	"meanfield/internal/atomicfile"
	"meanfield/mfg"
	"meanfield/plot"
	"meanfield/seeds"
)

// maxWorkers is how many items parallelFor runs at once: GOMAXPROCS.
func maxWorkers() int { return runtime.GOMAXPROCS(0) }

// Stream purposes of the reproduction, beside those of package seeds.
const (
	streamDeltaQ uint64 = 100 + iota
	streamNaive
	streamNaiveGMFQ
)

// defaultAuction is the talk's repeated auction with its default parameters.
func defaultAuction() (*games.Auction, error) { return games.NewAuction(games.DefaultAuctionParams()) }

// gmfvTable is GMF-V for exactly the given outer iterations (no early stop), as the talk's table.
func gmfvTable(ctx context.Context, g mfg.Stationary, cfg DeltaQConfig) (*engine.Result, error) {
	f := algorithms.GMFV(cfg.Temperature)
	f.Tolerance = 0
	f.Inner = algorithms.ValueIteration{MaxSweeps: cfg.Sweeps}
	return engine.Solve(ctx, g, f, engine.Options{Iterations: cfg.Iterations})
}

// gmfqRun is GMF-Q without exploitability; ref, when set, is the population every iteration is
// compared with.
func gmfqRun(ctx context.Context, g mfg.Stationary, iterations, steps int, c, eps float64, seed uint64, ref []mfg.Population) (*engine.Result, error) {
	return engine.Solve(ctx, g, algorithms.GMFQ(steps, c, eps), engine.Options{Iterations: iterations, Seed: seed, Reference: ref})
}

// solveVerdict says how a solve of the experiment ended (engine.Result.Verdict), for the report:
// "GMF-V: stopped at the cap after 20 iterations (...)."
func solveVerdict(name string, res *engine.Result) string {
	v := res.Verdict()
	return fmt.Sprintf("%s's run: %s after %d iterations (%s).", name, v.Kind, res.Final().K, v.Detail)
}

// relativeL2 is ||a - b||_2 / ||a||_2.
func relativeL2(a, b []float64) float64 {
	var num, den float64
	for i, x := range a {
		d := x - b[i]
		num += d * d
		den += x * x
	}
	return math.Sqrt(num / den)
}

// f4 formats x with 4 decimals.
func f4(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }

// runDeltaQ is the experiment delta-q: ΔQ = ||Q_GMF-V - Q_GMF-Q||_2 / ||Q_GMF-V||_2 between the
// Q-table of GMF-V (full information) and GMF-Q's, for every number T_k of Q-learning steps per outer
// iteration and over seeds. The talk's claim holds when the mean ΔQ falls at every step of T_k and
// ends at or below 0.12.
func runDeltaQ(ctx context.Context, cfg ReproduceConfig, dir string, tick func()) (*Outcome, error) {
	g, err := defaultAuction()
	if err != nil {
		return nil, err
	}
	dq := cfg.DeltaQ
	ref, err := gmfvTable(ctx, g, dq)
	if err != nil {
		return nil, err
	}
	tick()
	values, err := deltaQValues(ctx, g, cfg, ref.Final().Q[0], tick)
	if err != nil {
		return nil, err
	}
	table, means, series := deltaQSummary(dq, values)
	if err := writeDeltaQFiles(dir, dq, values, table, series); err != nil {
		return nil, err
	}
	return deltaQOutcome(dq, table, means), nil
}

// deltaQValues runs GMF-Q once per T_k in dq.Steps and seed, in parallel, and returns ΔQ against
// GMF-V's Q-table qv: seed s of the i-th T_k at index i·dq.Seeds + s.
func deltaQValues(ctx context.Context, g mfg.Stationary, cfg ReproduceConfig, qv []float64, tick func()) ([]float64, error) {
	dq := cfg.DeltaQ
	values := make([]float64, len(dq.Steps)*dq.Seeds)
	err := parallelFor(ctx, len(values), func(i int) error {
		T, s := dq.Steps[i/dq.Seeds], i%dq.Seeds
		res, err := gmfqRun(ctx, g, dq.Iterations, T, dq.Temperature, dq.EpsilonNet, seeds.Sub(cfg.Seed, streamDeltaQ, uint64(T), uint64(s)), nil)
		if err != nil {
			return err
		}
		values[i] = relativeL2(qv, res.Final().Q[0])
		tick()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return values, nil
}

// deltaQSummary condenses ΔQ per T_k over the seeds: the table (the talk's value, mean, sd, min and
// max), the means, and the plot's series (the mean with its min-max band, then the talk's values
// when it gives any).
func deltaQSummary(dq DeltaQConfig, values []float64) (Table, []float64, []plot.Series) {
	table := Table{
		Caption: fmt.Sprintf("ΔQ = ‖Q_GMF-V − Q_GMF-Q‖₂ / ‖Q_GMF-V‖₂ after %d outer iterations (GMF-V: ≤ %d sweeps per iteration; GMF-Q over %d seeds)", dq.Iterations, dq.Sweeps, dq.Seeds),
		Header:  []string{"T_k (GMF-Q)", "talk", "mean", "sd", "min", "max"},
	}
	var means []float64
	band := plot.Series{Name: fmt.Sprintf("this project: mean, min-max over %d seeds", dq.Seeds)}
	talk := plot.Series{Name: "the talk"}
	for ti, T := range dq.Steps {
		vals := values[ti*dq.Seeds : (ti+1)*dq.Seeds]
		m, sd := meanSD(vals)
		lo, hi := slices.Min(vals), slices.Max(vals)
		means = append(means, m)
		talkCell := "–"
		if v, ok := TalkDeltaQ[T]; ok {
			talkCell = strconv.FormatFloat(v, 'g', -1, 64)
			talk.X, talk.Y = append(talk.X, float64(T)), append(talk.Y, v)
		}
		table.Rows = append(table.Rows, []string{strconv.Itoa(T), talkCell, f4(m), f4(sd), f4(lo), f4(hi)})
		band.X, band.Y = append(band.X, float64(T)), append(band.Y, m)
		band.Lower, band.Upper = append(band.Lower, lo), append(band.Upper, hi)
	}
	series := []plot.Series{band}
	if len(talk.X) > 0 {
		series = append(series, talk)
	}
	return table, means, series
}

// writeDeltaQFiles writes delta_q.csv (every ΔQ by T_k and seed), delta_q.md (the table) and the
// plot delta_q.png/svg of ΔQ by T_k into dir.
func writeDeltaQFiles(dir string, dq DeltaQConfig, values []float64, table Table, series []plot.Series) error {
	if err := atomicfile.Write(filepath.Join(dir, "delta_q.csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"steps", "seed", "delta_q"})
		for i, v := range values {
			cw.Write([]string{strconv.Itoa(dq.Steps[i/dq.Seeds]), strconv.Itoa(i % dq.Seeds), formatFloat(v)})
		}
		cw.Flush()
		return cw.Error()
	}); err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(dir, "delta_q.md"), func(w io.Writer) error {
		_, err := io.WriteString(w, markdownTable(table))
		return err
	}); err != nil {
		return err
	}
	p, err := plot.Lines("ΔQ of GMF-Q against GMF-V by Q-learning steps per outer iteration", "T_k (Q-learning steps per outer iteration)", "ΔQ (relative l2 distance of the Q-tables)", series...)
	if err != nil {
		return err
	}
	return plot.Save(p, 7*vg.Inch, 4.5*vg.Inch, filepath.Join(dir, "delta_q.png"), filepath.Join(dir, "delta_q.svg"))
}

// deltaQOutcome judges the talk's claim on the mean ΔQ per T_k: it holds when the means fall at
// every step and the last is at most 0.12.
func deltaQOutcome(dq DeltaQConfig, table Table, means []float64) *Outcome {
	falling := true
	for i := 1; i < len(means); i++ {
		falling = falling && means[i] < means[i-1]
	}
	last := means[len(means)-1]
	holds := falling && last <= 0.12
	return &Outcome{
		Claim: "ΔQ falls as T_k grows and reaches about 0.1 at T_k = 10000 (talk: 0.21263, 0.1294, 0.10258, 0.0989).",
		Holds: holds,
		Verdict: fmt.Sprintf("Mean ΔQ over %d seeds: %s for T_k = %s; %s, and %.4f at T_k = %d.",
			dq.Seeds, joinF4(means), strings.Trim(strings.Join(strings.Fields(fmt.Sprint(dq.Steps)), ", "), "[]"), map[bool]string{true: "it falls at every step", false: "it does not fall at every step"}[falling], last, dq.Steps[len(dq.Steps)-1]),
		Tables:  []Table{table},
		Figures: []Figure{{Caption: "ΔQ by T_k: mean and min-max band over seeds, beside the talk's values.", PNG: "delta_q.png"}},
	}
}

// joinF4 formats every x with 4 decimals, separated by commas.
func joinF4(x []float64) string {
	s := ""
	for i, v := range x {
		if i > 0 {
			s += ", "
		}
		s += f4(v)
	}
	return s
}

// heatmapTitles are the titles of the q-heatmaps figure: overall, GMF-Q's panel and GMF-V's.
// GMF-Q's run is the first of the ΔQ table's runs at the largest T_k, whose random streams come
// from the master seed cfg.Seed: the title names that seed, the one --seed sets.
func heatmapTitles(cfg ReproduceConfig) (title, gmfq, gmfv string) {
	dq := cfg.DeltaQ
	return fmt.Sprintf("Q-tables after %d outer iterations (rows: budget s, columns: bid a)", dq.Iterations),
		fmt.Sprintf("GMF-Q (T_k = %d, seed %d)", slices.Max(dq.Steps), cfg.Seed),
		fmt.Sprintf("GMF-V (≤ %d sweeps per iteration)", dq.Sweeps)
}

// runHeatmaps is the experiment q-heatmaps: the Q-tables of GMF-Q (the largest T_k) and GMF-V
// side by side; the claim holds when their ΔQ is at most 0.1.
func runHeatmaps(ctx context.Context, cfg ReproduceConfig, dir string, tick func()) (*Outcome, error) {
	g, err := defaultAuction()
	if err != nil {
		return nil, err
	}
	dq := cfg.DeltaQ
	ref, err := gmfvTable(ctx, g, dq)
	if err != nil {
		return nil, err
	}
	tick()
	T := slices.Max(dq.Steps)
	res, err := gmfqRun(ctx, g, dq.Iterations, T, dq.Temperature, dq.EpsilonNet, seeds.Sub(cfg.Seed, streamDeltaQ, uint64(T), 0), nil)
	if err != nil {
		return nil, err
	}
	tick()
	qv, qq := ref.Final().Q[0], res.Final().Q[0]
	S, A := g.States(), g.Actions()
	title, left, right := heatmapTitles(cfg)
	fig, err := plot.HeatmapPair(qq, qv, S, A, title, left, right, "bid a", "budget s", "Q(s, a)")
	if err != nil {
		return nil, err
	}
	if err := plot.SaveFigure(fig, 10*vg.Inch, 4.5*vg.Inch, filepath.Join(dir, "q_heatmaps.png"), filepath.Join(dir, "q_heatmaps.svg")); err != nil {
		return nil, err
	}
	if err := atomicfile.Write(filepath.Join(dir, "q_tables.csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"s", "a", "q_gmfq", "q_gmfv"})
		for i := range qv {
			cw.Write([]string{strconv.Itoa(i / A), strconv.Itoa(i % A), formatFloat(qq[i]), formatFloat(qv[i])})
		}
		cw.Flush()
		return cw.Error()
	}); err != nil {
		return nil, err
	}
	d := relativeL2(qv, qq)
	var maxAbs float64
	for i := range qv {
		maxAbs = math.Max(maxAbs, math.Abs(qv[i]-qq[i]))
	}
	return &Outcome{
		Claim: "GMF-Q, which needs no knowledge of P and r, learns the Q-table almost as well as GMF-V with full information.",
		Holds: d <= 0.1,
		Verdict: fmt.Sprintf("With T_k = %d the two Q-tables differ by ΔQ = %.4f (largest entry difference %.3f, Q ranges over [%.2f, %.2f]). %s %s", T, d, maxAbs, slices.Min(qv), slices.Max(qv),
			solveVerdict("GMF-V", ref), solveVerdict("GMF-Q", res)),
		Figures: []Figure{{Caption: fmt.Sprintf("The Q-table learned by GMF-Q (left; T_k = %d, master seed %d, the ΔQ table's first run at that T_k) beside GMF-V's (right), on one colour scale.", T, cfg.Seed), PNG: "q_heatmaps.png"}},
	}, nil
}

// runComparison is one experiment c-pi-…: C(π) of GMF-Q, independent learners and MF-Q in the
// setting s; the claim holds when GMF-Q's mean final C(π) is below every other algorithm's beyond
// the intervals (LowestC).
func runComparison(ctx context.Context, cfg ReproduceConfig, s CompareSetting, dir string, tick func()) (*Outcome, error) {
	c := cfg.Compare
	c.Seed = cfg.Seed
	c.States, c.Actions, c.Players = s.States, s.Actions, s.Players
	rep, err := RunCompare(ctx, c, dir, 0, func(int, int) { tick() })
	if err != nil {
		return nil, err
	}
	finals := rep.Final()
	table := Table{
		Caption: fmt.Sprintf("C(π) at the end of training, mean and 90%% confidence interval over %d sample paths", c.Paths),
		Header:  []string{"algorithm", "training samples", "mean C(π)", "90% CI", "min", "max"},
	}
	for _, f := range finals {
		table.Rows = append(table.Rows, []string{algorithmLabel(f.Algorithm), strconv.FormatInt(f.Samples, 10), f4(f.Mean),
			fmt.Sprintf("[%s, %s]", f4(f.Lower90), f4(f.Upper90)), f4(f.Min), f4(f.Max)})
	}
	holds, undecided, verdict := comparisonVerdict(finals, c.Paths)
	return &Outcome{
		Claim:     "GMF-Q reaches a lower C(π) than independent learners and MF-Q.",
		Holds:     holds,
		Undecided: undecided,
		Verdict:   verdict,
		Tables:    []Table{table},
		Figures:   []Figure{{Caption: "C(π) of the deployed policies along training: mean and 90% confidence band over sample paths.", PNG: "c_pi.png"}},
		Finals:    finals,
	}, nil
}

// comparisonVerdict says whether GMF-Q's final C(π) is the lowest beyond the 90% intervals, and
// the means: a lowest mean whose interval overlaps another's is not called lower, and the claim is
// then undecided when GMF-Q is among the candidates for the lowest.
func comparisonVerdict(finals []CompareSummary, paths int) (holds, undecided bool, verdict string) {
	low := LowestC(finals)
	if len(low.Algorithms) == 0 {
		return false, false, "No final C(π)."
	}
	if low.Distinguished() {
		verdict = fmt.Sprintf("Lowest mean final C(π), beyond the 90%% intervals: %s.", algorithmLabel(low.Algorithms[0]))
	} else {
		names := make([]string, len(low.Algorithms))
		for i, a := range low.Algorithms {
			names[i] = algorithmLabel(a)
		}
		verdict = fmt.Sprintf("Lowest mean final C(π): %s, but its 90%% interval overlaps those of %s: not distinguishable at %d paths.",
			names[0], strings.Join(names[1:], " and "), paths)
	}
	for _, f := range finals {
		verdict += fmt.Sprintf(" %s: %.4f [%.4f, %.4f].", algorithmLabel(f.Algorithm), f.Mean, f.Lower90, f.Upper90)
	}
	holds = low.Distinguished() && low.Algorithms[0] == "gmf-q"
	return holds, !low.Distinguished() && slices.Contains(low.Algorithms, "gmf-q"), verdict
}
