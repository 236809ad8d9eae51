package algorithms

import (
	"context"
	"fmt"
	"math"
	"slices"

	"meanfield/engine"
	"meanfield/finite"
	"meanfield/mfg"
)

func init() {
	Register("mf-omo",
		"MF-OMO: gradient descent on the residuals of the occupation-measure optimality conditions, through the game's derivatives",
		"Guo, Hu and Zhang 2022 (arXiv 2206.09608); MFGLib 0.3.0 MFOMO", 100,
		DefaultMFOMO, func(p *MFOMO) (engine.Algorithm, error) { return *p, nil })
}

// DefaultMFOMO returns MFGLib's defaults: loss l1_l2, c1 = c2 = c3 = 1, no residual balancing
// (m1 = 10, m2 = 2, m3 = 0.1 when on), Adam with learning rate 0.1, unparameterised, hat
// initialisation, the game's r_max.
func DefaultMFOMO() *MFOMO {
	return &MFOMO{Loss: "l1_l2", C1: 1, C2: 1, C3: 1, M1: 10, M2: 2, M3: 0.1, Optimizer: "adam", LR: 0.1, HatInit: true}
}

// MFOMO is MFGLib's MF-OMO (Guo, Hu and Zhang 2022) on a finite-horizon game: a Nash equilibrium
// is a zero of the objective
//
//	f(L, z, y) = c1 ‖A_L L - b‖² + c2 ‖A_Lᵀ y + z - c_L‖² + c3 zᵀL          (loss l1_l2)
//
// (l2: the last term squared; l1: 1-norms in place of the squared 2-norms) over occupation measures
// L (one distribution on S×A per time), slacks z ≥ 0 and values y, with A_L, b, c_L of omoParams
// evaluated at L itself. Each iteration takes one step of the optimizer (Adam with torch's
// defaults β = (0.9, 0.999), ε = 1e-8, or plain SGD, θ ← θ - lr ∇f) on the whole gradient, which
// includes the dependence of A_L and c_L on L through the game's mfg.StageGradient (central
// differences for a game without one: finite.StageVJP), then projects: each L_t onto the unit
// simplex, z onto {z ≥ 0, Σz ≤ c_v}, y onto the ball ‖y‖₂ ≤ c_y, with
//
//	c_v = S A (T² + T + 2) r_max,   c_y = S (T+1)(T+2) r_max / 2.
//
// Parameterize replaces the projections by L_t = softmax(u_t), z = c_v softmax(v)[:-1] and
// y = c_w sin(w), c_w = c_y/√(S(T+1)). L starts at π_0/S at every time (not the flow of μ0); with
// HatInit, y and z start at ŷ = (V*_1, ..., V*_T, -V*_0) and ẑ = max(V* - Q*, 0), the optimal
// values of the MDP at that L (MFGLib's hat_initialization, quirks included), else at 0. Every
// RBFreq iterations (when (k+1) mod RBFreq = 0) residual balancing scales c1 (and c2 alike) by
// M2 when O1/max(O2, O3) > M1, or by 1/M2 when O1/min(O2, O3) < M3, capped at 1000, O_i the
// objective's terms without their weights. The iterate is the policy of L:
// π_t(a|s) = L_t(s,a)/Σ_b L_t(s,b), uniform where the row has no mass.
type MFOMO struct {
	Loss         string  `yaml:"loss" help:"norms of the objective: l1_l2 (squared residuals, linear zᵀL), l2 (all squared), l1 (1-norms, linear zᵀL)"`
	C1           float64 `yaml:"c1" help:"weight c1 ≥ 0 of the flow residual ‖A_L L - b‖"`
	C2           float64 `yaml:"c2" help:"weight c2 ≥ 0 of the value residual ‖A_Lᵀ y + z - c_L‖"`
	C3           float64 `yaml:"c3" help:"weight c3 ≥ 0 of the complementarity zᵀL"`
	RBFreq       int     `yaml:"rb-freq" help:"residual balancing of c1 and c2 when (k+1) is a multiple of rb-freq (0: off)"`
	M1           float64 `yaml:"m1" help:"residual balancing: grow a weight when its term exceeds m1 times the others"`
	M2           float64 `yaml:"m2" help:"residual balancing: the factor m2 > 0 a weight is multiplied or divided by"`
	M3           float64 `yaml:"m3" help:"residual balancing: shrink a weight when its term is below m3 times another"`
	Optimizer    string  `yaml:"optimizer" help:"adam (torch's Adam, β = (0.9, 0.999), ε = 1e-8) or sgd"`
	LR           float64 `yaml:"lr" help:"learning rate of the optimizer"`
	Parameterize bool    `yaml:"parameterize" help:"unconstrained softmax/sine parameterisation instead of projections"`
	HatInit      bool    `yaml:"hat-init" help:"start y and z at the optimal values of the MDP at the initial L (else at 0)"`
	RMax         float64 `yaml:"r-max" help:"bound r_max on the rewards in the constraints (0: the game's own, MFGLib's env.r_max)"`
}

