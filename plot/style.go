package plot

import (
	"image/color"
	"math"
	"strconv"
	"sync"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// seriesColors is the Okabe–Ito palette (distinguishable under the common colour-vision
// deficiencies) without its yellow, which is too pale on white.
var seriesColors = []color.RGBA{
	{R: 0x00, G: 0x72, B: 0xB2, A: 0xFF}, // blue
	{R: 0xD5, G: 0x5E, B: 0x00, A: 0xFF}, // vermillion
	{R: 0x00, G: 0x9E, B: 0x73, A: 0xFF}, // bluish green
	{R: 0xCC, G: 0x79, B: 0xA7, A: 0xFF}, // reddish purple
	{R: 0xE6, G: 0x9F, B: 0x00, A: 0xFF}, // orange
	{R: 0x56, G: 0xB4, B: 0xE9, A: 0xFF}, // sky blue
	{R: 0x00, G: 0x00, B: 0x00, A: 0xFF}, // black
}

// seriesDashes are the dash patterns of successive series: solid, dashed, dotted, dash-dotted...
var seriesDashes = [][]vg.Length{
	nil,
	{vg.Points(6), vg.Points(3)},
	{vg.Points(1.5), vg.Points(2)},
	{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)},
	{vg.Points(10), vg.Points(3)},
	{vg.Points(3), vg.Points(3)},
	{vg.Points(10), vg.Points(2), vg.Points(1.5), vg.Points(2), vg.Points(1.5), vg.Points(2)},
}

// seriesGlyphs mark the points of short series.
var seriesGlyphs = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PlusGlyph{},
	draw.CrossGlyph{}, draw.RingGlyph{}, draw.PyramidGlyph{},
}

func seriesColor(i int) color.RGBA { return seriesColors[i%len(seriesColors)] }

func seriesLine(i int) draw.LineStyle {
	return draw.LineStyle{
		Color:  seriesColor(i),
		Width:  vg.Points(1.5),
		Dashes: seriesDashes[i%len(seriesDashes)],
	}
}

// withAlpha returns c at opacity a in [0, 1], premultiplied as color.RGBA requires.
func withAlpha(c color.RGBA, a float64) color.RGBA {
	m := func(v uint8) uint8 { return uint8(math.Round(float64(v) * a)) }
	return color.RGBA{R: m(c.R), G: m(c.G), B: m(c.B), A: uint8(math.Round(255 * a))}
}

// Text sizes and spacing of every plot, in points.
const (
	titleSize     = 13
	labelSize     = 11
	legendSize    = 10
	tickLabelSize = 10
	titlePadding  = 6 // between a plot's title and what lies below it
	legendGap     = 6 // between a legend above the data and the data
	legendPadding = 3 // between the entries of a legend
)

// newPlot returns a plot with the project's common look: title, axis labels (subscripts written
// as scriptText reads them), a light grid.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	h := newScriptText()
	p.Title.Text = title
	p.Title.TextStyle.Handler = h
	p.Title.TextStyle.Font.Size = vg.Points(titleSize)
	p.Title.Padding = vg.Points(titlePadding)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Handler = h
		a.Label.TextStyle.Font.Size = vg.Points(labelSize)
		a.Tick.Label.Font.Size = vg.Points(tickLabelSize)
	}
	styleLegend(&p.Legend)
	measurePlainText(p)
	return p
}

// styleLegend gives l the project's legend style.
func styleLegend(l *plot.Legend) {
	l.TextStyle.Handler = newScriptText()
	l.TextStyle.Font.Size = vg.Points(legendSize)
	l.ThumbnailWidth = vg.Points(28)
	l.Padding = vg.Points(legendPadding)
}

// legendHeight is the height of l's entries.
func legendHeight(l *plot.Legend) vg.Length {
	return l.Rectangle(draw.Canvas{}).Size().Y
}

