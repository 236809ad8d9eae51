package plot

import (
	"errors"
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// OverTimeSpec describes the figure of OverTime.
type OverTimeSpec struct {
	// Title is drawn above the heat map; YLabel names the positions ("position x").
	Title, YLabel string
	// Label gives the tick label of position i (for instance its coordinate -5..5 rather than
	// its index); nil labels the indices.
	Label func(i int) string
	// BarLabel names the quantity on the colour bar ("population μ_t(x)").
	BarLabel string
	// Min and Max span the colour scale (for instance the least and greatest move of a game);
	// when Min >= Max it spans the values' own range.
	Min, Max float64
}

// OverTime draws a quantity at every position of a line and every time step, values[t][i] for
// t = 0..T and positions i (for instance the population μ_t(x) of a 1-D game, or the mean move
// of its policy): a heat map with time t on the x axis and the positions on the y axis
// (position 0 at the bottom), Viridis from the least value of the scale (dark purple) to the
// greatest (yellow), and its colour bar on the right; NaN cells are grey (NaNColor). Every time
// step must hold as many positions, no value may be ±Inf, and one at least must not be NaN; a
// value outside [Min, Max] takes the colour of the nearer end.
func OverTime(values [][]float64, spec OverTimeSpec) (*HeatmapFigure, error) {
	if len(values) == 0 || len(values[0]) == 0 {
		return nil, errors.New("plot: over time: no values")
	}
	times, n := len(values), len(values[0])
	m := make([]float64, n*times) // row i (a position), column t
	for t, v := range values {
		if len(v) != n {
			return nil, fmt.Errorf("plot: over time: time step %d has %d positions, time step 0 has %d", t, len(v), n)
		}
		for i, x := range v {
			m[i*times+t] = x
		}
	}
	lo, hi, err := heatRange(m, n, times)
	if err != nil {
		return nil, fmt.Errorf("plot: over time: %w", err)
	}
	if spec.Min < spec.Max {
		lo, hi = spec.Min, spec.Max
		for i, x := range m {
			m[i] = min(max(x, lo), hi)
		}
	}
	heat := heatmapPlot(m, n, times, lo, hi, spec.Title, "time step t", spec.YLabel)
	if spec.Label != nil {
		heat.Y.Tick.Marker = integerTicks(12, spec.Label)
	}
	return &HeatmapFigure{Heat: heat, Bar: colorBarPlot(lo, hi, spec.BarLabel)}, nil
}

// SnapshotsFigure is several heat maps of the same quantity on one colour scale, laid out in a
// grid under an overall title, with one colour bar on the right; Snapshots builds it. It is a
// Drawer: write it with SaveFigure.
type SnapshotsFigure struct {
	Grid *GridFigure
	Bar  *plot.Plot
	// BarWidth is the width of the colour bar itself, 14 points when zero; Gap separates the
	// panels from the bar's label, 10 points when zero.
	BarWidth, Gap vg.Length
}

var _ Drawer = (*SnapshotsFigure)(nil)

// Snapshots draws maps of a quantity on a 2-D grid at a few moments (for instance the population
// μ_t(l, w) of a grid game at t = 0, T/3, 2T/3, T): panels[i] is a row-major rows×cols matrix,
// drawn as Heatmap draws it (column c at x = c, row r at y = r, so row 0 at the bottom) and
// titled titles[i], perRow panels to a row, the axes shared: xLabel and the x ticks' labels
// under the lowest panel of each column, yLabel and the y ticks' labels left of each row. All
// panels share one colour scale, Viridis from the least value of all panels (dark purple) to
// the greatest (yellow), shown by one colour bar labelled barLabel; title (if not empty) is
// centred on top; NaN cells are grey (NaNColor). A nil panel leaves its cell empty. It is an
// error for rows or cols to be less than 1, for a panel not to hold rows×cols values, for a
// value to be ±Inf or every value NaN, or for titles not to be one per panel.
func Snapshots(panels [][]float64, rows, cols, perRow int, titles []string, title, xLabel, yLabel, barLabel string) (*SnapshotsFigure, error) {
	if rows < 1 || cols < 1 {
		return nil, fmt.Errorf("plot: snapshots: %d×%d panels: rows and cols must be at least 1", rows, cols)
	}
	if len(titles) != len(panels) {
		return nil, fmt.Errorf("plot: snapshots: %d titles for %d panels", len(titles), len(panels))
	}
	n := 0
	for _, p := range panels {
		n += len(p)
	}
	all := make([]float64, 0, n)
	for i, p := range panels {
		if p == nil {
			continue
		}
		if len(p) != rows*cols {
			return nil, fmt.Errorf("plot: snapshots: panel %d has %d values, want %d×%d", i, len(p), rows, cols)
		}
		all = append(all, p...)
	}
	if len(all) == 0 {
		return nil, errors.New("plot: snapshots: no panels")
	}
	lo, hi, err := heatRange(all, len(all)/cols, cols)
	if err != nil {
		return nil, fmt.Errorf("plot: snapshots: %w", err)
	}
	drawers := make([]Drawer, len(panels))
	for i, p := range panels {
		if p != nil {
			h := heatmapPlot(p, rows, cols, lo, hi, titles[i], xLabel, yLabel)
			h.Title.TextStyle.Font.Size = vg.Points(11)
			// The panels share their axes: only the lowest of a column and the leftmost of a
			// row label theirs (tick marks stay), which spares measuring and drawing most of
			// the figure's text.
			if below := i + perRow; below < len(panels) && panels[below] != nil {
				h.X.Tick.Marker, h.X.Label.Text = integerTicks(12, func(int) string { return "" }), ""
			}
			if i%perRow > 0 {
				h.Y.Tick.Marker, h.Y.Label.Text = integerTicks(12, func(int) string { return "" }), ""
			}
			drawers[i] = h
		}
	}
	return &SnapshotsFigure{Grid: Grid(perRow, title, drawers...), Bar: colorBarPlot(lo, hi, barLabel)}, nil
}

// Draw draws the title and the panels on the left of c and the colour bar on the right, its ends
// level with the lowest and highest panels' data areas.
func (f *SnapshotsFigure) Draw(c draw.Canvas) {
	fillWhite(c)
	panels, cells, bar := f.layout(c)
	for i, d := range panels {
		if !isNilDrawer(d) {
			d.Draw(cells[i])
		}
	}
	if bar != nil {
		f.Bar.Draw(*bar)
	}
}

// layout draws the title on c and returns the panels to draw, their canvases, and the colour
// bar's (nil when no panel is a plot).
func (f *SnapshotsFigure) layout(c draw.Canvas) (panels []Drawer, cells []draw.Canvas, bar *draw.Canvas) {
	gridC, barC := splitForBar(c, f.Bar, f.BarWidth, f.Gap)
	panels, cells = f.Grid.layout(gridC)
	// A panel's data area lies within its cell, and the rows do not overlap: the lowest and
	// highest data areas are those of the plots in the lowest and highest cells. Measuring only
	// those spares laying out every panel's axes once more (a third of drawing 20 maps).
	var lowest, highest vg.Length
	first := true
	for i, d := range panels {
		if p, ok := d.(*plot.Plot); ok && p != nil {
			if first || cells[i].Min.Y < lowest {
				lowest = cells[i].Min.Y
			}
			if first || cells[i].Max.Y > highest {
				highest = cells[i].Max.Y
			}
			first = false
		}
	}
	var bottom, top vg.Length
	found := false
	for i, d := range panels {
		if p, ok := d.(*plot.Plot); ok && p != nil && (cells[i].Min.Y == lowest || cells[i].Max.Y == highest) {
			dc := p.DataCanvas(cells[i])
			if !found || dc.Min.Y < bottom {
				bottom = dc.Min.Y
			}
			if !found || dc.Max.Y > top {
				top = dc.Max.Y
			}
			found = true
		}
	}
	if !found {
		return panels, cells, nil
	}
	barC = alignBar(f.Bar, barC, bottom, top)
	return panels, cells, &barC
}
