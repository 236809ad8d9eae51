package games

import (
	"fmt"
	"math"

	"meanfield/internal/fastmath"
	"meanfield/mfg"
)

// CrowdModelling2DParams are the parameters of OpenSpiel's 2-D crowd modelling game
// (mfg_crowd_modelling_2d). OpenSpiel's list parameters are strings such as "[1|2;2|2]" and
// "[0.5;0.5]"; here they are YAML lists, of [x, y] pairs and of numbers. The numbers are rounded
// to float32, as OpenSpiel parses them (0.2 becomes 0.20000000298023224).
type CrowdModelling2DParams struct {
	Size                   int  `yaml:"size" range:"1 ≤ size ≤ 1000, the grid's side with grid four-rooms (13) or maze (22)" help:"side N of the N × N torus"`
	Horizon                int  `yaml:"horizon" range:"1 ≤ horizon ≤ 1000000" help:"number of time steps H ≥ 1, t = 0..H-1 (OpenSpiel's horizon)"`
	OnlyDistributionReward bool `yaml:"only-distribution-reward" range:"true or false" help:"reward only the crowd term -c log(μ_t(x, y) + ε), without the positional reward and the move cost"`
	// Grid names a wall layout of OpenSpiel's (its FOUR_ROOMS and MAZE grids); ForbiddenStates
	// adds walls one by one.
	Grid            string  `yaml:"grid" range:"none, four-rooms (size 13) or maze (size 22)" help:"walls of OpenSpiel's FOUR_ROOMS or MAZE grid, added to forbidden-states (none: no grid)"`
	ForbiddenStates [][]int `yaml:"forbidden-states" range:"pairs [x, y] with 0 ≤ x, y < size, none where an agent starts" help:"walls [x, y]: cells no move or noise can enter (an action into one is illegal)"`
	// InitialDistribution lists OpenSpiel's initial pairs [a, b]; see CrowdModelling2D for where
	// they start.
	InitialDistribution      [][]int   `yaml:"initial-distribution" range:"empty (uniform), or pairs [a, b] with 0 ≤ a, b < size" help:"OpenSpiel's initial pairs [a, b]; as in OpenSpiel, [a, b] starts at cell (x, y) = (b, a) (empty: uniform over the cells)"`
	InitialDistributionValue []float64 `yaml:"initial-distribution-value" range:"one probability per initial pair, summing to 1 (after rounding to float32)" help:"probability of each initial pair, rounded to float32 as OpenSpiel parses it"`
	PositionalReward         [][]int   `yaml:"positional-reward" range:"empty (the centre [size/2, size/2] with value 1), or pairs [x, y] with 0 ≤ x, y < size" help:"points [x, y] that attract the agents"`
	PositionalRewardValue    []float64 `yaml:"positional-reward-value" range:"one finite number per point" help:"weight v_i of each point, rounded to float32 as OpenSpiel parses it"`
	WithCongestion           bool      `yaml:"with-congestion" range:"true or false" help:"multiply the move cost by the density μ_t(x, y) where it is charged"`
	NoiseIntensity           float64   `yaml:"noise-intensity" range:"0 ≤ noise-intensity ≤ 1" help:"probability ν that the noise is drawn uniformly among the legal moves (else no noise)"`
	CrowdAversionCoef        float64   `yaml:"crowd-aversion-coef" range:"finite" help:"coefficient c of the crowd term -c log(μ_t(x, y) + ε)"`
	// OpenSpielCosts charges move costs as OpenSpiel's evaluation does (see CrowdModelling2D), a
	// compatibility switch; false (the default) charges each move its own cost, when made.
	OpenSpielCosts bool `yaml:"openspiel-costs" range:"true or false" help:"compatibility: charge move costs as OpenSpiel's evaluation does, first-visit caching (false, the clean game: each move its own cost, when made; true reproduces OpenSpiel's values, and is needed by with-congestion unless only-distribution-reward)"`
	// OpenSpielUniformStart reads the t = 0 crowd term at the uniform 1/N², as OpenSpiel does, a
	// compatibility switch; false (the default) reads μ_0.
	OpenSpielUniformStart bool `yaml:"openspiel-uniform-start" range:"true or false" help:"compatibility: read the crowd term and congestion at t = 0 from the uniform 1/N², as OpenSpiel does (false, the clean game: from μ_0; true reproduces OpenSpiel's values)"`
}

