package games

import (
	"fmt"
	"math"
	"math/bits"
	"meanfield/internal/nprand"
	"slices"
	"strconv"

	"meanfield/mfg"
)

// GarnetParams are the parameters of OpenSpiel's mean-field Garnet game (mfg_garnet).
type GarnetParams struct {
	Size            int     `yaml:"size" range:"1 ≤ size ≤ 1000000" help:"number of states S"`
	Horizon         int     `yaml:"horizon" range:"1 ≤ horizon ≤ 1000000" help:"number of time steps H ≥ 1, t = 0..H-1 (OpenSpiel's horizon)"`
	Seed            int64   `yaml:"seed" range:"-2147483648 ≤ seed ≤ 2147483647" max:"-" help:"seed of std::mt19937 (a C++ int, as in OpenSpiel)"`
	NumAction       int     `yaml:"num-action" range:"1 ≤ num-action ≤ 1000000" help:"number of actions A"`
	NumChanceAction int     `yaml:"num-chance-action" range:"1 ≤ num-chance-action ≤ 1000000" help:"number of random next states K drawn per (state, action)"`
	SparsityFactor  float64 `yaml:"sparsity-factor" range:"finite" help:"a (state, action) has a random reward in [0, 1) with probability sparsity-factor, else 0"`
	Eta             float64 `yaml:"eta" range:"finite" help:"weight η of the crowd term -η log(μ_t(x) + ε)"`
	// OpenSpielCosts charges the rewards of actions as OpenSpiel's evaluation does (see Garnet), a
	// compatibility switch; false (the default) charges each action its own reward.
	OpenSpielCosts bool `yaml:"openspiel-costs" range:"true or false" help:"compatibility: charge action rewards as OpenSpiel's evaluation does, first-visit caching (false, the clean game: each action its own reward; true reproduces OpenSpiel's values)"`
}

// DefaultGarnetParams are OpenSpiel's defaults: S = 10, H = 10, seed 0, A = 3, K = 3,
// sparsity factor 1, η = 1, with each action charged its own reward (OpenSpielCosts false; set
// it for OpenSpiel's values).
func DefaultGarnetParams() GarnetParams {
	return GarnetParams{Size: 10, Horizon: 10, NumAction: 3, NumChanceAction: 3, SparsityFactor: 1, Eta: 1}
}

// Validate names the first parameter out of range.
func (p GarnetParams) Validate() error {
	switch {
	case p.Size < 1 || p.Size > 1000000:
		return fmt.Errorf("size = %d: must be between 1 and 1000000", p.Size)
	case p.Horizon < 1 || p.Horizon > 1000000:
		return fmt.Errorf("horizon = %d: must be between 1 and 1000000 (the number of time steps)", p.Horizon)
	case p.Seed < math.MinInt32 || p.Seed > math.MaxInt32:
		return fmt.Errorf("seed = %d: must be a C++ int, between -2147483648 and 2147483647", p.Seed)
	case p.NumAction < 1 || p.NumAction > 1000000:
		return fmt.Errorf("num-action = %d: must be between 1 and 1000000", p.NumAction)
	case p.NumChanceAction < 1 || p.NumChanceAction > 1000000:
		return fmt.Errorf("num-chance-action = %d: must be between 1 and 1000000", p.NumChanceAction)
	case math.IsNaN(p.SparsityFactor) || math.IsInf(p.SparsityFactor, 0):
		return fmt.Errorf("sparsity-factor = %v: must be finite", p.SparsityFactor)
	case math.IsNaN(p.Eta) || math.IsInf(p.Eta, 0):
		return fmt.Errorf("eta = %v: must be finite", p.Eta)
	}
	return nil
}

// GameSize is S states × A actions × H times, each row reaching at most min(K, S) states; the
// transitions are fixed, and the game keeps the generated tables (S·A·K next states and
// probabilities, S·A rewards) and OpenSpiel's first-visit action of every (x, t).
func (p GarnetParams) GameSize() Size {
	S, A, K, H := float64(p.Size), float64(p.NumAction), float64(p.NumChanceAction), float64(p.Horizon)
	return Size{States: S, Actions: A, Times: H, Successors: min(K, S), SharedMoves: true,
		Extra: 24*S*A*K + 16*S*A + 9*H*S + 256*H, Params: []string{"size", "horizon", "num-action", "num-chance-action"}}
}

// garnetEpsilon is OpenSpiel's kEpsilon, the float 1e-25f read as a double.
var garnetEpsilon = float64(float32(1e-25))

