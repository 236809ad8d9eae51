package games

import (
	"fmt"
	"math"
	"meanfield/internal/nprand"
	"strconv"
	"strings"

	"meanfield/internal/fastmath"
	"meanfield/mfg"
)

// CrowdMotionParams are the parameters of the crowd motion game (MFGLib's names and defaults, plus
// bar-locs, the bar's path, which MFGLib draws at random).
type CrowdMotionParams struct {
	T             int     `yaml:"T" range:"0 ≤ T ≤ 1000000" help:"last time step T ≥ 0: T+1 time steps t = 0..T"`
	TorusL        int     `yaml:"torus-l" range:"1 ≤ torus-l ≤ 1000000" help:"length of the grid, in cells (edges clamp, they do not wrap)"`
	TorusW        int     `yaml:"torus-w" range:"1 ≤ torus-w ≤ 1000000" help:"width of the grid, in cells"`
	LocChangeFreq int     `yaml:"loc-change-freq" range:"1 ≤ loc-change-freq ≤ 1000000" help:"the bar may take a random diagonal step when t+1 is a multiple of this"`
	C             float64 `yaml:"c" range:"finite" help:"weight c of the reward c (1 - |s - b_t|_1 / (torus-l + torus-w)) for nearness to the bar"`
	LogEps        float64 `yaml:"log-eps" range:"log-eps > 0, finite" help:"ε > 0 added to the density in the crowd term -log(μ_t(s) + ε)"`
	PStill        float64 `yaml:"p-still" range:"0 ≤ p-still ≤ 1" help:"probability p that the noise does not move ((1-p)/4 for each of the 4 steps)"`
	// Seed drives the bar's random walk exactly as torch.manual_seed(seed) does in MFGLib (see
	// CrowdMotionBarPath); it is unused when BarLocs is given.
	Seed int64 `yaml:"seed" range:"any whole number from -9223372036854775808 to 9223372036854775807" max:"-" help:"seed of the bar's random walk, as torch.manual_seed in MFGLib (unused with bar-locs)"`
	// BarLocs, when not empty, is the bar's position (l, w) at t = 0..T (T+1 entries), replacing
	// the random walk of seed and loc-change-freq.
	BarLocs [][2]int `yaml:"bar-locs" range:"empty (random walk), or T+1 pairs [l, w] with 0 ≤ l < torus-l and 0 ≤ w < torus-w" help:"bar's positions (l, w) at t = 0..T, T+1 entries (empty: random walk from seed)"`
	// Mu0 is the initial distribution over the torus-l × torus-w cells, flattened row-major;
	// empty means uniform.
	Mu0 []float64 `yaml:"mu0" range:"empty (uniform), or torus-l × torus-w probabilities summing to 1" help:"initial distribution μ0 over the torus-l × torus-w cells, row-major (empty: uniform)"`
}

// DefaultCrowdMotionParams is MFGLib's default: T = 3, a 20 × 20 grid, the bar moving every 2 steps,
// c = 10, log-eps 1e-10, p-still 0.5, seed 0 (the bar's path is then (10, 10), (10, 10), (9, 11),
// (9, 11)).
func DefaultCrowdMotionParams() CrowdMotionParams {
	return CrowdMotionParams{T: 3, TorusL: 20, TorusW: 20, LocChangeFreq: 2, C: 10, LogEps: 1e-10, PStill: 0.5}
}

// GameSize is the torus-l × torus-w cells × 5 moves × T+1 times, each row reaching at most 5 cells;
// the moves are fixed, and the game keeps each time's nearness to the bar and the moves' stencil
// (a pattern number per row, a flag per cell, and about 25 listed terms per cell near the edges),
// whose gather copies a population by action (40 bytes a cell).
func (p CrowdMotionParams) GameSize() Size {
	S, times := float64(p.TorusL)*float64(p.TorusW), float64(p.T)+1
	edge := min(S, 4*(float64(p.TorusL)+float64(p.TorusW)))
	return Size{States: S, Actions: 5, Times: times, Successors: min(5, S), SharedMoves: true,
		Extra: 8*times*(S+2) + 61*S + 420*edge, Params: []string{"torus-l", "torus-w", "T"}}
}

