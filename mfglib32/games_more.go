package mfglib32

import (
	"fmt"
	"math"

	"meanfield/games"
)

// kernelOf builds a kernel from a dense P[s'][s·A+a] (zeros left out), panicking on an index error,
// which the games below cannot make.
func kernelOf(S, A int, dense [][]float32) *Kernel {
	var es []Entry
	for next, col := range dense {
		for r, p := range col {
			if p != 0 {
				es = append(es, Entry{State: r / A, Action: r % A, Next: next, P: p})
			}
		}
	}
	k, err := NewKernel(S, A, es)
	if err != nil {
		panic(err)
	}
	return k
}

func denseP(S, A int) [][]float32 {
	d := make([][]float32, S)
	for i := range d {
		d[i] = make([]float32, S*A)
	}
	return d
}

// stateMass writes μ_t(s) = Σ_a L_t(s, a), summed as torch sums the last dimension.
func stateMass(L []float32, S, A int) []float32 {
	mu := make([]float32, S)
	for s := range mu {
		mu[s] = Sum(L[s*A : (s+1)*A])
	}
	return mu
}

// BeachBar is games.BeachBar in MFGLib's float32 arithmetic.
type BeachBar struct {
	p      games.BeachBarParams
	mu0    []float32
	dist   []int
	move   [3]float32 // c2: −|a−1|/n
	kernel *Kernel
}

// NewBeachBar validates p and returns the game.
func NewBeachBar(p games.BeachBarParams) (*BeachBar, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := checkLogEps(p.LogEps); err != nil {
		return nil, err
	}
	n := p.N
	g := &BeachBar{p: p, mu0: mu0(p.Mu0, n), dist: make([]int, n)}
	for s := range g.dist {
		g.dist[s] = min(((s-p.BarLoc)%n+n)%n, ((p.BarLoc-s)%n+n)%n)
	}
	g.move = [3]float32{float32(-1) / float32(n), 0, float32(-1) / float32(n)}
	prs := [3]float32{float32((1 - p.PStill) / 2), float32(p.PStill), float32((1 - p.PStill) / 2)}
	P := denseP(n, 3)
	for s := 0; s < n; s++ {
		for a := 0; a < 3; a++ {
			for e, pr := range prs {
				P[min(max(s+a-1+e-1, 0), n-1)][s*3+a] += pr
			}
		}
	}
	g.kernel = kernelOf(n, 3, P)
	return g, nil
}

func (g *BeachBar) Name() string                      { return "beach-bar" }
func (g *BeachBar) Horizon() int                      { return g.p.T }
func (g *BeachBar) States() int                       { return g.p.N }
func (g *BeachBar) Actions() int                      { return 3 }
func (g *BeachBar) InitialStates() []float32          { return g.mu0 }
func (g *BeachBar) Transition(int, []float32) *Kernel { return g.kernel }

// Reward is c1 + c2 + c3: −d(s) (an integer), −|a−1|/n, −log(μ_t(s) + log-eps).
func (g *BeachBar) Reward(_ int, L, dst []float32) {
	eps := float32(g.p.LogEps)
	mu := stateMass(L, g.p.N, 3)
	for s, m := range mu {
		c3 := -Logf(m + eps)
		for a := 0; a < 3; a++ {
			dst[s*3+a] = (float32(-g.dist[s]) + g.move[a]) + c3
		}
	}
}

// LeftRight is games.LeftRight in MFGLib's float32 arithmetic.
type LeftRight struct {
	mu0    []float32
	kernel *Kernel
}

// NewLeftRight validates p and returns the game.
func NewLeftRight(p games.LeftRightParams) (*LeftRight, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	P := denseP(3, 2)
	for s := 0; s < 3; s++ {
		for a := 0; a < 2; a++ {
			P[1+a][s*2+a] = 1
		}
	}
	return &LeftRight{mu0: mu0(p.Mu0, 3), kernel: kernelOf(3, 2, P)}, nil
}

func (g *LeftRight) Name() string                      { return "left-right" }
func (g *LeftRight) Horizon() int                      { return 1 }
func (g *LeftRight) States() int                       { return 3 }
func (g *LeftRight) Actions() int                      { return 2 }
func (g *LeftRight) InitialStates() []float32          { return g.mu0 }
func (g *LeftRight) Transition(int, []float32) *Kernel { return g.kernel }

