package games

import (
	"fmt"
	"math"
	"strconv"

	"meanfield/mfg"
)

// PeriodicAversionParams are the parameters of OpenSpiel's periodic aversion game
// (python_mfg_periodic_aversion).
type PeriodicAversionParams struct {
	Size            int     `yaml:"size" range:"2 ≤ size ≤ 1000000" help:"number of positions N on the ring (dx = (xmax - xmin)/(N-1))"`
	Horizon         int     `yaml:"horizon" range:"1 ≤ horizon ≤ 1000000" help:"number of time steps H ≥ 1, t = 0..H-1 (OpenSpiel's horizon)"`
	Dt              float64 `yaml:"dt" range:"dt > 0, finite" help:"time step dt"`
	Xmin            float64 `yaml:"xmin" range:"finite" help:"position of cell 0"`
	Xmax            float64 `yaml:"xmax" range:"xmax > xmin, finite" help:"position of cell N-1"`
	NActionsPerSide int     `yaml:"n-actions-per-side" range:"0 ≤ n-actions-per-side ≤ 1000" help:"n: moves and noises are -n..n cells (2n+1 actions)"`
	Volatility      float64 `yaml:"volatility" range:"volatility > 0, finite" help:"σ: the noise is a discretised N(0, σ² dt) and enters the geometric reward"`
	CoefAversion    float64 `yaml:"coef-aversion" range:"finite" help:"weight of the crowd term -log(μ_t(x)/dx + 1e-15)"`
	// OpenSpielCosts charges move costs as OpenSpiel's evaluation does (see PeriodicAversion), a
	// compatibility switch; false (the default) charges each move its own cost.
	OpenSpielCosts bool `yaml:"openspiel-costs" range:"true or false" help:"compatibility: charge move costs as OpenSpiel's evaluation does, first-visit caching (false, the clean game: each move its own cost; true reproduces OpenSpiel's values)"`
}

// DefaultPeriodicAversionParams are OpenSpiel's defaults: N = 21, H = 20, dt = 0.01, [0, 1],
// n = 10, σ = 1, aversion 1, with each move charged its own cost (OpenSpielCosts false; set it
// for OpenSpiel's values).
func DefaultPeriodicAversionParams() PeriodicAversionParams {
	return PeriodicAversionParams{Size: 21, Horizon: 20, Dt: 0.01, Xmin: 0, Xmax: 1, NActionsPerSide: 10,
		Volatility: 1, CoefAversion: 1}
}

// Validate names the first parameter out of range.
func (p PeriodicAversionParams) Validate() error {
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	switch {
	case p.Size < 2 || p.Size > 1000000:
		return fmt.Errorf("size = %d: must be between 2 and 1000000 (dx divides by size - 1)", p.Size)
	case p.Horizon < 1 || p.Horizon > 1000000:
		return fmt.Errorf("horizon = %d: must be between 1 and 1000000 (the number of time steps)", p.Horizon)
	case !(p.Dt > 0) || !finite(p.Dt):
		return fmt.Errorf("dt = %v: must be positive and finite", p.Dt)
	case !finite(p.Xmin):
		return fmt.Errorf("xmin = %v: must be finite", p.Xmin)
	case !finite(p.Xmax) || !(p.Xmax > p.Xmin):
		return fmt.Errorf("xmax = %v: must be finite and above xmin = %v", p.Xmax, p.Xmin)
	case p.NActionsPerSide < 0 || p.NActionsPerSide > 1000:
		return fmt.Errorf("n-actions-per-side = %d: must be between 0 and 1000", p.NActionsPerSide)
	case !(p.Volatility > 0) || !finite(p.Volatility):
		return fmt.Errorf("volatility = %v: must be positive and finite", p.Volatility)
	case !finite(p.CoefAversion):
		return fmt.Errorf("coef-aversion = %v: must be finite", p.CoefAversion)
	}
	return nil
}

// GameSize is N positions × (2n+1) moves × H times, each row reaching at most min(2n+1, N)
// positions; the moves are fixed, and the game keeps OpenSpiel's first-visit move of every (x, t).
func (p PeriodicAversionParams) GameSize() Size {
	N, A, H := float64(p.Size), float64(2*p.NActionsPerSide+1), float64(p.Horizon)
	return Size{States: N, Actions: A, Times: H, Successors: min(A, N), SharedMoves: true,
		Extra: 9*H*N + 256*H, Params: []string{"size", "horizon", "n-actions-per-side"}}
}

// PeriodicAversion is OpenSpiel's mean-field game on a periodic domain with crowd aversion
// (python_mfg_periodic_aversion; Almulla, Ferreira and Gomes 2017, an ergodic MFG with an
// explicit solution). N cells x = 0..N-1 on a ring, at positions p = xmin + x·dx with
// dx = (xmax - xmin)/(N-1) (so cells 0 and N-1 are both ends of [xmin, xmax], yet distinct: a
// quirk kept). An agent starts uniformly at random and makes H decisions t = 0..H-1: action
// a ∈ {0..2n} moves it by a-n cells, then the noise by e-n cells with probability
// p(e) ∝ φ((e-n)·dx / (σ√dt)) (φ the standard normal density), both modulo N. A decision at
// (x, t) collects, with ℓ the move of the previous decision (0 before the first one),
//
//	dt · ( -v²/2 - c log(μ_t(x)/dx + 1e-15) + 2π²σ sin(2πp) - 2π² cos²(2πp) + (2/σ²) sin(2πp) ),
//
// v = ℓ·dx/dt, c = coef-aversion. The last move is never charged.
//
// OpenSpiel's evaluation caches a decision node's value by a string "(x, t)" that omits ℓ, so
// every (x, t) is charged the move of its first depth-first visit (initial cells in order,
// actions 0..2n, noises 0..2n). With OpenSpielCosts (a compatibility switch, off by default)
// rewards use that move, which makes them independent of the action and reproduces OpenSpiel's
// values; without it (the default), each
// decision is charged its own move (v = (a-n)·dx/dt). As a finite-horizon game T = H-1.
type PeriodicAversion struct {
	p     PeriodicAversionParams
	dx    float64
	first [][]int // first[t][x]: the previous action on OpenSpiel's first visit of (x, t)
	geom  []float64
	moves *mfg.MDP
}