// DefaultCrowdModelling2DParams are OpenSpiel's defaults (size 10, horizon 10, no list given,
// noise intensity 1, crowd-aversion coefficient 1) with the clean accounting: OpenSpielCosts and
// OpenSpielUniformStart false (set both for OpenSpiel's values).
func DefaultCrowdModelling2DParams() CrowdModelling2DParams {
	return CrowdModelling2DParams{Size: 10, Horizon: 10, Grid: "none", NoiseIntensity: 1, CrowdAversionCoef: 1}
}

// crowd2DSetting is one of OpenSpiel's factory settings crowd_modelling_2d_four_rooms and
// crowd_modelling_2d_maze (python/mfg/games/factory.py): the grid, its size, the horizon, one
// agent starting at (1, 1), and only the crowd term rewarded; OpenSpiel's accounting off, as in
// every default (openspiel-uniform-start: true gives OpenSpiel's values).
func crowd2DSetting(grid string, horizon int) CrowdModelling2DParams {
	p := DefaultCrowdModelling2DParams()
	p.Size, p.Horizon, p.Grid = len(crowd2DGrids[grid]), horizon, grid
	p.InitialDistribution, p.InitialDistributionValue = [][]int{{1, 1}}, []float64{1}
	p.OnlyDistributionReward = true
	return p
}

// GameSize is size² cells × 5 moves × horizon times, each row reaching at most 5 cells; the moves
// are fixed, and the game keeps the first-visit move of every (x, y, t).
func (p CrowdModelling2DParams) GameSize() Size {
	S, H := float64(p.Size)*float64(p.Size), float64(p.Horizon)
	return Size{States: S, Actions: 5, Times: H, Successors: min(5, S), SharedMoves: true,
		Extra: 9*H*S + 256*H, Params: []string{"size", "horizon"}}
}

// Validate names the first parameter out of range.
func (p CrowdModelling2DParams) Validate() error {
	switch {
	case p.Size < 1 || p.Size > 1000:
		return fmt.Errorf("size = %d: must be in 1..1000", p.Size)
	case p.Horizon < 1:
		return fmt.Errorf("horizon = %d: must be at least 1 (the number of time steps)", p.Horizon)
	case !(p.NoiseIntensity >= 0 && p.NoiseIntensity <= 1):
		return fmt.Errorf("noise-intensity = %v: must be in [0, 1]", p.NoiseIntensity)
	case math.IsNaN(p.CrowdAversionCoef) || math.IsInf(p.CrowdAversionCoef, 0):
		return fmt.Errorf("crowd-aversion-coef = %v: must be finite", p.CrowdAversionCoef)
	case p.WithCongestion && !p.OpenSpielCosts && !p.OnlyDistributionReward:
		return fmt.Errorf("with-congestion needs openspiel-costs: true (add it to the parameters): the congested cost of a move is charged at the density of the cell it reaches, at the next time, which a stage at μ_t cannot know")
	}
	if err := p.validateWalls(); err != nil {
		return err
	}
	if err := checkPairs("positional-reward", p.PositionalReward, p.Size); err != nil {
		return err
	}
	if len(p.PositionalRewardValue) != len(p.PositionalReward) {
		return fmt.Errorf("positional-reward-value has %d values for %d points: must have one per point", len(p.PositionalRewardValue), len(p.PositionalReward))
	}
	for i, v := range p.PositionalRewardValue {
		if f := float32(v); math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
			return fmt.Errorf("positional-reward-value[%d] = %v: must be finite as a float32", i, v)
		}
	}
	if err := checkPairs("initial-distribution", p.InitialDistribution, p.Size); err != nil {
		return err
	}
	if len(p.InitialDistributionValue) != len(p.InitialDistribution) {
		return fmt.Errorf("initial-distribution-value has %d values for %d pairs: must have one per pair", len(p.InitialDistributionValue), len(p.InitialDistribution))
	}
	if len(p.InitialDistribution) > 0 {
		mu := make([]float64, len(p.InitialDistributionValue))
		for i, v := range p.InitialDistributionValue {
			mu[i] = float64(float32(v))
		}
		if err := mfg.CheckDistribution("initial-distribution-value (as float32)", mu); err != nil {
			return err
		}
	}
	return nil
}

