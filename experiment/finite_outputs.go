package experiment

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"gonum.org/v1/plot/vg"

	"meanfield/engine"
	"meanfield/finite"
	"meanfield/mfg"
	"meanfield/plot"
)

// finiteFigures are the figure of a finite-horizon game on a grid, as PNG and SVG: the population
// over time (and the mean move of the policy of a 1-D game).
var finiteFigures = []string{"population.png", "population.svg"}

// figureCellLimit is the most heat-map cells a figure draws: beyond it (a large grid, a long
// horizon) drawing would take seconds and the figure is not written.
const figureCellLimit = 200_000

// FinalPopulation is the final iteration's population L_0..L_T (one table for a stationary
// game): the algorithm's, or else the mean field of its final policy made feasible (rows
// renormalised, as its exploitability scores it), computed in float64. It is nil, without
// error, when the algorithm keeps none and the game's policies cannot be evaluated. It is
// computed once.
func (r *SolveReport) FinalPopulation() ([]mfg.Population, error) {
	if r.finalPopulation != nil {
		return r.finalPopulation, nil
	}
	L := r.Result.Final().Population
	if L == nil {
		p, err := engine.NewProblem(r.Game, engine.EvaluationOptions{})
		if err != nil || p.CanEvaluate() != nil {
			return nil, nil
		}
		if L, err = p.MeanField(context.Background(), finite.Feasible(r.Result.Final().Policy)); err != nil {
			return nil, err
		}
	}
	r.finalPopulation = L
	return L, nil
}

// writeFiniteFigures draws, for a finite-horizon game whose states are positions on a grid
// (mfg.Mover), the final population over time into population.svg (and .png, see
// figurePaths): on a line, a heat map of μ_t(x) with time across, and beside it one of the mean
// move Σ_a π_t(a|x) Move(a) of the final policy; on a plane or the floors of a building, maps of
// μ_t at a few times (SnapshotTimes). Other games get no figure, and an earlier run's is removed.
func (r *SolveReport) writeFiniteFigures(dir string) ([]string, error) {
	if err := removeStale(dir, finiteFigures...); err != nil {
		return nil, err
	}
	g, ok := r.Game.(mfg.Finite)
	_, mover := r.Game.(mfg.Mover)
	if !ok || !mover {
		return nil, nil
	}
	L, err := r.FinalPopulation()
	if err != nil || L == nil {
		return nil, err
	}
	mu := make([][]float64, len(L))
	for t, l := range L {
		mu[t] = l.StateMarginal(nil)
	}
	if mp, ok := g.(mfg.MultiPopulation); ok {
		return r.writePopulationsFigure(dir, g, mp.Populations(), mu)
	}
	switch len(g.StateShape()) {
	case 1:
		return r.writeLineFigure(dir, g, mu)
	case 2, 3:
		return r.writeGridFigure(dir, g, mu)
	}
	return nil, nil
}

// writeLineFigure draws the population μ_t(x) of a 1-D game over time and, beside it, the mean
// move of the final policy.
func (r *SolveReport) writeLineFigure(dir string, g mfg.Finite, mu [][]float64) ([]string, error) {
	if 2*len(mu)*g.States() > figureCellLimit {
		return nil, nil
	}
	labels := mfg.StateLabels(g)
	label := func(i int) string {
		if i < 0 || i >= len(labels) {
			return ""
		}
		return labels[i]
	}
	pop, err := plot.OverTime(mu, plot.OverTimeSpec{
		Title: "population", YLabel: "position x", Label: label, BarLabel: "share of the population μ_t(x)",
	})
	if err != nil {
		return nil, fmt.Errorf("population figure: %w", err)
	}
	m := g.(mfg.Mover)
	pi := finite.Feasible(r.Result.Final().Policy)
	moves := make([][]float64, len(pi))
	for t, p := range pi {
		moves[t] = mfg.MeanMove(m, p.Prob, p.States, p.Actions)
	}
	lo, hi := moveRange(m, g.Actions())
	move, err := plot.OverTime(moves, plot.OverTimeSpec{
		Title: "mean move of the policy", YLabel: "position x", Label: label,
		BarLabel: "Σ_a π_t(a|x) move(a)  (+: to larger x)", Min: lo, Max: hi,
	})
	if err != nil {
		return nil, fmt.Errorf("population figure: %w", err)
	}
	title := fmt.Sprintf("%s after %d iterations", r.Config.Run.Game, r.Result.Final().K)
	paths, err := r.figurePaths(dir, "population")
	if err != nil {
		return nil, err
	}
	if err := plot.SaveFigure(plot.Grid(2, title, pop, move), 11*vg.Inch, 4.5*vg.Inch, paths...); err != nil {
		return nil, err
	}
	return paths, nil
}

