package games

import (
	"fmt"
	"math"
	"strconv"

	"meanfield/mfg"
)

// LinearQuadraticParams are the parameters of the linear-quadratic game (MFGLib's names and
// defaults).
type LinearQuadraticParams struct {
	T     int     `yaml:"T" range:"0 ≤ T ≤ 1000000" help:"last time step T ≥ 0: T+1 time steps t = 0..T"`
	El    int     `yaml:"el" range:"0 ≤ el ≤ 1000000" help:"positions x in -el..el"`
	M     int     `yaml:"m" range:"0 ≤ m ≤ 1000000" help:"actions u in -m..m"`
	Sigma float64 `yaml:"sigma" range:"sigma ≥ 0, finite" help:"noise scale σ ≥ 0 (enters squared, as in MFGLib)"`
	Delta float64 `yaml:"delta" range:"delta > 0, finite" help:"time step δ > 0"`
	K     float64 `yaml:"k" range:"finite" help:"mean reversion k: drift k (m_t - x) toward the mean position m_t"`
	Q     float64 `yaml:"q" range:"finite" help:"weight q of the cross term q u (m_t - x) in the running reward"`
	Kappa float64 `yaml:"kappa" range:"finite" help:"weight κ of the running cost κ/2 (m_t - x)²"`
	CTerm float64 `yaml:"c-term" range:"finite" help:"weight of the terminal cost c-term/2 (m_t - x)² at T"`
	// Mu0 is the initial distribution over the 2el+1 positions -el..el; empty means uniform.
	Mu0 []float64 `yaml:"mu0" range:"empty (uniform), or 2·el+1 probabilities summing to 1" help:"initial distribution μ0 over the positions -el..el (empty: uniform)"`
}

// DefaultLinearQuadraticParams is MFGLib's default: T = 3, el = 5, m = 2, sigma = 3, delta = 0.1,
// k = 1, q = 0.01, kappa = 0.5, c-term = 1.
func DefaultLinearQuadraticParams() LinearQuadraticParams {
	return LinearQuadraticParams{T: 3, El: 5, M: 2, Sigma: 3, Delta: 0.1, K: 1, Q: 0.01, Kappa: 0.5, CTerm: 1}
}

// GameSize is 2el+1 positions × 2m+1 actions × T+1 times, each row reaching at most 7 positions
// (one per value of the noise); the transitions depend on the population.
func (p LinearQuadraticParams) GameSize() Size {
	S, A := 2*float64(p.El)+1, 2*float64(p.M)+1
	return Size{States: S, Actions: A, Times: float64(p.T) + 1, Successors: min(7, S),
		Params: []string{"el", "m", "T"}}
}

// Validate names the first parameter out of range. MFGLib checks none of them beyond mu0.
func (p LinearQuadraticParams) Validate() error {
	finite := func(name string, v float64) error {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s = %v: must be finite", name, v)
		}
		return nil
	}
	switch {
	case p.T < 0:
		return fmt.Errorf("last time step T = %d: must be non-negative (time steps t = 0..T)", p.T)
	case p.El < 0:
		return fmt.Errorf("el = %d: must be non-negative (positions -el..el)", p.El)
	case p.M < 0:
		return fmt.Errorf("m = %d: must be non-negative (actions -m..m)", p.M)
	case !(p.Sigma >= 0) || math.IsInf(p.Sigma, 0):
		return fmt.Errorf("sigma = %v: the noise scale must be non-negative and finite", p.Sigma)
	case !(p.Delta > 0) || math.IsInf(p.Delta, 0):
		return fmt.Errorf("delta = %v: the time step must be positive and finite", p.Delta)
	}
	for _, c := range []struct {
		name string
		v    float64
	}{{"k", p.K}, {"q", p.Q}, {"kappa", p.Kappa}, {"c-term", p.CTerm}} {
		if err := finite(c.name, c.v); err != nil {
			return err
		}
	}
	return checkMu0(p.Mu0, 2*p.El+1)
}

// LinearQuadratic is the discretised linear-quadratic game (Perrin et al. 2020) as MFGLib
// defines it. Positions x = s-el in -el..el, actions u = a-m in -m..m, and m_t = Σ_x x μ_t(x) the
// population's mean position. The noise takes 7 values j = -3..3 with probabilities proportional
// to exp(-(jσ)²/2); the next position is
//
//	x' = clamp(round(x + (k (m_t - x) + u) δ + σ² j √δ), -el, el),
//
// with round half to even (torch.round). Note σ enters squared: MFGLib's noise values are already
// jσ, and it multiplies them by σ√δ once more. Exact halves are common (with the defaults and a
// symmetric population, x + (m_t - x + u)/10 is a half-integer whenever m_t = 0 and x - u = ±5),
// but m_t = 0 only up to rounding; so the argument is first rounded to a multiple of 1e-9, which
// makes a half-integer off by rounding error round as the exact one would, to even. The reward
// before T is
//
//	r_t = δ (-u²/2 + q u (m_t - x) - κ/2 (m_t - x)²),
//
// and at T it is -c-term/2 (m_t - x)², without the factor δ. Transitions depend on L only through
// m_t, so each stage builds them (at T too, though only the rewards are read there).
type LinearQuadratic struct {
	p LinearQuadraticParams
	// noise[j+3] is the probability of the noise value j.
	noise [7]float64
}