// validateWalls checks the grid and the forbidden cells, and that no agent starts on one: neither
// at the cell OpenSpiel checks (a pair [a, b] read as (a, b)) nor where it starts (b, a), where
// OpenSpiel would leave its position unset.
func (p CrowdModelling2DParams) validateWalls() error {
	if _, ok := crowd2DGrids[p.Grid]; !ok && p.Grid != "none" {
		return fmt.Errorf("grid = %q: must be none, four-rooms or maze", p.Grid)
	}
	if n := len(crowd2DGrids[p.Grid]); n > 0 && n != p.Size {
		return fmt.Errorf("grid = %s is %d × %d: needs size = %d, not %d", p.Grid, n, n, n, p.Size)
	}
	if err := checkPairs("forbidden-states", p.ForbiddenStates, p.Size); err != nil {
		return err
	}
	walls := append(Crowd2DGridWalls(p.Grid), p.ForbiddenStates...)
	if len(walls) > 0 && len(p.InitialDistribution) == 0 {
		return fmt.Errorf("forbidden cells need an initial-distribution: OpenSpiel's uniform start would put agents on the walls")
	}
	if err := checkPairs("initial-distribution", p.InitialDistribution, p.Size); err != nil {
		return err
	}
	for _, w := range walls {
		for i, ab := range p.InitialDistribution {
			if (ab[0] == w[0] && ab[1] == w[1]) || (ab[1] == w[0] && ab[0] == w[1]) {
				return fmt.Errorf("initial-distribution[%d] = %v: the pair or the cell (%d, %d) where it starts is forbidden", i, ab, ab[1], ab[0])
			}
		}
	}
	return nil
}

// checkPairs checks that every item of a list of positions is a pair inside the N × N grid.
func checkPairs(name string, pairs [][]int, N int) error {
	for i, xy := range pairs {
		if len(xy) != 2 {
			return fmt.Errorf("%s[%d] = %v: must be a pair [x, y]", name, i, xy)
		}
		if xy[0] < 0 || xy[0] >= N || xy[1] < 0 || xy[1] >= N {
			return fmt.Errorf("%s[%d] = %v: both coordinates must be in 0..size-1 = %d", name, i, xy, N-1)
		}
	}
	return nil
}

// crowd2DMoves are OpenSpiel's actions 0..4 (and noise outcomes): their displacements and names.
var crowd2DMoves = [5]struct {
	name   string
	dx, dy int
}{{"down", 0, -1}, {"left", -1, 0}, {"stay", 0, 0}, {"right", 1, 0}, {"up", 0, 1}}

// crowd2DNeutral is the action that does not move, OpenSpiel's kNeutralAction.
const crowd2DNeutral = 2

// crowd2DEpsilon is OpenSpiel's kEpsilon, a C++ float 1e-25 (1.0000000195414814e-25 as a double).
var crowd2DEpsilon = float64(float32(1e-25))

// CrowdModelling2D is OpenSpiel's 2-D crowd modelling mean-field game (mfg_crowd_modelling_2d).
// An agent on an N × N torus, at cell (x, y) with flat index s = x·N + y, makes horizon decisions
// t = 0..H-1: it moves by one of down (0, -1), left (-1, 0), stay, right (+1, 0), up (0, +1),
// modulo N; then noise moves it again: with probability ν/L by each of the L moves legal where it
// stands, plus 1 - ν to staying (ν the noise intensity). At each decision it collects, on arrival,
//
//	r_t(x, y) = r_x + r_y + r_a - c log(μ_t(x, y) + ε),   r_x = 1 - Σ_i (2 v_i/N) |x - px_i|,
//	r_y = 1 - Σ_i (2 v_i/N) |y - py_i|,   r_a = -(|dx| + |dy|)/N of the previous decision's move,
//
// over the positional-reward points (px_i, py_i) with values v_i (the centre (N/2, N/2) with
// value 1 if none; a plain, not toroidal, distance), r_a times μ_t(x, y) with congestion, and only
// the crowd term with only-distribution-reward; ε is a float32 1e-25. Nothing is collected after
// the last decision. As a finite-horizon game here: T = H-1.
//
// OpenSpiel quirks kept, each behind a switch where it changes the game (the switches are off by
// default: the clean game):
//   - OpenSpielCosts (compatibility, off by default): OpenSpiel's evaluation caches node values
//     by a string that omits the previous move, so every (x, y, t) is charged the move of the first depth-first path
//     reaching it (initial cells by flat index k with x = k mod N, y = k div N; actions 0..4 in
//     order, legal ones only; noises in the order of the legal moves), whatever the action.
//     Without it, each move's cost is charged when made (for t < T); with-congestion then needs it
//     (outside only-distribution-reward), and says so.
//   - OpenSpielUniformStart (compatibility, off by default): at t = 0 OpenSpiel's state still
//     holds the uniform 1/N² over all cells, not μ_0, so the crowd term (and the congestion factor) at t = 0 read 1/N².
//     Without it they read μ_0.
//   - The initial pairs [a, b] start at (x, y) = (b, a): OpenSpiel numbers the pair's outcome
//     k = b + a·N and decodes k as x = k mod N, y = k div N.
//   - List values are rounded to float32, as OpenSpiel parses them.
type CrowdModelling2D struct {
	p CrowdModelling2DParams
	// forbidden[s] marks the walls; legal[s*5+a] the actions whose target is not a wall.
	forbidden, legal []bool
	walls            bool // some cell is forbidden
	name             string
	mu0              []float64
	// firstMove[t][s] is the previous action on OpenSpiel's first visit of (s, t).
	firstMove [][]int
	// rx[x] and ry[y] are the positional rewards.
	rx, ry []float64
	moves  *mfg.MDP
}

