package plot

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Spacing of composed figures (Grid, HeatmapPair).
const (
	figureTitleSize    = 15 // points
	figureTitleMargin  = 4  // points above an overall title
	figureTitlePadding = 10 // points between an overall title and the panels below it
)

// figureTitleStyle is the style of the overall title of a composed figure: the plots' title
// style (centred, top-aligned), a little larger than their own titles.
func figureTitleStyle() text.Style {
	sty := plot.New().Title.TextStyle
	sty.Font.Size = vg.Points(figureTitleSize)
	sty.Handler = newScriptText()
	return sty
}

// fillWhite paints c white, so that the gaps between panels are not transparent in SVG output.
func fillWhite(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
}

// drawFigureTitle draws title centred along the top of c and returns c without the strip the
// title took. An empty title takes no room.
func drawFigureTitle(c draw.Canvas, sty text.Style, title string) draw.Canvas {
	if title == "" {
		return c
	}
	top := c.Max.Y - vg.Points(figureTitleMargin)
	c.FillText(sty, vg.Point{X: c.Center().X, Y: top + sty.FontExtents().Descent}, title)
	c.Max.Y = top - sty.Rectangle(title).Size().Y - vg.Points(figureTitlePadding)
	return c
}

// GridFigure is several panels laid out in a grid under an optional overall title. It is a
// Drawer: write it with SaveFigure. Its fields may be changed before drawing.
type GridFigure struct {
	// Panels are drawn row by row, Cols to a row; a nil panel leaves its cell empty.
	Panels []Drawer
	// Cols is the number of columns; when it is less than 1 all panels share one row.
	Cols int
	// Title, if not empty, is drawn centred above the grid in TitleStyle.
	Title      string
	TitleStyle text.Style
	// PadX and PadY separate the columns and the rows.
	PadX, PadY vg.Length
}

// Grid composes panels (plots, heat-map figures, other grids...) into one figure: cols panels to
// a row, rows filled from the top left, each cell the same size, with title (if not empty)
// centred above them all. For instance Grid(2, "GMF-Q: distance to the equilibrium", linf, l1)
// puts two plots side by side in one image.
//
// The cells of the *plot.Plot panels are adjusted (with gonum's plot.Align) so that the data
// areas of the plots in a row have the same height and those in a column the same width,
// whatever the size of their tick labels, axis labels and titles; other panels (a heat-map
// figure, a LegendFigure) fill their cells.
//
// Grid never fails: a nil panel leaves its cell empty, a cols less than 1 puts every panel in
// one row, and a grid without panels draws only its title.
func Grid(cols int, title string, panels ...Drawer) *GridFigure {
	return &GridFigure{
		Panels:     append([]Drawer(nil), panels...),
		Cols:       cols,
		Title:      title,
		TitleStyle: figureTitleStyle(),
		PadX:       vg.Points(16),
		PadY:       vg.Points(12),
	}
}

var _ Drawer = (*GridFigure)(nil)

// Draw draws the title and the panels on c.
func (g *GridFigure) Draw(c draw.Canvas) {
	fillWhite(c)
	panels, cells := g.layout(c)
	for i, d := range panels {
		if !isNilDrawer(d) {
			d.Draw(cells[i])
		}
	}
}