// Validate names the first parameter out of range. MFGLib checks none of them; these are the ones
// without which the game is not defined (loc-change-freq 0 divides by zero in MFGLib).
func (p CrowdMotionParams) Validate() error {
	switch {
	case p.T < 0:
		return fmt.Errorf("last time step T = %d: must be non-negative (time steps t = 0..T)", p.T)
	case p.TorusL < 1:
		return fmt.Errorf("torus-l = %d: the grid needs a length of at least 1", p.TorusL)
	case p.TorusW < 1:
		return fmt.Errorf("torus-w = %d: the grid needs a width of at least 1", p.TorusW)
	case p.LocChangeFreq < 1:
		return fmt.Errorf("loc-change-freq = %d: must be at least 1 (the bar may move when t+1 is a multiple of it)", p.LocChangeFreq)
	case math.IsNaN(p.C) || math.IsInf(p.C, 0):
		return fmt.Errorf("c = %v: must be finite", p.C)
	case !(p.LogEps > 0) || math.IsInf(p.LogEps, 0):
		return fmt.Errorf("log-eps = %v: must be positive and finite (it is added to the density before the log)", p.LogEps)
	case !(p.PStill >= 0 && p.PStill <= 1):
		return fmt.Errorf("p-still = %v: must be a probability in [0, 1]", p.PStill)
	}
	if len(p.BarLocs) > 0 {
		if len(p.BarLocs) != p.T+1 {
			return fmt.Errorf("bar-locs = %v: has %d positions, want T+1 = %d", p.BarLocs, len(p.BarLocs), p.T+1)
		}
		for t, b := range p.BarLocs {
			if b[0] < 0 || b[0] >= p.TorusL || b[1] < 0 || b[1] >= p.TorusW {
				return fmt.Errorf("bar-locs = %v: position %v at t = %d is off the %d × %d grid", p.BarLocs, b, t, p.TorusL, p.TorusW)
			}
		}
	}
	return checkMu0(p.Mu0, p.TorusL*p.TorusW)
}

// CrowdMotionBarPath returns the bar's positions at t = 0..T as MFGLib 0.3.0 draws them after
// torch.manual_seed(seed): the bar starts at (torus-l/2, torus-w/2); for i = 0..T, when i+1 is a
// multiple of loc-change-freq, two fair coin flips pick a diagonal step (±1, ±1), taken only when
// it stays on the grid, and the position after step i is the bar's position at t = i+1. Each coin
// is torch.randint(0, 2), which on the CPU is the low bit of the next 32-bit output of the
// MT19937 generator that torch.manual_seed seeds with the low 32 bits of seed (the standard
// init_genrand seeding). MFGLib also draws a step at i = T, which is never used.
func CrowdMotionBarPath(T, torusL, torusW, locChangeFreq int, seed int64) [][2]int {
	rng := nprand.NewMT19937(uint32(uint64(seed)))
	bar := [2]int{torusL / 2, torusW / 2}
	path := [][2]int{bar}
	step := [2]int{-1, 1}
	for i := 0; i < T; i++ {
		if (i+1)%locChangeFreq == 0 {
			dl, dw := step[rng.Uint32()%2], step[rng.Uint32()%2]
			if l, w := bar[0]+dl, bar[1]+dw; l >= 0 && l < torusL && w >= 0 && w < torusW {
				bar = [2]int{l, w}
			}
		}
		path = append(path, bar)
	}
	return path
}

// CrowdMotion is MFGLib's crowd motion game (Pérolat et al. 2021), the beach bar in two
// dimensions: states are the cells (l, w) of a torus-l × torus-w grid (despite the name, positions
// are clamped at the edges, not wrapped). Actions 0..4 move by (+1, 0), (-1, 0), (0, +1), (0, -1),
// (0, 0); then noise moves by one of the same five steps with probabilities (1-p)/4 each for the
// four moves and p for staying (p = p-still), the sum clamped to the grid. With b_t the bar's
// position at time t (bar-locs, or MFGLib's random walk of seed), the reward is
//
//	r(t, s, a) = c (1 - |s - b_t|_1 / (torus-l + torus-w)) - log(μ_t(s) + log-eps),
//
// μ_t the state marginal of L_t: be near the bar, avoid crowds; moving is free.
type CrowdMotion struct {
	p     CrowdMotionParams
	S     int
	near  [][]float64 // near[t][s] = c (1 - |s - b_t|_1 / (torus-l + torus-w))
	moves *mfg.MDP
}

