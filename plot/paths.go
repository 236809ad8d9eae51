package plot

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"

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
// the paths. The paths of all groups are drawn before all means, so no mean is hidden. The
// legend, above the data, has one entry per group (see pathsLegend): "<name>, mean of <n> paths",
// or "<name>, 1 path" for a group of one path, which is its own mean; a group without a name is
// called "group <i>" (from 1). The x axis has integer ticks when every x is an integer (outer
// iterations k); a light grid lies underneath. For instance: 30 sample paths of the naive
// algorithm and 30 of GMF-Q, the distance of L_k to an equilibrium per outer iteration k.
//
// Every path of a group must have one value per x value, and every value must be finite (a NaN
// distance is an error, not a point to skip).
//
// The y axis fits the values drawn (of the paths and the means), with a margin of 4% of their
// range. With logY it is logarithmic, drawn like that of Convergence: as a linear axis over
// exponents, whose coordinate for a value v is log10(v) (so a plotter added by the caller must use
// log10 of its values), with ticks labelled with the values; values it cannot show (0, negative,
// below LogFloor) are drawn at a floor at its bottom, whose tick says what it stands for ("0",
// "≤ 0", "≤ 1e-16"): see logAxis.
func Paths(title, xLabel, yLabel string, logY bool, groups ...PathGroup) (*plot.Plot, error) {
	if len(groups) == 0 {
		return nil, errors.New("plot: paths: no groups")
	}
	means := make([][]float64, len(groups))
	var all [][]float64
	for i, g := range groups {
		if err := g.validate(); err != nil {
			return nil, fmt.Errorf("plot: paths: group %q: %w", groupName(g, i), err)
		}
		means[i] = g.mean()
		all = append(append(all, g.Paths...), means[i])
	}
	toY := func(v float64) float64 { return v }
	var ax logAxis
	if logY {
		ax = newLogAxis(all...)
		toY = ax.y
	}

	p := newPlot(title, xLabel, yLabel)
	addGrid(p)
	if err := addThinPaths(p, toY, groups); err != nil {
		return nil, err
	}
	if err := addMeans(p, toY, groups, means); err != nil {
		return nil, err
	}
	setPathsX(p, groups)
	if logY {
		ax.set(p)
	} else {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, ys := range all {
			lo, hi = math.Min(lo, slices.Min(ys)), math.Max(hi, slices.Max(ys))
		}
		p.Y.Min, p.Y.Max = linearRange(lo, hi)
		p.Y.Tick.Marker = linearTicks(8)
	}
	legendAbove(p)
	return p, nil
}

// line returns the line through the points (x[j], toY(y[j])).
func line(x, y []float64, toY func(float64) float64) (*plotter.Line, error) {
	xys := make(plotter.XYs, len(x))
	for j := range xys {
		xys[j] = plotter.XY{X: x[j], Y: toY(y[j])}
	}
	return plotter.NewLine(xys)
}

// addThinPaths adds every path of every group, group after group, as a thin line at opacity
// PathAlpha in the group's colour, with y coordinates toY(value).
func addThinPaths(p *plot.Plot, toY func(float64) float64, groups []PathGroup) error {
	for i, g := range groups {
		thin := draw.LineStyle{Color: withAlpha(seriesColor(i), PathAlpha), Width: vg.Points(0.6)}
		for j, path := range g.Paths {
			l, err := line(g.X, path, toY)
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
// over a white halo, with its legend entry pathsLegend.
func addMeans(p *plot.Plot, toY func(float64) float64, groups []PathGroup, means [][]float64) error {
	for i, g := range groups {
		mean, err := line(g.X, means[i], toY)
		if err != nil {
			return fmt.Errorf("plot: paths: group %q: mean: %w", groupName(g, i), err)
		}
		mean.LineStyle = seriesLine(i)
		mean.LineStyle.Width = vg.Points(2.4)
		halo := *mean
		halo.LineStyle = draw.LineStyle{Color: color.White, Width: vg.Points(4.4)}
		p.Add(&halo, mean)
		p.Legend.Add(pathsLegend(groupName(g, i), len(g.Paths)), mean)
	}
	return nil
}

// pathsLegend is the legend entry of a group of n paths called name: "<name>, mean of <n>
// paths", or "<name>, 1 path" (a single path is its own mean).
func pathsLegend(name string, n int) string {
	if n == 1 {
		return name + ", 1 path"
	}
	return fmt.Sprintf("%s, mean of %d paths", name, n)
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

// groupName is g's name, or "group <i>" when it has none.
func groupName(g PathGroup, i int) string {
	if g.Name == "" {
		return fmt.Sprintf("group %d", i+1)
	}
	return g.Name
}
