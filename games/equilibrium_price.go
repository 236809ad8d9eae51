package games

import (
	"fmt"
	"math"
	"strconv"

	"meanfield/mfg"
)

// EquilibriumPriceParams are the parameters of the equilibrium price game (MFGLib's names and
// defaults).
type EquilibriumPriceParams struct {
	T     int     `yaml:"T" range:"0 ≤ T ≤ 1000000" help:"last time step T ≥ 0: T+1 time steps t = 0..T"`
	SInv  int     `yaml:"s-inv" range:"0 ≤ s-inv ≤ 1000000" help:"inventory capacity: inventory levels 0..s-inv"`
	Q     int     `yaml:"Q" range:"0 ≤ Q ≤ 1000000" help:"largest quantity consumed Q: q in 0..Q"`
	H     int     `yaml:"H" range:"0 ≤ H ≤ 1000000" help:"largest quantity ordered H: h in 0..H"`
	D     float64 `yaml:"d" range:"d ≥ 0, finite" help:"demand scale d ≥ 0 in the price p_t = (d / (E[q] + e0))^(1/σ)"`
	E0    float64 `yaml:"e0" range:"e0 > 0, finite" help:"e0 > 0 added to the average production E[q] in the price"`
	Sigma float64 `yaml:"sigma" range:"sigma > 0, finite" help:"price elasticity σ > 0: the price is (d / (E[q] + e0))^(1/σ)"`
	// C holds the five cost coefficients (c0, c1, c2, c3, c4).
	C []float64 `yaml:"c" range:"5 finite numbers" help:"the 5 costs c0..c4: production, quadratic production, ordering, shortfall, holding"`
	// Mu0 is the initial distribution over the inventory levels 0..s-inv; empty means uniform.
	Mu0 []float64 `yaml:"mu0" range:"empty (uniform), or s-inv+1 probabilities summing to 1" help:"initial distribution μ0 over the inventory levels 0..s-inv (empty: uniform)"`
}

// DefaultEquilibriumPriceParams is MFGLib's default: T = 4, s-inv = 3, Q = H = 2, d = e0 =
// sigma = 1, c = (1, 1, 1, 1, 1).
func DefaultEquilibriumPriceParams() EquilibriumPriceParams {
	return EquilibriumPriceParams{T: 4, SInv: 3, Q: 2, H: 2, D: 1, E0: 1, Sigma: 1, C: []float64{1, 1, 1, 1, 1}}
}

// GameSize is s-inv+1 inventory levels × (Q+1)(H+1) actions × T+1 times, each a sure move; the
// moves are fixed, and the game keeps the rewards' fixed part and each action's quantity produced.
func (p EquilibriumPriceParams) GameSize() Size {
	S, A := float64(p.SInv)+1, (float64(p.Q)+1)*(float64(p.H)+1)
	return Size{States: S, Actions: A, Times: float64(p.T) + 1, Successors: 1, SharedMoves: true,
		Extra: 16 * S * A, Params: []string{"s-inv", "Q", "H", "T"}}
}

// Validate names the first parameter out of range: MFGLib's check (c unpacks into exactly five
// coefficients) and those without which the price (d / (E[q] + e0))^(1/sigma) is not a finite
// number for every population (d >= 0, e0 > 0, sigma > 0).
func (p EquilibriumPriceParams) Validate() error {
	switch {
	case p.T < 0:
		return fmt.Errorf("last time step T = %d: must be non-negative (time steps t = 0..T)", p.T)
	case p.SInv < 0:
		return fmt.Errorf("s-inv = %d: the inventory capacity must be non-negative", p.SInv)
	case p.Q < 0:
		return fmt.Errorf("largest quantity consumed Q = %d: must be non-negative", p.Q)
	case p.H < 0:
		return fmt.Errorf("largest quantity replenished H = %d: must be non-negative", p.H)
	case !(p.D >= 0) || math.IsInf(p.D, 0):
		return fmt.Errorf("d = %v: the demand scale must be non-negative and finite", p.D)
	case !(p.E0 > 0) || math.IsInf(p.E0, 0):
		return fmt.Errorf("e0 = %v: must be positive and finite (it keeps the price finite when nothing is produced)", p.E0)
	case !(p.Sigma > 0) || math.IsInf(p.Sigma, 0):
		return fmt.Errorf("sigma = %v: the elasticity must be positive and finite", p.Sigma)
	case len(p.C) != 5:
		return fmt.Errorf("c = %v: has %d entries, want the 5 coefficients (c0, c1, c2, c3, c4)", p.C, len(p.C))
	}
	for i, c := range p.C {
		if math.IsNaN(c) || math.IsInf(c, 0) {
			return fmt.Errorf("c = %v: c%d = %v: must be finite", p.C, i, c)
		}
	}
	return checkMu0(p.Mu0, p.SInv+1)
}