// NewCrowdMotion validates p and returns the game.
func NewCrowdMotion(p CrowdMotionParams) (*CrowdMotion, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	nl, nw := p.TorusL, p.TorusW
	sh := mfg.Shape{nl, nw}
	S := nl * nw
	bars := p.BarLocs
	if len(bars) == 0 {
		bars = CrowdMotionBarPath(p.T, nl, nw, p.LocChangeFreq, p.Seed)
	}
	g := &CrowdMotion{p: p, S: S, near: make([][]float64, p.T+1)}
	for t := range g.near {
		g.near[t] = make([]float64, S)
		for l := 0; l < nl; l++ {
			for w := 0; w < nw; w++ {
				d := (math.Abs(float64(l-bars[t][0])) + math.Abs(float64(w-bars[t][1]))) / float64(nl+nw)
				g.near[t][sh.Index(l, w)] = p.C * (1 - d)
			}
		}
	}
	steps := [5][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {0, 0}}
	x := (1 - p.PStill) / 4
	noise := [5]float64{x, x, x, x, p.PStill}
	b := mfg.NewMDPBuilder(S, 5, 0)
	b.Grow(S * 5 * 5)
	var next [5]int
	var prob [5]float64
	for l := 0; l < nl; l++ {
		for w := 0; w < nw; w++ {
			for _, a := range steps {
				n := 0
				for j, e := range steps {
					if noise[j] == 0 {
						continue
					}
					sp := sh.Index(min(max(l+a[0]+e[0], 0), nl-1), min(max(w+a[1]+e[1], 0), nw-1))
					k := 0
					for k < n && next[k] != sp {
						k++
					}
					if k == n {
						next[n], prob[n] = sp, 0
						n++
					}
					prob[k] += noise[j]
				}
				for k := 0; k < n; k++ {
					b.Add(next[k], prob[k])
				}
				b.EndRow()
			}
		}
	}
	var err error
	if g.moves, err = b.BuildStage(); err != nil {
		return nil, err
	}
	// The rows repeat a few patterns (one per action away from the edges): package finite's
	// kernels read them from the stencil.
	if err := mfg.NewStencil(g.moves); err != nil {
		return nil, err
	}
	return g, nil
}

func (g *CrowdMotion) Name() string             { return "crowd-motion" }
func (g *CrowdMotion) Horizon() int             { return g.p.T }
func (g *CrowdMotion) StateShape() []int        { return []int{g.p.TorusL, g.p.TorusW} }
func (g *CrowdMotion) ActionShape() []int       { return []int{5} }
func (g *CrowdMotion) States() int              { return mfg.Size(g.StateShape()) }
func (g *CrowdMotion) Actions() int             { return mfg.Size(g.ActionShape()) }
func (g *CrowdMotion) InitialStates() []float64 { return mu0OrUniform(g.p.Mu0, g.S) }

// StateLabel is the cell "(l, w)" of flat index s = l·torus-w + w.
func (g *CrowdMotion) StateLabel(s int) string { return cellLabel(mfg.Shape(g.StateShape()), s) }

// ActionLabel names the move of action a, with l drawn upward and w rightward (as the figures
// draw the grid): "up" (l+1), "down" (l-1), "right" (w+1), "left" (w-1), "stay".
func (g *CrowdMotion) ActionLabel(a int) string { return crowdMotionMoves[a].name }

// Move is the displacement (Δl, Δw) of action a, before the noise and the clamping at the edges.
func (g *CrowdMotion) Move(a int) []float64 {
	m := crowdMotionMoves[a]
	return []float64{float64(m.dl), float64(m.dw)}
}

// crowdMotionMoves are the actions 0..4 of crowd motion, as NewCrowdMotion's steps move them.
var crowdMotionMoves = [5]struct {
	name   string
	dl, dw int
}{{"up", 1, 0}, {"down", -1, 0}, {"right", 0, 1}, {"left", 0, -1}, {"stay", 0, 0}}

