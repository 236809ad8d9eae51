package plot

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"sync"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// heatColors is the number of colours the heat map's palette is sampled at.
const heatColors = 256

// NaNColor is the colour of NaN cells in a heat map.
var NaNColor color.Color = color.Gray{Y: 0xC0}

// matrix is a row-major rows×cols matrix as a plotter.GridXYZ: column c at x = c, row r at y = r.
type matrix struct {
	values     []float64
	rows, cols int
}

func (m matrix) Dims() (c, r int)   { return m.cols, m.rows }
func (m matrix) Z(c, r int) float64 { return m.values[r*m.cols+c] }
func (m matrix) X(c int) float64    { return float64(c) }
func (m matrix) Y(r int) float64    { return float64(r) }

// heatRange checks a row-major rows×cols matrix and returns the range of its colour scale: the
// least and greatest non-NaN values, widened by ±0.5 when they are equal.
func heatRange(values []float64, rows, cols int) (lo, hi float64, err error) {
	if rows < 1 || cols < 1 {
		return 0, 0, fmt.Errorf("%d×%d matrix: rows and cols must be at least 1", rows, cols)
	}
	if len(values) != rows*cols {
		return 0, 0, fmt.Errorf("%d values for a %d×%d matrix: want %d", len(values), rows, cols, rows*cols)
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for i, v := range values {
		if math.IsInf(v, 0) {
			return 0, 0, fmt.Errorf("value (%d, %d) is %v", i/cols, i%cols, v)
		}
		if !math.IsNaN(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if lo > hi {
		return 0, 0, errors.New("every value is NaN")
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	return lo, hi, nil
}

// Heatmap draws a row-major rows×cols matrix, values[r*cols+c] (for instance a Q-table with
// rows = states s and cols = actions a, Q[s*A+a], or a population L(s, a)), as coloured cells:
// column c is centred on x = c, row r on y = r, so row 0 is at the bottom. The axes carry
// integer ticks at the cell centres (every 2nd, 5th, 10th... cell when there are many).
//
// The colour scale is Viridis, from the least value (dark purple) to the greatest (yellow); when
// all values are equal it spans value ± 0.5 and every cell takes the middle colour. NaN cells
// are drawn in NaNColor (grey); ±Inf is an error, as is a size that does not match len(values).
//
// The returned plot has no colour bar: use HeatmapWithColorBar for a figure with one, or
// ColorBar for the bar alone.
func Heatmap(values []float64, rows, cols int, title, xLabel, yLabel string) (*plot.Plot, error) {
	lo, hi, err := heatRange(values, rows, cols)
	if err != nil {
		return nil, fmt.Errorf("plot: heatmap: %w", err)
	}
	return heatmapPlot(values, rows, cols, lo, hi, title, xLabel, yLabel), nil
}

// heatmapPlot is Heatmap with the colour scale spanning [lo, hi] (lo < hi, every non-NaN value
// within) rather than the matrix's own range: two heat maps built with the same lo and hi give
// equal values equal colours.
func heatmapPlot(values []float64, rows, cols int, lo, hi float64, title, xLabel, yLabel string) *plot.Plot {
	m := matrix{values: append([]float64(nil), values...), rows: rows, cols: cols}
	p := newPlot(title, xLabel, yLabel)
	p.Add(&cellMap{m: m, colors: heatPalette(), lo: lo, hi: hi})
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Min, p.X.Max = -0.5, float64(cols)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(rows)-0.5
	p.X.Tick.Marker = integerTicks(12, itoa)
	p.Y.Tick.Marker = integerTicks(12, itoa)
	return p
}

// heatPalette is Viridis sampled at heatColors colours, computed once: every heat map reads it,
// none changes it.
var heatPalette = sync.OnceValue(func() []color.Color { return Viridis().Palette(heatColors).Colors() })

// seamOverlap is how far a heat map's cell reaches under the cells drawn after it: about a pixel
// at PNGDPI.
const seamOverlap = vg.Length(0.5)

// cellMap draws a matrix as one filled rectangle per cell, coloured as plotter.HeatMap colours it
// (of n colours, the k-th for k = round((v − lo)/(hi − lo)·(n − 1)); NaN in NaNColor). Drawn edge
// to edge, anti-aliased renderers let the background show through as thin light seams between
// cells; each cell therefore reaches seamOverlap beyond its right and top edges, under the cells
// drawn after it, so that an edge blends the colours on either side. (It replaces HeatMap's
// cells over a rasterized copy of the matrix, which filled the seams too, but was scaled with
// interpolation on every PNG and encoded as an embedded PNG into every SVG: most of the cost of
// a figure of many heat maps.)
type cellMap struct {
	m      matrix
	colors []color.Color
	lo, hi float64
}

// Plot draws the cells, column by column from the left, each column from the bottom up.
func (h *cellMap) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	// The cells' edges: column col spans xs[col] to xs[cols+col], row row ys[row] to
	// ys[rows+row].
	edges := make([]vg.Length, 2*(h.m.cols+h.m.rows))
	xs, ys := edges[:2*h.m.cols], edges[2*h.m.cols:]
	for col := range h.m.cols {
		xs[col], xs[h.m.cols+col] = trX(float64(col)-0.5), trX(float64(col)+0.5)
		if col < h.m.cols-1 {
			xs[h.m.cols+col] += seamOverlap
		}
	}
	for row := range h.m.rows {
		ys[row], ys[h.m.rows+row] = trY(float64(row)-0.5), trY(float64(row)+0.5)
		if row < h.m.rows-1 {
			ys[h.m.rows+row] += seamOverlap
		}
	}
	if svg, ok := svgOf(c.Canvas); ok {
		h.plotSVG(svg, edges)
		return
	}
	var pa vg.Path
	for col := range h.m.cols {
		x0, x1 := xs[col], xs[h.m.cols+col]
		for row := range h.m.rows {
			y0, y1 := ys[row], ys[h.m.rows+row]
			pa = append(pa[:0], vg.PathComp{Type: vg.MoveComp, Pos: vg.Point{X: x0, Y: y0}},
				vg.PathComp{Type: vg.LineComp, Pos: vg.Point{X: x1, Y: y0}},
				vg.PathComp{Type: vg.LineComp, Pos: vg.Point{X: x1, Y: y1}},
				vg.PathComp{Type: vg.LineComp, Pos: vg.Point{X: x0, Y: y1}},
				vg.PathComp{Type: vg.CloseComp})
			c.SetColor(h.color(col, row))
			c.Fill(pa)
		}
	}
}

// plotSVG draws the cells as Plot does, on an SVG canvas: the same paths, their coordinates
// formatted once for all the cells that share them.
func (h *cellMap) plotSVG(c *svgCanvas, edges []vg.Length) {
	// The edges' texts one after another (Plot's xs then ys): edge k is text[ends[k]:ends[k+1]].
	text := make([]byte, 0, 8*len(edges))
	ends := make([]int, 1, 1+len(edges))
	for _, e := range edges {
		text = appendSVGNumber(text, e.Points())
		ends = append(ends, len(text))
	}
	edge := func(k int) []byte { return text[ends[k]:ends[k+1]] }
	cols, rows := h.m.cols, h.m.rows
	for col := range cols {
		x0, x1 := edge(col), edge(cols+col)
		for row := range rows {
			c.SetColor(h.color(col, row))
			c.fillRect(x0, x1, edge(2*cols+row), edge(2*cols+rows+row))
		}
	}
}

// svgOf is the SVG canvas c draws on, when it is one: c itself, or the canvas of the draw.Canvas
// values that wrap it (a plot's data area, cropped, padded: they only pass drawing on).
func svgOf(c vg.Canvas) (*svgCanvas, bool) {
	for {
		switch v := c.(type) {
		case *svgCanvas:
			return v, true
		case draw.Canvas:
			c = v.Canvas
		case *draw.Canvas:
			c = v.Canvas
		default:
			return nil, false
		}
	}
}

// color is the colour of the cell at column col and row row.
func (h *cellMap) color(col, row int) color.Color {
	v := h.m.Z(col, row)
	if math.IsNaN(v) {
		return NaNColor
	}
	scale := float64(len(h.colors)-1) / (h.hi - h.lo)
	return h.colors[min(max(int((v-h.lo)*scale+0.5), 0), len(h.colors)-1)]
}

// DataRange is the cells' extent: x from −0.5 to cols − 0.5, y from −0.5 to rows − 0.5.
func (h *cellMap) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(h.m.cols) - 0.5, -0.5, float64(h.m.rows) - 0.5
}

// ColorBar returns a narrow plot holding the vertical colour bar of Heatmap(values, rows, cols,
// ...): same colour scale and range, labelled with label on its y axis (for instance "Q(s, a)").
// Draw it to the right of the heat map, or use HeatmapWithColorBar which does so.
func ColorBar(values []float64, rows, cols int, label string) (*plot.Plot, error) {
	lo, hi, err := heatRange(values, rows, cols)
	if err != nil {
		return nil, fmt.Errorf("plot: colour bar: %w", err)
	}
	return colorBarPlot(lo, hi, label), nil
}

// colorBarPlot is ColorBar for the colour scale [lo, hi] (lo < hi).
func colorBarPlot(lo, hi float64, label string) *plot.Plot {
	cm := Viridis()
	cm.SetMin(lo)
	cm.SetMax(hi)
	p := plot.New()
	p.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true, Colors: heatColors})
	p.HideX()
	p.X.Padding, p.Y.Padding = 0, 0
	p.Y.Label.Text = label
	p.Y.Label.TextStyle.Font.Size = vg.Points(11)
	p.Y.Tick.Marker = linearTicks(6)
	measurePlainText(p)
	return p
}

