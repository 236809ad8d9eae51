package plot

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PathAlpha is the opacity of the individual paths drawn by Paths.
const PathAlpha = 0.3

// PathGroup is a named set of sample paths for Paths, all over the same x values: Paths[i][j] is
// path i at X[j] (for instance the distance of L_k to an equilibrium at outer iteration k = X[j]
// in run i of an algorithm).
type PathGroup struct {
	Name  string
	X     []float64
	Paths [][]float64
}

func (g PathGroup) validate() error {
	if len(g.X) == 0 {
		return errors.New("no x values")
	}
	if len(g.Paths) == 0 {
		return errors.New("no paths")
	}
	for j, x := range g.X {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("x value %d is %v", j, x)
		}
	}
	for i, path := range g.Paths {
		if len(path) != len(g.X) {
			return fmt.Errorf("path %d has %d values for %d x values", i, len(path), len(g.X))
		}
		for j, y := range path {
			if math.IsNaN(y) || math.IsInf(y, 0) {
				return fmt.Errorf("path %d: value %d (x = %v) is %v", i, j, g.X[j], y)
			}
		}
	}
	return nil
}

// mean returns the arithmetic mean of the paths at each x.
func (g PathGroup) mean() []float64 {
	m := make([]float64, len(g.X))
	for j := range m {
		for _, path := range g.Paths {
			m[j] += path[j]
		}
		m[j] /= float64(len(g.Paths))
	}
	return m
}

// Paths plots groups of sample paths against x: every path of group i as a thin line at opacity
// PathAlpha in the group's colour (so that the density of the paths shows), and the group's mean
// across its paths (the arithmetic mean at each x) as a bold line of the same colour, solid for
// the first group, dashed, dotted... for the next, outlined in white so that it stands out of
// the paths. The paths of all groups are drawn before all means, so no mean is hidden. The legend
// (top right, above the data: the y range is extended upwards by room for it) has one entry per
// group, "<name> (<n> paths, mean bold)"; a group without a name is called "group <i>" (from 1).
// The x axis has integer ticks when every x is an integer (outer iterations k); a light grid lies
// underneath. For instance: 30 sample paths of the naive algorithm and 30 of GMF-Q, the distance
// of L_k to an equilibrium per outer iteration k.
//
// Every path of a group must have one value per x value, and every value must be finite (a NaN
// distance is an error, not a point to skip).
//
// With logY the y axis is logarithmic, drawn like that of Convergence: as a linear axis over
// exponents, whose coordinate for a value v is log10(v), with decade ticks labelled with the
// values (so a plotter added by the caller must use log10 of its values), over whole decades.
// A logarithmic axis cannot show values that are not positive, so they are clamped to a floor,
// the bottom of the axis: one decade below the decade of the least positive value drawn (of a
// path or of a mean), so a path that reaches exactly 0 does not squash the others, and that tick
// is labelled "≤ 0" instead of its value (no positive value lies in that decade). The floor is
// never below LogFloor: positive values below LogFloor are clamped to it too, and then the bottom
// tick keeps its label, 1e-16, meaning "1e-16 or below". When no value is positive the floor is
// LogFloor, labelled "≤ 0".
func Paths(title, xLabel, yLabel string, logY bool, groups ...PathGroup) (*plot.Plot, error) {
	if len(groups) == 0 {
		return nil, errors.New("plot: paths: no groups")
	}
	means := make([][]float64, len(groups))
	for i, g := range groups {
		if err := g.validate(); err != nil {
			return nil, fmt.Errorf("plot: paths: group %q: %w", groupName(g, i), err)
		}
		means[i] = g.mean()
	}
	sc := newPathScale(logY, groups, means)

	p := newPlot(title, xLabel, yLabel)
	p.Legend.Top = true
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(6), -vg.Points(4)
	addGrid(p)
	if err := addThinPaths(p, sc, groups); err != nil {
		return nil, err
	}
	if err := addMeans(p, sc, groups, means); err != nil {
		return nil, err
	}
	setPathsX(p, groups)
	sc.setY(p, len(groups))
	return p, nil
}

// pathScale is the y scale of Paths: the range of the values drawn (of the paths and the means)
// and, on a logarithmic axis, the floor below which values are clamped.
type pathScale struct {
	logY bool
	// lo and hi are the least and greatest value drawn, minPos the least positive one (+Inf
	// when none is positive).
	lo, hi, minPos float64
	// floorExp is the exponent of the floor: one decade below the decade of minPos, at least
	// log10(LogFloor); floor is 10^floorExp.
	floorExp int
	floor    float64
	// clamped tells whether a value lies below the floor on a logarithmic axis.
	clamped bool
}

// newPathScale returns the scale of the paths of groups and their means.
func newPathScale(logY bool, groups []PathGroup, means [][]float64) pathScale {
	sc := pathScale{logY: logY, lo: math.Inf(1), hi: math.Inf(-1), minPos: math.Inf(1)}
	scan := func(ys []float64) {
		for _, y := range ys {
			sc.lo, sc.hi = math.Min(sc.lo, y), math.Max(sc.hi, y)
			if y > 0 {
				sc.minPos = math.Min(sc.minPos, y)
			}
		}
	}
	for i, g := range groups {
		for _, path := range g.Paths {
			scan(path)
		}
		scan(means[i])
	}
	sc.floorExp = int(math.Round(math.Log10(LogFloor)))
	if !math.IsInf(sc.minPos, 1) {
		sc.floorExp = max(sc.floorExp, int(math.Floor(math.Log10(sc.minPos)))-1)
	}
	sc.floor = math.Pow10(sc.floorExp)
	sc.clamped = logY && sc.lo < sc.floor
	return sc
}

