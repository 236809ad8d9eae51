package games

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unsafe"

	"meanfield/internal/fastmath"
	"meanfield/mfg"
)

// BeachBarParams are the parameters of the beach bar game (MFGLib's names and defaults).
type BeachBarParams struct {
	T      int     `yaml:"T" range:"0 ≤ T ≤ 1000000" help:"last time step T ≥ 0: T+1 time steps t = 0..T"`
	N      int     `yaml:"n" range:"1 ≤ n ≤ 1000000, more than bar-loc" help:"number of positions on the beach: 0..n-1"`
	BarLoc int     `yaml:"bar-loc" range:"0 ≤ bar-loc ≤ n-1" help:"position of the bar, in 0..n-1"`
	LogEps float64 `yaml:"log-eps" range:"log-eps > 0, finite" help:"ε > 0 added to the density in the crowd term -log(μ_t(s) + ε)"`
	PStill float64 `yaml:"p-still" range:"0 ≤ p-still ≤ 1" help:"probability p that the noise does not move ((1-p)/2 each way)"`
	// Mu0 is the initial distribution over the n positions; empty means uniform.
	Mu0 []float64 `yaml:"mu0" range:"empty (uniform), or n probabilities summing to 1" help:"initial distribution μ0 over the n positions (empty: uniform)"`
}

// DefaultBeachBarParams is MFGLib's default: T = 2, n = 4, bar at 2, log-eps 1e-20, p-still 0.5.
func DefaultBeachBarParams() BeachBarParams {
	return BeachBarParams{T: 2, N: 4, BarLoc: 2, LogEps: 1e-20, PStill: 0.5}
}

// GameSize is n positions × 3 moves × T+1 times, each row reaching at most 3 positions; the moves
// are fixed.
func (p BeachBarParams) GameSize() Size {
	n := float64(p.N)
	return Size{States: n, Actions: 3, Times: float64(p.T) + 1, Successors: min(3, n), SharedMoves: true,
		Extra: 16 * n, Params: []string{"n", "T"}}
}

// Validate names the first parameter out of range.
func (p BeachBarParams) Validate() error {
	switch {
	case p.T < 0:
		return fmt.Errorf("last time step T = %d: must be non-negative (time steps t = 0..T)", p.T)
	case p.N < 1:
		return fmt.Errorf("n = %d: the beach needs at least 1 position", p.N)
	case p.BarLoc < 0 || p.BarLoc > p.N-1:
		return fmt.Errorf("bar-loc = %d: the bar must be on the beach, in [0, n-1] = [0, %d]", p.BarLoc, p.N-1)
	case !(p.PStill >= 0 && p.PStill <= 1):
		return fmt.Errorf("p-still = %v: must be a probability in [0, 1]", p.PStill)
	case !(p.LogEps > 0) || math.IsInf(p.LogEps, 0):
		return fmt.Errorf("log-eps = %v: must be positive and finite", p.LogEps)
	}
	return checkMu0(p.Mu0, p.N)
}

// checkMu0 accepts an empty mu0 (uniform) or a distribution over n states; its errors show mu0
// (its first entries when it is long).
func checkMu0(mu0 []float64, n int) error {
	if len(mu0) == 0 {
		return nil
	}
	shown := shownValues(mu0)
	if len(mu0) != n {
		return fmt.Errorf("mu0 = %s: has %d entries, want %d (one per state)", shown, len(mu0), n)
	}
	return mfg.CheckDistribution("mu0 = "+shown, mu0)
}

