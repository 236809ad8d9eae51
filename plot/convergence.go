package plot

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// LogFloor is the least value a logarithmic axis of the package shows as itself: a positive
// value below it is drawn at LogFloor, whose tick then reads "≤ 1e-16" (see logAxis).
const LogFloor = 1e-16

// glyphLimit is the longest curve whose points Convergence marks with glyphs.
const glyphLimit = 40

// Convergence plots curves of a solve against the iteration k on a logarithmic y axis, labelled
// yLabel (see below): typically the l1 and l∞ change of the population, the exploitability and
// the distance to a reference. Each series is a name and its points (X the iterations, Y the
// values; a series may skip iterations, and a NaN value is skipped as not defined). It is a
// single panel, in distinct colours and dash styles, over a light grid, with the legend above
// the data; series without points are left out.
//
// The y axis fits the values (a margin of 4% of their span in decades): a logarithmic axis
// cannot show values that are not positive, so 0 and negative values (a population step that
// changed nothing, an exactly recovered reference, an exploitability slightly negative from
// rounding) are drawn at a floor one decade below the decade of the least positive value, its
// tick labelled "0" (or "≤ 0"), and positive values below LogFloor at LogFloor, labelled
// "≤ 1e-16" (see logAxis). +Inf is an error.
//
// Curves of at most 40 points also mark each point with a glyph; curves of more than 4000 are
// thinned to the lowest and highest points of 2000 runs of consecutive points, which draws the
// same envelope in a fraction of the time.
//
// The logarithmic axis is drawn as a linear axis over exponents: the plot's y coordinate of a
// value v is log10(v), and the ticks are placed at their exponents and labelled with the values
// (1e-9, 0.001, 1, ...). A plotter added by the caller must therefore use log10 of its values.
// (gonum's plot.LogScale places the y label's glyph box at the data-space midpoint
// 0.5·(Min+Max), which on a log axis lies near the top, and then shrinks the data area by a
// third or more to "fit" it; gonum.org/v1/plot v0.17.)
func Convergence(title, xLabel, yLabel string, series ...Series) (*plot.Plot, error) {
	var curves []Series
	var ys [][]float64
	for _, s := range series {
		if len(s.Y) != len(s.X) {
			return nil, fmt.Errorf("plot: convergence: %s: %d x values but %d y values", s.Name, len(s.X), len(s.Y))
		}
		c, err := definedPoints(s)
		if err != nil {
			return nil, err
		}
		if len(c.X) > 0 {
			curves, ys = append(curves, c), append(ys, c.Y)
		}
	}
	if len(curves) == 0 {
		return nil, errors.New("plot: convergence: no points")
	}
	ax := newLogAxis(ys...)
	p := newPlot(title, xLabel, yLabel)
	ax.set(p)
	p.X.Tick.Marker = integerTicks(10, itoa)
	addGrid(p)
	longest := 0
	for _, c := range curves {
		longest = max(longest, len(c.X))
	}
	p.X.Min, p.X.Max = math.Inf(1), math.Inf(-1)
	for i, c := range curves {
		for _, x := range c.X {
			p.X.Min, p.X.Max = lower(p.X.Min, x), higher(p.X.Max, x)
		}
		if err := addCurve(p, i, c.Name, curvePoints(c, ax), longest <= glyphLimit); err != nil {
			return nil, err
		}
	}
	if p.X.Min == p.X.Max {
		p.X.Min, p.X.Max = p.X.Min-1, p.X.Max+1
	}
	legendAbove(p)
	return p, nil
}

// lower is math.Min(a, b): compared inline when the operands differ and neither is NaN, as in
// nearly every call of a loop over a curve's points, by math.Min otherwise (NaN, ±0). math.Min
// is a call to assembly, which over three curves of 10⁴ points cost a tenth of a millisecond.
func lower(a, b float64) float64 {
	switch {
	case a < b:
		return a
	case b < a:
		return b
	}
	return math.Min(a, b)
}

// higher is math.Max(a, b), as lower is math.Min.
func higher(a, b float64) float64 {
	switch {
	case a > b:
		return a
	case b > a:
		return b
	}
	return math.Max(a, b)
}

// definedPoints returns s without its NaN points (not defined), s itself when it has none; +Inf
// is an error.
func definedPoints(s Series) (Series, error) {
	nan := 0
	for i, y := range s.Y {
		if math.IsInf(y, 1) {
			return s, fmt.Errorf("plot: convergence: %s is +Inf at k = %v", s.Name, s.X[i])
		}
		if math.IsNaN(y) {
			nan++
		}
	}
	if nan == 0 {
		return s, nil // read only: no copy
	}
	c := Series{Name: s.Name, X: make([]float64, 0, len(s.X)-nan), Y: make([]float64, 0, len(s.Y)-nan)}
	for i, y := range s.Y {
		if !math.IsNaN(y) {
			c.X, c.Y = append(c.X, s.X[i]), append(c.Y, y)
		}
	}
	return c, nil
}

