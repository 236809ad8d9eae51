package experiment

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"meanfield/algorithms"
	"meanfield/mfg"
	"meanfield/npgame"
	"meanfield/plot"
	"meanfield/seeds"
)

// NPlayerConfig is `mfg nplayer`: solve the mean-field game (Solve: the game, its parameters, the
// algorithm, its iterations and seed), then estimate the ε of its policy in the N-player game for
// every N of Players (package npgame).
type NPlayerConfig struct {
	Solve   SolveConfig
	Players []int
	// Meet is "others" (L_{-i}, the default) or "all" (L^N).
	Meet string
	// Episodes and TrainEpisodes are npgame.Options' (0: their defaults); HorizonTolerance the γ^H
	// at which a stationary game's horizon is truncated (0: 1e-6); Epsilon0 ε0 of the ratio.
	Episodes, TrainEpisodes int
	HorizonTolerance        float64
	Epsilon0                float64
	// FitFrom is the least N of the slope's fit (0: every N): a game whose ε rises at small N
	// (agents alone on a cell, rewarded by a crowd term −log μ) is fitted on its tail.
	FitFrom int
	// Workers run episodes in parallel (0: every core); the results do not depend on them.
	Workers int
	// PNG also writes the figure as PNG.
	PNG bool
	// Accurate is set by Resolve when it chose the iterations (NPlayerAccuracy × the default).
	Accurate bool
}

// NPlayerAccuracy is how many times its default number of iterations the algorithm runs when none
// is given: the N-player ε tends to the mean-field exploitability of the policy, so an accurate
// solve is what lets ε(N) fall with N before it meets that floor.
const NPlayerAccuracy = 10

// Resolve checks the configuration and fills its defaults: the solve's (with NPlayerAccuracy
// times the algorithm's iterations when none is given), N of at least 2 (1 with Meet "all"),
// increasing, at most 10^6.
func (c NPlayerConfig) Resolve() (NPlayerConfig, error) {
	given := c.Solve.Run.Iterations
	c.Solve.Outputs = OutputConfig{Exploitability: true}
	r, err := c.Solve.Resolve()
	if err != nil {
		return c, err
	}
	if given == 0 {
		entry, _ := algorithms.Lookup(r.Run.Algorithm)
		c.Solve.Run.Iterations = NPlayerAccuracy * entry.Iterations
		if r, err = c.Solve.Resolve(); err != nil {
			return c, err
		}
		c.Accurate = true
	}
	c.Solve = r
	if c.Meet == "" {
		c.Meet = "others"
	}
	if c.Meet != "others" && c.Meet != "all" {
		return c, fmt.Errorf("meet = %q: must be others or all", c.Meet)
	}
	if len(c.Players) == 0 {
		return c, fmt.Errorf("players: give at least one N")
	}
	for i, n := range c.Players {
		switch {
		case n < 1 || n > 1_000_000 || (n < 2 && c.Meet == "others"):
			return c, fmt.Errorf("players = %d: must be between %d and 1000000", n, map[bool]int{true: 2, false: 1}[c.Meet == "others"])
		case i > 0 && n <= c.Players[i-1]:
			return c, fmt.Errorf("players = %v: must be increasing", c.Players)
		}
	}
	switch {
	case c.Episodes < 0 || c.Episodes == 1:
		return c, fmt.Errorf("episodes = %d: must be at least 2 (0: %d)", c.Episodes, npgame.DefaultEpisodes)
	case c.TrainEpisodes < 0:
		return c, fmt.Errorf("train-episodes = %d: must be non-negative (0: %d)", c.TrainEpisodes, npgame.DefaultTrainEpisodes)
	case c.HorizonTolerance < 0 || c.HorizonTolerance >= 1:
		return c, fmt.Errorf("horizon-tolerance = %v: must be in (0, 1) (0: %g)", c.HorizonTolerance, npgame.DefaultHorizonTolerance)
	case c.FitFrom < 0:
		return c, fmt.Errorf("fit-from = %d: must be non-negative (0: every N)", c.FitFrom)
	case !(c.Epsilon0 >= 0) || math.IsInf(c.Epsilon0, 1):
		return c, fmt.Errorf("epsilon0 = %v: must be positive (0: %g)", c.Epsilon0, npgame.DefaultEpsilon0)
	}
	return c, c.checkGame()
}