// moveRange is the least and greatest move of a 1-D game's actions.
func moveRange(m mfg.Mover, actions int) (lo, hi float64) {
	lo, hi = m.Move(0)[0], m.Move(0)[0]
	for a := 1; a < actions; a++ {
		lo, hi = min(lo, m.Move(a)[0]), max(hi, m.Move(a)[0])
	}
	return lo, hi
}

// SnapshotTimes are the time steps a figure of a game with last time step T shows: 0, T/3, 2T/3
// and T, rounded, each once.
func SnapshotTimes(T int) []int {
	var out []int
	for _, t := range []int{0, (T + 1) / 3, (2*T + 1) / 3, T} {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// maxFloors is the most floors a figure of a building shows, evenly spaced from the ground floor
// to the top one.
const maxFloors = 6

// writeGridFigure draws maps of μ_t at the snapshot times: one row of maps for a plane (l, w), one
// row per floor (the top floor first) for a building (floor, l, w).
func (r *SolveReport) writeGridFigure(dir string, g mfg.Finite, mu [][]float64) ([]string, error) {
	shape, times := g.StateShape(), SnapshotTimes(g.Horizon())
	floors := []int{0}
	if len(shape) == 3 {
		floors = spread(shape[0], maxFloors)
	}
	rows, cols := shape[len(shape)-2], shape[len(shape)-1]
	if len(floors)*len(times)*rows*cols > figureCellLimit {
		return nil, nil
	}
	var panels [][]float64
	var titles []string
	for i := len(floors) - 1; i >= 0; i-- {
		f := floors[i]
		for _, t := range times {
			panels = append(panels, mu[t][f*rows*cols:(f+1)*rows*cols])
			title := "t = " + strconv.Itoa(t)
			if len(shape) == 3 {
				title = "floor " + strconv.Itoa(f) + ", " + title
			}
			titles = append(titles, title)
		}
	}
	title := fmt.Sprintf("%s: population μ_t(l, w) after %d iterations", r.Config.Run.Game, r.Result.Final().K)
	if len(shape) == 3 {
		title = fmt.Sprintf("%s: population μ_t(floor, l, w) after %d iterations", r.Config.Run.Game, r.Result.Final().K)
	}
	fig, err := plot.Snapshots(panels, rows, cols, len(times), titles, title, "w", "l", "share of the population")
	if err != nil {
		return nil, fmt.Errorf("population figure: %w", err)
	}
	return r.savePopulationFigure(fig, dir, len(times), len(floors))
}

// savePopulationFigure writes a population figure of cols × rows heat maps, 2.3 inches each, with
// room for its colour bar and title.
func (r *SolveReport) savePopulationFigure(fig plot.Drawer, dir string, cols, rows int) ([]string, error) {
	side := 2.3 * vg.Inch
	w, h := vg.Length(cols)*side+1.2*vg.Inch, vg.Length(rows)*side+0.5*vg.Inch
	paths, err := r.figurePaths(dir, "population")
	if err != nil {
		return nil, err
	}
	if err := plot.SaveFigure(fig, w, h, paths...); err != nil {
		return nil, err
	}
	return paths, nil
}

// spread returns at most k of 0..n-1, evenly spaced, the first and the last among them.
func spread(n, k int) []int {
	if n <= k {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	out := make([]int, k)
	for i := range out {
		out[i] = i * (n - 1) / (k - 1)
	}
	return out
}