// NewPeriodicAversion validates p and returns the game.
func NewPeriodicAversion(p PeriodicAversionParams) (*PeriodicAversion, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	N, n := p.Size, p.NActionsPerSide
	A := 2*n + 1
	g := &PeriodicAversion{p: p, dx: (p.Xmax - p.Xmin) / float64(N-1)}
	g.first = openSpielFirstVisit(N, p.Horizon, A, n, nil, func(x, a int, yield func(int)) {
		for e := 0; e < A; e++ {
			yield(mod(x+a-n+e-n, N))
		}
	})
	g.geom = make([]float64, N)
	sigma, pi2 := p.Volatility, math.Pi*math.Pi
	for x := range g.geom {
		pix2 := 2 * math.Pi * (float64(x)*g.dx + p.Xmin)
		s, c := math.Sin(pix2), math.Cos(pix2)
		g.geom[x] = sigma*2*pi2*s - 2*pi2*(c*c) + 2/(sigma*sigma)*s
	}
	noise := g.Noise()
	b := mfg.NewMDPBuilder(N, A, 0)
	row := newMergedRow(N, A)
	for x := 0; x < N; x++ {
		for a := 0; a < A; a++ {
			for e, w := range noise { // merged in the noises' order, as OpenSpiel adds them
				row.add(mod(x+a-n+e-n, N), w)
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

// Noise returns p(e), e = 0..2n: φ(y_e)/σ√dt with y_e = ((e-n)·dx)/(σ√dt), divided by their sum
// (numpy's), as scipy.stats.norm.pdf and OpenSpiel compute them.
func (g *PeriodicAversion) Noise() []float64 {
	n := g.p.NActionsPerSide
	sd := g.p.Volatility * math.Sqrt(g.p.Dt)
	w := make([]float64, 2*n+1)
	for e := range w {
		y := float64(e-n) * g.dx / sd
		w[e] = math.Exp(-(y*y)/2) / math.Sqrt(2*math.Pi) / sd
	}
	total := numpySum(w)
	for e := range w {
		w[e] /= total
	}
	return w
}

// FirstVisitMoves returns OpenSpiel's first-visit previous action of every (x, t), as [t][x].
func (g *PeriodicAversion) FirstVisitMoves() [][]int { return g.first }

func (g *PeriodicAversion) Name() string       { return "periodic-aversion" }
func (g *PeriodicAversion) Horizon() int       { return g.p.Horizon - 1 }
func (g *PeriodicAversion) StateShape() []int  { return []int{g.p.Size} }
func (g *PeriodicAversion) ActionShape() []int { return []int{2*g.p.NActionsPerSide + 1} }
func (g *PeriodicAversion) States() int        { return mfg.Size(g.StateShape()) }
func (g *PeriodicAversion) Actions() int       { return mfg.Size(g.ActionShape()) }

// StateLabel is the cell x, "0".."N-1".
func (g *PeriodicAversion) StateLabel(s int) string { return strconv.Itoa(s) }

// ActionLabel is the move in cells, "-n".."n" ("0" for staying), as OpenSpiel prints it.
func (g *PeriodicAversion) ActionLabel(a int) string { return strconv.Itoa(a - g.p.NActionsPerSide) }

// Move is the action's displacement a-n in cells, before the noise.
func (g *PeriodicAversion) Move(a int) []float64 {
	return []float64{float64(a - g.p.NActionsPerSide)}
}

// InitialStates is uniform, OpenSpiel's initial chance node.
func (g *PeriodicAversion) InitialStates() []float64 { return mu0OrUniform(nil, g.p.Size) }

// Moves returns the moves, the same at every time and population (mfg.FixedMoves).
func (g *PeriodicAversion) Moves(t int) *mfg.MDP { return g.moves }

// Stage returns the rewards at L_t and the (fixed) moves.
func (g *PeriodicAversion) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	N, n, dt := g.p.Size, g.p.NActionsPerSide, g.p.Dt
	A := 2*n + 1
	st := *g.moves
	st.Reward = make([]float64, N*A)
	cost := func(a int) float64 { v := float64(a-n) * g.dx / dt; return -0.5 * (v * v) }
	for x := 0; x < N; x++ {
		aversion := -math.Log(stateMass(L, x)/g.dx + 1e-15)
		for a := 0; a < A; a++ {
			move := a
			if g.p.OpenSpielCosts {
				move = g.first[t][x]
			}
			st.Reward[x*A+a] = (cost(move) + g.p.CoefAversion*aversion + g.geom[x]) * dt
		}
	}
	return &st, nil
}

func init() {
	Register("periodic-aversion", "agents on a periodic domain avoid crowds in a sinusoidal landscape (OpenSpiel)",
		"OpenSpiel python_mfg_periodic_aversion (Almulla, Ferreira and Gomes 2017)", DefaultPeriodicAversionParams,
		func(p PeriodicAversionParams) (mfg.Finite, error) { return NewPeriodicAversion(p) })
}