// checkGame refuses, before any work, a game without an N-player game here (a multi-population
// game, a stationary game without a model) and a horizon tolerance out of range.
func (c NPlayerConfig) checkGame() error {
	g, _, err := c.Solve.Build()
	if err != nil {
		return err
	}
	meet := npgame.Others
	if c.Meet == "all" {
		meet = npgame.All
	}
	if _, err := npgame.New(g, c.Players[len(c.Players)-1], meet, c.HorizonTolerance); err != nil {
		return fmt.Errorf("game = %s: %w", g.Name(), err)
	}
	return nil
}

// NPlayerRow is the estimate at one N.
type NPlayerRow struct {
	N        int
	Estimate npgame.Estimate
	Class    string
}

// NPlayerReport is the result of RunNPlayer.
type NPlayerReport struct {
	Config NPlayerConfig
	// Converged says the algorithm's stopping rule ended the solve; Iterations is its number of
	// steps; MFExploitability the mean-field exploitability of the final policy (when HasMF).
	Converged        bool
	Stop             string // the algorithm's other stopping rule that ended it (a cycle), if any
	Iterations       int
	MFExploitability float64
	HasMF            bool
	Rows             []NPlayerRow
	// Fit is the least-squares line log ε = b + slope·log N over the N where ε's interval
	// excludes 0.
	Fit SlopeFit
	// Floor is the first N from which ε's 95% interval reaches down to the mean-field
	// exploitability (0: none): from there ε(N) has met its floor.
	Floor int
	Files []string
}

// RunNPlayer solves the mean-field game, estimates ε at each N (progress called after each) and
// writes nplayer.csv, fit.csv, config.yaml and epsilon.svg into outDir.
func RunNPlayer(ctx context.Context, cfg NPlayerConfig, outDir string, progress func(done, total int)) (*NPlayerReport, error) {
	g, res, err := Execute(ctx, cfg.Solve, nil, nil)
	if err != nil {
		return nil, err
	}
	final := res.Final()
	rep := &NPlayerReport{Config: cfg, Converged: res.Converged, Iterations: final.K,
		MFExploitability: final.Exploitability, HasMF: final.HasExploitability}
	if res.Stop != nil {
		rep.Stop = res.Stop.Detail
	}
	pi := npgame.Policy(final.Policy)
	meet := npgame.Others
	if cfg.Meet == "all" {
		meet = npgame.All
	}
	var init []float64
	for i, n := range cfg.Players {
		ng, err := npgame.New(g, n, meet, cfg.HorizonTolerance)
		if err != nil {
			return nil, err
		}
		if init == nil {
			if init, err = npgame.DefaultInitial(ctx, ng, pi); err != nil {
				return nil, err
			}
		}
		est, err := npgame.EstimateEpsilon(ctx, ng, npgame.Symmetric(pi), npgame.Options{
			Seed: seeds.Sub(cfg.Solve.Run.Seed, seeds.Evaluation, uint64(n)), Workers: cfg.Workers,
			Episodes: cfg.Episodes, TrainEpisodes: cfg.TrainEpisodes, Initial: init, Epsilon0: cfg.Epsilon0,
		})
		if err != nil {
			return nil, fmt.Errorf("players = %d: %w", n, err)
		}
		rep.Rows = append(rep.Rows, NPlayerRow{N: n, Estimate: est.Epsilon(), Class: est.Class})
		if progress != nil {
			progress(i+1, len(cfg.Players))
		}
	}
	var tail []NPlayerRow
	for _, r := range rep.Rows {
		if r.N >= cfg.FitFrom {
			tail = append(tail, r)
		}
	}
	rep.Fit = FitSlope(tail)
	rep.Floor = floorFrom(rep)
	if rep.Files, err = writeNPlayer(outDir, rep, g); err != nil {
		return rep, err
	}
	return rep, nil
}

