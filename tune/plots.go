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
// without a complete trial has no figures.
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
	h := gplot.New()
	h.Title.Text = "Optimisation history: " + label
	h.X.Label.Text, h.Y.Label.Text = "trial", yLabel
	pts := make(plotter.XYs, len(xs))
	for i := range xs {
		pts[i] = plotter.XY{X: xs[i], Y: scale(ys[i])}
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle.Shape = draw.CircleGlyph{}
	var line plotter.XYs
	for k, b := range sum.BestSoFar() {
		if !math.IsNaN(b) {
			line = append(line, plotter.XY{X: float64(k), Y: scale(b)})
		}
	}
	l, err := plotter.NewLine(line)
	if err != nil {
		return nil, err
	}
	l.LineStyle.Width = vg.Points(1.5)
	h.Add(plotter.NewGrid(), sc, l)
	h.Legend.Add("complete trial", sc)
	h.Legend.Add("best so far", l)
	h.Legend.Top = true
	path := filepath.Join(dir, "history.svg")
	if err := plot.Save(h, 7*vg.Inch, 4*vg.Inch, path); err != nil {
		return nil, err
	}
	files := []string{path}
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
				return files, err
			}
			if p.Log {
				x /= math.Ln10
			}
			pts = append(pts, plotter.XY{X: x, Y: scale(ys[i])})
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return files, err
		}
		pp.Add(plotter.NewGrid(), sc)
		panels = append(panels, pp)
	}
	cols := min(len(panels), 3)
	rows := (len(panels) + cols - 1) / cols
	path = filepath.Join(dir, "params.svg")
	fig := plot.Grid(cols, "Each parameter against the "+label, panels...)
	if err := plot.SaveFigure(fig, vg.Length(cols)*4*vg.Inch, vg.Length(rows)*3*vg.Inch+0.5*vg.Inch, path); err != nil {
		return files, err
	}
	return append(files, path), nil
}