// Garnet is OpenSpiel's mean-field Garnet (mfg_garnet; Geist et al. 2022, arXiv 2103.00623,
// section 5.1): a random MDP with a crowd-aversion reward. States x ∈ {0..S-1}, actions
// a ∈ {0..A-1}; from (x, a) the next state is y_k(x, a) with probability p_k(x, a), k = 0..K-1,
// and a decision at (x, t) collects
//
//	r(x, a) - η log(μ_t(x) + ε),   ε = 1e-25 as a C++ float,
//
// with r(x, a) ∈ [0, 1). The tables are drawn from std::mt19937(seed) through Abseil's samplers
// exactly as OpenSpiel draws them (see newGarnetTables), including its index quirk: the table
// drawn for the pair number i·A + j is read as the pair (x, a) with x + S·a = i·A + j.
//
// OpenSpiel collects r(x, a) one decision late, with the previous action a (0 before the first
// decision; the last action's r is never collected), and caches a decision node's value by a
// string "(x, t)" that omits it: every (x, t) is charged r(x, a*) for a* the previous action on
// the first depth-first visit (initial states in order, actions 0..A-1, chance outcomes
// 0..K-1). With OpenSpielCosts (a compatibility switch, off by default) rewards are those,
// independent of the action, and reproduce OpenSpiel's values; without it (the default), each
// decision collects r(x, a) of its own action.
// As a finite-horizon game T = H-1.
type Garnet struct {
	p     GarnetParams
	t     garnetTables
	first [][]int // first[t][x]: the previous action on OpenSpiel's first visit of (x, t)
	moves *mfg.MDP
}

// garnetTables are the generated tables in OpenSpiel's read order: pair (x, a) is index
// i = x + S·a, its reward reward[i], its next states next[i·K+k] with probability prob[i·K+k].
type garnetTables struct {
	reward, prob []float64
	next         []int
}

// NewGarnet validates p, generates the tables and returns the game.
func NewGarnet(p GarnetParams) (*Garnet, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	S, A, K := p.Size, p.NumAction, p.NumChanceAction
	g := &Garnet{p: p, t: newGarnetTables(p)}
	g.first = openSpielFirstVisit(S, p.Horizon, A, 0, nil, func(x, a int, yield func(int)) {
		for _, y := range g.t.next[(x+S*a)*K : (x+S*a+1)*K] {
			yield(y)
		}
	})
	b := mfg.NewMDPBuilder(S, A, 0)
	row := newMergedRow(S, min(K, S))
	for x := 0; x < S; x++ {
		for a := 0; a < A; a++ {
			ys, ps := g.Transition(x, a)
			for k, y := range ys { // merged in the outcomes' order, as OpenSpiel adds them
				row.add(y, ps[k])
			}
			row.flush(b)
		}
	}
	var err error
	if g.moves, err = b.BuildStage(); err != nil {
		return nil, err
	}
	return g, nil
}

// newGarnetTables draws OpenSpiel's tables. With U() = absl::Uniform<double>(rng, 0, 1) and
// I(S) = absl::Uniform<int>(rng, 0, S), for i = 0..S-1 and j = 0..A-1 (pair number b = i·A + j):
// the reward is U() if a first U() < sparsity-factor, else 0; K-1 cut points U() with 0 and 1,
// sorted, give the K gaps g_k; after each gap k, y_k = I(S). p_k = g_k / Σ_k g_k (summed in k
// order). Pair number b is stored at index b, which OpenSpiel reads as x + S·a.
func newGarnetTables(p GarnetParams) garnetTables {
	S, A, K := p.Size, p.NumAction, p.NumChanceAction
	rng := nprand.NewMT19937(uint32(int32(p.Seed))) // a C++ int converted to the engine's unsigned seed
	t := garnetTables{reward: make([]float64, S*A), prob: make([]float64, S*A*K), next: make([]int, S*A*K)}
	cdf := make([]float64, K+1)
	for b := 0; b < S*A; b++ {
		if abslUniformDouble(rng) < p.SparsityFactor {
			t.reward[b] = abslUniformDouble(rng)
		}
		cdf[0], cdf[1] = 0, 1
		for k := 2; k <= K; k++ {
			cdf[k] = abslUniformDouble(rng)
		}
		slices.Sort(cdf)
		norm := 0.0
		for k := 0; k < K; k++ {
			gap := cdf[k+1] - cdf[k]
			norm += gap
			t.prob[b*K+k] = gap
			t.next[b*K+k] = abslUniformInt(rng, S)
		}
		for k := 0; k < K; k++ {
			t.prob[b*K+k] /= norm
		}
	}
	return t
}