// legendAbove places p's legend above its data area, left-aligned with it, in a strip between
// the title and the data (made by widening the title's padding), so that the legend covers no
// data and the axes need no room for it: the y range can fit the data. A plot without a title
// gets a blank one, which holds the strip. Call it once every entry has been added.
func legendAbove(p *plot.Plot) {
	h := legendHeight(&p.Legend)
	if h == 0 {
		return
	}
	if p.Title.Text == "" {
		p.Title.Text = " "
	}
	p.Title.Padding = vg.Points(titlePadding) + h + vg.Points(legendGap)
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = 0, h+vg.Points(legendGap)
}

// addGrid adds light grey grid lines at the major ticks; add it first so it lies below the data.
func addGrid(p *plot.Plot) {
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 0xDC}
	g.Horizontal.Color = color.Gray{Y: 0xDC}
	g.Vertical.Width = vg.Points(0.5)
	g.Horizontal.Width = vg.Points(0.5)
	p.Add(g)
}

// linearPad is the margin added below and above the data on a linear y axis, as a fraction of
// their range.
const linearPad = 0.04

// linearRange returns the y range of data in [lo, hi]: widened by linearPad of its span on each
// side, or to lo - 1, hi + 1 when lo = hi.
func linearRange(lo, hi float64) (min, max float64) {
	if lo == hi {
		return lo - 1, hi + 1
	}
	pad := linearPad * (hi - lo)
	return lo - pad, hi + pad
}

// linearTicks returns a ticker with labelled major ticks on the multiples of a step in
// {1, 2, 5}×10^k giving about maxLabels (at least 3 when the range allows) labels, and unlabelled
// minor ticks at a fifth (or half, for steps 2×10^k) of the step.
func linearTicks(maxLabels int) plot.Ticker {
	return lastTicks(func(lo, hi float64) []plot.Tick {
		span := hi - lo
		if !(span > 0) || math.IsInf(span, 0) {
			return plot.DefaultTicks{}.Ticks(lo, hi)
		}
		mag := math.Pow10(int(math.Floor(math.Log10(span))) - 1)
		var step, minor float64
		for _, m := range []float64{1, 2, 5, 10, 20, 50, 100} {
			step = m * mag
			if span/step <= float64(maxLabels) {
				minor = step / 5
				if m == 2 || m == 20 {
					minor = step / 4
				}
				break
			}
		}
		start := math.Ceil(lo/minor - 1e-9)
		if math.Abs(start) >= 1<<52 || math.Abs(hi/minor) >= 1<<52 {
			// A range a few ulps wide (a colour bar of nearly equal values): multiples of minor
			// are finer than the numbers can tell apart, and i++ would not move i. Its ends.
			return []plot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'g', -1, 64)},
				{Value: hi, Label: strconv.FormatFloat(hi, 'g', -1, 64)}}
		}
		// Decimals enough to tell the labels apart.
		prec := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
		var ticks []plot.Tick
		for i := start; i*minor <= hi+1e-9*minor; i++ {
			v := i * minor
			if r := math.Round(v / step); math.Abs(v/step-r) < 1e-6 {
				v = r * step
				if v == 0 {
					v = 0 // no "-0"
				}
				ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', prec, 64)})
			} else {
				ticks = append(ticks, plot.Tick{Value: v})
			}
		}
		return ticks
	})
}

// niceStep returns the smallest step in {1, 2, 5}×10^k (at least 1) that divides span into at
// most maxTicks intervals.
func niceStep(span float64, maxTicks int) int {
	if span <= 0 || maxTicks < 1 {
		return 1
	}
	for mag := 1; ; mag *= 10 {
		for _, m := range []int{1, 2, 5} {
			if s := m * mag; span/float64(s) <= float64(maxTicks) {
				return s
			}
		}
	}
}

