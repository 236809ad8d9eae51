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

// BandAlpha is the opacity of the confidence bands drawn by Lines.
const BandAlpha = 0.22

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
// any) shaded underneath in the same colour at opacity BandAlpha, with a legend (each entry shows
// the line over its band) and a light grid. All bands are drawn before all lines, so no band hides
// a line. The points of a series are joined in the order given.
//
// The legend sits in the top left corner, above the data: the y range is extended upwards by
// room for it (enough for figures at least about 3 inches tall; set p.Y.Max to change it). Every
// value must be finite.
func Lines(title, xLabel, yLabel string, series ...Series) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, errors.New("plot: lines: no series")
	}
	p := newPlot(title, xLabel, yLabel)
	p.X.Tick.Marker = linearTicks(8)
	p.Y.Tick.Marker = linearTicks(8)
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(6), -vg.Points(4)
	addGrid(p)

	bands := make([]*plotter.Polygon, len(series))
	for i, s := range series {
		if err := s.validate(); err != nil {
			return nil, fmt.Errorf("plot: lines: series %q: %w", s.Name, err)
		}
		if s.Lower == nil {
			continue
		}
		ring := make(plotter.XYs, 0, 2*len(s.X))
		for j := range s.X {
			ring = append(ring, plotter.XY{X: s.X[j], Y: s.Upper[j]})
		}
		for j := len(s.X) - 1; j >= 0; j-- {
			ring = append(ring, plotter.XY{X: s.X[j], Y: s.Lower[j]})
		}
		poly, err := plotter.NewPolygon(ring)
		if err != nil {
			return nil, fmt.Errorf("plot: lines: series %q: band: %w", s.Name, err)
		}
		poly.Color = withAlpha(seriesColor(i), BandAlpha)
		poly.LineStyle = draw.LineStyle{} // no outline
		bands[i] = poly
		p.Add(poly)
	}
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
	}
	// Leave room above the data for the legend.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, v := range [][]float64{s.Y, s.Lower, s.Upper} {
			for _, y := range v {
				lo, hi = math.Min(lo, y), math.Max(hi, y)
			}
		}
	}
	if lo == hi {
		lo, hi = lo-1, hi+1
	}
	p.Y.Min, p.Y.Max = lo, hi+(hi-lo)*legendRoom(len(series))
	return p, nil
}

// LogLines is Lines with a logarithmic y axis, drawn like that of Convergence: log10 of the values
// on a linear axis with ticks at whole decades. Lines must be positive; a band bound that is not
// (the lower end of a confidence interval can be) is drawn at a tenth of the least positive value
// shown, the bottom of the axis.
func LogLines(title, xLabel, yLabel string, series ...Series) (*plot.Plot, error) {
	minPos := math.Inf(1)
	for _, s := range series {
		for _, v := range [][]float64{s.Y, s.Lower, s.Upper} {
			for _, y := range v {
				if y > 0 {
					minPos = math.Min(minPos, y)
				}
			}
		}
	}
	if math.IsInf(minPos, 1) {
		return nil, errors.New("plot: log lines: no positive value")
	}
	floor := minPos / 10
	logged := make([]Series, len(series))
	for i, s := range series {
		for j, y := range s.Y {
			if !(y > 0) {
				return nil, fmt.Errorf("plot: log lines: series %q: y[%d] = %v is not positive", s.Name, j, y)
			}
		}
		tr := func(v []float64) []float64 {
			if v == nil {
				return nil
			}
			out := make([]float64, len(v))
			for j, y := range v {
				out[j] = math.Log10(math.Max(y, floor))
			}
			return out
		}
		logged[i] = Series{Name: s.Name, X: s.X, Y: tr(s.Y), Lower: tr(s.Lower), Upper: tr(s.Upper)}
	}
	p, err := Lines(title, xLabel, yLabel, logged...)
	if err != nil {
		return nil, err
	}
	p.Y.Min = math.Floor(p.Y.Min)
	p.Y.Max = math.Ceil(p.Y.Max)
	p.Y.Tick.Marker = decadeTicks(10)
	return p, nil
}