// toY maps a value v to its y coordinate: v on a linear axis; on a logarithmic one log10(v), or
// floorExp for v below the floor.
func (sc pathScale) toY(v float64) float64 {
	switch {
	case !sc.logY:
		return v
	case v >= sc.floor:
		return math.Log10(v)
	default:
		return float64(sc.floorExp)
	}
}

// line returns the line through the points (x[j], toY(y[j])).
func (sc pathScale) line(x, y []float64) (*plotter.Line, error) {
	xys := make(plotter.XYs, len(x))
	for j := range xys {
		xys[j] = plotter.XY{X: x[j], Y: sc.toY(y[j])}
	}
	return plotter.NewLine(xys)
}

// addThinPaths adds every path of every group, group after group, as a thin line at opacity
// PathAlpha in the group's colour.
func addThinPaths(p *plot.Plot, sc pathScale, groups []PathGroup) error {
	for i, g := range groups {
		thin := draw.LineStyle{Color: withAlpha(seriesColor(i), PathAlpha), Width: vg.Points(0.6)}
		for j, path := range g.Paths {
			l, err := sc.line(g.X, path)
			if err != nil {
				return fmt.Errorf("plot: paths: group %q: path %d: %w", groupName(g, i), j, err)
			}
			l.LineStyle = thin
			p.Add(l)
		}
	}
	return nil
}

// addMeans adds the mean of every group as a bold line in the group's colour and dash pattern
// over a white halo, with its legend entry "<name> (<n> paths, mean bold)".
func addMeans(p *plot.Plot, sc pathScale, groups []PathGroup, means [][]float64) error {
	for i, g := range groups {
		mean, err := sc.line(g.X, means[i])
		if err != nil {
			return fmt.Errorf("plot: paths: group %q: mean: %w", groupName(g, i), err)
		}
		mean.LineStyle = seriesLine(i)
		mean.LineStyle.Width = vg.Points(2.4)
		halo := *mean
		halo.LineStyle = draw.LineStyle{Color: color.White, Width: vg.Points(4.4)}
		p.Add(&halo, mean)
		n := "paths"
		if len(g.Paths) == 1 {
			n = "path"
		}
		p.Legend.Add(fmt.Sprintf("%s (%d %s, mean bold)", groupName(g, i), len(g.Paths), n), mean)
	}
	return nil
}

// setPathsX sets the x axis to the range of the x values of all groups (widened by 1 on each
// side when it is a single point), with integer ticks when every x is an integer.
func setPathsX(p *plot.Plot, groups []PathGroup) {
	xlo, xhi, integers := math.Inf(1), math.Inf(-1), true
	for _, g := range groups {
		for _, x := range g.X {
			xlo, xhi = math.Min(xlo, x), math.Max(xhi, x)
			integers = integers && x == math.Trunc(x) && math.Abs(x) < 1e9
		}
	}
	if xlo == xhi {
		xlo, xhi = xlo-1, xhi+1
	}
	p.X.Min, p.X.Max = xlo, xhi
	if integers {
		p.X.Tick.Marker = integerTicks(10, itoa)
	} else {
		p.X.Tick.Marker = linearTicks(8)
	}
}

// setY sets the y axis of a plot of nGroups groups to the range of the values drawn, extended
// upwards by legendRoom for the legend. A logarithmic axis spans whole decades, from the floor
// if a value was clamped (its tick labelled "≤ 0" when every clamped value is 0 or negative),
// else from the decade of the least value, to the first decade at or above the greatest (at
// least one decade).
func (sc pathScale) setY(p *plot.Plot, nGroups int) {
	if sc.logY {
		a := float64(sc.floorExp)
		if !sc.clamped {
			a = math.Floor(math.Log10(sc.lo))
		}
		b := math.Ceil(math.Log10(math.Max(sc.hi, sc.floor)))
		if b <= a {
			b = a + 1
		}
		b += math.Ceil((b - a) * legendRoom(nGroups))
		p.Y.Min, p.Y.Max = a, b
		p.Y.Tick.Marker = decadeTicks(10)
		if sc.clamped && !(sc.minPos < sc.floor) { // every clamped value is 0 or negative
			p.Y.Tick.Marker = floorTicks(decadeTicks(10), sc.floorExp)
		}
		return
	}
	lo, hi := sc.lo, sc.hi
	if lo == hi {
		lo, hi = lo-1, hi+1
	}
	p.Y.Tick.Marker = linearTicks(8)
	p.Y.Min, p.Y.Max = lo, hi+(hi-lo)*legendRoom(nGroups)
}

// floorTicks relabels the tick of t at exponent floorExp "≤ 0", and drops the labels of the
// decades less than one labelled step above it, which would crowd it.
func floorTicks(t plot.Ticker, floorExp int) plot.Ticker {
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		ticks := t.Ticks(min, max)
		// The step between labelled decades.
		step, last := 0.0, math.NaN()
		for _, tk := range ticks {
			if tk.Label != "" {
				if !math.IsNaN(last) && (step == 0 || tk.Value-last < step) {
					step = tk.Value - last
				}
				last = tk.Value
			}
		}
		f := float64(floorExp)
		for i, tk := range ticks {
			switch {
			case tk.Value == f:
				ticks[i].Label = "≤ 0"
			case tk.Label != "" && tk.Value > f && tk.Value < f+step:
				ticks[i].Label = ""
			}
		}
		return ticks
	})
}

// groupName is g's name, or "group <i>" when it has none.
func groupName(g PathGroup, i int) string {
	if g.Name == "" {
		return fmt.Sprintf("group %d", i+1)
	}
	return g.Name
}