// EquilibriumPrice is MFGLib's equilibrium price game (Guo et al. 2022): firms hold an inventory
// s in 0..s-inv of raw material; an action (q, h) in {0..Q} × {0..H} (flattened row-major,
// a = q (H+1) + h) consumes q units to produce and sells the product, and orders h units. The
// inventory moves deterministically to min(s - min(q, s) + h, s-inv). The market price clears
// supply and demand,
//
//	p_t = (d / (Σ_{s,q,h} L_t(s, q, h) q + e0))^(1/sigma),
//
// from the population's average production, and the reward is
//
//	r(t, s, (q, h)) = (p_t - c0) q - c1 q² - c2 h - (c2 + c3) max(q - s, 0) - c4 s:
//
// revenue less production, ordering, shortfall (q beyond the stock, still sold, bought at the
// ordering cost plus a premium) and holding costs.
type EquilibriumPrice struct {
	p     EquilibriumPriceParams
	A     int
	fixed []float64 // the reward without the revenue p_t q
	// produced[s·A+a] is q, the quantity action a produces, as a float64: the price and the
	// revenue read it at every entry, where a%A/(H+1) would cost two integer divisions.
	produced []float64
	moves    *mfg.MDP
}

// NewEquilibriumPrice validates p and returns the game.
func NewEquilibriumPrice(p EquilibriumPriceParams) (*EquilibriumPrice, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	S, A := p.SInv+1, (p.Q+1)*(p.H+1)
	sh := mfg.Shape{p.Q + 1, p.H + 1}
	c0, c1, c2, c3, c4 := p.C[0], p.C[1], p.C[2], p.C[3], p.C[4]
	g := &EquilibriumPrice{p: p, A: A, fixed: make([]float64, S*A), produced: make([]float64, S*A)}
	for i := range g.produced {
		g.produced[i] = float64(i % A / (p.H + 1))
	}
	b := mfg.NewMDPBuilder(S, A, 0)
	for s := 0; s < S; s++ {
		for q := 0; q <= p.Q; q++ {
			for h := 0; h <= p.H; h++ {
				fq, fh, fs := float64(q), float64(h), float64(s)
				g.fixed[s*A+sh.Index(q, h)] = -c0*fq - c1*fq*fq - c2*fh - (c2+c3)*float64(max(q-s, 0)) - c4*fs
				b.Add(min(s-min(q, s)+h, p.SInv), 1)
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

func (g *EquilibriumPrice) Name() string       { return "equilibrium-price" }
func (g *EquilibriumPrice) Horizon() int       { return g.p.T }
func (g *EquilibriumPrice) StateShape() []int  { return []int{g.p.SInv + 1} }
func (g *EquilibriumPrice) ActionShape() []int { return []int{g.p.Q + 1, g.p.H + 1} }
func (g *EquilibriumPrice) States() int        { return mfg.Size(g.StateShape()) }
func (g *EquilibriumPrice) Actions() int       { return mfg.Size(g.ActionShape()) }
func (g *EquilibriumPrice) InitialStates() []float64 {
	return mu0OrUniform(g.p.Mu0, g.p.SInv+1)
}

// StateLabel is "stock s", the inventory level.
func (g *EquilibriumPrice) StateLabel(s int) string { return "stock " + strconv.Itoa(s) }

// ActionLabel is "produce q, order h" for the flat action a = q (H+1) + h.
func (g *EquilibriumPrice) ActionLabel(a int) string {
	H1 := g.p.H + 1
	return fmt.Sprintf("produce %d, order %d", a/H1, a%H1)
}

// Price returns p_t at the population L.
func (g *EquilibriumPrice) Price(L mfg.Population) float64 {
	var produced float64
	q := g.produced[:len(L.Mass)] // sliced once: the loop then reads it without a bounds check
	for i, x := range L.Mass {
		produced += x * q[i]
	}
	return math.Pow(g.p.D/(produced+g.p.E0), 1/g.p.Sigma)
}

// Moves returns the moves, the same at every time and population (mfg.FixedMoves).
func (g *EquilibriumPrice) Moves(t int) *mfg.MDP { return g.moves }

// Stage returns the rewards at L_t and the (fixed) moves.
func (g *EquilibriumPrice) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	st := &mfg.MDP{Reward: make([]float64, len(g.fixed))}
	if err := g.WriteStage(t, L, st); err != nil {
		return nil, err
	}
	return st, nil
}

// WriteStage writes the rewards at L_t into dst.Reward and gives dst the (fixed) moves
// (mfg.StageWriter).
func (g *EquilibriumPrice) WriteStage(t int, L mfg.Population, dst *mfg.MDP) error {
	if len(L.Mass) != len(g.fixed) {
		return fmt.Errorf("population has %d entries, want %d", len(L.Mass), len(g.fixed))
	}
	price := g.Price(L)
	setMoves(dst, g.moves)
	fixed := g.fixed
	out, q := dst.Reward[:len(fixed)], g.produced[:len(fixed)]
	for i, r := range fixed {
		out[i] = r + float64(price*q[i])
	}
	return nil
}

func init() {
	Register("equilibrium-price", "firms consume and replenish an inventory; the price clears supply and demand",
		"Guo et al. 2022; MFGLib 0.3.0 equilibrium_price", DefaultEquilibriumPriceParams,
		func(p EquilibriumPriceParams) (mfg.Finite, error) { return NewEquilibriumPrice(p) })
}
