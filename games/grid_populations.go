package games

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"meanfield/mfg"
)

// Shared machinery of OpenSpiel's multi-population grid games (predator-prey, crowd avoidance):
// K populations on the same size×size grid, the same five moves, decision then noise.

// gridMoves are the displacements (dx, dy) of actions and noise outcomes 0..4, OpenSpiel's
// _ACTION_TO_MOVE, with their labels.
var gridMoves = [5]struct {
	name   string
	dx, dy int
}{{"stay", 0, 0}, {"x+1", 1, 0}, {"y+1", 0, 1}, {"y-1", 0, -1}, {"x-1", -1, 0}}

// gridPopulations is a multi-population game (mfg.MultiPopulation) of K populations on a
// size×size grid: population p's state (x, y) is the flat index p·size² + y·size + x (OpenSpiel's
// init_distrib layout: block p, cell x + size·y), so the state shape is [K, size (y), size (x)].
// A step is OpenSpiel's decision then noise: the agent's move, then a noise outcome e drawn with
// probability noise0 (e = 0, stay) or noise (each of 1..4), moved by the same rule (move). The
// reward at a decision, r(p, x, y, d), reads the densities d_q of the K populations at the
// agent's cell, each of mass 1: d_q = K·μ_t(q, x, y). With t0 (OpenSpiel's t = 0 quirk), at
// t = 0 d_q is instead init[q + K·(y + size·x)]: OpenSpiel's stored initial vector (in its block
// layout) read with its mean-field support's layout.
type gridPopulations struct {
	name      string
	names     []string
	size, H   int
	torus, t0 bool
	// forbidden are the cells (x, y) a move into leaves the agent where it is.
	forbidden     map[[2]int]bool
	noise0, noise float64
	// init is OpenSpiel's initial distribution, K blocks of size² (cell x + size·y), each of mass 1.
	init   []float64
	reward func(p, x, y int, d []float64) float64
	moves  *mfg.MDP
}

// newGridPopulations builds the fixed moves of g (whose other fields are set).
func newGridPopulations(g *gridPopulations) (*gridPopulations, error) {
	K, n := len(g.names), g.size
	S := n * n
	b := mfg.NewMDPBuilder(K*S, 5, 0)
	next := make([]float64, S)
	for p := 0; p < K; p++ {
		for c := 0; c < S; c++ {
			x, y := c%n, c/n
			for a := range gridMoves {
				clear(next)
				x1, y1 := g.move(x, y, a)
				for e := range gridMoves {
					w := g.noise
					if e == 0 {
						w = g.noise0
					}
					x2, y2 := g.move(x1, y1, e)
					next[x2+n*y2] += w
				}
				for c2, w := range next {
					if w != 0 {
						b.Add(p*S+c2, w)
					}
				}
				b.EndRow()
			}
		}
	}
	var err error
	if g.moves, err = b.BuildStage(); err != nil {
		return nil, err
	}
	return g, nil
}

// move is OpenSpiel's update_pos: the candidate (x, y) + move(a) is refused (the agent stays) if
// it is a forbidden cell, tested before the edges; otherwise it is clamped to the square or
// wrapped around the torus.
func (g *gridPopulations) move(x, y, a int) (int, int) {
	cx, cy := x+gridMoves[a].dx, y+gridMoves[a].dy
	switch {
	case g.forbidden[[2]int{cx, cy}]:
		return x, y
	case g.torus:
		return mod(cx, g.size), mod(cy, g.size)
	}
	return min(max(cx, 0), g.size-1), min(max(cy, 0), g.size-1)
}

func (g *gridPopulations) Name() string       { return g.name }
func (g *gridPopulations) Horizon() int       { return g.H - 1 }
func (g *gridPopulations) StateShape() []int  { return []int{len(g.names), g.size, g.size} }
func (g *gridPopulations) ActionShape() []int { return []int{5} }
func (g *gridPopulations) States() int        { return mfg.Size(g.StateShape()) }
func (g *gridPopulations) Actions() int       { return 5 }

// Populations are the K blocks of size² states, named.
func (g *gridPopulations) Populations() []mfg.PopulationBlock {
	S := g.size * g.size
	out := make([]mfg.PopulationBlock, len(g.names))
	for p, name := range g.names {
		out[p] = mfg.PopulationBlock{Name: name, First: p * S, States: S}
	}
	return out
}

