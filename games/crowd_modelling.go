package games

import (
	"fmt"
	"math"
	"strconv"

	"meanfield/internal/fastmath"
	"meanfield/mfg"
)

// CrowdModellingParams are the parameters of OpenSpiel's 1-D crowd modelling game.
type CrowdModellingParams struct {
	Size    int     `yaml:"size" range:"1 ≤ size ≤ 1000000" help:"number of positions N on the ring"`
	Horizon int     `yaml:"horizon" range:"1 ≤ horizon ≤ 1000000" help:"number of time steps H ≥ 1, t = 0..H-1 (OpenSpiel's horizon)"`
	Epsilon float64 `yaml:"epsilon" range:"epsilon > 0, finite" help:"ε > 0 added to the density in the crowd term -log(μ_t(x) + ε)"`
	// OpenSpielCosts charges move costs as OpenSpiel's evaluation does (see CrowdModelling), a
	// compatibility switch for OpenSpiel's pinned values; false (the default) charges every move
	// its own cost.
	OpenSpielCosts bool `yaml:"openspiel-costs" range:"true or false" help:"compatibility: charge move costs as OpenSpiel's evaluation does, first-visit caching (false, the clean game: each move its own cost; true reproduces OpenSpiel's values)"`
}

// DefaultCrowdModellingParams are OpenSpiel's defaults: size 10, horizon 10, ε = 1e-25, with each
// move charged its own cost (OpenSpielCosts false; set it for OpenSpiel's pinned values).
func DefaultCrowdModellingParams() CrowdModellingParams {
	return CrowdModellingParams{Size: 10, Horizon: 10, Epsilon: 1e-25}
}

// GameSize is size positions × 3 moves × horizon times, each row reaching at most 3 positions; the
// moves are fixed, and the game keeps OpenSpiel's first-visit move of every (x, t), found by a
// depth-first search as deep as the horizon.
func (p CrowdModellingParams) GameSize() Size {
	N, H := float64(p.Size), float64(p.Horizon)
	return Size{States: N, Actions: 3, Times: H, Successors: min(3, N), SharedMoves: true,
		Extra: 9*H*N + 256*H, Params: []string{"size", "horizon"}}
}

// Validate names the first parameter out of range.
func (p CrowdModellingParams) Validate() error {
	switch {
	case p.Size < 1:
		return fmt.Errorf("size = %d: must be at least 1", p.Size)
	case p.Horizon < 1:
		return fmt.Errorf("horizon = %d: must be at least 1 (the number of time steps)", p.Horizon)
	case !(p.Epsilon > 0) || math.IsInf(p.Epsilon, 0):
		return fmt.Errorf("epsilon = %v: must be positive and finite", p.Epsilon)
	}
	return nil
}

// crowdMoves are the displacements of actions (and noises) 0, 1, 2.
var crowdMoves = [3]int{-1, 0, 1}

// CrowdModelling is OpenSpiel's 1-D crowd modelling mean-field game (mfg_crowd_modelling). An
// agent on a ring of size N starts uniformly at random and makes horizon decisions t = 0..H-1:
// it moves by a in {-1, 0, +1}, then noise moves it by -1, 0, +1 with probability 1/3 each, both
// modulo N. At each decision it collects, on arrival,
//
//	r_t(x) = 1 - |x - N/2| / (N/2) - |move of the previous decision| / N - log(μ_t(x) + ε),
//
// N/2 an integer division; the first decision has no previous move, and nothing is collected after
// the last one (so the last move is free). As a finite-horizon game here: T = H-1, and a move's
// cost is charged when it is made (for t < T).
//
// OpenSpiel's evaluation (its best-response and policy values, hence its NashConv) caches node
// values by a string that omits the previous move, so every (x, t) is charged the move cost of the
// first path reaching it in its depth-first order (initial positions in order, actions 0, 1, 2,
// noises 0, 1, 2). With OpenSpielCosts (a compatibility switch, off by default) rewards use that
// first-visit move, which makes them independent of the action and reproduces OpenSpiel's pinned
// values exactly; without it (the default), every move is charged its own cost.
type CrowdModelling struct {
	p CrowdModellingParams
	// firstMove[t][x] is the previous action on OpenSpiel's first visit of (x, t).
	firstMove [][]int
	moves     *mfg.MDP
}