// Name is "mf-omo".
func (MFOMO) Name() string { return "mf-omo" }

// Validate names the first parameter out of range.
func (o MFOMO) Validate() error {
	finiteNonNeg := func(name string, v float64) error {
		if !(v >= 0) || math.IsInf(v, 0) {
			return fmt.Errorf("%s = %v: must be non-negative and finite", name, v)
		}
		return nil
	}
	switch {
	case o.Loss != "l1_l2" && o.Loss != "l1" && o.Loss != "l2":
		return fmt.Errorf("loss = %q: must be l1_l2, l1 or l2", o.Loss)
	case o.RBFreq < 0:
		return fmt.Errorf("rb-freq = %d: must be non-negative (0: no residual balancing)", o.RBFreq)
	case o.Optimizer != "adam" && o.Optimizer != "sgd":
		return fmt.Errorf("optimizer = %q: must be adam or sgd", o.Optimizer)
	case !(o.LR > 0) || math.IsInf(o.LR, 0):
		return fmt.Errorf("lr = %v: must be positive and finite", o.LR)
	case !(o.M2 > 0) || math.IsInf(o.M2, 0):
		return fmt.Errorf("m2 = %v: must be positive and finite", o.M2)
	}
	for _, c := range []struct {
		name string
		v    float64
	}{{"c1", o.C1}, {"c2", o.C2}, {"c3", o.C3}, {"m1", o.M1}, {"m3", o.M3}, {"r-max", o.RMax}} {
		if err := finiteNonNeg(c.name, c.v); err != nil {
			return err
		}
	}
	return nil
}

// Applies accepts the single-population finite-horizon games without illegal actions that have a
// reward bound: the game's (mfg.RewardBound) or r-max.
func (o MFOMO) Applies(g mfg.Game) error {
	fg, ok := g.(mfg.Finite)
	if !ok {
		return fmt.Errorf("algorithm = %q needs a finite-horizon game; %s is stationary", o.Name(), g.Name())
	}
	if _, multi := g.(mfg.MultiPopulation); multi || mfg.LegalMask(g) != nil {
		// Its occupation measures range over every (s, a) of one population, as MFGLib's.
		return fmt.Errorf("algorithm = %q: %s has several populations or illegal actions, which MF-OMO does not model", o.Name(), g.Name())
	}
	_, err := o.rMax(fg)
	return err
}

// rMax is r-max when set, else the game's bound.
func (o MFOMO) rMax(g mfg.Finite) (float64, error) {
	r := o.RMax
	if r == 0 {
		b, ok := g.(mfg.RewardBound)
		if !ok {
			return 0, fmt.Errorf("algorithm = %q needs a bound r_max on the rewards of %s, which states none: set r-max > 0", o.Name(), g.Name())
		}
		r = b.RewardBound()
	}
	if !(r > 0) || math.IsInf(r, 0) {
		return 0, fmt.Errorf("algorithm = %q on %s: r_max = %v: must be positive and finite (set r-max)", o.Name(), g.Name(), r)
	}
	return r, nil
}

