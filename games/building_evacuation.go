package games

import (
	"fmt"
	"math"

	"meanfield/internal/fastmath"
	"meanfield/mfg"
)

// BuildingEvacuationParams are the parameters of the building evacuation game (MFGLib's names and
// defaults).
type BuildingEvacuationParams struct {
	T      int     `yaml:"T" range:"0 ≤ T ≤ 1000000" help:"last time step T ≥ 0: T+1 time steps t = 0..T"`
	NFloor int     `yaml:"n-floor" range:"1 ≤ n-floor ≤ 1000000" help:"number of floors (floor 0 is the ground floor)"`
	FloorL int     `yaml:"floor-l" range:"1 ≤ floor-l ≤ 1000000" help:"length of a floor, in cells"`
	FloorW int     `yaml:"floor-w" range:"1 ≤ floor-w ≤ 1000000" help:"width of a floor, in cells"`
	LogEps float64 `yaml:"log-eps" range:"log-eps > 0, finite" help:"ε > 0: lower bound on the density in the crowd term -η log max(μ_t, ε)"`
	Eta    float64 `yaml:"eta" range:"finite" help:"weight η of the crowd aversion -η log μ_t"`
	EvacR  float64 `yaml:"evac-r" range:"finite" help:"reward per step for being on the ground floor"`
	// Mu0 is the initial distribution over the n-floor × floor-l × floor-w cells, flattened
	// row-major (floor slowest, then l, then w); empty means uniform.
	Mu0 []float64 `yaml:"mu0" range:"empty (uniform), or n-floor × floor-l × floor-w probabilities summing to 1" help:"initial distribution μ0 over the cells (floor, l, w), row-major (empty: uniform)"`
}

// DefaultBuildingEvacuationParams is MFGLib's default: T = 3, 5 floors of 10 × 10 cells, log-eps
// 1e-20, eta 1, evac-r 10.
func DefaultBuildingEvacuationParams() BuildingEvacuationParams {
	return BuildingEvacuationParams{T: 3, NFloor: 5, FloorL: 10, FloorW: 10, LogEps: 1e-20, Eta: 1, EvacR: 10}
}

// GameSize is the n-floor × floor-l × floor-w cells × 6 moves × T+1 times, each a sure move; the
// moves are fixed.
func (p BuildingEvacuationParams) GameSize() Size {
	S := float64(p.NFloor) * float64(p.FloorL) * float64(p.FloorW)
	return Size{States: S, Actions: 6, Times: float64(p.T) + 1, Successors: 1, SharedMoves: true,
		Extra: 8 * S, Params: []string{"n-floor", "floor-l", "floor-w", "T"}}
}

// Validate names the first parameter out of range. MFGLib checks none of them; these are the ones
// without which the game is not defined (empty building, reward log(0) or not finite).
func (p BuildingEvacuationParams) Validate() error {
	switch {
	case p.T < 0:
		return fmt.Errorf("last time step T = %d: must be non-negative (time steps t = 0..T)", p.T)
	case p.NFloor < 1:
		return fmt.Errorf("n-floor = %d: the building needs at least 1 floor", p.NFloor)
	case p.FloorL < 1:
		return fmt.Errorf("floor-l = %d: a floor needs a length of at least 1 cell", p.FloorL)
	case p.FloorW < 1:
		return fmt.Errorf("floor-w = %d: a floor needs a width of at least 1 cell", p.FloorW)
	case !(p.LogEps > 0) || math.IsInf(p.LogEps, 0):
		return fmt.Errorf("log-eps = %v: must be positive and finite (it bounds the density below before the log)", p.LogEps)
	case math.IsNaN(p.Eta) || math.IsInf(p.Eta, 0):
		return fmt.Errorf("eta = %v: must be finite", p.Eta)
	case math.IsNaN(p.EvacR) || math.IsInf(p.EvacR, 0):
		return fmt.Errorf("evac-r = %v: must be finite", p.EvacR)
	}
	return checkMu0(p.Mu0, p.NFloor*p.FloorL*p.FloorW)
}

// BuildingEvacuation is MFGLib's building evacuation game (Pérolat et al. 2021): a building of
// n-floor floors (0 the ground floor), each a floor-l × floor-w grid of cells (l, w); states are
// (floor, l, w). Actions, all clamped to the building: 0 l+1, 1 l-1, 2 w-1, 3 w+1 (staying on the
// floor); 4 one floor down, possible only on the staircase cell (0, 0), and 5 one floor up,
// possible only on the staircase cell (floor-l-1, floor-w-1), elsewhere both stay put. Moves are
// deterministic. The reward does not depend on the action:
//
//	r(t, (f, l, w), a) = -eta log max(μ_t(f, l, w), log-eps) + evac-r [f = 0],
//
// μ_t the state marginal of L_t: crowd aversion plus a bonus for being on the ground floor.
type BuildingEvacuation struct {
	p     BuildingEvacuationParams
	S     int
	bonus []float64 // evac-r on the ground floor, 0 elsewhere
	moves *mfg.MDP
}