// NewCrowdModelling2D validates p and returns the game.
func NewCrowdModelling2D(p CrowdModelling2DParams) (*CrowdModelling2D, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	N := p.Size
	g := &CrowdModelling2D{p: p, forbidden: make([]bool, N*N), name: "crowd-modelling-2d"}
	for _, w := range append(Crowd2DGridWalls(p.Grid), p.ForbiddenStates...) {
		g.forbidden[w[0]*N+w[1]] = true
		g.walls = true
	}
	g.legal = crowd2DLegal(N, g.forbidden)
	g.mu0 = crowd2DInitial(p)
	g.rx, g.ry = crowd2DPositional(p)
	g.firstMove = firstVisit2D(N, p.Horizon, g.mu0Outcomes(), g.legal)
	var err error
	if g.moves, err = g.buildMoves(); err != nil {
		return nil, err
	}
	return g, nil
}

// crowd2DTarget is the flat index x·N + y of the cell reached from s by the move of action a.
func crowd2DTarget(N, s, a int) int {
	x, y := s/N, s%N
	m := crowd2DMoves[a]
	return mod(x+m.dx, N)*N + mod(y+m.dy, N)
}

// crowd2DLegal returns the legal actions of every cell: those whose target is not forbidden. On a
// forbidden cell, which no agent reaches, only staying is legal.
func crowd2DLegal(N int, forbidden []bool) []bool {
	legal := make([]bool, N*N*5)
	for s := range forbidden {
		for a := range crowd2DMoves {
			legal[s*5+a] = !forbidden[crowd2DTarget(N, s, a)]
		}
		if forbidden[s] {
			clear(legal[s*5 : s*5+5])
			legal[s*5+crowd2DNeutral] = true
		}
	}
	return legal
}

// crowd2DInitial is μ_0: uniform over the N² cells without initial pairs; else the pair [a, b]
// puts its float32 value on cell (b, a), flat index b·N + a.
func crowd2DInitial(p CrowdModelling2DParams) []float64 {
	N := p.Size
	if len(p.InitialDistribution) == 0 {
		return mu0OrUniform(nil, N*N)
	}
	mu := make([]float64, N*N)
	for i, ab := range p.InitialDistribution {
		mu[ab[1]*N+ab[0]] += float64(float32(p.InitialDistributionValue[i]))
	}
	return mu
}

// mu0Outcomes are OpenSpiel's initial chance outcomes as flat indices x·N + y, in its order:
// increasing k = x + y·N (every cell without initial pairs, else the pairs' cells, a cell listed
// twice visited once).
func (g *CrowdModelling2D) mu0Outcomes() []int {
	N := g.p.Size
	var out []int
	for k := 0; k < N*N; k++ {
		x, y := k%N, k/N
		if len(g.p.InitialDistribution) == 0 || g.mu0Listed(x, y) {
			out = append(out, x*N+y)
		}
	}
	return out
}

// mu0Listed reports whether an initial pair starts at (x, y) (its value may be 0: OpenSpiel still
// lists, and visits, the outcome).
func (g *CrowdModelling2D) mu0Listed(x, y int) bool {
	for _, ab := range g.p.InitialDistribution {
		if ab[1] == x && ab[0] == y {
			return true
		}
	}
	return false
}

