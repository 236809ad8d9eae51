package games

import (
	"fmt"
	"math"
	"strconv"

	"meanfield/mfg"
)

// LinQuadParams are the parameters of OpenSpiel's mean-field linear-quadratic game
// (mean_field_lin_quad). OpenSpiel's spatial_bias is left out: the game never reads it.
type LinQuadParams struct {
	Size            int     `yaml:"size" range:"1 ≤ size ≤ 1000000" help:"number of positions N on the ring"`
	Horizon         int     `yaml:"horizon" range:"1 ≤ horizon ≤ 1000000" help:"time horizon: decisions at ticks k with k·dt < horizon"`
	Dt              float64 `yaml:"dt" range:"dt > 0, finite, horizon/dt ≤ 1000000" help:"time step dt"`
	NActionsPerSide int     `yaml:"n-actions-per-side" range:"0 ≤ n-actions-per-side ≤ 1000" help:"n: controls and noises are -n..n (2n+1 actions)"`
	Volatility      float64 `yaml:"volatility" range:"volatility > 0, finite" help:"σ: noise e-n has the mass of N(0, σ²) on [e-n-1/2, e-n+1/2] and moves (e-n)·σ·√dt"`
	MeanRevert      float64 `yaml:"mean-revert" range:"finite, 0 when openspiel-costs is true" help:"K: the move is round((a-n + K·(m̄ - x))·dt), m̄ the mean position"`
	CrossQ          float64 `yaml:"cross-q" range:"finite" help:"q: weight of the cross term 2q·m·(m̄ - x) of the running reward"`
	Kappa           float64 `yaml:"kappa" range:"finite" help:"κ: weight of -κ(m̄ - x)² in the running reward"`
	TerminalCost    float64 `yaml:"terminal-cost" range:"finite" help:"c: terminal reward -c(m̄ - x)²/2, dead in OpenSpiel (charged only with openspiel-costs false)"`
	// OpenSpielCosts charges move costs as OpenSpiel's evaluation does, without the terminal
	// cost (see LinQuad), a compatibility switch; false (the default) charges each move its own
	// cost, and the terminal cost.
	OpenSpielCosts bool `yaml:"openspiel-costs" range:"true or false" help:"compatibility: rewards as OpenSpiel's evaluation charges them, first-visit caching and no terminal cost (false, the clean game: each move its own cost, and the terminal cost; true reproduces OpenSpiel's values)"`
}

// DefaultLinQuadParams are OpenSpiel's defaults: N = 10, horizon 10, dt = 1, n = 3, σ = 1,
// K = 0, q = 0.01, κ = 0.5, c = 1, with each move charged its own cost and the terminal cost
// (OpenSpielCosts false; set it for OpenSpiel's values).
func DefaultLinQuadParams() LinQuadParams {
	return LinQuadParams{Size: 10, Horizon: 10, Dt: 1, NActionsPerSide: 3, Volatility: 1,
		CrossQ: 0.01, Kappa: 0.5, TerminalCost: 1}
}

// decisions is the number of decisions: the ticks k = 0, 1, ... with k·dt < horizon (OpenSpiel's
// state is terminal once tick·dt ≥ horizon).
func (p LinQuadParams) decisions() int {
	h := float64(p.Horizon)
	k := int(math.Max(0, math.Floor(h/p.Dt))) // near the answer; the loops settle the rounding
	for k > 0 && float64(k-1)*p.Dt >= h {
		k--
	}
	for float64(k)*p.Dt < h {
		k++
	}
	return k
}