// floorFrom is the first N from which every ε interval reaches the mean-field exploitability.
func floorFrom(rep *NPlayerReport) int {
	if !rep.HasMF {
		return 0
	}
	first := 0
	for _, r := range rep.Rows {
		if r.Estimate.Lower <= rep.MFExploitability {
			if first == 0 {
				first = r.N
			}
		} else {
			first = 0
		}
	}
	return first
}

// SlopeFit is the least-squares fit of log ε on log N over the Points values of N where ε is
// distinguishable from 0 (the lower end of its 95% interval positive: an ε whose interval reaches
// 0 is noise, whose logarithm would say nothing), with the 95% Student-t interval of the slope (HasInterval with at least
// three points).
type SlopeFit struct {
	Slope, Intercept, Lower, Upper float64
	Points                         int
	HasSlope, HasInterval          bool
}

// FitSlope fits log ε = Intercept + Slope·log N by least squares.
func FitSlope(rows []NPlayerRow) SlopeFit {
	var xs, ys []float64
	for _, r := range rows {
		if r.Estimate.Lower > 0 {
			xs, ys = append(xs, math.Log(float64(r.N))), append(ys, math.Log(r.Estimate.Epsilon))
		}
	}
	f := SlopeFit{Points: len(xs)}
	if len(xs) < 2 {
		return f
	}
	var mx, my float64
	for i := range xs {
		mx, my = mx+xs[i], my+ys[i]
	}
	mx, my = mx/float64(len(xs)), my/float64(len(xs))
	var sxx, sxy float64
	for i := range xs {
		sxx += (xs[i] - mx) * (xs[i] - mx)
		sxy += (xs[i] - mx) * (ys[i] - my)
	}
	if sxx == 0 { // every point at one N: no line
		return f
	}
	f.Slope, f.HasSlope = sxy/sxx, true
	f.Intercept = my - f.Slope*mx
	if len(xs) < 3 {
		return f
	}
	var ssr float64
	for i := range xs {
		d := ys[i] - f.Intercept - f.Slope*xs[i]
		ssr += d * d
	}
	se := math.Sqrt(ssr / float64(len(xs)-2) / sxx)
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(xs) - 2)}.Quantile(0.975)
	f.Lower, f.Upper, f.HasInterval = f.Slope-q*se, f.Slope+q*se, true
	return f
}

// writeNPlayer writes the outputs.
func writeNPlayer(dir string, rep *NPlayerReport, g mfg.Game) ([]string, error) {
	outs := []output{
		{"nplayer.csv", func(w io.Writer) error { return writeNPlayerCSV(w, rep) }},
		{"fit.csv", func(w io.Writer) error { return writeFitCSV(w, rep) }},
		configOutput(fmt.Sprintf("mfg nplayer on %s: the solve's configuration (mfg solve --config takes it); players %v, meet %s", g.Name(), rep.Config.Players, rep.Config.Meet), rep.Config.Solve),
	}
	paths, err := writeOutputs(dir, outs)
	if err != nil {
		return paths, err
	}
	p, err := epsilonPlot(rep, g.Name())
	if err != nil || p == nil {
		return paths, err
	}
	figs := []string{dir + "/epsilon.svg"}
	if rep.Config.PNG {
		figs = append(figs, dir+"/epsilon.png")
	}
	if err := plot.Save(p, 6*vg.Inch, 4*vg.Inch, figs...); err != nil {
		return paths, err
	}
	return append(paths, figs...), nil
}

func writeNPlayerCSV(w io.Writer, rep *NPlayerReport) error {
	c := csv.NewWriter(w)
	c.Write([]string{"n", "epsilon", "epsilon_lower95", "epsilon_upper95", "gain", "gain_se", "value", "value_se",
		"ratio", "ratio_lower95", "ratio_upper95", "mf_exploitability", "best_response_class", "episodes", "train_episodes"})
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 10, 64) }
	mf := ""
	if rep.HasMF {
		mf = f(rep.MFExploitability)
	}
	for _, r := range rep.Rows {
		e := r.Estimate
		c.Write([]string{strconv.Itoa(r.N), f(e.Epsilon), f(e.Lower), f(e.Upper), f(e.Gain), f(e.GainSE), f(e.Value), f(e.ValueSE),
			f(e.Ratio), f(e.RatioLower), f(e.RatioUpper), mf, r.Class,
			strconv.Itoa(max(rep.Config.Episodes, 0)), strconv.Itoa(rep.Config.TrainEpisodes)})
	}
	c.Flush()
	return c.Error()
}