// String describes the settings.
func (o MFOMO) String() string {
	rb := "no residual balancing"
	if o.RBFreq > 0 {
		rb = fmt.Sprintf("residual balancing every %d (m1=%g, m2=%g, m3=%g)", o.RBFreq, o.M1, o.M2, o.M3)
	}
	return fmt.Sprintf("loss %s, c=(%g, %g, %g), %s lr=%g, %s, parameterize=%v, hat-init=%v",
		o.Loss, o.C1, o.C2, o.C3, o.Optimizer, o.LR, rb, o.Parameterize, o.HatInit)
}

// Begin sets L = π_0/S, z and y (see MFOMO) and returns the policy of L.
func (o MFOMO) Begin(_ context.Context, s engine.Start) (engine.Run, engine.Iterate, error) {
	g, ok := s.Problem.Game().(mfg.Finite)
	if !ok {
		return nil, engine.Iterate{}, o.Applies(s.Problem.Game())
	}
	rmax, err := o.rMax(g)
	if err != nil {
		return nil, engine.Iterate{}, err
	}
	r := newOMORun(o, g, rmax)
	L := make([]float64, r.n)
	for t, p := range s.Policy {
		for i, x := range p.Prob {
			L[t*r.S*r.A+i] = x / float64(r.S)
		}
	}
	if err := r.initialise(L); err != nil {
		return nil, engine.Iterate{}, err
	}
	r.variables()
	return r, engine.Iterate{Policy: r.policy()}, nil
}

// omoRun is one MF-OMO solve. theta holds the optimizer's variables [L or u | z or v | y or w].
type omoRun struct {
	o               MFOMO
	g               mfg.Finite
	mu0             []float64
	T, S, A, n, ns  int // n = (T+1)·S·A, ns = (T+1)·S
	cv, cy, cw      float64
	c1, c2          float64
	theta, grad     []float64
	m, v            []float64 // Adam's moments
	step            int
	fixedMoves      bool
	L, z, y, R1, R2 []float64 // the variables and residuals at theta
	gL, gy          []float64 // scratch
}

func newOMORun(o MFOMO, g mfg.Finite, rmax float64) *omoRun {
	T, S, A := g.Horizon(), g.States(), g.Actions()
	r := &omoRun{o: o, g: g, mu0: g.InitialStates(), T: T, S: S, A: A, n: (T + 1) * S * A, ns: (T + 1) * S, c1: o.C1, c2: o.C2}
	_, r.fixedMoves = g.(mfg.FixedMoves)
	r.cv = float64(S*A*(T*T+T+2)) * rmax
	r.cy = float64(S*(T+1)*(T+2)) * rmax / 2
	r.cw = r.cy / math.Sqrt(float64(S*(T+1)))
	nz := r.n
	if o.Parameterize {
		nz++ // v has a slack coordinate
	}
	size := r.n + nz + r.ns
	r.theta, r.grad, r.m, r.v = make([]float64, size), make([]float64, size), make([]float64, size), make([]float64, size)
	r.L, r.z, r.y = make([]float64, r.n), make([]float64, r.n), make([]float64, r.ns)
	r.R1, r.R2, r.gL, r.gy = make([]float64, r.ns), make([]float64, r.n), make([]float64, r.n), make([]float64, r.ns)
	return r
}

// parts returns the three blocks of a vector laid out as theta.
func (r *omoRun) parts(x []float64) (xL, xz, xy []float64) {
	nz := len(x) - r.n - r.ns
	return x[:r.n], x[r.n : r.n+nz], x[r.n+nz:]
}

// ReleasesEvaluations tells the engine that the run keeps nothing of an evaluation after Step.
func (*omoRun) ReleasesEvaluations() {}

// ReadsNoPolicyQ tells the engine that Step reads no Q^π of the evaluation (nothing of it).
func (*omoRun) ReadsNoPolicyQ() {}