// Validate names the first parameter out of range.
func (p LinQuadParams) Validate() error {
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	n := float64(p.NActionsPerSide)
	switch {
	case p.Size < 1 || p.Size > 1000000:
		return fmt.Errorf("size = %d: must be between 1 and 1000000", p.Size)
	case p.Horizon < 1 || p.Horizon > 1000000:
		return fmt.Errorf("horizon = %d: must be between 1 and 1000000", p.Horizon)
	case !(p.Dt > 0) || !finite(p.Dt):
		return fmt.Errorf("dt = %v: must be positive and finite", p.Dt)
	case float64(p.Horizon)/p.Dt > 1000000:
		return fmt.Errorf("dt = %v: horizon/dt = %v decisions, at most 1000000", p.Dt, float64(p.Horizon)/p.Dt)
	case p.NActionsPerSide < 0 || p.NActionsPerSide > 1000:
		return fmt.Errorf("n-actions-per-side = %d: must be between 0 and 1000", p.NActionsPerSide)
	case !(p.Volatility > 0) || !finite(p.Volatility):
		return fmt.Errorf("volatility = %v: must be positive and finite", p.Volatility)
	case n*math.Sqrt(p.Dt)*p.Volatility > 1e9 || n*p.Dt > 1e9:
		return fmt.Errorf("dt = %v, volatility = %v: a move or a noise of more than 1e9 positions", p.Dt, p.Volatility)
	case !finite(p.MeanRevert) || math.Abs(p.MeanRevert)*float64(p.Size)*p.Dt > 1e9:
		return fmt.Errorf("mean-revert = %v: must be finite, |K|·size·dt at most 1e9", p.MeanRevert)
	case p.MeanRevert != 0 && p.OpenSpielCosts:
		return fmt.Errorf("mean-revert = %v: must be 0 with openspiel-costs (OpenSpiel's first-visit move would depend on the earlier mean fields); set openspiel-costs: false", p.MeanRevert)
	case !finite(p.CrossQ):
		return fmt.Errorf("cross-q = %v: must be finite", p.CrossQ)
	case !finite(p.Kappa):
		return fmt.Errorf("kappa = %v: must be finite", p.Kappa)
	case !finite(p.TerminalCost):
		return fmt.Errorf("terminal-cost = %v: must be finite", p.TerminalCost)
	}
	return nil
}

// GameSize is N positions × (2n+1) controls × the decisions, each row reaching at most
// min(2n+1, N) positions; the moves are fixed unless mean-revert K ≠ 0, and the game keeps
// OpenSpiel's first-visit move of every (x, t).
func (p LinQuadParams) GameSize() Size {
	N, A, D := float64(p.Size), float64(2*p.NActionsPerSide+1), float64(p.decisions())
	return Size{States: N, Actions: A, Times: D, Successors: min(A, N), SharedMoves: p.MeanRevert == 0,
		Extra: 9*D*N + 256*D, Params: []string{"size", "horizon", "n-actions-per-side"}}
}

// LinQuad is OpenSpiel's mean-field linear-quadratic game (mean_field_lin_quad; Perrin et al.
// 2020, arXiv 2007.03458, section 4.1), not MFGLib's linear-quadratic game (game
// linear-quadratic, a different discretisation on a line). N positions on a ring; an agent
// starts uniformly at random and decides at ticks k = 0..D-1 (k·dt < horizon, so T = D-1): with
// m̄ = Σ_x x μ_k(x) (a plain mean of the labels 0..N-1, not a mean on the ring), control
// a ∈ {0..2n} moves it to round(x + round((a-n + K(m̄ - x))·dt)) mod N, then noise e ∈ {0..2n}
// to round(x + (e-n)·√dt·σ) mod N, with probability Φ((e-n+½)/σ) - Φ((e-n-½)/σ) (the tails
// beyond ±(n+½) added to e = 0 and e = 2n). Rounding is Python's, half to even, and mod is
// floor mod. A decision at (x, k) collects, with ℓ the control of the previous decision (n,
// i.e. 0, before the first),
//
//	(dt/2)·( -ℓ² + 2q·ℓ·(m̄ - x) - κ(m̄ - x)² ),
//
// and the last control is never charged. OpenSpiel's terminal reward -c(m̄ - x)²/2 sits in a
// branch that needs a terminal decision node, which never occurs: it is dead code, and c
// only enters the theoretical solution (Eta).
//
// OpenSpiel's evaluation caches a decision node's value by a string "(x, k)" that omits ℓ, so
// every (x, k) is charged the control of its first depth-first visit (initial positions in
// order, controls 0..2n, noises 0..2n). With OpenSpielCosts (a compatibility switch, off by
// default) rewards use that control, which makes them independent of the action and reproduces OpenSpiel's values;
// without it (the default), each decision is charged its own control ℓ = a-n, and the terminal reward is
// collected after the last step (as its expectation at T, over the last move and noise, with m̄
// the mean of μ_{T+1}): the game of the theoretical solution.
type LinQuad struct {
	p     LinQuadParams
	last  int // T = D-1
	noise []float64
	first [][]int // first[t][x]: the previous action on OpenSpiel's first visit of (x, t)
	moves *mfg.MDP
}