// layout draws the title on c and returns the panels to draw and their canvases. The panels are
// g.Panels, except that a titled plot whose title would sit lower than the others in its row
// (plot.Align leaves each plot's title where its axes put it) is replaced by a copy with more
// title padding, drawn on a canvas as high as the row's.
func (g *GridFigure) layout(c draw.Canvas) (panels []Drawer, cells []draw.Canvas) {
	c = drawFigureTitle(c, g.TitleStyle, g.Title)
	if len(g.Panels) == 0 {
		return nil, nil
	}
	panels = append([]Drawer(nil), g.Panels...)
	cols := g.Cols
	if cols < 1 {
		cols = len(g.Panels)
	}
	rows := (len(g.Panels) + cols - 1) / cols
	tiles := draw.Tiles{Cols: cols, Rows: rows, PadX: g.PadX, PadY: g.PadY}

	// The panels as a rows×cols grid of plots, nil where a cell is empty or holds another kind
	// of panel.
	plots := make([][]*plot.Plot, rows)
	for r := range plots {
		plots[r] = make([]*plot.Plot, cols)
		for col := range cols {
			if i := r*cols + col; i < len(g.Panels) && !isNilDrawer(g.Panels[i]) {
				plots[r][col], _ = g.Panels[i].(*plot.Plot)
			}
		}
	}
	cells = make([]draw.Canvas, len(g.Panels))
	aligned := plot.Align(plots, tiles, c)
	for r, row := range plots {
		// The top of the highest titled plot of the row.
		top, titled := vg.Length(0), false
		for col, p := range row {
			if p != nil && p.Title.Text != "" {
				if t := aligned[r][col].Max.Y; !titled || t > top {
					top, titled = t, true
				}
			}
		}
		for col, p := range row {
			i := r*cols + col
			if i >= len(cells) {
				break
			}
			cells[i] = aligned[r][col]
			if p == nil { // another kind of panel fills its cell
				cells[i] = tiles.At(c, col, r)
			}
			if p != nil && p.Title.Text != "" && cells[i].Max.Y < top {
				raised := *p // a shallow copy: drawing does not change its plotters
				raised.Title.Padding += top - cells[i].Max.Y
				cells[i].Max.Y = top
				panels[i] = &raised
			}
		}
	}
	return panels, cells
}

// isNilDrawer tells whether d is nil or a nil pointer of one of the package's figure types.
func isNilDrawer(d Drawer) bool {
	switch d := d.(type) {
	case nil:
		return true
	case *plot.Plot:
		return d == nil
	case *HeatmapFigure:
		return d == nil
	case *HeatmapPairFigure:
		return d == nil
	case *GridFigure:
		return d == nil
	case *LegendFigure:
		return d == nil
	case *SnapshotsFigure:
		return d == nil
	}
	return false
}

// LegendFigure is a legend drawn on its own, for instance in a cell of a Grid beside panels that
// share it (SharedLegend), followed by lines of notes. It is a Drawer.
type LegendFigure struct {
	Legend plot.Legend
	// Notes are drawn below the entries, one per line, in the legend's text style.
	Notes []string
}

var _ Drawer = (*LegendFigure)(nil)

// SharedLegend moves the legend of the first plot into a LegendFigure, at size points, and
// removes the legends of every plot (which should be the same: panels of one figure showing the
// same series), so that a figure of several panels states it once. notes follow the entries.
func SharedLegend(size vg.Length, notes []string, plots ...*plot.Plot) *LegendFigure {
	f := &LegendFigure{Notes: notes}
	for i, p := range plots {
		if i == 0 {
			f.Legend = p.Legend
		}
		p.Legend = plot.NewLegend()
		styleLegend(&p.Legend)
		p.Title.Padding = vg.Points(titlePadding)
	}
	f.Legend.TextStyle.Font.Size = size
	f.Legend.ThumbnailWidth = 3 * size
	f.Legend.Padding = size / 2
	return f
}

// Draw draws the legend's entries and then the notes, as one block centred in c.
func (f *LegendFigure) Draw(c draw.Canvas) {
	sty := f.Legend.TextStyle
	sty.XAlign, sty.YAlign = text.XLeft, text.YTop
	lineH := sty.FontExtents().Height
	size := f.Legend.Rectangle(c).Size()
	h := size.Y
	for _, n := range f.Notes {
		size.X = max(size.X, sty.Width(n))
		h += lineH
	}
	if len(f.Notes) > 0 {
		h += lineH / 2
	}
	block := c
	block.Min.X = c.Center().X - size.X/2
	block.Max.X = block.Min.X + size.X
	block.Max.Y = c.Center().Y + h/2
	block.Min.Y = block.Max.Y - size.Y
	l := f.Legend
	l.Top, l.Left, l.XOffs, l.YOffs = true, true, 0, 0
	l.Draw(block)
	y := block.Min.Y - lineH/2
	for _, n := range f.Notes {
		c.FillText(sty, vg.Point{X: block.Min.X, Y: y}, n)
		y -= lineH
	}
}