// HeatmapFigure is a heat map with its colour bar on the right. It is a Drawer: write it with
// SaveFigure. Heat and Bar may be restyled before drawing.
type HeatmapFigure struct {
	Heat, Bar *plot.Plot
	// BarWidth is the width of the colour bar itself, 14 points when zero; Gap separates the
	// heat map from the bar's label, 10 points when zero.
	BarWidth, Gap vg.Length
}

// HeatmapWithColorBar returns Heatmap(values, rows, cols, title, xLabel, yLabel) with
// ColorBar(values, rows, cols, barLabel) to its right, the bar as tall as the heat map's cells.
func HeatmapWithColorBar(values []float64, rows, cols int, title, xLabel, yLabel, barLabel string) (*HeatmapFigure, error) {
	heat, err := Heatmap(values, rows, cols, title, xLabel, yLabel)
	if err != nil {
		return nil, err
	}
	bar, err := ColorBar(values, rows, cols, barLabel)
	if err != nil {
		return nil, err
	}
	return &HeatmapFigure{Heat: heat, Bar: bar}, nil
}

// Draw draws the heat map on the left of c and the colour bar, with its label and tick labels,
// on the right, the bar's ends level with the heat map's bottom and top cells.
func (f *HeatmapFigure) Draw(c draw.Canvas) {
	heatC, barC := splitForBar(c, f.Bar, f.BarWidth, f.Gap)
	f.Heat.Draw(heatC)
	heatData := f.Heat.DataCanvas(heatC)
	f.Bar.Draw(alignBar(f.Bar, barC, heatData.Min.Y, heatData.Max.Y))
}

// splitForBar splits c into the area left of a colour bar and the bar's canvas on the right: the
// bar itself barW wide (14 points when zero), gap (10 points when zero) from the area, and its
// axis (label, tick labels and ticks: what its plot keeps outside its data area) beyond it.
func splitForBar(c draw.Canvas, bar *plot.Plot, barW, gap vg.Length) (left, barC draw.Canvas) {
	if barW <= 0 {
		barW = vg.Points(14)
	}
	if gap <= 0 {
		gap = vg.Points(10)
	}
	axisW := (c.Max.X - c.Min.X) - (bar.DataCanvas(c).Max.X - bar.DataCanvas(c).Min.X)
	left, barC = c, c
	left.Max.X = c.Max.X - gap - axisW - barW
	barC.Min.X = left.Max.X + gap
	return left, barC
}

// alignBar shifts the bar's canvas vertically so that its data area spans [bottom, top].
func alignBar(bar *plot.Plot, barC draw.Canvas, bottom, top vg.Length) draw.Canvas {
	barData := bar.DataCanvas(barC)
	barC.Min.Y += bottom - barData.Min.Y
	barC.Max.Y += top - barData.Max.Y
	return barC
}