// NewCrowdModelling validates p and returns the game.
func NewCrowdModelling(p CrowdModellingParams) (*CrowdModelling, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	N, H := p.Size, p.Horizon
	g := &CrowdModelling{p: p}
	// The neutral action (1) before the first decision.
	g.firstMove = openSpielFirstVisit(N, H, 3, 1, nil, func(x, a int, yield func(int)) {
		for _, e := range crowdMoves {
			yield(mod(x+crowdMoves[a]+e, N))
		}
	})
	b := mfg.NewMDPBuilder(N, 3, 0)
	next := make([]float64, N)
	for x := 0; x < N; x++ {
		for _, m := range crowdMoves {
			clear(next)
			for _, e := range crowdMoves {
				next[mod(x+m+e, N)] += 1.0 / 3
			}
			for y, w := range next {
				if w != 0 {
					b.Add(y, w)
				}
			}
			b.EndRow()
		}
	}
	var err error
	if g.moves, err = b.BuildStage(); err != nil {
		return nil, err
	}
	return g, nil
}

// FirstVisitMoves returns OpenSpiel's first-visit previous action of every (x, t), as [t][x].
func (g *CrowdModelling) FirstVisitMoves() [][]int { return g.firstMove }

func (g *CrowdModelling) Name() string       { return "crowd-modelling" }
func (g *CrowdModelling) Horizon() int       { return g.p.Horizon - 1 }
func (g *CrowdModelling) StateShape() []int  { return []int{g.p.Size} }
func (g *CrowdModelling) ActionShape() []int { return []int{3} }
func (g *CrowdModelling) States() int        { return mfg.Size(g.StateShape()) }
func (g *CrowdModelling) Actions() int       { return mfg.Size(g.ActionShape()) }

// StateLabel is the position x on the ring, "0".."N-1".
func (g *CrowdModelling) StateLabel(s int) string { return strconv.Itoa(s) }

// ActionLabel names the move: "left" (x-1), "stay", "right" (x+1), modulo N.
func (g *CrowdModelling) ActionLabel(a int) string { return moveNames1D[a] }

// Move is the action's displacement -1, 0 or +1 along the ring, before the noise.
func (g *CrowdModelling) Move(a int) []float64 { return []float64{float64(crowdMoves[a])} }

// InitialStates is uniform, OpenSpiel's initial chance node.
func (g *CrowdModelling) InitialStates() []float64 { return mu0OrUniform(nil, g.p.Size) }

// Stage returns the rewards at L_t and the (fixed) moves.
func (g *CrowdModelling) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	N := g.p.Size
	half := N / 2
	lg := L.StateMarginal(nil) // μ, then log(μ + ε) in its place, four at a time
	for x, m := range lg {
		lg[x] = m + g.p.Epsilon
	}
	fastmath.LogInto(lg, lg)
	st := *g.moves
	st.Reward = make([]float64, N*3)
	for x := 0; x < N; x++ {
		base := 1 - math.Abs(float64(x-half))/float64(half) - lg[x]
		for a, m := range crowdMoves {
			r := base
			switch {
			case g.p.OpenSpielCosts:
				r -= math.Abs(float64(crowdMoves[g.firstMove[t][x]])) / float64(N)
			case t < g.Horizon():
				r -= math.Abs(float64(m)) / float64(N)
			}
			st.Reward[x*3+a] = r
		}
	}
	return &st, nil
}

func init() {
	Register("crowd-modelling", "agents on a ring prefer the middle and avoid crowds (OpenSpiel's 1-D game)",
		"OpenSpiel mfg_crowd_modelling (Perrin et al.)", DefaultCrowdModellingParams,
		func(p CrowdModellingParams) (mfg.Finite, error) { return NewCrowdModelling(p) })
}
