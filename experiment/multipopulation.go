package experiment

import (
	"fmt"
	"math"
	"strconv"

	"meanfield/engine"
	"meanfield/mfg"
	"meanfield/plot"
)

// PopulationJSON is one population of a multi-population game (mfg.MultiPopulation) in
// result.json: its name, its block of states [FirstState, FirstState+States), and its
// exploitability (OpenSpiel's BR_p − V_p, the population of mass 1) at the last iteration and at
// every iteration (0 where not recorded); the run's exploitability is their sum, OpenSpiel's
// NashConv.
type PopulationJSON struct {
	Name             string   `json:"name"`
	FirstState       int      `json:"first_state"`
	States           int      `json:"states"`
	Exploitability   *float64 `json:"exploitability,omitempty"` // left out when not finite
	Exploitabilities Numbers  `json:"exploitabilities,omitempty"`
}

// populationBlocks are the populations of the report's game, nil for a single-population game.
func (r *SolveReport) populationBlocks() []mfg.PopulationBlock {
	if mp, ok := r.Game.(mfg.MultiPopulation); ok {
		return mp.Populations()
	}
	return nil
}

// populationsJSON fills result.json's populations of a multi-population game.
func (r *SolveReport) populationsJSON(l *traceLog) []PopulationJSON {
	blocks := r.populationBlocks()
	if blocks == nil {
		return nil
	}
	out := make([]PopulationJSON, len(blocks))
	f := r.Result.Final()
	for p, b := range blocks {
		out[p] = PopulationJSON{Name: b.Name, FirstState: b.First, States: b.States}
		if !f.HasExploitability || len(f.PopulationExploitabilities) != len(blocks) {
			continue
		}
		if e := f.PopulationExploitabilities[p]; !math.IsNaN(e) && !math.IsInf(e, 0) {
			out[p].Exploitability = &e
		}
		out[p].Exploitabilities = make(Numbers, l.n)
		for i := range out[p].Exploitabilities {
			out[p].Exploitabilities[i] = l.popEx[i*l.pops+p]
		}
	}
	return out
}

// populationColumns are trace.csv's columns after TraceColumns on a multi-population game: the
// exploitability of each population, exploitability_pop0, exploitability_pop1, ... (their sum is
// the exploitability column); none on another game.
func (r *SolveReport) populationColumns() []string {
	var out []string
	for p := range r.populationBlocks() {
		out = append(out, "exploitability_pop"+strconv.Itoa(p))
	}
	return out
}

// appendPopulationCells appends, before the row's newline, the populations' exploitabilities of
// iteration it (empty cells where not recorded) for the n populations.
func appendPopulationCells(b []byte, it *engine.Iteration, n int) []byte {
	if n == 0 {
		return b
	}
	b = b[:len(b)-1] // the newline
	for p := 0; p < n; p++ {
		b = append(b, ',')
		if it.HasExploitability && len(it.PopulationExploitabilities) == n {
			b = appendShortest(b, it.PopulationExploitabilities[p])
		}
	}
	return append(b, '\n')
}

// writePopulationsFigure draws a multi-population grid game's populations (state shape
// [K, rows, cols]): one row of maps per population, its own distribution K·μ_t on its block (of
// mass 1) at the snapshot times, each map titled with the population's name and the time.
func (r *SolveReport) writePopulationsFigure(dir string, g mfg.Finite, blocks []mfg.PopulationBlock, mu [][]float64) ([]string, error) {
	shape, times := g.StateShape(), SnapshotTimes(g.Horizon())
	if len(shape) != 3 {
		return nil, nil
	}
	rows, cols := shape[1], shape[2]
	if len(blocks)*len(times)*rows*cols > figureCellLimit {
		return nil, nil
	}
	K := float64(len(blocks))
	var panels [][]float64
	var titles []string
	for _, b := range blocks { // the first panels are the top row: population 0's
		for _, t := range times {
			own := make([]float64, b.States)
			for j, m := range mu[t][b.First : b.First+b.States] {
				own[j] = K * m
			}
			panels = append(panels, own)
			titles = append(titles, b.Name+", t = "+strconv.Itoa(t))
		}
	}
	title := fmt.Sprintf("%s: each population's distribution over (x, y) after %d iterations", r.Config.Run.Game, r.Result.Final().K)
	fig, err := plot.Snapshots(panels, rows, cols, len(times), titles, title, "x", "y", "share of the population")
	if err != nil {
		return nil, fmt.Errorf("population figure: %w", err)
	}
	return r.savePopulationFigure(fig, dir, len(times), len(blocks))
}