// crowd2DPositional returns r_x for x = 0..N-1 and r_y for y = 0..N-1, subtracted term by term as
// OpenSpiel does: r -= (2·v_i/N)·|x - px_i|.
func crowd2DPositional(p CrowdModelling2DParams) (rx, ry []float64) {
	N := p.Size
	pts, vals := p.PositionalReward, p.PositionalRewardValue
	if len(pts) == 0 {
		pts, vals = [][]int{{N / 2, N / 2}}, []float64{1}
	}
	rx, ry = make([]float64, N), make([]float64, N)
	for x := range rx {
		rx[x], ry[x] = 1, 1
		for i, pt := range pts {
			w := 2.0 * float64(float32(vals[i])) / float64(N)
			rx[x] -= w * math.Abs(float64(x-pt[0]))
			ry[x] -= w * math.Abs(float64(x-pt[1]))
		}
	}
	return rx, ry
}

// noise returns the cells the noise reaches from s and their probabilities, in the order of the
// legal moves at s: ν/L each, 1 - ν + ν/L for staying (OpenSpiel's ChanceOutcomes).
func (g *CrowdModelling2D) noise(s int, yield func(to int, p float64)) {
	N, nu := g.p.Size, g.p.NoiseIntensity
	L := 0
	for _, ok := range g.legal[s*5 : s*5+5] {
		if ok {
			L++
		}
	}
	prob := nu / float64(L)
	for e := range crowd2DMoves {
		switch {
		case !g.legal[s*5+e]:
		case e == crowd2DNeutral:
			yield(crowd2DTarget(N, s, e), 1.0-nu+prob)
		default:
			yield(crowd2DTarget(N, s, e), prob)
		}
	}
}

// firstVisit2D returns, as [t][s], the previous action with which OpenSpiel's depth-first
// evaluation first reaches the decision node (s, t) (openSpielFirstVisit): initial cells in the
// order given, actions 0..4 where legal, then the noises in the order of the legal moves where the
// move lands. Nodes at t = 0 and unreachable ones keep the neutral action.
func firstVisit2D(N, H int, starts []int, legal []bool) [][]int {
	return openSpielFirstVisit(N*N, H, len(crowd2DMoves), crowd2DNeutral, starts, func(s, a int, yield func(int)) {
		if !legal[s*5+a] {
			return
		}
		p := crowd2DTarget(N, s, a)
		for e := range crowd2DMoves {
			if legal[p*5+e] {
				yield(crowd2DTarget(N, p, e))
			}
		}
	})
}

// buildMoves returns the transitions: for a legal action, its move then the noise where it lands,
// cells reached twice merged (probabilities added in outcome order); an illegal action's row stays
// put, a placeholder whose values no policy or value reads.
func (g *CrowdModelling2D) buildMoves() (*mfg.MDP, error) {
	N := g.p.Size
	b := mfg.NewMDPBuilder(N*N, 5, 0)
	var to []int
	var prob []float64
	for s := 0; s < N*N; s++ {
		for a := range crowd2DMoves {
			if !g.legal[s*5+a] {
				b.Add(s, 1)
				b.EndRow()
				continue
			}
			to, prob = to[:0], prob[:0]
			g.noise(crowd2DTarget(N, s, a), func(y int, p float64) {
				for i, z := range to {
					if z == y {
						prob[i] += p
						return
					}
				}
				to, prob = append(to, y), append(prob, p)
			})
			for i, y := range to {
				b.Add(y, prob[i])
			}
			b.EndRow()
		}
	}
	return b.BuildStage()
}

// Legal is the mask of legal actions (mfg.LegalActions): the moves whose target is not a wall
// (only staying on a wall, which no agent reaches); nil without walls.
func (g *CrowdModelling2D) Legal() []bool {
	if !g.walls {
		return nil
	}
	return g.legal
}

// Forbidden reports whether cell s is a wall.
func (g *CrowdModelling2D) Forbidden(s int) bool { return g.forbidden[s] }

// FirstVisitMoves returns OpenSpiel's first-visit previous action of every (s, t), as [t][s].
func (g *CrowdModelling2D) FirstVisitMoves() [][]int { return g.firstMove }

// Name is the name the game was registered under: crowd-modelling-2d, or its four-rooms or maze
// setting.
func (g *CrowdModelling2D) Name() string { return g.name }

func (g *CrowdModelling2D) Horizon() int       { return g.p.Horizon - 1 }
func (g *CrowdModelling2D) StateShape() []int  { return []int{g.p.Size, g.p.Size} }
func (g *CrowdModelling2D) ActionShape() []int { return []int{5} }
func (g *CrowdModelling2D) States() int        { return mfg.Size(g.StateShape()) }
func (g *CrowdModelling2D) Actions() int       { return mfg.Size(g.ActionShape()) }

// StateLabel is the cell "(x, y)".
func (g *CrowdModelling2D) StateLabel(s int) string { return cellLabel(mfg.Shape(g.StateShape()), s) }

