package tune

import (
	"fmt"
	"math"
	"path/filepath"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"meanfield/plot"
)

// Plots writes history.svg, the objective of every complete trial against its number with the
// best so far, and params.svg, one panel per tuned parameter: the objective of each complete
// trial against its value (a log parameter on a log10 axis, a categorical by the index of its
// choice). The objective is drawn on a log10 axis when every value is positive. A study
// without a complete trial has no figures. With sum.PNG, each is written as a PNG too.
func (sum *Summary) Plots(s *Study, dir string) ([]string, error) {
	var xs, ys []float64
	for k, r := range sum.Records {
		if r != nil && r.State == Complete {
			xs, ys = append(xs, float64(k)), append(ys, *r.Value)
		}
	}
	if len(xs) == 0 {
		return nil, nil
	}
	logY := true
	for _, y := range ys {
		logY = logY && y > 0
	}
	label := "objective: " + s.Objective.Describe(len(s.Configs))
	yLabel := "objective"
	if logY {
		yLabel = "log10 objective"
	}
	scale := func(y float64) float64 {
		if logY {
			return math.Log10(y)
		}
		return y
	}
	var bx, by []float64
	for k, b := range sum.BestSoFar() {
		if !math.IsNaN(b) {
			bx, by = append(bx, float64(k)), append(by, b)
		}
	}
	title := "Optimisation history\n" + label
	best := plot.Series{Name: "best so far", X: bx, Y: by}
	var h *gplot.Plot
	var err error
	if logY {
		h, err = plot.Convergence(title, "trial", "objective", best) // a log axis: the scatter below is in log10
	} else {
		h, err = plot.Lines(title, "trial", "objective", best)
	}
	if err != nil {
		return nil, err
	}
	pts := make(plotter.XYs, len(xs))
	for i := range xs {
		pts[i] = plotter.XY{X: xs[i], Y: scale(ys[i])}
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle.Shape = draw.RingGlyph{}
	sc.GlyphStyle.Radius = vg.Points(3)
	h.Add(sc)
	before := h.Legend.Rectangle(draw.Canvas{}).Size().Y
	h.Legend.Add("a complete trial's objective", sc)
	// The legend sits in a strip above the data (package plot): make the strip one entry higher.
	grow := h.Legend.Rectangle(draw.Canvas{}).Size().Y - before
	h.Title.Padding += grow
	h.Legend.YOffs += grow
	for _, y := range ys { // the axis fits the best so far: widen it to every trial's value
		margin := 0.04 * (h.Y.Max - h.Y.Min)
		h.Y.Min, h.Y.Max = min(h.Y.Min, scale(y)-margin), max(h.Y.Max, scale(y)+margin)
	}
	paths := sum.figurePaths(dir, "history")
	if err := plot.Save(h, 7*vg.Inch, 4*vg.Inch, paths...); err != nil {
		return nil, err
	}
	more, err := sum.paramsFigure(s, dir, xs, ys, scale, yLabel, label)
	return append(paths, more...), err
}

// paramsFigure writes params.svg: the objective ys of the complete trials xs against each
// parameter, the objective on the scale of the history.
func (sum *Summary) paramsFigure(s *Study, dir string, xs, ys []float64, scale func(float64) float64, yLabel, label string) ([]string, error) {
	var panels []plot.Drawer
	for _, p := range s.Space {
		pp := gplot.New()
		pp.Title.Text = p.Name
		pp.X.Label.Text, pp.Y.Label.Text = p.Name, yLabel
		if p.Log {
			pp.X.Label.Text = "log10 " + p.Name
		}
		if p.Type == Categorical {
			pp.X.Label.Text = p.Name + fmt.Sprintf(" (choice 0..%d: %v)", len(p.Choices)-1, p.Choices)
		}
		pts := make(plotter.XYs, 0, len(xs))
		for i, k := range xs {
			x, err := p.internal(sum.Records[int(k)].Params[p.Name])
			if err != nil {
				return nil, err
			}
			if p.Log {
				x /= math.Ln10
			}
			pts = append(pts, plotter.XY{X: x, Y: scale(ys[i])})
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		pp.Add(plotter.NewGrid(), sc)
		panels = append(panels, pp)
	}
	cols := min(len(panels), 3)
	rows := (len(panels) + cols - 1) / cols
	paths := sum.figurePaths(dir, "params")
	fig := plot.Grid(cols, "Each parameter against the objective\n"+label, panels...)
	if err := plot.SaveFigure(fig, max(vg.Length(cols)*4*vg.Inch, 8*vg.Inch), vg.Length(rows)*3*vg.Inch+0.5*vg.Inch, paths...); err != nil {
		return nil, err
	}
	return paths, nil
}

// figurePaths are the files of figure name: its SVG, and its PNG when asked for.
func (sum *Summary) figurePaths(dir, name string) []string {
	paths := []string{filepath.Join(dir, name+".svg")}
	if sum.PNG {
		paths = append(paths, filepath.Join(dir, name+".png"))
	}
	return paths
}
