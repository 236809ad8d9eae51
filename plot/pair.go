package plot

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// HeatmapPairFigure is two heat maps side by side on one colour scale, with a single colour bar
// on the right and an overall title on top; HeatmapPair builds it. It is a Drawer: write it with
// SaveFigure. Its plots and fields may be restyled before drawing (keep Left, Right and Bar on the
// same Min/Max for the colours to stay comparable).
type HeatmapPairFigure struct {
	Left, Right, Bar *plot.Plot
	// Title, if not empty, is drawn centred above both heat maps in TitleStyle.
	Title      string
	TitleStyle text.Style
	// BarWidth is the width of the colour bar itself, 14 points when zero; Gap separates the
	// right heat map from the bar's label, 10 points when zero; PanelGap separates the two heat
	// maps (the right one's tick labels lie in between), 14 points when zero.
	BarWidth, Gap, PanelGap vg.Length
}

var _ Drawer = (*HeatmapPairFigure)(nil)

// HeatmapPair draws two row-major rows×cols matrices, left and right (values[r*cols+c]; for
// instance the Q-table of GMF-Q beside that of GMF-V, rows = states s, cols = actions a), as two
// heat maps side by side (each as drawn by Heatmap, titled leftTitle and rightTitle, with x axis
// xLabel; yLabel is written on the left one only, as the rows are the same) on ONE colour scale:
// Viridis from the least value of both matrices (dark purple) to the greatest (yellow), so that
// cells of equal value have equal colours in both panels. A single colour bar labelled barLabel
// stands on the right, its ends level with the heat maps' bottom and top cells, and title (if not
// empty) is centred on top. The two heat maps' data areas have the same size.
//
// When every value of both matrices is the same the scale spans value ± 0.5. It is an error for
// rows or cols to be less than 1, for len(left) or len(right) not to be rows*cols, or for a value
// to be NaN or ±Inf.
//
// The result is a *HeatmapPairFigure; write it with SaveFigure (PNG, SVG or PDF).
func HeatmapPair(left, right []float64, rows, cols int, title, leftTitle, rightTitle, xLabel, yLabel, barLabel string) (Drawer, error) {
	lo, hi, err := pairRange(left, right, rows, cols)
	if err != nil {
		return nil, fmt.Errorf("plot: heatmap pair: %w", err)
	}
	l := heatmapPlot(left, rows, cols, lo, hi, leftTitle, xLabel, yLabel)
	r := heatmapPlot(right, rows, cols, lo, hi, rightTitle, xLabel, "")
	return &HeatmapPairFigure{
		Left: l, Right: r, Bar: colorBarPlot(lo, hi, barLabel),
		Title: title, TitleStyle: figureTitleStyle(),
	}, nil
}

// pairRange checks the two matrices of HeatmapPair and returns their common colour scale.
func pairRange(left, right []float64, rows, cols int) (lo, hi float64, err error) {
	if rows < 1 || cols < 1 {
		return 0, 0, fmt.Errorf("%d×%d matrices: rows and cols must be at least 1", rows, cols)
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, m := range []struct {
		name   string
		values []float64
	}{{"left", left}, {"right", right}} {
		if len(m.values) != rows*cols {
			return 0, 0, fmt.Errorf("%s matrix has %d values, want %d×%d = %d", m.name, len(m.values), rows, cols, rows*cols)
		}
		for i, v := range m.values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, 0, fmt.Errorf("%s matrix: value (%d, %d) is %v", m.name, i/cols, i%cols, v)
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	return lo, hi, nil
}

// Draw draws the title, the two heat maps and the colour bar on c.
func (f *HeatmapPairFigure) Draw(c draw.Canvas) {
	fillWhite(c)
	left, right, bar := f.layout(c)
	f.Left.Draw(left)
	f.Right.Draw(right)
	f.Bar.Draw(bar)
}

// layout returns the canvases of the left heat map, the right one and the colour bar within c.
func (f *HeatmapPairFigure) layout(c draw.Canvas) (left, right, bar draw.Canvas) {
	barW, gap, panelGap := f.BarWidth, f.Gap, f.PanelGap
	if barW <= 0 {
		barW = vg.Points(14)
	}
	if gap <= 0 {
		gap = vg.Points(10)
	}
	if panelGap <= 0 {
		panelGap = vg.Points(14)
	}
	c = drawFigureTitle(c, f.TitleStyle, f.Title)

	// What a plot keeps outside its data area (axes, labels, title) does not depend on the size
	// of its canvas: measure it on c.
	type margins struct{ left, right, bottom, top vg.Length }
	measure := func(p *plot.Plot) margins {
		d := p.DataCanvas(c)
		return margins{d.Min.X - c.Min.X, c.Max.X - d.Max.X, d.Min.Y - c.Min.Y, c.Max.Y - d.Max.Y}
	}
	ml, mr, mb := measure(f.Left), measure(f.Right), measure(f.Bar)

	// Horizontally: left heat map, panel gap, right heat map, gap, bar axis, bar; the two heat
	// maps' data areas equally wide.
	barAxisW := mb.left + mb.right
	dataW := (c.Max.X - c.Min.X - barW - barAxisW - gap - panelGap - ml.left - ml.right - mr.left - mr.right) / 2
	left, right, bar = c, c, c
	left.Max.X = c.Min.X + ml.left + dataW + ml.right
	right.Min.X = left.Max.X + panelGap
	right.Max.X = right.Min.X + mr.left + dataW + mr.right
	bar.Min.X = right.Max.X + gap

	// Vertically: the data areas of both heat maps and of the bar span the same height, below
	// the taller of the two titles and above the taller of the two x axes.
	bottom, top := max(ml.bottom, mr.bottom), max(ml.top, mr.top)
	left.Min.Y, left.Max.Y = c.Min.Y+bottom-ml.bottom, c.Max.Y-top+ml.top
	right.Min.Y, right.Max.Y = c.Min.Y+bottom-mr.bottom, c.Max.Y-top+mr.top
	bar.Min.Y, bar.Max.Y = c.Min.Y+bottom-mb.bottom, c.Max.Y-top+mb.top
	return left, right, bar
}