// Step is one MF-OMO iteration k: residual balancing when due, one optimizer step, the
// projections (unparameterised), and the policy of L.
func (r *omoRun) Step(ctx context.Context, k int, _ *engine.Evaluation) (engine.Iterate, error) {
	if err := ctx.Err(); err != nil {
		return engine.Iterate{}, err
	}
	if r.o.RBFreq > 0 && (k+1)%r.o.RBFreq == 0 {
		if err := r.balance(); err != nil {
			return engine.Iterate{}, err
		}
	}
	if err := r.gradient(); err != nil {
		return engine.Iterate{}, err
	}
	r.optimizerStep()
	if !r.o.Parameterize {
		r.project()
	}
	r.variables()
	return engine.Iterate{Policy: r.policy()}, nil
}

// variables sets L, z, y from theta: copies, or the parameterisation's maps.
func (r *omoRun) variables() {
	xL, xz, xy := r.parts(r.theta)
	if !r.o.Parameterize {
		copy(r.L, xL)
		copy(r.z, xz)
		copy(r.y, xy)
		return
	}
	k := r.S * r.A
	for t := 0; t <= r.T; t++ {
		softmaxInto(r.L[t*k:(t+1)*k], xL[t*k:(t+1)*k])
	}
	p := make([]float64, len(xz))
	softmaxInto(p, xz)
	for i := range r.z {
		r.z[i] = r.cv * p[i]
	}
	for i, w := range xy {
		r.y[i] = r.cw * math.Sin(w)
	}
}

// softmaxInto writes softmax(x) = exp(x - max x)/Σ exp(x - max x) into dst.
func softmaxInto(dst, x []float64) {
	best := math.Inf(-1)
	for _, v := range x {
		best = max(best, v)
	}
	var sum float64
	for i, v := range x {
		dst[i] = math.Exp(v - best)
		sum += dst[i]
	}
	for i := range dst {
		dst[i] /= sum
	}
}

// policy returns π_t(a|s) = L_t(s,a)/Σ_b L_t(s,b), uniform where that is 0/0 (MFGLib's
// policy_from_mean_field without a tolerance).
func (r *omoRun) policy() []mfg.Policy {
	S, A := r.S, r.A
	pi := newPolicy(r.T+1, S, A)
	for t := range pi {
		for s := 0; s < S; s++ {
			row := r.L[(t*S+s)*A : (t*S+s+1)*A]
			var sum float64
			for _, x := range row {
				sum += x
			}
			for a, x := range row {
				p := x / sum
				if p != p {
					p = 1 / float64(A)
				}
				pi[t].Prob[s*A+a] = p
			}
		}
	}
	return pi
}

// objective evaluates the stages and residuals at the current variables and returns the
// objective's three unweighted terms O1, O2, O3 and R3 = zᵀL.
func (r *omoRun) objective() (*omoParams, [3]float64, float64, error) {
	p, err := newOMOParams(r.g, r.mu0, r.L)
	if err != nil {
		return nil, [3]float64{}, 0, err
	}
	p.residuals(r.L, r.z, r.y, r.R1, r.R2)
	var R3 float64
	for i, x := range r.z {
		R3 += x * r.L[i]
	}
	var o [3]float64
	for _, x := range r.R1 {
		o[0] += r.norm(x)
	}
	for _, x := range r.R2 {
		o[1] += r.norm(x)
	}
	o[2] = R3
	if r.o.Loss == "l2" {
		o[2] = R3 * R3
	}
	return p, o, R3, nil
}

// norm is a residual entry's share of its term: |x| (l1) or x².
func (r *omoRun) norm(x float64) float64 {
	if r.o.Loss == "l1" {
		return math.Abs(x)
	}
	return x * x
}