// Reward is 0 at the start, −μ_t(left) on the left and −2μ_t(right) on the right.
func (g *LeftRight) Reward(_ int, L, dst []float32) {
	mu := stateMass(L, 3, 2)
	r := [3]float32{0, -mu[1], -(2 * mu[2])}
	for s := range r {
		dst[s*2], dst[s*2+1] = r[s], r[s]
	}
}

// RockPaperScissors is games.RockPaperScissors in MFGLib's float32 arithmetic.
type RockPaperScissors struct {
	T      int
	mu0    []float32
	kernel *Kernel
}

// NewRockPaperScissors validates p and returns the game.
func NewRockPaperScissors(p games.RockPaperScissorsParams) (*RockPaperScissors, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	P := denseP(4, 3)
	for s := 0; s < 4; s++ {
		for a := 0; a < 3; a++ {
			P[1+a][s*3+a] = 1
		}
	}
	return &RockPaperScissors{T: p.T, mu0: mu0(p.Mu0, 4), kernel: kernelOf(4, 3, P)}, nil
}

func (g *RockPaperScissors) Name() string                      { return "rock-paper-scissors" }
func (g *RockPaperScissors) Horizon() int                      { return g.T }
func (g *RockPaperScissors) States() int                       { return 4 }
func (g *RockPaperScissors) Actions() int                      { return 3 }
func (g *RockPaperScissors) InitialStates() []float32          { return g.mu0 }
func (g *RockPaperScissors) Transition(int, []float32) *Kernel { return g.kernel }

// Reward is 2μ(scissors) − μ(paper) for rock, 4μ(rock) − 2μ(scissors) for paper and
// 6μ(paper) − 3μ(rock) for scissors, whatever the action.
func (g *RockPaperScissors) Reward(_ int, L, dst []float32) {
	mu := stateMass(L, 4, 3)
	r := [4]float32{0, float32(2*mu[3]) - mu[2], float32(4*mu[1]) - float32(2*mu[3]), float32(6*mu[2]) - float32(3*mu[1])}
	for s := range r {
		for a := 0; a < 3; a++ {
			dst[s*3+a] = r[s]
		}
	}
}

// SusceptibleInfected is games.SusceptibleInfected in MFGLib's float32 arithmetic.
type SusceptibleInfected struct {
	T   int
	mu0 []float32
}

// NewSusceptibleInfected validates p and returns the game.
func NewSusceptibleInfected(p games.SusceptibleInfectedParams) (*SusceptibleInfected, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &SusceptibleInfected{T: p.T, mu0: mu0(p.Mu0, 2)}, nil
}

func (g *SusceptibleInfected) Name() string             { return "susceptible-infected" }
func (g *SusceptibleInfected) Horizon() int             { return g.T }
func (g *SusceptibleInfected) States() int              { return 2 }
func (g *SusceptibleInfected) Actions() int             { return 2 }
func (g *SusceptibleInfected) InitialStates() []float32 { return g.mu0 }

// Reward is 0 and −0.5 (susceptible: go out, stay home), −1 and −1.5 (infected).
func (g *SusceptibleInfected) Reward(_ int, _, dst []float32) {
	copy(dst, []float32{0, -0.5, -1, -1.5})
}

// Transition: a susceptible agent who goes out is infected with probability 0.9²·μ_t(infected);
// an infected one recovers with probability 0.3.
func (g *SusceptibleInfected) Transition(_ int, L []float32) *Kernel {
	mu := stateMass(L, 2, 2)
	P := denseP(2, 2)
	infect := float32(float32(0.9*0.9) * mu[1])
	P[1][0] = infect
	P[0][0] = 1 - infect
	P[0][1] = 1
	for a := 0; a < 2; a++ {
		P[0][2+a], P[1][2+a] = 0.3, 0.7
	}
	return kernelOf(2, 2, P)
}

// LinearQuadratic is games.LinearQuadratic in MFGLib's float32 arithmetic.
type LinearQuadratic struct {
	p          games.LinearQuadraticParams
	S, A       int
	mu0        []float32
	eps, epsPr []float32
}

