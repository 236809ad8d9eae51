package experiment

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"meanfield/npgame"
	"meanfield/plot"
)

// write writes paths.csv, summary.csv, config.yaml and epsilon.svg into dir.
func (r *GameCompareReport) write(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("out = %s: %w", dir, err)
	}
	header := fmt.Sprintf("mfg compare --game %s: the resolved configuration of this comparison (the mean-field solve under solve:, the independent learners' training and the ε estimator's settings).", r.Config.Solve.Run.Game)
	files, err := writeOutputs(dir, []output{
		configOutput(header, r.Config),
		{"paths.csv", r.writeGamePoints},
		{"summary.csv", r.writeGameSummary},
	})
	if err != nil {
		return files, err
	}
	p, err := r.epsilonPlot()
	if err != nil {
		return files, err
	}
	fig := filepath.Join(dir, "epsilon.svg")
	if err := plot.Save(p, 7*vg.Inch, 4.5*vg.Inch, fig); err != nil {
		return files, err
	}
	return append(files, fig), nil
}

func (r *GameCompareReport) writeGamePoints(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"method", "path", "checkpoint", "il_episodes", "epsilon", "epsilon_lower95", "epsilon_upper95", "ratio",
		"mean_agent_epsilon", "mean_agent_value", "distinct_policies", "mf_exploitability", "mf_converged", "best_response_class"})
	for _, p := range r.Points {
		cw.Write([]string{p.Method, strconv.Itoa(p.Path), strconv.Itoa(p.Checkpoint), strconv.Itoa(p.Episodes),
			formatFloat(p.Epsilon), formatFloat(p.Lower), formatFloat(p.Upper), formatFloat(p.Ratio),
			formatFloat(p.MeanEpsilon), formatFloat(p.Value), strconv.Itoa(p.Policies), formatBound(p.MFExploitability),
			strconv.FormatBool(p.Converged), npgame.ClassOwnState})
	}
	cw.Flush()
	return cw.Error()
}

func (r *GameCompareReport) writeGameSummary(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"method", "checkpoint", "il_episodes", "paths", "mean_epsilon", "lower90", "upper90", "mean_ratio",
		"mean_agent_epsilon", "mean_agent_value", "max_distinct_policies", "mf_converged_paths"})
	for _, s := range r.Summary {
		cw.Write([]string{s.Method, strconv.Itoa(s.Checkpoint), strconv.Itoa(s.Episodes), strconv.Itoa(s.Paths),
			formatFloat(s.Mean), formatBound(s.Lower90), formatBound(s.Upper90), formatFloat(s.Ratio),
			formatFloat(s.MeanEpsilon), formatFloat(s.Value), strconv.Itoa(s.Policies), strconv.Itoa(s.Converged)})
	}
	cw.Flush()
	return cw.Error()
}

// epsilonPlot draws IL's mean ε over the paths against its training episodes, with the 90%
// band, and the mean-field solution's ε as a horizontal line with its band.
func (r *GameCompareReport) epsilonPlot() (*gplot.Plot, error) {
	cfg := r.Config
	il := plot.Series{Name: "independent learners (IL)"}
	mf := plot.Series{Name: fmt.Sprintf("mean-field solution (%s), every agent playing it", cfg.Solve.Run.Algorithm)}
	final := r.Summary[cfg.Checkpoints]
	band := cfg.Paths > 1 && !math.IsNaN(final.Lower90)
	for _, s := range r.Summary[:cfg.Checkpoints] {
		il.X, il.Y = append(il.X, float64(s.Episodes)), append(il.Y, s.Mean)
		mf.X, mf.Y = append(mf.X, float64(s.Episodes)), append(mf.Y, final.Mean)
		if band {
			il.Lower, il.Upper = append(il.Lower, s.Lower90), append(il.Upper, s.Upper90)
			mf.Lower, mf.Upper = append(mf.Lower, final.Lower90), append(mf.Upper, final.Upper90)
		}
	}
	what := "one sample path: no band"
	if band {
		what = fmt.Sprintf("mean over %d sample paths; bands: 90%% CI of the mean (Student's t on the log scale)", cfg.Paths)
	}
	title := fmt.Sprintf("%s, N = %d: ε of the profile (gain of one agent deviating alone)\n%s", cfg.Solve.Run.Game, cfg.Players, what)
	return plot.Lines(title, "IL's training episodes", "ε (own-state deviation, estimated)", il, mf)
}