// InitialStates is μ0 = init/K: each population's initial distribution, on its block, with mass
// 1/K.
func (g *gridPopulations) InitialStates() []float64 {
	K := float64(len(g.names))
	mu0 := make([]float64, len(g.init))
	for i, m := range g.init {
		mu0[i] = m / K
	}
	return mu0
}

// StateLabel is "pop p (x, y)": the population and the cell.
func (g *gridPopulations) StateLabel(s int) string {
	S := g.size * g.size
	c := s % S
	return fmt.Sprintf("pop %d (%d, %d)", s/S, c%g.size, c/g.size)
}

// ActionLabel names the move: "stay", "x+1", "y+1", "y-1", "x-1".
func (g *gridPopulations) ActionLabel(a int) string { return gridMoves[a].name }

// Move is the action's displacement along the state shape's coordinates (population, y, x).
func (g *gridPopulations) Move(a int) []float64 {
	return []float64{0, float64(gridMoves[a].dy), float64(gridMoves[a].dx)}
}

// Moves returns the moves, the same at every time (mfg.FixedMoves).
func (g *gridPopulations) Moves(int) *mfg.MDP { return g.moves }

// Stage returns the rewards r(p, x, y, d) at L_t, the same for every action, and the moves.
func (g *gridPopulations) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	K, n := len(g.names), g.size
	S := n * n
	if t < 0 || t > g.Horizon() {
		return nil, fmt.Errorf("t = %d: outside 0..T = 0..%d", t, g.Horizon())
	}
	if len(L.Mass) != K*S*5 {
		return nil, fmt.Errorf("population has %d entries, want %d", len(L.Mass), K*S*5)
	}
	mu := L.StateMarginal(nil)
	st := *g.moves
	st.Reward = make([]float64, K*S*5)
	d := make([]float64, K)
	for p := 0; p < K; p++ {
		for c := 0; c < S; c++ {
			x, y := c%n, c/n
			for q := range d {
				if t == 0 && g.t0 {
					d[q] = g.init[q+K*(y+n*x)]
				} else {
					d[q] = float64(K) * mu[q*S+c]
				}
			}
			r := g.reward(p, x, y, d)
			for a := 0; a < 5; a++ {
				st.Reward[(p*S+c)*5+a] = r
			}
		}
	}
	return &st, nil
}

// parseFloats reads OpenSpiel's space-separated lists of numbers (np.fromstring with sep " ").
func parseFloats(what, s string) ([]float64, error) {
	fields := strings.Fields(s)
	out := make([]float64, len(fields))
	for i, f := range fields {
		x, err := strconv.ParseFloat(f, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%s: entry %d = %q: not a finite number", what, i+1, f)
		}
		out[i] = x
	}
	return out, nil
}

// parseInitDistrib reads an initial distribution of K populations on size² cells: "uniform"
// (OpenSpiel's empty string), or K·size² numbers in OpenSpiel's layout (block p, cell x + size·y),
// each block non-negative of mass 1 (to 1e-9).
func parseInitDistrib(s string, K, size int) ([]float64, error) {
	S := size * size
	if strings.TrimSpace(s) == "uniform" {
		out := make([]float64, K*S)
		for i := range out {
			out[i] = 1 / float64(S)
		}
		return out, nil
	}
	v, err := parseFloats("init-distrib", s)
	if err != nil {
		return nil, err
	}
	if len(v) != K*S {
		return nil, fmt.Errorf("init-distrib has %d numbers, want %d (%d populations × size² = %d cells)", len(v), K*S, K, S)
	}
	for p := 0; p < K; p++ {
		var m float64
		for i, x := range v[p*S : (p+1)*S] {
			if x < 0 {
				return nil, fmt.Errorf("init-distrib: population %d, cell %d = %v: must be non-negative", p, i, x)
			}
			m += x
		}
		if math.Abs(m-1) > 1e-9 {
			return nil, fmt.Errorf("init-distrib: population %d has mass %v, want 1", p, m)
		}
	}
	return v, nil
}

// parseGeometry reads "square" (OpenSpiel's 0) or "torus" (1).
func parseGeometry(s string) (torus bool, err error) {
	switch s {
	case "square", "0":
		return false, nil
	case "torus", "1":
		return true, nil
	}
	return false, fmt.Errorf("geometry = %q: must be square or torus", s)
}