// NewLinearQuadratic validates p and returns the game.
func NewLinearQuadratic(p games.LinearQuadraticParams) (*LinearQuadratic, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	g := &LinearQuadratic{p: p, S: 2*p.El + 1, A: 2*p.M + 1}
	g.mu0 = mu0(p.Mu0, g.S)
	sigma := float32(p.Sigma)
	root := float32(math.Sqrt(float64(float32(2 * math.Pi))))
	g.eps, g.epsPr = make([]float32, 7), make([]float32, 7)
	for j := range g.eps {
		e := float32(j-3) * sigma
		g.eps[j] = e
		g.epsPr[j] = Expf(float32(-0.5*float32(e*e))) / root
	}
	total := Sum(g.epsPr)
	for j := range g.epsPr {
		g.epsPr[j] /= total
	}
	return g, nil
}

func (g *LinearQuadratic) Name() string             { return "linear-quadratic" }
func (g *LinearQuadratic) Horizon() int             { return g.p.T }
func (g *LinearQuadratic) States() int              { return g.S }
func (g *LinearQuadratic) Actions() int             { return g.A }
func (g *LinearQuadratic) InitialStates() []float32 { return g.mu0 }

// meanPosition is m_t = Σ_x x·μ_t(x), x = s − el.
func (g *LinearQuadratic) meanPosition(L []float32) float32 {
	mu := stateMass(L, g.S, g.A)
	for s := range mu {
		mu[s] = float32(mu[s] * float32(s-g.p.El))
	}
	return Sum(mu)
}

// Reward is δ(−u²/2 + q·u·(m_t − x) − (κ/2)(m_t − x)²) before T and −(c-term/2)(m_t − x)² at T.
func (g *LinearQuadratic) Reward(t int, L, dst []float32) {
	m := g.meanPosition(L)
	p := g.p
	for s := 0; s < g.S; s++ {
		d := m - float32(s-p.El)
		d2 := float32(d * d)
		for a := 0; a < g.A; a++ {
			u := a - p.M
			if t == p.T {
				dst[s*g.A+a] = float32(-0.5*p.CTerm) * d2
				continue
			}
			c1 := float32(float32(-0.5) * float32(u*u))
			c21 := float32(p.Q) * float32(u)
			r := float32(c1+float32(c21*d)) - float32(float32(0.5*p.Kappa)*d2)
			dst[s*g.A+a] = r * float32(p.Delta)
		}
	}
}

// Transition moves x to round(x + (k(m_t − x) + u)δ + σ·ε_j·√δ) (half to even, clamped) with the
// weight of noise ε_j; σ applies twice, as in MFGLib.
func (g *LinearQuadratic) Transition(_ int, L []float32) *Kernel {
	p := g.p
	m := g.meanPosition(L)
	k, delta, sigma := float32(p.K), float32(p.Delta), float32(p.Sigma)
	rootDelta := float32(math.Sqrt(p.Delta))
	P := denseP(g.S, g.A)
	for s := 0; s < g.S; s++ {
		for a := 0; a < g.A; a++ {
			drift := (float32(k*((m-float32(s))+float32(p.El))) + float32(a)) - float32(p.M)
			drift = float32(drift * delta)
			for j, e := range g.eps {
				y := float32(s-p.El) + drift
				y += float32(float32(sigma*e) * rootDelta)
				next := int(math.RoundToEven(float64(y)))
				next = min(max(-p.El, next), p.El)
				P[next+p.El][s*g.A+a] += g.epsPr[j]
			}
		}
	}
	return kernelOf(g.S, g.A, P)
}

// RandomLinear is games.RandomLinear in MFGLib's float32 arithmetic, with the same tensors (drawn
// from torch's generator or given).
type RandomLinear struct {
	T, n           int
	mu0            []float32
	r1, r2, p1, p2 []float32
}

// NewRandomLinear validates p and returns the game.
func NewRandomLinear(p games.RandomLinearParams) (*RandomLinear, error) {
	g64, err := games.NewRandomLinear(p)
	if err != nil {
		return nil, err
	}
	r1, r2, p1, p2 := g64.Tensors()
	narrow := func(x []float64) []float32 {
		out := make([]float32, len(x))
		for i, v := range x {
			out[i] = float32(v)
		}
		return out
	}
	return &RandomLinear{T: p.T, n: p.N, mu0: mu0(p.Mu0, p.N), r1: narrow(r1), r2: narrow(r2), p1: narrow(p1), p2: narrow(p2)}, nil
}