// balance is MFGLib's mf_omo_residual_balancing on c1 and c2 (the second rule overrides the first,
// a test is skipped when its denominator is 0, and the weights are capped at 1000).
func (r *omoRun) balance() error {
	_, o, _, err := r.objective()
	if err != nil {
		return err
	}
	rule := func(c, own, a, b float64) float64 {
		next := c
		if d := max(a, b); d != 0 && own/d > r.o.M1 {
			next = c * r.o.M2
		}
		if d := min(a, b); d != 0 && own/d < r.o.M3 {
			next = c / r.o.M2
		}
		return min(next, 1e3)
	}
	r.c1, r.c2 = rule(r.c1, o[0], o[1], o[2]), rule(r.c2, o[1], o[0], o[2])
	return nil
}

// gradient writes ∇f at theta into grad. With g1 = ∂f/∂R1, g2 = ∂f/∂R2 and g3 = ∂f/∂R3 (R3 = zᵀL),
//
//	∇_L f = A_Lᵀ g1 + g3 z + VJP_L(gr = g2, gp(s,a,s') = g1(s') L(s,a) + y(s') g2(s,a)),
//	∇_z f = g2 + g3 L,   ∇_y f = A_L g2,
//
// the VJP carrying the dependence of the rewards (c_L = -r) and transitions (in A_L) on L; then,
// parameterised, the chain rule through the softmaxes and the sine.
func (r *omoRun) gradient() error {
	p, _, R3, err := r.objective()
	if err != nil {
		return err
	}
	g1, g2 := r.R1, r.R2 // overwritten by the derivatives of the loss in the residuals
	g3 := r.o.C3
	scale := func(g []float64, c float64) {
		for i, x := range g {
			if r.o.Loss == "l1" {
				g[i] = c * sign(x)
			} else {
				g[i] = c * (2 * x)
			}
		}
	}
	scale(g1, r.c1)
	scale(g2, r.c2)
	if r.o.Loss == "l2" {
		g3 = r.o.C3 * (2 * R3)
	}
	gz := make([]float64, r.n)
	p.mulAT(g1, r.gL)
	for i, x := range r.z {
		r.gL[i] += g3 * x
		gz[i] = g2[i] + float64(g3*r.L[i])
	}
	p.mulA(g2, r.gy)
	if err := r.addModelVJP(g1, g2); err != nil {
		return err
	}
	r.chain(gz)
	return nil
}

// sign is torch.sign: -1, 0 or 1 (the derivative autograd gives |x| at 0 is 0).
func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// addModelVJP adds to gL the cotangent of L through the stages: gr_t = g2_t (c_L_t = -r_t enters R2
// with a minus) and, where the transitions depend on L (games without mfg.FixedMoves),
// gp_t(s,a,s') = g1_t(s') L_t(s,a) + y_t(s') g2_t(s,a) for t < T.
func (r *omoRun) addModelVJP(g1, g2 []float64) error {
	S, A, k := r.S, r.A, r.S*r.A
	dst := make([]float64, k)
	var gp []float64
	if !r.fixedMoves {
		gp = make([]float64, k*S)
	}
	for t := 0; t <= r.T; t++ {
		L := mfg.Population{States: S, Actions: A, Mass: r.L[t*k : (t+1)*k]}
		var gpt []float64
		if gp != nil && t < r.T {
			gpt = gp
			for i, l := range L.Mass {
				for sp := 0; sp < S; sp++ {
					gp[i*S+sp] = float64(g1[t*S+sp]*l) + float64(r.y[t*S+sp]*g2[t*k+i])
				}
			}
		}
		if err := finite.StageVJP(r.g, t, L, g2[t*k:(t+1)*k], gpt, dst); err != nil {
			return err
		}
		for i, x := range dst {
			r.gL[t*k+i] += x
		}
	}
	return nil
}