// abslUniformDouble is absl::Uniform<double>(rng, 0, 1) on a 32-bit engine: B = g1·2³² + g2 from
// two draws (the first in the high half), and B/2⁶⁴ truncated to 53 significant bits (0 when
// B = 0), as absl's GenerateRealFromBits makes it.
func abslUniformDouble(rng *nprand.MT19937) float64 {
	hi := uint64(rng.Uint32())
	B := hi<<32 | uint64(rng.Uint32())
	if B == 0 {
		return 0
	}
	clz := bits.LeadingZeros64(B)
	m := (B << clz) >> 11 // the 53 leading bits, the top one set
	return math.Ldexp(float64(m), -53-clz)
}

// abslUniformInt is absl::Uniform<int>(rng, 0, n): one 32-bit draw g, g mod n for n a power of
// two, else Lemire's method (the high half of g·n, redrawn while the low half is below
// (2³² - n) mod n).
func abslUniformInt(rng *nprand.MT19937, n int) int {
	lim := uint32(n)
	g := rng.Uint32()
	if (lim-1)&lim == 0 {
		return int(g & (lim - 1))
	}
	prod := uint64(g) * uint64(lim)
	if uint32(prod) < lim {
		threshold := -lim % lim
		for uint32(prod) < threshold {
			prod = uint64(rng.Uint32()) * uint64(lim)
		}
	}
	return int(prod >> 32)
}

// Reward returns r(x, a) as OpenSpiel reads it (after the index quirk).
func (g *Garnet) Reward(x, a int) float64 { return g.t.reward[x+g.p.Size*a] }

// Transition returns the K next states of (x, a) and their probabilities, in OpenSpiel's
// chance-outcome order.
func (g *Garnet) Transition(x, a int) (next []int, prob []float64) {
	i, K := x+g.p.Size*a, g.p.NumChanceAction
	return g.t.next[i*K : (i+1)*K], g.t.prob[i*K : (i+1)*K]
}

// FirstVisitActions returns OpenSpiel's first-visit previous action of every (x, t), as [t][x].
func (g *Garnet) FirstVisitActions() [][]int { return g.first }

func (g *Garnet) Name() string       { return "garnet" }
func (g *Garnet) Horizon() int       { return g.p.Horizon - 1 }
func (g *Garnet) StateShape() []int  { return []int{g.p.Size} }
func (g *Garnet) ActionShape() []int { return []int{g.p.NumAction} }
func (g *Garnet) States() int        { return mfg.Size(g.StateShape()) }
func (g *Garnet) Actions() int       { return mfg.Size(g.ActionShape()) }

// StateLabel is the state's number, "0".."S-1".
func (g *Garnet) StateLabel(s int) string { return strconv.Itoa(s) }

// ActionLabel is "a0".."a(A-1)": the actions have no meaning beyond their tables.
func (g *Garnet) ActionLabel(a int) string { return "a" + strconv.Itoa(a) }

// InitialStates is uniform, OpenSpiel's initial chance node.
func (g *Garnet) InitialStates() []float64 { return mu0OrUniform(nil, g.p.Size) }

// Moves returns the transitions, the same at every time and population (mfg.FixedMoves).
func (g *Garnet) Moves(t int) *mfg.MDP { return g.moves }

// Stage returns the rewards at L_t and the (fixed) transitions.
func (g *Garnet) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	S, A := g.p.Size, g.p.NumAction
	st := *g.moves
	st.Reward = make([]float64, S*A)
	for x := 0; x < S; x++ {
		crowd := -math.Log(stateMass(L, x) + garnetEpsilon)
		for a := 0; a < A; a++ {
			r := g.Reward(x, a)
			if g.p.OpenSpielCosts {
				r = g.Reward(x, g.first[t][x])
			}
			st.Reward[x*A+a] = r + g.p.Eta*crowd
		}
	}
	return &st, nil
}

func init() {
	Register("garnet", "a random MDP drawn from a seed, with crowd aversion (OpenSpiel's Garnet)",
		"OpenSpiel mfg_garnet (games/mfg/garnet.cc; Geist et al. 2022)", DefaultGarnetParams,
		func(p GarnetParams) (mfg.Finite, error) { return NewGarnet(p) })
}
