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

// LogFloor is the value at which Convergence draws values that a logarithmic axis cannot show:
// zero (a population step that changed nothing, an exactly recovered reference), negative values
// (a slightly negative exploitability from rounding) and NaN.
const LogFloor = 1e-16

// glyphLimit is the longest curve whose points Convergence marks with glyphs.
const glyphLimit = 40

// Convergence plots curves of a solve against the iteration k on a logarithmic y axis (see
// below): typically the l1 and l∞ change of the population, the exploitability and the distance to
// a reference. Each series is a name and its points (X the iterations, Y the values; a series may
// skip iterations). It is a single panel with a legend, in distinct colours and dash styles, over
// a light grid; series without points are left out.
//
// A logarithmic axis cannot show values that are not positive: every value below LogFloor
// (including 0, negative values and NaN) is drawn at LogFloor, so a curve that drops to the
// bottom of the axis at 1e-16 means "zero or below", not "1e-16". +Inf is an error.
//
// The y range is widened to whole decades, with room at the top for the legend (top right).
// Curves of at most 40 points also mark each point with a glyph; curves of more than 4000 are
// thinned to the lowest and highest points of 2000 runs of consecutive points, which draws the
// same envelope in a fraction of the time.
//
// The logarithmic axis is drawn as a linear axis over exponents: the plot's y coordinate of a
// value v is log10(v), and the ticks are those of plot.LogTicks moved to their exponents and
// labelled with the values (1e-9, 0.001, 1, ...). A plotter added by the caller must therefore use
// log10 of its values. (gonum's plot.LogScale places the y label's glyph box at the data-space
// midpoint 0.5·(Min+Max), which on a log axis lies near the top, and then shrinks the data area
// by a third or more to "fit" it; gonum.org/v1/plot v0.17.)
func Convergence(title, xLabel string, series ...Series) (*plot.Plot, error) {
	type curve struct {
		name string
		xys  plotter.XYs
	}
	var curves []curve
	xmin, xmax, longest := math.Inf(1), math.Inf(-1), 0
	for _, s := range series {
		if len(s.Y) != len(s.X) {
			return nil, fmt.Errorf("plot: convergence: %s: %d x values but %d y values", s.Name, len(s.X), len(s.Y))
		}
		if len(s.X) == 0 {
			continue
		}
		xys := make(plotter.XYs, len(s.X))
		for i := range s.X {
			xys[i] = plotter.XY{X: s.X[i], Y: s.Y[i]}
			xmin, xmax = math.Min(xmin, s.X[i]), math.Max(xmax, s.X[i])
		}
		curves = append(curves, curve{s.Name, xys})
		longest = max(longest, len(s.X))
	}
	if len(curves) == 0 {
		return nil, errors.New("plot: convergence: no points")
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range curves {
		for i := range c.xys {
			y := c.xys[i].Y
			if math.IsInf(y, 1) {
				return nil, fmt.Errorf("plot: convergence: %s is +Inf at k = %v", c.name, c.xys[i].X)
			}
			if !(y >= LogFloor) { // also catches NaN
				y = LogFloor
			}
			c.xys[i].Y = math.Log10(y)
			lo, hi = math.Min(lo, y), math.Max(hi, y)
		}
	}
	for i := range curves {
		curves[i].xys = thin(curves[i].xys, thinBuckets)
	}

	p := newPlot(title, xLabel, "distance / exploitability (log scale)")
	p.Y.Tick.Marker = decadeTicks(10)
	p.X.Tick.Marker = integerTicks(10, itoa)
	p.Y.Min, p.Y.Max = logRange(lo, hi, len(curves))
	p.X.Min, p.X.Max = xmin, xmax
	if p.X.Min == p.X.Max {
		p.X.Min, p.X.Max = p.X.Min-1, p.X.Max+1
	}
	p.Legend.Top = true
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(6), -vg.Points(4)
	addGrid(p)

	for i, c := range curves {
		line, err := plotter.NewLine(c.xys)
		if err != nil {
			return nil, fmt.Errorf("plot: convergence: %s: %w", c.name, err)
		}
		line.LineStyle = seriesLine(i)
		p.Add(line)
		thumbs := []plot.Thumbnailer{line}
		if longest <= glyphLimit {
			sc, err := plotter.NewScatter(c.xys)
			if err != nil {
				return nil, fmt.Errorf("plot: convergence: %s: %w", c.name, err)
			}
			sc.GlyphStyle = draw.GlyphStyle{
				Color: seriesColor(i), Radius: vg.Points(2.5), Shape: seriesGlyphs[i%len(seriesGlyphs)],
			}
			p.Add(sc)
			thumbs = append(thumbs, sc)
		}
		p.Legend.Add(c.name, thumbs...)
	}
	return p, nil
}

// thinBuckets is the number of buckets a long curve is thinned to: a few points per horizontal
// pixel of a figure, so that the picture does not change while a trace of 10^5 iterations draws
// in a fraction of a second instead of minutes (an interrupted or finished solve must not wait
// for its plot).
const thinBuckets = 2000

// thin returns xys when it has at most 2·buckets points; otherwise, splitting the points in
// order into buckets runs of equal length, it keeps from each run its lowest and highest points
// (in their order), and the first and last points of the curve: the envelope a line through all
// points draws.
func thin(xys plotter.XYs, buckets int) plotter.XYs {
	n := len(xys)
	if n <= 2*buckets {
		return xys
	}
	out, last := plotter.XYs{xys[0]}, 0
	keep := func(i int) { // in order, each point once
		if i > last {
			out, last = append(out, xys[i]), i
		}
	}
	for b := 0; b < buckets; b++ {
		lo, hi := b*n/buckets, (b+1)*n/buckets
		imin, imax := lo, lo
		for i := lo; i < hi; i++ {
			if xys[i].Y < xys[imin].Y {
				imin = i
			}
			if xys[i].Y > xys[imax].Y {
				imax = i
			}
		}
		keep(min(imin, imax))
		keep(max(imin, imax))
	}
	keep(n - 1)
	return out
}

// logRange returns the exponents of whole decades around [lo, hi] (0 < lo <= hi), with extra
// decades on top so that a legend of n entries in the top corner does not cover the data.
func logRange(lo, hi float64, n int) (min, max float64) {
	a, b := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if b <= a {
		b = a + 1
	}
	b += math.Ceil((b - a) * legendRoom(n))
	return a, b
}