// NewBuildingEvacuation validates p and returns the game.
func NewBuildingEvacuation(p BuildingEvacuationParams) (*BuildingEvacuation, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	nf, nl, nw := p.NFloor, p.FloorL, p.FloorW
	sh := mfg.Shape{nf, nl, nw}
	S := nf * nl * nw
	g := &BuildingEvacuation{p: p, S: S, bonus: make([]float64, S)}
	b := mfg.NewMDPBuilder(S, 6, 0)
	b.Grow(S * 6)
	for f := 0; f < nf; f++ {
		for l := 0; l < nl; l++ {
			for w := 0; w < nw; w++ {
				if f == 0 {
					g.bonus[sh.Index(f, l, w)] = p.EvacR
				}
				down, up := f, f
				if l == 0 && w == 0 {
					down = max(f-1, 0)
				}
				if l == nl-1 && w == nw-1 {
					up = min(f+1, nf-1)
				}
				for _, next := range [6]int{
					sh.Index(f, min(l+1, nl-1), w),
					sh.Index(f, max(l-1, 0), w),
					sh.Index(f, l, max(w-1, 0)),
					sh.Index(f, l, min(w+1, nw-1)),
					sh.Index(down, l, w),
					sh.Index(up, l, w),
				} {
					b.Add(next, 1)
					b.EndRow()
				}
			}
		}
	}
	var err error
	if g.moves, err = b.BuildStage(); err != nil {
		return nil, err
	}
	return g, nil
}

func (g *BuildingEvacuation) Name() string { return "building-evacuation" }
func (g *BuildingEvacuation) Horizon() int { return g.p.T }
func (g *BuildingEvacuation) StateShape() []int {
	return []int{g.p.NFloor, g.p.FloorL, g.p.FloorW}
}
func (g *BuildingEvacuation) ActionShape() []int { return []int{6} }
func (g *BuildingEvacuation) States() int        { return mfg.Size(g.StateShape()) }
func (g *BuildingEvacuation) Actions() int       { return mfg.Size(g.ActionShape()) }
func (g *BuildingEvacuation) InitialStates() []float64 {
	return mu0OrUniform(g.p.Mu0, g.S)
}

// StateLabel is the cell "(floor, l, w)" of flat index s = (floor·floor-l + l)·floor-w + w.
func (g *BuildingEvacuation) StateLabel(s int) string {
	return cellLabel(mfg.Shape(g.StateShape()), s)
}

// ActionLabel names the move of action a, with l drawn upward and w rightward on a floor (as the
// figures draw it): "up" (l+1), "down" (l-1), "left" (w-1), "right" (w+1), "downstairs" (one
// floor down, from the staircase cell (floor, 0, 0) only) and "upstairs" (one floor up, from
// (floor, floor-l-1, floor-w-1) only).
func (g *BuildingEvacuation) ActionLabel(a int) string { return evacuationMoves[a].name }

// Move is the displacement (Δfloor, Δl, Δw) of action a, before the clamping at the walls; a
// change of floor happens only on a staircase cell.
func (g *BuildingEvacuation) Move(a int) []float64 {
	m := evacuationMoves[a]
	return []float64{float64(m.df), float64(m.dl), float64(m.dw)}
}

// evacuationMoves are the actions 0..5 of building evacuation, as NewBuildingEvacuation moves
// them.
var evacuationMoves = [6]struct {
	name       string
	df, dl, dw int
}{{"up", 0, 1, 0}, {"down", 0, -1, 0}, {"left", 0, 0, -1}, {"right", 0, 0, 1}, {"downstairs", -1, 0, 0}, {"upstairs", 1, 0, 0}}

// Moves returns the moves, the same at every time and population (mfg.FixedMoves).
func (g *BuildingEvacuation) Moves(t int) *mfg.MDP { return g.moves }

// Stage returns the rewards at L_t and the (fixed) moves.
func (g *BuildingEvacuation) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	st := &mfg.MDP{Reward: make([]float64, g.S*6)}
	if err := g.WriteStage(t, L, st); err != nil {
		return nil, err
	}
	return st, nil
}

// WriteStage writes the rewards at L_t into dst.Reward and gives dst the (fixed) moves
// (mfg.StageWriter).
func (g *BuildingEvacuation) WriteStage(t int, L mfg.Population, dst *mfg.MDP) error {
	if len(L.Mass) != g.S*6 {
		return fmt.Errorf("population has %d entries, want %d", len(L.Mass), g.S*6)
	}
	setMoves(dst, g.moves)
	n := g.S
	reward, bonus := dst.Reward[:n*6], g.bonus[:n]
	// The logarithms, four at a time, in the last n rewards, which the second loop reads before it
	// overwrites them: state s writes reward[6s..6s+5], below reward[5n+s+1].
	lg, eps, eta := reward[5*n:], g.p.LogEps, g.p.Eta
	for s := range lg {
		row := L.Mass[s*6 : s*6+6]
		mu := row[0] + row[1] + row[2] + row[3] + row[4] + row[5]
		floor := eps // math.Max(mu, log-eps) by comparisons: log-eps > 0 leaves no ±0 case
		if mu > floor || mu != mu {
			floor = mu
		}
		lg[s] = floor
	}
	fastmath.LogInto(lg, lg)
	for s, b := range bonus {
		r := float64(-eta*lg[s]) + b // rounded apart, so that GOAMD64=v3 cannot fuse it
		out := reward[s*6 : s*6+6]
		for a := range out {
			out[a] = r
		}
	}
	return nil
}

func init() {
	Register("building-evacuation", "floors of grid cells joined by staircases at opposite corners; reach the ground floor, avoid crowds",
		"Pérolat et al. 2021; MFGLib 0.3.0 building_evacuation", DefaultBuildingEvacuationParams,
		func(p BuildingEvacuationParams) (mfg.Finite, error) { return NewBuildingEvacuation(p) })
}