// shownValues formats a vector for an error message: in full when short, else its first entries
// and its length.
func shownValues(v []float64) string {
	const most = 8
	if len(v) <= most {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(fmt.Sprint(v[:most]), "]") + fmt.Sprintf(" ...] (%d entries)", len(v))
}

// stateMass is μ(s) = Σ_a L(s, a), summed as Population.StateMarginal sums it, without its slice.
func stateMass(L mfg.Population, s int) float64 { return rowMass(L.Mass, L.Actions, s) }

// rowMass is stateMass of the population's masses and actions: inlined, it reads two fields where
// stateMass, inlined, copies the whole population at each call.
func rowMass(mass []float64, actions, s int) float64 {
	var m float64
	for _, x := range mass[s*actions : (s+1)*actions] {
		m += x
	}
	return m
}

// setMoves gives dst the fields of the game's moves m but its rewards, which stay in the caller's
// memory (mfg.StageWriter). A stage that the caller reuses holds them already from its last
// write: they are then left as they are, which spares the garbage collector's write barriers.
func setMoves(dst, m *mfg.MDP) {
	if dst.States == m.States && dst.Actions == m.Actions && dst.Discount == m.Discount &&
		same(dst.RowStart, m.RowStart) && same(dst.Next, m.Next) && same(dst.Prob, m.Prob) && same(dst.Legal, m.Legal) {
		return
	}
	r := dst.Reward
	*dst = *m
	dst.Reward = r
}

// sameData reports whether a and b start at the same memory.
func sameData[T any](a, b []T) bool { return unsafe.SliceData(a) == unsafe.SliceData(b) }

// same reports whether a and b are the same slice of the same memory.
func same[T any](a, b []T) bool {
	return len(a) == len(b) && cap(a) == cap(b) && unsafe.SliceData(a) == unsafe.SliceData(b)
}

// mu0OrUniform returns mu0, or the uniform distribution on n states when it is empty.
func mu0OrUniform(mu0 []float64, n int) []float64 {
	if len(mu0) > 0 {
		return append([]float64(nil), mu0...)
	}
	u := make([]float64, n)
	for i := range u {
		u[i] = 1 / float64(n)
	}
	return u
}

// BeachBar is the beach bar process (Perrin et al. 2020) as MFGLib defines it: n positions on a
// line (clamped at both ends), a bar at bar-loc. Actions a in {0, 1, 2} move by a-1, then noise
// moves by -1, 0, +1 with probabilities (1-p)/2, p, (1-p)/2 (p = p-still), clamped to [0, n-1].
// The reward at position s with action a is
//
//	r = -d(s) - |a-1|/n - log(μ_t(s) + log-eps),
//
// d(s) = min((s - bar) mod n, (bar - s) mod n) the distance to the bar around the circle (as
// MFGLib computes it, with rolled ranges), |a-1|/n the cost of moving, and the last term crowd
// aversion.
type BeachBar struct {
	p    BeachBarParams
	dist []float64
	// fixed[s*3+a] = -d(s) - |a-1|/n, the reward without its crowd term, computed once as the
	// reward's sum computes it (left to right), so that adding the crowd term gives its bits.
	fixed []float64
	moves *mfg.MDP
}

// NewBeachBar validates p and returns the game.
func NewBeachBar(p BeachBarParams) (*BeachBar, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	n := p.N
	g := &BeachBar{p: p, dist: make([]float64, n), fixed: make([]float64, 3*n)}
	for s := 0; s < n; s++ {
		g.dist[s] = float64(min(mod(s-p.BarLoc, n), mod(p.BarLoc-s, n)))
		for a := 0; a < 3; a++ {
			g.fixed[s*3+a] = -g.dist[s] - math.Abs(float64(a-1))/float64(n)
		}
	}
	probs := []float64{(1 - p.PStill) / 2, p.PStill, (1 - p.PStill) / 2}
	b := mfg.NewMDPBuilder(n, 3, 0)
	next := make([]float64, n)
	for s := 0; s < n; s++ {
		for a := 0; a < 3; a++ {
			clear(next)
			for e, pr := range probs {
				next[min(max(s+a-1+e-1, 0), n-1)] += pr
			}
			for sp, w := range next {
				if w != 0 {
					b.Add(sp, w)
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

func mod(a, n int) int { return ((a % n) + n) % n }

func (g *BeachBar) Name() string             { return "beach-bar" }
func (g *BeachBar) Horizon() int             { return g.p.T }
func (g *BeachBar) StateShape() []int        { return []int{g.p.N} }
func (g *BeachBar) ActionShape() []int       { return []int{3} }
func (g *BeachBar) States() int              { return mfg.Size(g.StateShape()) }
func (g *BeachBar) Actions() int             { return mfg.Size(g.ActionShape()) }
func (g *BeachBar) InitialStates() []float64 { return mu0OrUniform(g.p.Mu0, g.p.N) }

// StateLabel is the position on the beach, "0".."n-1".
func (g *BeachBar) StateLabel(s int) string { return strconv.Itoa(s) }

// ActionLabel names the move a-1: "left" (s-1), "stay", "right" (s+1).
func (g *BeachBar) ActionLabel(a int) string { return moveNames1D[a] }

// Move is the action's displacement a-1, before the noise and the clamping at the ends.
func (g *BeachBar) Move(a int) []float64 { return []float64{float64(a - 1)} }

// moveNames1D are the names of the moves -1, 0, +1 of a 1-D game.
var moveNames1D = [3]string{"left", "stay", "right"}

// Moves returns the moves, the same at every time and population (mfg.FixedMoves).
func (g *BeachBar) Moves(t int) *mfg.MDP { return g.moves }

// Stage returns the rewards at L_t and the (fixed) moves.
func (g *BeachBar) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	st := &mfg.MDP{Reward: make([]float64, g.p.N*3)}
	if err := g.WriteStage(t, L, st); err != nil {
		return nil, err
	}
	return st, nil
}

// WriteStage writes the rewards at L_t into dst.Reward and gives dst the (fixed) moves
// (mfg.StageWriter).
func (g *BeachBar) WriteStage(t int, L mfg.Population, dst *mfg.MDP) error {
	n := g.p.N
	setMoves(dst, g.moves)
	r := dst.Reward[:n*3]
	fixed := g.fixed[:n*3]
	// The logarithms, four at a time, in the last n rewards, which the loop below reads before it
	// overwrites them: state s writes r[3s..3s+2], below r[2n+s+1].
	lg, eps := r[2*n:], g.p.LogEps
	if L.Actions == 3 {
		// stateMass's sums, (0 + L(s, 0)) + L(s, 1) + L(s, 2), without its slice and loop per state.
		mass := L.Mass[:len(r)]
		for s, i := 0, 0; s < len(lg); s, i = s+1, i+3 {
			m := 0.0
			m += mass[i]
			lg[s] = m + mass[i+1] + mass[i+2] + eps
		}
	} else {
		for s := range lg {
			lg[s] = stateMass(L, s) + eps
		}
	}
	fastmath.LogInto(lg, lg)
	for s, i := 0, 0; s < len(lg); s, i = s+1, i+3 {
		crowd := -lg[s]
		r[i], r[i+1], r[i+2] = fixed[i]+crowd, fixed[i+1]+crowd, fixed[i+2]+crowd
	}
	return nil
}

func init() {
	Register("beach-bar", "positions on a beach; be near the bar, avoid crowds, pay to move",
		"Perrin et al. 2020; MFGLib 0.3.0 beach_bar", DefaultBeachBarParams,
		func(p BeachBarParams) (mfg.Finite, error) { return NewBeachBar(p) })
}