// ActionLabel names the move: down (y-1), left (x-1), stay, right (x+1), up (y+1), modulo N.
func (g *CrowdModelling2D) ActionLabel(a int) string { return crowd2DMoves[a].name }

// Move is the action's displacement (dx, dy), before the noise.
func (g *CrowdModelling2D) Move(a int) []float64 {
	return []float64{float64(crowd2DMoves[a].dx), float64(crowd2DMoves[a].dy)}
}

// InitialStates is μ_0 (see CrowdModelling2D).
func (g *CrowdModelling2D) InitialStates() []float64 { return append([]float64(nil), g.mu0...) }

// Moves returns the moves, the same at every time and population (mfg.FixedMoves).
func (g *CrowdModelling2D) Moves(int) *mfg.MDP { return g.moves }

// Stage returns the rewards at L_t and the (fixed) moves. The reward of a cell is the same for
// all its actions, except without OpenSpielCosts, where a move's cost is charged when made.
func (g *CrowdModelling2D) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	N, S := g.p.Size, g.p.Size*g.p.Size
	mu := L.StateMarginal(nil)
	if t == 0 && g.p.OpenSpielUniformStart {
		mu = mu0OrUniform(nil, S)
	}
	st := *g.moves
	st.Reward = make([]float64, S*5)
	eps, c := crowd2DEpsilon, g.p.CrowdAversionCoef
	// The logarithms, four at a time, in the last S rewards, which the loop below reads before it
	// overwrites them: cell s writes st.Reward[5s..5s+4], below st.Reward[4S+s+1].
	lg := st.Reward[4*S : 5*S]
	for s := range lg {
		lg[s] = mu[s] + eps
	}
	fastmath.LogInto(lg, lg)
	for s := 0; s < S; s++ {
		rmu := -c * lg[s]
		for a := range crowd2DMoves {
			if g.p.OnlyDistributionReward {
				st.Reward[s*5+a] = rmu
				continue
			}
			move := g.firstMove[t][s]
			if !g.p.OpenSpielCosts {
				move = crowd2DNeutral
			}
			ra := g.moveCost(move)
			if g.p.WithCongestion {
				ra *= mu[s]
			}
			r := g.rx[s/N] + g.ry[s%N] + ra + rmu
			if !g.p.OpenSpielCosts && t < g.Horizon() {
				r += g.moveCost(a)
			}
			st.Reward[s*5+a] = r
		}
	}
	return &st, nil
}

// moveCost is -(|dx| + |dy|)/N for action a, as OpenSpiel computes it.
func (g *CrowdModelling2D) moveCost(a int) float64 {
	m := crowd2DMoves[a]
	return -1.0 * (math.Abs(float64(m.dx)) + math.Abs(float64(m.dy))) / float64(g.p.Size)
}

// crowd2DNamed builds the game under a setting's name.
func crowd2DNamed(name string) func(CrowdModelling2DParams) (mfg.Finite, error) {
	return func(p CrowdModelling2DParams) (mfg.Finite, error) {
		g, err := NewCrowdModelling2D(p)
		if err == nil {
			g.name = name
		}
		return g, err
	}
}

func init() {
	Register("crowd-modelling-2d", "agents on a torus prefer given points and avoid crowds (OpenSpiel's 2-D game)",
		"OpenSpiel mfg_crowd_modelling_2d (open_spiel/games/mfg/crowd_modelling_2d.cc)", DefaultCrowdModelling2DParams,
		func(p CrowdModelling2DParams) (mfg.Finite, error) { return NewCrowdModelling2D(p) })
	Register("crowd-modelling-2d-four-rooms", "crowd-modelling-2d in OpenSpiel's FOUR_ROOMS grid, rewarding only the crowd term",
		"OpenSpiel crowd_modelling_2d_four_rooms (open_spiel/python/mfg/games/factory.py, crowd_modelling_2d.py)",
		func() CrowdModelling2DParams { return crowd2DSetting("four-rooms", 40) }, crowd2DNamed("crowd-modelling-2d-four-rooms"))
	Register("crowd-modelling-2d-maze", "crowd-modelling-2d in OpenSpiel's MAZE grid, rewarding only the crowd term",
		"OpenSpiel crowd_modelling_2d_maze (open_spiel/python/mfg/games/factory.py, crowd_modelling_2d.py)",
		func() CrowdModelling2DParams { return crowd2DSetting("maze", 100) }, crowd2DNamed("crowd-modelling-2d-maze"))
}