// integerTicks returns a ticker with labelled major ticks on integers (at most about maxTicks of
// them, on multiples of 1, 2, 5, 10, ...) and unlabelled minor ticks in between (on every
// integer, or on multiples of a fifth or half of the major step, whichever gives at most about
// 60). label maps an integer to its label.
func integerTicks(maxTicks int, label func(int) string) plot.Ticker {
	return lastTicks(func(min, max float64) []plot.Tick {
		lo, hi := int(math.Ceil(min-1e-9)), int(math.Floor(max+1e-9))
		if hi < lo {
			return nil
		}
		step := niceStep(float64(hi-lo), maxTicks)
		minor := 0
		for _, m := range []int{1, step / 5, step / 2} {
			if m >= 1 && step%m == 0 && (hi-lo)/m <= 60 {
				minor = m
				break
			}
		}
		// Every tick is on a multiple of the minor step (which divides the major step) or, without
		// minor ticks, of the major step: only those are visited, not every integer of a range
		// of 10⁵ iterations.
		every := step
		if minor > 0 {
			every = minor
		}
		// lo rounded toward 0 to a multiple of every (% keeps lo's sign); when that rounded it
		// down, the next multiple.
		first := lo - lo%every
		if first < lo {
			first += every
		}
		var ticks []plot.Tick
		for v := first; v <= hi; v += every {
			if v%step == 0 {
				ticks = append(ticks, plot.Tick{Value: float64(v), Label: label(v)})
			} else {
				ticks = append(ticks, plot.Tick{Value: float64(v)})
			}
		}
		return ticks
	})
}

// lastTicks is the ticker of ticks that remembers its last answer: gonum asks an axis's ticker
// for the ticks of the same range with every measure of the axis (its size, its padding, its
// glyph boxes, its drawing: a dozen times for a plot drawn in a grid), and each answer is a
// fresh slice and fresh labels. The ticks returned are shared: gonum only reads them, and so
// must every other caller.
func lastTicks(ticks func(min, max float64) []plot.Tick) plot.Ticker {
	var (
		mu     sync.Mutex
		lo, hi uint64 // the bits of the last range asked
		last   []plot.Tick
		known  bool
	)
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		mu.Lock()
		defer mu.Unlock()
		if !known || math.Float64bits(min) != lo || math.Float64bits(max) != hi {
			last, lo, hi, known = ticks(min, max), math.Float64bits(min), math.Float64bits(max), true
		}
		return last
	})
}

// decadeTicks is the ticker of a logarithmic axis drawn on a linear one whose coordinates are
// exponents (log10 of the values): major ticks on the whole exponents (the decades), labelled
// 1e-8, 0.001, 1, 100, 1e5 and so on, and unlabelled minor ticks at 2, 3, ... 9 times a power of
// ten. When there are more than maxLabels decades only every n-th decade is labelled and the
// minor ticks are dropped.
//
// (The ticks are computed here rather than taken from plot.LogTicks, which truncates
// log10(min) towards zero and so loses the lowest decade when log10(10^e) rounds to just above
// e, as for e = -4.)
func decadeTicks(maxLabels int) plot.Ticker {
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		lo, hi := math.Ceil(min-1e-9), math.Floor(max+1e-9)
		if hi < lo {
			return nil
		}
		decades := int(hi - lo)
		every := 1
		if decades > maxLabels {
			every = (decades + maxLabels - 1) / maxLabels
		}
		var ticks []plot.Tick
		for e := int(lo) - 1; e <= int(hi); e++ {
			if float64(e) >= lo {
				t := plot.Tick{Value: float64(e)}
				if e%every == 0 {
					t.Label = decadeLabel(e)
				}
				ticks = append(ticks, t)
			}
			if every > 1 {
				continue
			}
			for m := 2; m <= 9; m++ {
				if v := float64(e) + math.Log10(float64(m)); min-1e-9 <= v && v <= max+1e-9 {
					ticks = append(ticks, plot.Tick{Value: v})
				}
			}
		}
		return ticks
	})
}

// decadeLabel formats 10^e: plainly for -3 <= e <= 4, as 1e<e> otherwise.
func decadeLabel(e int) string {
	if -3 <= e && e <= 4 {
		return strconv.FormatFloat(math.Pow10(e), 'f', -1, 64)
	}
	return "1e" + strconv.Itoa(e)
}

func itoa(i int) string { return strconv.Itoa(i) }