// NewLinearQuadratic validates p and returns the game.
func NewLinearQuadratic(p LinearQuadraticParams) (*LinearQuadratic, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	g := &LinearQuadratic{p: p}
	var sum float64
	for j := -3; j <= 3; j++ {
		e := float64(j) * p.Sigma
		g.noise[j+3] = math.Exp(-0.5 * e * e)
		sum += g.noise[j+3]
	}
	for i := range g.noise {
		g.noise[i] /= sum
	}
	return g, nil
}

func (g *LinearQuadratic) Name() string             { return "linear-quadratic" }
func (g *LinearQuadratic) Horizon() int             { return g.p.T }
func (g *LinearQuadratic) StateShape() []int        { return []int{2*g.p.El + 1} }
func (g *LinearQuadratic) ActionShape() []int       { return []int{2*g.p.M + 1} }
func (g *LinearQuadratic) States() int              { return mfg.Size(g.StateShape()) }
func (g *LinearQuadratic) Actions() int             { return mfg.Size(g.ActionShape()) }
func (g *LinearQuadratic) InitialStates() []float64 { return mu0OrUniform(g.p.Mu0, 2*g.p.El+1) }

// StateLabel is the position x = s-el, "-el".."el".
func (g *LinearQuadratic) StateLabel(s int) string { return strconv.Itoa(s - g.p.El) }

// ActionLabel is the control u = a-m, "u = -m".."u = m": it moves the position by u δ.
func (g *LinearQuadratic) ActionLabel(a int) string { return "u = " + strconv.Itoa(a-g.p.M) }

// Move is the displacement u δ of the control u = a-m, before the drift, the noise, the rounding
// and the clamping.
func (g *LinearQuadratic) Move(a int) []float64 { return []float64{float64(a-g.p.M) * g.p.Delta} }

// Stage returns the rewards and transitions at the mean position of L_t.
func (g *LinearQuadratic) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	st := &mfg.MDP{Reward: make([]float64, (2*g.p.El+1)*(2*g.p.M+1))}
	if err := g.WriteStage(t, L, st); err != nil {
		return nil, err
	}
	return st, nil
}

// WriteStage writes the rewards at the mean position of L_t into dst.Reward and gives dst the
// transitions there (mfg.StageWriter): over those of the last WriteStage on dst, which are this
// game's own memory, or in new memory at the first.
func (g *LinearQuadratic) WriteStage(t int, L mfg.Population, dst *mfg.MDP) error {
	p := g.p
	nS, nA := 2*p.El+1, 2*p.M+1
	var marginal [16]float64 // μ_t on the stack for nS ≤ 16 (MFGLib's 11)
	var mu []float64
	if nS <= len(marginal) {
		mu = marginal[:nS]
	}
	mu = L.StateMarginal(mu)
	var mean float64
	for s, w := range mu {
		mean += float64(s-p.El) * w
	}
	r := dst.Reward[:nS*nA]
	rowStart, next, prob := dst.RowStart, dst.Next, dst.Prob
	if cap(rowStart) != nS*nA+1 {
		rowStart, next, prob = make([]int, 1, nS*nA+1), nil, nil
	}
	rowStart[:1][0] = 0
	*dst = mfg.MDP{States: nS, Actions: nA, Reward: r, RowStart: rowStart[:1], Next: next[:0], Prob: prob[:0]}
	b := &mfg.MDPBuilder{MDP: dst} // NewMDPBuilder's, with the caller's rewards
	for s := 0; s < nS; s++ {
		x := float64(s - p.El)
		gap := mean - x
		for a := 0; a < nA; a++ {
			u := float64(a - p.M)
			if t == p.T {
				r[s*nA+a] = -0.5 * p.CTerm * gap * gap
			} else {
				r[s*nA+a] = (float64(-0.5*u*u) + float64(p.Q*u*gap) - float64(0.5*p.Kappa*gap*gap)) * p.Delta
			}
		}
	}
	b.Grow(nS * nA * len(g.noise))
	sqrtDelta, el := math.Sqrt(p.Delta), float64(p.El)
	for s := 0; s < nS; s++ {
		// The same order of operations as MFGLib, so that exact halves round the same way.
		drift := p.K * (mean - float64(s) + float64(p.El))
		for a := 0; a < nA; a++ {
			base := float64(s-p.El) + (drift+float64(a)-float64(p.M))*p.Delta
			for j, w := range g.noise {
				if w == 0 {
					continue
				}
				y := base + float64(p.Sigma*(float64(j-3)*p.Sigma)*sqrtDelta)
				y = math.RoundToEven(math.Round(y*1e9) / 1e9)
				next := int(math.Min(math.Max(y, -el), el)) // clamped before the conversion to int
				// Successors come in non-decreasing order of j, so Add merges repeats.
				b.Add(next+p.El, w)
			}
			b.EndRow()
		}
	}
	return nil
}

func init() {
	Register("linear-quadratic", "discretised linear-quadratic game: track the mean position at a quadratic cost of moving (MFGLib's; OpenSpiel's is lin-quad)",
		"Perrin et al. 2020; MFGLib 0.3.0 linear_quadratic", DefaultLinearQuadraticParams,
		func(p LinearQuadraticParams) (mfg.Finite, error) { return NewLinearQuadratic(p) })
}