func writeFitCSV(w io.Writer, rep *NPlayerReport) error {
	c := csv.NewWriter(w)
	c.Write([]string{"slope", "slope_lower95", "slope_upper95", "intercept", "points", "floor_from_n"})
	f := func(ok bool, x float64) string {
		if !ok {
			return ""
		}
		return strconv.FormatFloat(x, 'g', 10, 64)
	}
	fit := rep.Fit
	c.Write([]string{f(fit.HasSlope, fit.Slope), f(fit.HasInterval, fit.Lower), f(fit.HasInterval, fit.Upper),
		f(fit.HasSlope, fit.Intercept), strconv.Itoa(fit.Points), strconv.Itoa(rep.Floor)})
	c.Flush()
	return c.Error()
}

// epsilonPlot draws ε(N) with its 95% band on log-log axes, the fitted line, the 1/√N reference
// through the first positive estimate and the mean-field exploitability (the floor); nil when
// every ε is 0.
func epsilonPlot(rep *NPlayerReport, game string) (*gplot.Plot, error) {
	var eps plot.Series
	eps.Name = "ε(N), 95% interval"
	var ref, fit, floor plot.Series
	ref.Name, floor.Name = "reference ∝ 1/√N", "mean-field exploitability of π"
	var anchor float64
	var anchorN int
	for _, r := range rep.Rows {
		x := float64(r.N)
		if r.Estimate.Epsilon <= 0 {
			eps.Name = "ε(N) > 0, 95% interval (ε = 0 not drawn)"
			continue
		}
		eps.X, eps.Y = append(eps.X, x), append(eps.Y, r.Estimate.Epsilon)
		eps.Lower, eps.Upper = append(eps.Lower, r.Estimate.Lower), append(eps.Upper, r.Estimate.Upper)
		if anchor == 0 && r.Estimate.Epsilon > 0 {
			anchor, anchorN = r.Estimate.Epsilon, r.N
		}
	}
	var series []plot.Series
	if len(eps.X) > 0 {
		series = append(series, eps)
	}
	if anchor > 0 {
		for _, r := range rep.Rows {
			ref.X, ref.Y = append(ref.X, float64(r.N)), append(ref.Y, anchor*math.Sqrt(float64(anchorN)/float64(r.N)))
		}
		series = append(series, ref)
	}
	if rep.Fit.HasSlope {
		fit.Name = fmt.Sprintf("fit: slope %.2f", rep.Fit.Slope)
		if rep.Fit.HasInterval {
			fit.Name = fmt.Sprintf("fit: slope %.2f [%.2f, %.2f]", rep.Fit.Slope, rep.Fit.Lower, rep.Fit.Upper)
		}
		for _, r := range rep.Rows {
			x := float64(r.N)
			if r.N < rep.Config.FitFrom {
				continue
			}
			fit.X, fit.Y = append(fit.X, x), append(fit.Y, math.Exp(rep.Fit.Intercept+rep.Fit.Slope*math.Log(x)))
		}
		series = append(series, fit)
	}
	if rep.HasMF && rep.MFExploitability > 1e-12 {
		for _, r := range rep.Rows {
			floor.X, floor.Y = append(floor.X, float64(r.N)), append(floor.Y, rep.MFExploitability)
		}
		series = append(series, floor)
	}
	if len(series) == 0 {
		return nil, nil // every ε is 0: nothing to draw on a logarithmic axis
	}
	p, err := plot.LogLines(fmt.Sprintf("%s: ε of the mean-field policy in the N-player game", game), "N (players)", "ε (gain of one deviator)", series...)
	if err != nil {
		return nil, err
	}
	p.X.Scale = gplot.LogScale{}
	p.X.Tick.Marker = gplot.LogTicks{Prec: -1}
	return p, nil
}