// NewLinQuad validates p and returns the game.
func NewLinQuad(p LinQuadParams) (*LinQuad, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	N, n, D := p.Size, p.NActionsPerSide, p.decisions()
	g := &LinQuad{p: p, last: D - 1, noise: linQuadNoise(n, p.Volatility)}
	if p.OpenSpielCosts {
		g.first = openSpielFirstVisit(N, D, 2*n+1, n, nil, func(x, a int, yield func(int)) {
			x1 := g.move(x, a, 0)
			for e := 0; e <= 2*n; e++ {
				yield(g.noisy(x1, e))
			}
		})
	}
	if p.MeanRevert == 0 {
		var err error
		if g.moves, err = g.transitions(0); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// linQuadNoise returns the noise probabilities p(e), e = 0..2n, as OpenSpiel computes them with
// scipy: Φ((e-n+½)/σ) - Φ((e-n-½)/σ), then Φ((-n-½)/σ) added to p(0) and 1 - Φ((n+½)/σ) to
// p(2n).
func linQuadNoise(n int, sigma float64) []float64 {
	p := make([]float64, 2*n+1)
	for e := range p {
		d := float64(e - n)
		p[e] = ndtr((d+0.5)/sigma) - ndtr((d-0.5)/sigma)
	}
	p[0] += ndtr((float64(-n)-0.5)/sigma) - 0
	p[2*n] += 1 - ndtr((float64(n)+0.5)/sigma)
	return p
}

// move is the position after control a from x at mean position mbar (read only when K ≠ 0).
func (g *LinQuad) move(x, a int, mbar float64) int {
	full := (float64(a-g.p.NActionsPerSide) + g.p.MeanRevert*(mbar-float64(x))) * g.p.Dt
	return mod(x+int(math.RoundToEven(full)), g.p.Size)
}

// noisy is the position after noise e from x.
func (g *LinQuad) noisy(x, e int) int {
	y := float64(x) + float64(e-g.p.NActionsPerSide)*math.Sqrt(g.p.Dt)*g.p.Volatility
	return mod(int(math.RoundToEven(y)), g.p.Size)
}

// transitions builds P(·|x, a) at mean position mbar, noises merged in their order.
func (g *LinQuad) transitions(mbar float64) (*mfg.MDP, error) {
	N, A := g.p.Size, 2*g.p.NActionsPerSide+1
	b := mfg.NewMDPBuilder(N, A, 0)
	row := newMergedRow(N, A)
	for x := 0; x < N; x++ {
		for a := 0; a < A; a++ {
			x1 := g.move(x, a, mbar)
			for e, w := range g.noise {
				row.add(g.noisy(x1, e), w)
			}
			row.flush(b)
		}
	}
	return b.BuildStage()
}

// Noise returns the noise probabilities p(e), e = 0..2n.
func (g *LinQuad) Noise() []float64 { return g.noise }

// FirstVisitMoves returns OpenSpiel's first-visit previous action of every (x, t), as [t][x]
// (nil without OpenSpielCosts).
func (g *LinQuad) FirstVisitMoves() [][]int { return g.first }

// Eta is the theoretical solution's η at time s = tick·dt (OpenSpiel's eta_t): with
// R = (K+q)² + κ - q², δ± = -(K+q) ± √R and E = exp((δ+ - δ-)(horizon - s)),
//
//	η = ( -(κ - q²)(E - 1) - c(δ+ E - δ-) ) / ( (δ- E - δ+) - c(E - 1) ).
//
// The continuous-time equilibrium control is (q + η)(m̄ - x). R < 0 has no solution (NaN; OpenSpiel's
// math.sqrt raises).
func (g *LinQuad) Eta(tick int) float64 {
	K, q, kappa, c := g.p.MeanRevert, g.p.CrossQ, g.p.Kappa, g.p.TerminalCost
	s := float64(tick) * g.p.Dt
	R := (K+q)*(K+q) + (kappa - q*q)
	dp, dm := -(K+q)+math.Sqrt(R), -(K+q)-math.Sqrt(R)
	E := math.Exp((dp - dm) * (float64(g.p.Horizon) - s))
	return (-(kappa-q*q)*(E-1) - c*(dp*E-dm)) / ((dm*E - dp) - c*(E-1))
}

// TheoreticalAction is the action of OpenSpiel's LinearPolicy (linear_quadratic_example.py) at
// (x, tick) for mean position mbar: n + clamp(round((q + η)(m̄ - x)), -n, n).
func (g *LinQuad) TheoreticalAction(x, tick int, mbar float64) int {
	n := float64(g.p.NActionsPerSide)
	u := math.RoundToEven((g.p.CrossQ + g.Eta(tick)) * (mbar - float64(x)))
	return g.p.NActionsPerSide + int(math.Min(n, math.Max(u, -n)))
}

func (g *LinQuad) Name() string       { return "lin-quad" }
func (g *LinQuad) Horizon() int       { return g.last }
func (g *LinQuad) StateShape() []int  { return []int{g.p.Size} }
func (g *LinQuad) ActionShape() []int { return []int{2*g.p.NActionsPerSide + 1} }
func (g *LinQuad) States() int        { return mfg.Size(g.StateShape()) }
func (g *LinQuad) Actions() int       { return mfg.Size(g.ActionShape()) }

// StateLabel is the position x, "0".."N-1".
func (g *LinQuad) StateLabel(s int) string { return strconv.Itoa(s) }

// ActionLabel is the control a-n, "-n".."n".
func (g *LinQuad) ActionLabel(a int) string { return strconv.Itoa(a - g.p.NActionsPerSide) }

// Move is the control a-n: with dt = 1 and K = 0, the displacement before the noise.
func (g *LinQuad) Move(a int) []float64 { return []float64{float64(a - g.p.NActionsPerSide)} }

// InitialStates is uniform, OpenSpiel's initial chance node.
func (g *LinQuad) InitialStates() []float64 { return mu0OrUniform(nil, g.p.Size) }

// Stage returns the rewards at L_t and the transitions (fixed when K = 0).
func (g *LinQuad) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	N, n, A := g.p.Size, g.p.NActionsPerSide, 2*g.p.NActionsPerSide+1
	mbar := statePositions(L)
	var st mfg.MDP
	if g.moves != nil {
		st = *g.moves
	} else {
		m, err := g.transitions(mbar)
		if err != nil {
			return nil, err
		}
		st = *m
	}
	st.Reward = make([]float64, N*A)
	dt, q, kappa := g.p.Dt, g.p.CrossQ, g.p.Kappa
	for x := 0; x < N; x++ {
		d := mbar - float64(x)
		for a := 0; a < A; a++ {
			l := a - n
			if g.p.OpenSpielCosts {
				l = g.first[t][x] - n
			}
			st.Reward[x*A+a] = dt / 2 * (float64(-l*l) + 2*q*float64(l)*d - kappa*(d*d))
		}
	}
	if !g.p.OpenSpielCosts && t == g.last {
		g.addTerminal(&st, L)
	}
	return &st, nil
}

// addTerminal adds to r(T, x, a) the expected terminal reward Σ_y P(y|x, a)·(-c(m̄' - y)²/2),
// m̄' the mean position of μ_{T+1}(y) = Σ_{x,a} L_T(x, a) P(y|x, a).
func (g *LinQuad) addTerminal(st *mfg.MDP, L mfg.Population) {
	N, A := st.States, st.Actions
	mu := make([]float64, N)
	for i, m := range L.Mass {
		next, prob := st.Successors(i/A, i%A)
		for k, y := range next {
			mu[y] += m * prob[k]
		}
	}
	for y := range mu {
		mu[y] *= float64(y)
	}
	mbar := numpySum(mu)
	for i := range st.Reward {
		next, prob := st.Successors(i/A, i%A)
		for k, y := range next {
			d := mbar - float64(y)
			st.Reward[i] += prob[k] * (-g.p.TerminalCost * (d * d) / 2)
		}
	}
}

func init() {
	Register("lin-quad", "linear-quadratic game on a ring: move toward the mean position (OpenSpiel's; MFGLib's is linear-quadratic)",
		"OpenSpiel mean_field_lin_quad (python/mfg/games/linear_quadratic.py; Perrin et al. 2020)", DefaultLinQuadParams,
		func(p LinQuadParams) (mfg.Finite, error) { return NewLinQuad(p) })
}
