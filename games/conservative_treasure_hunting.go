package games

import (
	"fmt"
	"math"
	"strconv"

	"meanfield/mfg"
)

// ConservativeTreasureHuntingParams are the parameters of the conservative treasure hunting game
// (MFGLib's names and defaults).
type ConservativeTreasureHuntingParams struct {
	T int `yaml:"T" range:"0 ≤ T ≤ 1000000, equal to the length of c" help:"last time step T ≥ 0: T+1 time steps t = 0..T (must equal the length of c)"`
	N int `yaml:"n" range:"1 ≤ n ≤ 1000000, equal to the length of r" help:"number of sites (must equal the length of r)"`
	// R holds the treasure at each of the n sites.
	R []float64 `yaml:"r" range:"n finite numbers" help:"treasure r_s at each of the n sites"`
	// C holds the T conformity coefficients c_1..c_T; transitions at time t >= 1 use c_t.
	C []float64 `yaml:"c" range:"T numbers ≥ 0, finite" help:"conformity coefficients c_1..c_T ≥ 0: a larger c_t makes moves at t noisier"`
	// Mu0 is the initial distribution over the n sites; empty means uniform.
	Mu0 []float64 `yaml:"mu0" range:"empty (uniform), or n probabilities summing to 1" help:"initial distribution μ0 over the n sites (empty: uniform)"`
}

// DefaultConservativeTreasureHuntingParams is MFGLib's default: T = 5, n = 3, r = (1, 1, 1),
// c = (1, 1, 1, 1, 1).
func DefaultConservativeTreasureHuntingParams() ConservativeTreasureHuntingParams {
	return ConservativeTreasureHuntingParams{T: 5, N: 3, R: []float64{1, 1, 1}, C: []float64{1, 1, 1, 1, 1}}
}

// GameSize is n sites × n choices × T+1 times, every row dense (n successors) from t = 1 on; the
// transitions depend on the population.
func (p ConservativeTreasureHuntingParams) GameSize() Size {
	n := float64(p.N)
	return Size{States: n, Actions: n, Times: float64(p.T) + 1, Successors: n,
		Extra: 32 * n * n, Params: []string{"n", "T"}}
}

// Validate names the first parameter out of range: MFGLib's checks (n = len(r), T = len(c)) and
// those without which the transitions are not probabilities (c >= 0).
func (p ConservativeTreasureHuntingParams) Validate() error {
	switch {
	case p.T < 0:
		return fmt.Errorf("last time step T = %d: must be non-negative (time steps t = 0..T)", p.T)
	case p.N < 1:
		return fmt.Errorf("n = %d: there must be at least 1 site", p.N)
	case len(p.R) != p.N:
		return fmt.Errorf("r = %v: has %d entries, n = %d: n must equal len(r)", p.R, len(p.R), p.N)
	case len(p.C) != p.T:
		return fmt.Errorf("c = %v: has %d entries, T = %d: T must equal len(c)", p.C, len(p.C), p.T)
	}
	for i, r := range p.R {
		if math.IsNaN(r) || math.IsInf(r, 0) {
			return fmt.Errorf("r = %v: entry %d = %v: must be finite", p.R, i, r)
		}
	}
	for i, c := range p.C {
		if !(c >= 0) || math.IsInf(c, 0) {
			return fmt.Errorf("c = %v: entry %d = %v: must be non-negative and finite", p.C, i, c)
		}
	}
	return checkMu0(p.Mu0, p.N)
}

// ConservativeTreasureHunting is MFGLib's conservative treasure hunting game (Guo et al. 2022):
// n sites, states and actions both the sites. With L_t the state-action distribution (an n × n
// matrix) and e_s the matrix with a single 1 at (state s, action s), the agent's distance from
// "everyone at s choosing s" is
//
//	D_t(s) = Σ_{i,j} (L_t(i, j) - e_s(i, j))².
//
// At t = 0 action a moves to site a for sure and pays nothing. At t >= 1 the agent at s moves to
// its chosen site a with probability (1 + c_t D_t(s)) / (1 + n c_t D_t(s)) and to every other
// site with probability c_t D_t(s) / (1 + n c_t D_t(s)) (the further the population is from
// conforming, the noisier the move), and collects r_s (1 - D_t(s)/2) if it chooses to stay
// (a = s), nothing otherwise. The reward at T follows the same rule (nothing if T = 0); the
// transition at T, never used, too (with c_T).
type ConservativeTreasureHunting struct {
	p     ConservativeTreasureHuntingParams
	first *mfg.MDP // t = 0: a sure move to a, no reward
}