// chain writes into grad the gradient in theta's variables from ∇_L (gL), ∇_z (gz) and ∇_y (gy):
// the same unparameterised; through u ↦ softmax(u_t), v ↦ c_v softmax(v)[:-1] and w ↦ c_w sin(w)
// parameterised (softmax's Jacobian-vector product p ⊙ (g - ⟨g, p⟩)).
func (r *omoRun) chain(gz []float64) {
	xL, xz, xy := r.parts(r.grad)
	if !r.o.Parameterize {
		copy(xL, r.gL)
		copy(xz, gz)
		copy(xy, r.gy)
		return
	}
	softmaxVJP := func(dst, p, g []float64) {
		var dot float64
		for i, x := range g {
			dot += x * p[i]
		}
		for i, x := range g {
			dst[i] = p[i] * (x - dot)
		}
	}
	k := r.S * r.A
	for t := 0; t <= r.T; t++ {
		softmaxVJP(xL[t*k:(t+1)*k], r.L[t*k:(t+1)*k], r.gL[t*k:(t+1)*k])
	}
	_, v, w := r.parts(r.theta)
	p, gp := make([]float64, len(v)), make([]float64, len(v))
	softmaxInto(p, v)
	for i, x := range gz {
		gp[i] = r.cv * x
	}
	softmaxVJP(xz, p, gp)
	for i, x := range r.gy {
		xy[i] = x * (r.cw * math.Cos(w[i]))
	}
}

// optimizerStep applies one step of torch's Adam (single-tensor, no weight decay or amsgrad) or
// SGD to theta.
func (r *omoRun) optimizerStep() {
	lr := r.o.LR
	if r.o.Optimizer == "sgd" {
		for i, g := range r.grad {
			r.theta[i] += -lr * g
		}
		return
	}
	const b1, b2, eps = 0.9, 0.999, 1e-8
	r.step++
	bc1 := 1 - math.Pow(b1, float64(r.step))
	bc2 := 1 - math.Pow(b2, float64(r.step))
	stepSize, bc2Sqrt := lr/bc1, math.Sqrt(bc2)
	for i, g := range r.grad {
		r.m[i] = float64(r.m[i]*b1) + float64((1-b1)*g)
		r.v[i] = float64(r.v[i]*b2) + float64((1-b2)*g*g)
		denom := math.Sqrt(r.v[i])/bc2Sqrt + eps
		r.theta[i] += -stepSize * (r.m[i] / denom)
	}
}

// project is MFGLib's mf_omo_constraints: each L_t onto the unit simplex; z's positive entries onto
// the simplex of radius c_v when they sum to more, the others to 0; y onto the ball of radius c_y.
func (r *omoRun) project() {
	L, z, y := r.parts(r.theta)
	k := r.S * r.A
	for t := 0; t <= r.T; t++ {
		projectSimplex(L[t*k:(t+1)*k], 1)
	}
	var pos []int
	var sum float64
	for i, x := range z {
		if x > 0 {
			pos = append(pos, i)
			sum += x
		}
	}
	if len(pos) > 0 && sum > r.cv {
		vals := make([]float64, len(pos))
		for j, i := range pos {
			vals[j] = z[i]
		}
		projectSimplex(vals, r.cv)
		for j, i := range pos {
			z[i] = vals[j]
		}
	}
	for i, x := range z {
		if x <= 0 {
			z[i] = 0
		}
	}
	var sq float64
	for _, x := range y {
		sq += float64(x * x)
	}
	if norm := math.Sqrt(sq); norm > r.cy {
		for i, x := range y {
			y[i] = x / norm * r.cy
		}
	}
}

