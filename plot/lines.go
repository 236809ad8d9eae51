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

// BandAlpha is the opacity of the confidence bands drawn by Lines: low, so that where bands of
// several series overlap each still shows through, rather than mixing into an opaque grey-brown.
const BandAlpha = 0.13

// bandEdgeAlpha is the opacity of the thin lines that outline each band in its series' colour,
// so that a band's extent can be followed where it overlaps another.
const bandEdgeAlpha = 0.7

// Series is one named curve y(x) for Lines, optionally with a band Lower ≤ y ≤ Upper (for
// instance a 90% confidence interval) drawn as a shaded area around it.
type Series struct {
	Name string
	X, Y []float64
	// Lower and Upper are both nil (no band) or both as long as X.
	Lower, Upper []float64
}

func (s Series) validate() error {
	if len(s.X) == 0 {
		return errors.New("no points")
	}
	if len(s.Y) != len(s.X) {
		return fmt.Errorf("%d x values but %d y values", len(s.X), len(s.Y))
	}
	if (s.Lower == nil) != (s.Upper == nil) {
		return errors.New("a band needs both Lower and Upper")
	}
	if s.Lower != nil && (len(s.Lower) != len(s.X) || len(s.Upper) != len(s.X)) {
		return fmt.Errorf("%d x values but %d lower and %d upper values", len(s.X), len(s.Lower), len(s.Upper))
	}
	for _, v := range [][]float64{s.X, s.Y, s.Lower, s.Upper} {
		for i, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("point %d: value %v is not finite", i, x)
			}
		}
	}
	return nil
}

// Lines plots the series as lines in distinct colours and dash styles, each with its band (if
// any) shaded underneath in the same colour at opacity BandAlpha and outlined by thin lines of
// that colour, with a legend above the data (each entry shows the line over its band) and a light
// grid. All bands are drawn before all lines, so no band hides a line. The points of a series are
// joined in the order given. The y axis fits the lines and bands, with a margin of 4% of their
// range. Every value must be finite.
func Lines(title, xLabel, yLabel string, series ...Series) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, errors.New("plot: lines: no series")
	}
	p := newPlot(title, xLabel, yLabel)
	p.X.Tick.Marker = linearTicks(8)
	p.Y.Tick.Marker = linearTicks(8)
	addGrid(p)

	bands := make([]*plotter.Polygon, len(series))
	for i, s := range series {
		if err := s.validate(); err != nil {
			return nil, fmt.Errorf("plot: lines: series %q: %w", s.Name, err)
		}
		if s.Lower == nil {
			continue
		}
		band, err := addBand(p, i, s)
		if err != nil {
			return nil, fmt.Errorf("plot: lines: series %q: band: %w", s.Name, err)
		}
		bands[i] = band
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, s := range series {
		xys := make(plotter.XYs, len(s.X))
		for j := range xys {
			xys[j] = plotter.XY{X: s.X[j], Y: s.Y[j]}
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("plot: lines: series %q: %w", s.Name, err)
		}
		line.LineStyle = seriesLine(i)
		p.Add(line)
		if bands[i] != nil {
			p.Legend.Add(s.Name, bands[i], line)
		} else {
			p.Legend.Add(s.Name, line)
		}
		for _, v := range [][]float64{s.Y, s.Lower, s.Upper} {
			for _, y := range v {
				lo, hi = math.Min(lo, y), math.Max(hi, y)
			}
		}
	}
	p.Y.Min, p.Y.Max = linearRange(lo, hi)
	legendAbove(p)
	return p, nil
}

// addBand adds the band of s, the i-th series: a polygon from Lower to Upper at opacity
// BandAlpha, outlined along both bounds by thin lines of the series' colour. It returns the
// polygon, for the legend.
func addBand(p *plot.Plot, i int, s Series) (*plotter.Polygon, error) {
	ring := make(plotter.XYs, 0, 2*len(s.X))
	upper, lower := make(plotter.XYs, len(s.X)), make(plotter.XYs, len(s.X))
	for j := range s.X {
		upper[j] = plotter.XY{X: s.X[j], Y: s.Upper[j]}
		lower[j] = plotter.XY{X: s.X[j], Y: s.Lower[j]}
	}
	ring = append(ring, upper...)
	for j := len(lower) - 1; j >= 0; j-- {
		ring = append(ring, lower[j])
	}
	poly, err := plotter.NewPolygon(ring)
	if err != nil {
		return nil, err
	}
	poly.Color = withAlpha(seriesColor(i), BandAlpha)
	poly.LineStyle = draw.LineStyle{} // outlined along the bounds only, below
	p.Add(poly)
	edge := draw.LineStyle{Color: withAlpha(seriesColor(i), bandEdgeAlpha), Width: vg.Points(0.7)}
	for _, xys := range []plotter.XYs{upper, lower} {
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, err
		}
		l.LineStyle = edge
		p.Add(l)
	}
	return poly, nil
}

// LogLines is Lines with a logarithmic y axis, drawn like that of Convergence: log10 of the values
// on a linear axis, which fits the lines and bands (see logAxis). Lines must be positive; a band
// bound that is not (the lower end of a confidence interval can be) is drawn at a floor at the
// bottom of the axis, one decade below the decade of the least positive value, labelled "≤ 0"
// (or "0").
func LogLines(title, xLabel, yLabel string, series ...Series) (*plot.Plot, error) {
	var all [][]float64
	for _, s := range series {
		for j, y := range s.Y {
			if !(y > 0) {
				return nil, fmt.Errorf("plot: log lines: series %q: y[%d] = %v is not positive", s.Name, j, y)
			}
		}
		all = append(all, s.Y, s.Lower, s.Upper)
	}
	ax := newLogAxis(all...)
	logged := make([]Series, len(series))
	for i, s := range series {
		logged[i] = Series{Name: s.Name, X: s.X, Y: ax.ys(s.Y), Lower: ax.ys(s.Lower), Upper: ax.ys(s.Upper)}
	}
	p, err := Lines(title, xLabel, yLabel, logged...)
	if err != nil {
		return nil, err
	}
	ax.set(p)
	return p, nil
}