// addCurve adds the i-th curve of Convergence, its points marked with glyphs when glyphs is
// set, and its legend entry.
func addCurve(p *plot.Plot, i int, name string, xys plotter.XYs, glyphs bool) error {
	line, err := plotter.NewLine(xys)
	if err != nil {
		return fmt.Errorf("plot: convergence: %s: %w", name, err)
	}
	line.LineStyle = seriesLine(i)
	if len(xys) > chunkSegments {
		p.Add(chunkedLine{line})
	} else {
		p.Add(line)
	}
	thumbs := []plot.Thumbnailer{line}
	if glyphs {
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return fmt.Errorf("plot: convergence: %s: %w", name, err)
		}
		sc.GlyphStyle = draw.GlyphStyle{
			Color: seriesColor(i), Radius: vg.Points(2.5), Shape: seriesGlyphs[i%len(seriesGlyphs)],
		}
		p.Add(sc)
		thumbs = append(thumbs, sc)
	}
	p.Legend.Add(name, thumbs...)
	return nil
}

// chunkSegments is the most segments of a curve stroked at once (see chunkedLine).
const chunkSegments = 16

// chunkedLine is a plotter.Line stroked in runs of chunkSegments segments, each run's dashes
// continuing where the previous run's stopped. A PNG's stroke rasterizer keeps, for each row of
// pixels, a list of the cells a path covers and looks each new one up in it: a curve that
// zigzags across the whole height (an oscillating exploitability) has hundreds of cells a row,
// and stroking its 300 points as one path took half a second (rock-paper-scissors, 10⁴
// iterations of online mirror descent); in runs, each list stays short. Where two runs meet,
// two butt ends replace a join, a difference of a fraction of a pixel at a sharp turn.
type chunkedLine struct{ *plotter.Line }

// Plot strokes the line, clipped to the data area as plotter.Line clips it, run by run.
func (l chunkedLine) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	ps := make([]vg.Point, len(l.XYs))
	for i, p := range l.XYs {
		ps[i] = vg.Point{X: trX(p.X), Y: trY(p.Y)}
	}
	sty := l.LineStyle
	for _, line := range c.ClipLinesXY(ps) {
		along := vg.Length(0) // each clipped piece restarts its dashes, as plotter.Line's do
		for start := 0; start < len(line)-1; start += chunkSegments {
			end := min(start+chunkSegments, len(line)-1)
			sty.DashOffs = l.LineStyle.DashOffs + along
			c.StrokeLines(sty, line[start:end+1])
			for j := start; j < end; j++ {
				along += vg.Length(math.Hypot(float64(line[j+1].X-line[j].X), float64(line[j+1].Y-line[j].Y)))
			}
		}
	}
}

// thinBuckets is the number of buckets a long curve is thinned to: at most 300 points, about
// one per 3 horizontal pixels of a figure, so that the envelope drawn does not change while a
// trace of 10^5 iterations draws in a fraction of a second (an interrupted or finished solve must
// not wait for its plot). It was set that low because a curve that oscillates every iteration
// zigzags across the whole height, and the stroke rasterizer's cost grows with the square of the
// segments crossing a row of pixels in one path: 1000 iterations of the damped fixed point on
// left-right took 4.7 s of plotting with every point drawn, 0.1 s thinned to 300 (chunkedLine
// now also strokes long curves in short runs).
const thinBuckets = 150

// curvePoints returns the points of the curve c drawn on ax, (k, ax.y(v)), thinned to
// thinBuckets runs, without first building the list of all of them (for 10⁴ iterations, 160 KB
// a curve of fresh memory, which the kernel faults in page by page).
func curvePoints(c Series, ax logAxis) plotter.XYs {
	var prev uint64 // the bits of the last value mapped, whose coordinate is y
	var y float64
	return thinPoints(len(c.X), thinBuckets, func(j int) plotter.XY {
		// A settled curve repeats its value: log10 once for the run of it.
		if bits := math.Float64bits(c.Y[j]); j == 0 || bits != prev {
			prev, y = bits, ax.y(c.Y[j])
		}
		return plotter.XY{X: c.X[j], Y: y}
	})
}

// thin returns xys when it has at most 2·buckets points, else thinPoints's envelope of them.
func thin(xys plotter.XYs, buckets int) plotter.XYs {
	if len(xys) <= 2*buckets {
		return xys
	}
	return thinPoints(len(xys), buckets, func(i int) plotter.XY { return xys[i] })
}

// thinPoints returns the n points point(0), ..., point(n-1) when n is at most 2·buckets;
// otherwise, splitting the points in order into buckets runs of equal length, it keeps from each
// run its lowest and highest points (the first of equal ones, in their order), and the first and
// last points of the curve: the envelope a line through all points draws. point is called for
// every i in increasing order (point(0) twice).
func thinPoints(n, buckets int, point func(i int) plotter.XY) plotter.XYs {
	if n <= 2*buckets {
		xys := make(plotter.XYs, n)
		for i := range xys {
			xys[i] = point(i)
		}
		return xys
	}
	out, last := plotter.XYs{point(0)}, 0
	keep := func(i int, p plotter.XY) { // in order, each point once
		if i > last {
			out, last = append(out, p), i
		}
	}
	for b := 0; b < buckets; b++ {
		lo, hi := b*n/buckets, (b+1)*n/buckets
		imin, imax := lo, lo
		pmin := point(lo)
		pmax := pmin
		for i := lo + 1; i < hi; i++ {
			p := point(i)
			if p.Y < pmin.Y {
				imin, pmin = i, p
			}
			if p.Y > pmax.Y {
				imax, pmax = i, p
			}
		}
		if imin < imax {
			keep(imin, pmin)
			keep(imax, pmax)
		} else {
			keep(imax, pmax)
			keep(imin, pmin)
		}
	}
	if last < n-1 { // the last bucket ends at n-1: its points are the last point(i) called
		out = append(out, point(n-1))
	}
	return out
}