// projectSimplex replaces x by its Euclidean projection onto {x ≥ 0, Σx = radius}, by sorting
// (Duchi, Shalev-Shwartz, Singer and Chandra 2008): with x sorted decreasingly and
// θ_j = (Σ_{i≤j} x_(i) - radius)/j, θ = θ_j for the largest j with x_(j) > θ_j, x ← max(x - θ, 0);
// then, as MFGLib, x ← x/Σx · radius. Where no j qualifies (NaN entries), MFGLib's fallback: the
// uniform radius/len(x).
func projectSimplex(x []float64, radius float64) {
	sorted := slices.Clone(x)
	slices.Sort(sorted) // increasing, NaNs first: read from the end
	var cum, theta float64
	found := false
	for j := range sorted {
		v := sorted[len(sorted)-1-j]
		cum += v
		if th := (cum - radius) / float64(j+1); v-th > 0 {
			theta, found = th, true
		}
	}
	if math.IsNaN(sorted[0]) {
		found = false // torch sorts NaN first, which makes every θ_j NaN
	}
	if !found {
		for i := range x {
			x[i] = radius / float64(len(x))
		}
		return
	}
	var sum float64
	for i, v := range x {
		x[i] = max(v-theta, 0)
		sum += x[i]
	}
	for i := range x {
		x[i] = x[i] / sum * radius
	}
}

// initialise sets theta from L = π_0/S: L itself or u = log L; and, with HatInit, z and y from
// hat, or v = log(ẑ/c_v, Σ ẑ/c_v) (MFGLib's last entry; zeros replaced by 1e-8; v = 0 when
// Σ ẑ/c_v ≥ 1) and w = asin(ŷ/c_w) (NaN where |ŷ| > c_w, as in MFGLib).
func (r *omoRun) initialise(L []float64) error {
	xL, xz, xy := r.parts(r.theta)
	for i, x := range L {
		if !r.o.Parameterize {
			xL[i] = x
		} else if x > 0 {
			xL[i] = math.Log(x)
		} else {
			k := r.S * r.A
			return fmt.Errorf("mf-omo: parameterize = true takes log(π_0/S), but π_0(a=%d|t=%d, s=%d) = %v", i%r.A, i/k, i%k/r.A, x*float64(r.S))
		}
	}
	if !r.o.HatInit {
		return nil
	}
	zHat, yHat, err := r.hat(L)
	if err != nil {
		return err
	}
	if !r.o.Parameterize {
		copy(xz, zHat)
		copy(xy, yHat)
		return nil
	}
	var sum float64
	for i, z := range zHat {
		zHat[i] = z / r.cv
		sum += zHat[i]
	}
	if sum < 1 {
		last := 1 - (1 - sum)
		for i, z := range append(zHat, last) {
			if z == 0 {
				z = 1e-8
			}
			xz[i] = math.Log(z)
		}
	}
	for i, y := range yHat {
		xy[i] = math.Asin(y / r.cw)
	}
	return nil
}

// hat returns MFGLib's hat_initialization at L: with V*_t(s) = max_a Q*_t(s,a) the optimal values of
// the MDP with the stages at L, ŷ = (V*_1, ..., V*_T, -V*_0) and
// ẑ_t(s,a) = max(V*_t(s) - r_t(s,a) - Σ_{s'} P_t(s'|s,a) V*_{t+1}(s'), 0) (no sum at T).
func (r *omoRun) hat(L []float64) (zHat, yHat []float64, err error) {
	p, err := newOMOParams(r.g, r.mu0, L)
	if err != nil {
		return nil, nil, err
	}
	S, A, T, k := r.S, r.A, r.T, r.S*r.A
	V, PV := make([]float64, r.ns), make([]float64, r.n)
	for t := T; t >= 0; t-- {
		st := p.stages[t]
		for i, q := range st.Reward[:k] {
			if t < T {
				next, prob := st.Successors(i/A, i%A)
				var e float64
				for j, sp := range next {
					e += prob[j] * V[(t+1)*S+sp]
				}
				PV[t*k+i] = e
				q += e
			}
			if s := i / A; i%A == 0 || q > V[t*S+s] {
				V[t*S+s] = q
			}
		}
	}
	zHat, yHat = make([]float64, r.n), make([]float64, r.ns)
	for i := range zHat {
		t, s := i/k, i%k/A
		z := V[t*S+s] - p.stages[t].Reward[i%k] - PV[i]
		zHat[i] = max(z, 0)
	}
	copy(yHat, V[S:])
	for s := 0; s < S; s++ {
		yHat[T*S+s] = -V[s]
	}
	return zHat, yHat, nil
}
