package plot

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"meanfield/solver"
)

// LogFloor is the value at which Convergence draws values that a logarithmic axis cannot show:
// zero (a population step that changed nothing, an exactly recovered reference), negative values
// (a slightly negative exploitability from rounding) and NaN.
const LogFloor = 1e-16

// glyphLimit is the longest trace whose points Convergence marks with glyphs.
const glyphLimit = 40

// Convergence plots the convergence of one solve against the outer iteration k, on a
// logarithmic y axis (see below): the l1 change ||L_{k+1} - L_k||_1 and the l∞ change
// ||L_{k+1} - L_k||_∞, the exploitability of π_k for the iterations that recorded it
// (HasExploitability), and the l1 distance ||L_{k+1} - L*||_1 to the reference for those that
// recorded it (HasReference). It is a single panel with a legend, in distinct colours and dash
// styles, over a light grid.
//
// A logarithmic axis cannot show values that are not positive: every value below LogFloor
// (including 0, negative values and NaN) is drawn at LogFloor, so a curve that drops to the
// bottom of the axis at 1e-16 means "zero or below", not "1e-16". +Inf is an error.
//
// The y range is widened to whole decades, with room at the top for the legend (top right).
// Traces of at most 40 iterations also mark each point with a glyph.
//
// The logarithmic axis is drawn as a linear axis over exponents: the plot's y coordinate of a
// value v is log10(v), and the ticks are those of plot.LogTicks moved to their exponents and
// labelled with the values (1e-9, 0.001, 1, ...). A plotter added by the caller must therefore use
// log10 of its values. (gonum's plot.LogScale places the y label's glyph box at the data-space
// midpoint 0.5·(Min+Max), which on a log axis lies near the top, and then shrinks the data area
// by a third or more to "fit" it; gonum.org/v1/plot v0.17.)
func Convergence(res *solver.Result, title string) (*plot.Plot, error) {
	if res == nil || len(res.Trace) == 0 {
		return nil, errors.New("plot: convergence: the result has no iterations")
	}
	type curve struct {
		name string
		xys  plotter.XYs
	}
	var l1, linf, expl, ref plotter.XYs
	for _, it := range res.Trace {
		k := float64(it.K)
		l1 = append(l1, plotter.XY{X: k, Y: it.L1Change})
		linf = append(linf, plotter.XY{X: k, Y: it.LInfChange})
		if it.HasExploitability {
			expl = append(expl, plotter.XY{X: k, Y: it.Exploitability})
		}
		if it.HasReference {
			ref = append(ref, plotter.XY{X: k, Y: it.ReferenceL1})
		}
	}
	curves := []curve{
		{"l1 change ||L(k+1) − L(k)||₁", l1},
		{"l∞ change ||L(k+1) − L(k)||∞", linf},
	}
	if len(expl) > 0 {
		curves = append(curves, curve{"exploitability of π(k)", expl})
	}
	if len(ref) > 0 {
		curves = append(curves, curve{"l1 distance to reference ||L(k+1) − L*||₁", ref})
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

	p := newPlot(title, "outer iteration k", "distance / exploitability (log scale)")
	p.Y.Tick.Marker = decadeTicks(10)
	p.X.Tick.Marker = integerTicks(10, itoa)
	p.Y.Min, p.Y.Max = logRange(lo, hi, len(curves))
	p.X.Min, p.X.Max = l1[0].X, l1[len(l1)-1].X
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
		if len(res.Trace) <= glyphLimit {
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