// NewConservativeTreasureHunting validates p and returns the game.
func NewConservativeTreasureHunting(p ConservativeTreasureHuntingParams) (*ConservativeTreasureHunting, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	n := p.N
	b := mfg.NewMDPBuilder(n, n, 0)
	for s := 0; s < n; s++ {
		for a := 0; a < n; a++ {
			b.Add(a, 1)
			b.EndRow()
		}
	}
	first, err := b.BuildStage()
	if err != nil {
		return nil, err
	}
	return &ConservativeTreasureHunting{p: p, first: first}, nil
}

func (g *ConservativeTreasureHunting) Name() string       { return "conservative-treasure-hunting" }
func (g *ConservativeTreasureHunting) Horizon() int       { return g.p.T }
func (g *ConservativeTreasureHunting) StateShape() []int  { return []int{g.p.N} }
func (g *ConservativeTreasureHunting) ActionShape() []int { return []int{g.p.N} }
func (g *ConservativeTreasureHunting) States() int        { return mfg.Size(g.StateShape()) }
func (g *ConservativeTreasureHunting) Actions() int       { return mfg.Size(g.ActionShape()) }
func (g *ConservativeTreasureHunting) InitialStates() []float64 {
	return mu0OrUniform(g.p.Mu0, g.p.N)
}

// StateLabel is "site s".
func (g *ConservativeTreasureHunting) StateLabel(s int) string { return "site " + strconv.Itoa(s) }

// ActionLabel is "to site a", the site the action moves to (for sure at t = 0, most likely
// after).
func (g *ConservativeTreasureHunting) ActionLabel(a int) string {
	return "to site " + strconv.Itoa(a)
}

// Stage returns the fixed first stage at t = 0 and, at t >= 1, the rewards and transitions at L_t.
func (g *ConservativeTreasureHunting) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	st := &mfg.MDP{Reward: make([]float64, g.p.N*g.p.N)}
	if err := g.WriteStage(t, L, st); err != nil {
		return nil, err
	}
	return st, nil
}

// WriteStage writes the rewards at L_t into dst.Reward and gives dst the transitions: the fixed
// first ones at t = 0, new memory at L_t after (mfg.StageWriter).
func (g *ConservativeTreasureHunting) WriteStage(t int, L mfg.Population, dst *mfg.MDP) error {
	n := g.p.N
	if t < 0 || t > g.p.T {
		return fmt.Errorf("t = %d: outside 0..T = 0..%d", t, g.p.T)
	}
	if len(L.Mass) != n*n {
		return fmt.Errorf("population has %d entries, want %d", len(L.Mass), n*n)
	}
	reward := dst.Reward[:n*n]
	clear(reward)
	if t == 0 {
		setMoves(dst, g.first)
		return nil
	}
	// D_t(s) = Σ L² - 2 L(s, s) + 1.
	var sq float64
	for _, x := range L.Mass {
		sq += float64(x * x)
	}
	c := g.p.C[t-1]
	// The rows as MDPBuilder would build them (successors in increasing order, zeros left out),
	// in one allocation of probabilities and one of indices, or over those of the last WriteStage
	// on dst when it made them (at t = 0 they are g.first's, shared).
	rowStart, prob, next := dst.RowStart, dst.Prob, dst.Next
	if cap(rowStart) != n*n+1 || cap(prob) != n*n*n || cap(next) != n*n*n ||
		sameData(prob, g.first.Prob) || sameData(next, g.first.Next) || sameData(rowStart, g.first.RowStart) {
		vals, idx := make([]float64, n*n*n), make([]int, n*n+1+n*n*n)
		rowStart, prob, next = idx[:1:n*n+1], vals[:0], idx[n*n+1:n*n+1]
	}
	rowStart, prob, next = rowStart[:1], prob[:0], next[:0]
	rowStart[0] = 0
	m := dst
	*m = mfg.MDP{States: n, Actions: n, Reward: reward, RowStart: rowStart}
	for s := 0; s < n; s++ {
		d := sq - 2*L.Mass[s*n+s] + 1
		m.Reward[s*n+s] = g.p.R[s] * (1 - d/2)
		den := 1 + float64(float64(n)*c*d)
		other := c * d / den
		for a := 0; a < n; a++ {
			for sp := 0; sp < n; sp++ {
				pr := other
				if sp == a {
					pr += 1 / den
				}
				if pr != 0 {
					next, prob = append(next, sp), append(prob, pr)
				}
			}
			m.RowStart = append(m.RowStart, len(next))
		}
	}
	m.Next, m.Prob = next, prob
	return m.ValidateTransitions()
}

func init() {
	Register("conservative-treasure-hunting", "pick a site to dig; moves are noisier and treasure smaller the further the population is from conforming",
		"Guo et al. 2022; MFGLib 0.3.0 conservative_treasure_hunting", DefaultConservativeTreasureHuntingParams,
		func(p ConservativeTreasureHuntingParams) (mfg.Finite, error) {
			return NewConservativeTreasureHunting(p)
		})
}
