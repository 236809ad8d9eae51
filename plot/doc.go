// Package plot draws the figures of the project with gonum.org/v1/plot: the convergence of a
// solve (Convergence), matrices such as Q-tables and state-action populations (Heatmap,
// ColorBar, HeatmapWithColorBar, and HeatmapPair for two matrices on one colour scale), curves
// with shaded confidence bands (Lines), bundles of sample paths with their means (Paths), a
// quantity on a line over time (OverTime) or on a grid at a few moments (Snapshots), such as the
// population of a finite-horizon game, and several panels composed into one image (Grid).
//
// Every builder returns a gonum *plot.Plot, or for composed figures a Drawer (*HeatmapFigure,
// *HeatmapPairFigure, *GridFigure, *SnapshotsFigure), that the caller may restyle before writing
// it with Save or SaveFigure. Both pick the format from each path's extension (.png, .svg, .pdf)
// and write atomically: the figure is rendered into a temporary file in the destination
// directory, which is then renamed over the destination, so a reader never sees a half-written
// file. PNG files are rendered at PNGDPI dots per inch, so a figure of width w points is
// round(w/72*PNGDPI) pixels wide.
//
// Every figure is meant to read at the width of a report page: the y axis of a plot fits its
// data (a margin of 4% of the data's span, in decades on a logarithmic axis, never room for a
// legend), the legend sits above the data area or, for panels that share it, in a cell of its
// own (SharedLegend), a logarithmic axis draws 0 at a floor labelled "0" rather than at an
// unlabelled 1e-16, and texts may carry subscripts written as in TeX, L_k or L_{k+1}
// (Subscripts), drawn as subscripts.
//
// The builders check their input and return an error rather than letting gonum panic on data it
// cannot draw (for instance a non-positive value on a logarithmic axis, or a constant matrix,
// whose colour scale would be empty).
package plot