// cellLabel is "(i, j, ...)", the coordinates of flat index s in shape sh.
func cellLabel(sh mfg.Shape, s int) string {
	c := sh.Coords(s, nil)
	parts := make([]string, len(c))
	for i, x := range c {
		parts[i] = strconv.Itoa(x)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// Moves returns the moves, the same at every time and population (mfg.FixedMoves), with their
// stencil (mfg.Stencil), which the stages share.
func (g *CrowdMotion) Moves(t int) *mfg.MDP { return g.moves }

// Stage returns the rewards at L_t and the (fixed) moves.
func (g *CrowdMotion) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	st := &mfg.MDP{Reward: make([]float64, g.S*5)}
	if err := g.WriteStage(t, L, st); err != nil {
		return nil, err
	}
	return st, nil
}

// WriteStage writes the rewards at L_t into dst.Reward and gives dst the (fixed) moves
// (mfg.StageWriter).
func (g *CrowdMotion) WriteStage(t int, L mfg.Population, dst *mfg.MDP) error {
	if t < 0 || t > g.p.T {
		return fmt.Errorf("t = %d: outside 0..T = 0..%d", t, g.p.T)
	}
	if len(L.Mass) != g.S*5 {
		return fmt.Errorf("population has %d entries, want %d", len(L.Mass), g.S*5)
	}
	setMoves(dst, g.moves)
	if crowdLogInto {
		g.writeRewardsInto(g.near[t][:g.S], L.Mass[:5*g.S], dst.Reward[:5*g.S])
		return nil
	}
	mass, reward := L.Mass[:5*g.S], dst.Reward[:5*g.S]
	var logs logCache
	for s, near := range g.near[t][:g.S] {
		row := mass[5*s : 5*s+5 : 5*s+5] // one bounds check for the five
		x := row[0] + row[1] + row[2] + row[3] + row[4] + g.p.LogEps
		var lg float64
		switch {
		case logs.full:
			lg = math.Log(x) // inline: the cache's call costs the later times, which have no repeats
		case logs.n > 0 && math.Float64bits(x) == logs.bits[logs.last]: // runs of one value are common
			lg = logs.vals[logs.last]
		default:
			lg = logs.log(x)
		}
		r := near - lg
		out := reward[5*s : 5*s+5 : 5*s+5]
		out[0], out[1], out[2], out[3], out[4] = r, r, r, r, r
	}
	return nil
}

// CheapStages marks crowd motion's stages as cheap to write (finite.CheapStages): WriteStage reads
// the population once and writes the rewards once, which is what remembering a stage by its
// population would cost in a comparison and a copy.
func (g *CrowdMotion) CheapStages() {}

// crowdLogInto reports that WriteStage takes its logarithms with fastmath.LogInto, which computes
// four at a time here; elsewhere it calls math.Log through logCache, which spares the repeats.
var crowdLogInto = fastmath.LogIntoFourLanes()

// writeRewardsInto is WriteStage's rewards with the logarithms by fastmath.LogInto (the same bits
// as math.Log), four at a time; the row sums and the rewards four states at a time too with AVX2
// (rowSums5AVX, spread5AVX), the last states' in Go.
func (g *CrowdMotion) writeRewardsInto(near, mass, reward []float64) {
	n := len(near)
	mass, reward = mass[:5*n], reward[:5*n]
	// The logarithms in the last n rewards, which the rewards' writes read before they overwrite
	// them: state s writes reward[5s..5s+4], below reward[4n+s+1].
	lg, k := reward[4*n:], 0
	if crowdAVX {
		k = n &^ 3
	}
	if k > 0 {
		rowSums5AVX(lg[:k], mass[:5*k], g.p.LogEps)
	}
	rowSums5Go(lg[k:], mass[5*k:], g.p.LogEps)
	fastmath.LogInto(lg, lg)
	if k > 0 {
		spread5AVX(reward[:5*k], near[:k], lg[:k])
	}
	spread5Go(reward[5*k:], near[k:], lg[k:])
}

// crowdAVX reports that writeRewardsInto's AVX2 kernels run here.
var crowdAVX = haveCrowdAVX()

// rowSums5Go sets lg[s] = m[5s] + m[5s+1] + m[5s+2] + m[5s+3] + m[5s+4] + eps, added left to
// right, for s < len(lg): μ_t(s) + log-eps.
func rowSums5Go(lg, mass []float64, eps float64) {
	for s := range lg {
		row := mass[5*s : 5*s+5 : 5*s+5] // one bounds check for the five
		lg[s] = row[0] + row[1] + row[2] + row[3] + row[4] + eps
	}
}

// spread5Go sets reward[5s+a] = near[s] - lg[s] for a < 5 and s < len(near), lg[s] read before
// state s's rewards are written (lg may be reward's end: see writeRewardsInto).
func spread5Go(reward, near, lg []float64) {
	lg = lg[:len(near)]
	for s, x := range lg {
		r := near[s] - x
		out := reward[5*s : 5*s+5 : 5*s+5]
		out[0], out[1], out[2], out[3], out[4] = r, r, r, r, r
	}
}

// logCache is math.Log remembered for the first distinct arguments (by their bits, so the same
// values): μ_0(s) = Σ_a μ0(s) π_0(a|s) takes few distinct values under any policy (those of μ0, up
// to the rounding of the sum: a uniform μ0 gives 4 to 8), the later times seldom repeat one, so it
// stops looking after len(bits).
type logCache struct {
	bits    [16]uint64
	vals    [16]float64
	n, last int
	full    bool // every further argument is taken as new (Stage then calls math.Log itself)
}

// log returns math.Log(x).
func (c *logCache) log(x float64) float64 {
	b := math.Float64bits(x)
	if c.n > 0 && c.bits[c.last] == b { // runs of one value are common
		return c.vals[c.last]
	}
	for i := range c.n {
		if c.bits[i] == b {
			c.last = i
			return c.vals[i]
		}
	}
	v := math.Log(x)
	if c.n == len(c.bits) {
		c.full = true
		return v
	}
	c.bits[c.n], c.vals[c.n], c.last = b, v, c.n
	c.n++
	return v
}

func init() {
	Register("crowd-motion", "beach bar on a 2-D grid: follow a randomly moving bar, avoid crowds",
		"Pérolat et al. 2021; MFGLib 0.3.0 crowd_motion", DefaultCrowdMotionParams,
		func(p CrowdMotionParams) (mfg.Finite, error) { return NewCrowdMotion(p) })
}