func (g *RandomLinear) Name() string             { return "random-linear" }
func (g *RandomLinear) Horizon() int             { return g.T }
func (g *RandomLinear) States() int              { return g.n }
func (g *RandomLinear) Actions() int             { return g.n }
func (g *RandomLinear) InitialStates() []float32 { return g.mu0 }

// Reward is r1 @ L_t + r2.
func (g *RandomLinear) Reward(_ int, L, dst []float32) {
	matmul(g.r1, L, dst, g.n, g.n, g.n)
	for i := range dst {
		dst[i] += g.r2[i]
	}
}

// Transition is softmax over s' (dim 0) of p1 @ L_t + p2.
func (g *RandomLinear) Transition(_ int, L []float32) *Kernel {
	n := g.n
	logits := make([]float32, n*n*n)
	matmul(g.p1, L, logits, n*n, n, n)
	for i := range logits {
		logits[i] += g.p2[i]
	}
	probs := make([]float32, len(logits))
	softmaxDim0(logits, probs, n, n*n)
	P := denseP(n, n)
	for next := range P {
		copy(P[next], probs[next*n*n:(next+1)*n*n])
	}
	return kernelOf(n, n, P)
}

// EquilibriumPrice is games.EquilibriumPrice in MFGLib's float32 arithmetic.
type EquilibriumPrice struct {
	p      games.EquilibriumPriceParams
	S, A   int
	mu0    []float32
	kernel *Kernel
}

// NewEquilibriumPrice validates p and returns the game. MFGLib raises the price to the power
// 1/sigma with torch.pow, reproduced here for the exponents 1 (a copy), 2 (a square) and 1/2 (a
// square root), which torch computes without its general power function; other sigmas are refused.
func NewEquilibriumPrice(p games.EquilibriumPriceParams) (*EquilibriumPrice, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	switch 1 / p.Sigma {
	case 1, 2, 0.5:
	default:
		return nil, fmt.Errorf("sigma = %v: MFGLib's float32 arithmetic is reproduced for sigma = 1, 0.5 or 2 only", p.Sigma)
	}
	S, H1 := p.SInv+1, p.H+1
	A := (p.Q + 1) * H1
	g := &EquilibriumPrice{p: p, S: S, A: A, mu0: mu0(p.Mu0, S)}
	P := denseP(S, A)
	for s := 0; s < S; s++ {
		for q := 0; q <= p.Q; q++ {
			for h := 0; h <= p.H; h++ {
				P[min(s-min(q, s)+h, p.SInv)][s*A+q*H1+h] = 1
			}
		}
	}
	g.kernel = kernelOf(S, A, P)
	return g, nil
}

func (g *EquilibriumPrice) Name() string                      { return "equilibrium-price" }
func (g *EquilibriumPrice) Horizon() int                      { return g.p.T }
func (g *EquilibriumPrice) States() int                       { return g.S }
func (g *EquilibriumPrice) Actions() int                      { return g.A }
func (g *EquilibriumPrice) InitialStates() []float32          { return g.mu0 }
func (g *EquilibriumPrice) Transition(int, []float32) *Kernel { return g.kernel }

// Reward is (p_t − c0)q − c1·q² − c2·h − (c2+c3)·max(q − s, 0) − c4·s with the price
// p_t = (d / (Σ L_t·q + e0))^(1/σ).
func (g *EquilibriumPrice) Reward(_ int, L, dst []float32) {
	p := g.p
	H1 := p.H + 1
	demand := make([]float32, len(L))
	for i, x := range L {
		demand[i] = float32(x * float32(i%g.A/H1))
	}
	// d / x is x.reciprocal() * d in torch.
	price := (1 / (Sum(demand) + float32(p.E0))) * float32(p.D)
	switch 1 / p.Sigma {
	case 2:
		price *= price
	case 0.5:
		price = float32(math.Sqrt(float64(price)))
	}
	c := p.C
	for s := 0; s < g.S; s++ {
		for q := 0; q <= p.Q; q++ {
			for h := 0; h <= p.H; h++ {
				r1 := float32((price - float32(c[0])) * float32(q))
				r2 := float32(float32(-c[1]) * float32(q*q))
				r3 := float32(float32(-c[2]) * float32(h))
				r4 := float32(float32(-(c[2] + c[3])) * float32(max(q-s, 0)))
				r5 := float32(float32(-c[4]) * float32(s))
				dst[s*g.A+q*H1+h] = (((r1 + r2) + r3) + r4) + r5
			}
		}
	}
}
