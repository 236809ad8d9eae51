package finite

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"meanfield/mfg"
)

// OccupationPolytope is the set of occupation measures of a finite-horizon game whose transitions
// P_0..P_{T-1} are frozen: the x ∈ R^{(T+1)×S×A}, stored flat at (t·S + s)·A + a, with
//
//	x ≥ 0,   x_t(s, a) = 0 for an illegal action a at s,
//	Σ_a x_0(s, a) = μ0(s),
//	Σ_a x_{t+1}(s', a) = Σ_{s,a} P_t(s'|s, a) x_t(s, a)   (t < T),
//
// written A x = b with one row per (t, s): MFGLib's mf_omo_params constraints (its A_L, b), whose
// rows it orders and signs differently. It is never empty when μ0 ≥ 0 and P ≥ 0: the occupation
// measure of any policy lies in it.
//
// Project computes the Euclidean projection of a point onto it exactly (to rounding): the
// backward step of MF-OMI-FBS, which MFGLib leaves to OSQP.
type OccupationPolytope struct {
	states, actions, horizon int
	mu0                      []float64
	moves                    []*mfg.MDP
	// free marks the variables that may be positive, flat like x: the legal actions of the
	// states reachable at t from μ0's support (through legal actions and positive transitions).
	// Every other variable is 0 in every point of the polytope, so the projection fixes it there.
	free []bool
	// reach marks the states reachable at t, flat at t·S + s.
	reach []bool
}

// NewOccupationPolytope returns the polytope of a game of S states and A actions with initial
// distribution mu0 (length S, non-negative: its total need not be 1), transitions moves[t] = P_t
// for t < T (T = len(moves); rewards are not read) and legal-action mask legal (nil: every action
// legal). A negative or non-finite entry of mu0 is refused: no x ≥ 0 has that marginal, so the
// polytope is empty.
func NewOccupationPolytope(states, actions int, mu0 []float64, moves []*mfg.MDP, legal []bool) (*OccupationPolytope, error) {
	if states < 1 || actions < 1 {
		return nil, fmt.Errorf("occupation polytope: states = %d, actions = %d: both must be at least 1", states, actions)
	}
	if len(mu0) != states {
		return nil, fmt.Errorf("occupation polytope: mu0 has %d entries, want %d states", len(mu0), states)
	}
	for s, m := range mu0 {
		if !(m >= 0) || math.IsInf(m, 0) {
			return nil, fmt.Errorf("occupation polytope: mu0[%d] = %v: must be finite and non-negative (the marginal Σ_a x_0(%d, a) of an x ≥ 0), so the polytope is empty", s, m, s)
		}
	}
	if err := mfg.CheckLegalMask(legal, states, actions); err != nil {
		return nil, fmt.Errorf("occupation polytope: %w", err)
	}
	for t, m := range moves {
		if m == nil || m.States != states || m.Actions != actions || len(m.RowStart) != states*actions+1 {
			return nil, fmt.Errorf("occupation polytope: transitions at t = %d are not %d×%d rows", t, states, actions)
		}
		for k, p := range m.Prob {
			if !(p >= 0) || math.IsInf(p, 0) {
				return nil, fmt.Errorf("occupation polytope: a transition probability at t = %d is %v: must be finite and non-negative", t, p)
			}
			if j := m.Next[k]; j < 0 || j >= states {
				return nil, fmt.Errorf("occupation polytope: a transition at t = %d goes to state %d, out of [0, %d)", t, j, states)
			}
		}
	}
	p := &OccupationPolytope{states: states, actions: actions, horizon: len(moves), mu0: mu0, moves: moves}
	p.free, p.reach = p.reachable(legal)
	return p, nil
}

// reachable returns the mask of the variables that may be positive: x_t(s, a) with a legal at s
// and s reachable at t, i.e. μ0(s) > 0 at t = 0, and at t+1 a successor with positive
// probability of a legal pair at a state reachable at t. An unreachable state has no inflow, so
// its variables are 0 wherever A x = b, x ≥ 0; fixing them leaves the projection unchanged and
// spares the Newton method the rows where nothing can be (long horizons from a point mass).
func (p *OccupationPolytope) reachable(legal []bool) (free, all []bool) {
	S, A, SA := p.states, p.actions, p.states*p.actions
	free, all = make([]bool, p.Vars()), make([]bool, p.Rows())
	reach := make([]bool, S)
	for s, m := range p.mu0 {
		reach[s] = m > 0
	}
	next := make([]bool, S)
	for t := 0; t <= p.horizon; t++ {
		copy(all[t*S:], reach)
		for j := 0; j < SA; j++ {
			free[t*SA+j] = reach[j/A] && (legal == nil || legal[j])
		}
		if t == p.horizon {
			break
		}
		clear(next)
		mv := p.moves[t]
		for j := 0; j < SA; j++ {
			if !free[t*SA+j] {
				continue
			}
			for k := mv.RowStart[j]; k < mv.RowStart[j+1]; k++ {
				next[mv.Next[k]] = next[mv.Next[k]] || mv.Prob[k] > 0
			}
		}
		reach, next = next, reach
	}
	return free, all
}

// certify lowers the multipliers of the unreachable states so that d + Aᵀλ ≤ 0 at their legal
// variables, making λ a certificate of optimality for the problem with x ≥ 0 alone (their rows
// and variables are otherwise untouched by the Newton method). It goes backward in time: λ_t(s)
// enters the variables of (t, s) and, through P_{t-1}, only those of the states that reach s,
// unreachable as well, handled after it.
func (p *OccupationPolytope) certify(d, lam []float64) {
	S, A, SA := p.states, p.actions, p.states*p.actions
	for t := p.horizon; t >= 0; t-- {
		for s := 0; s < S; s++ {
			if p.reach[t*S+s] {
				continue
			}
			top := 0.0
			for a := 0; a < A; a++ {
				j := s*A + a
				z := d[t*SA+j] + lam[t*S+s]
				if t < p.horizon {
					mv := p.moves[t]
					for k := mv.RowStart[j]; k < mv.RowStart[j+1]; k++ {
						z -= mv.Prob[k] * lam[(t+1)*S+mv.Next[k]]
					}
				}
				top = max(top, z)
			}
			lam[t*S+s] -= top
		}
	}
}

// Vars is (T+1)·S·A, the length of a point; Rows is (T+1)·S, the number of constraints.
func (p *OccupationPolytope) Vars() int { return (p.horizon + 1) * p.states * p.actions }

// Rows is the number of equality constraints, (T+1)·S, and the length of the dual vector.
func (p *OccupationPolytope) Rows() int { return (p.horizon + 1) * p.states }

// applyA writes A x - b·c into out: row (0, s) is Σ_a x_0(s, a) - c·μ0(s), row (t+1, s') is
// Σ_a x_{t+1}(s', a) - Σ_{s,a} P_t(s'|s, a) x_t(s, a). c = 0 gives A x, c = 1 the residual.
func (p *OccupationPolytope) applyA(x, out []float64, c float64) {
	S, A, SA := p.states, p.actions, p.states*p.actions
	for r := range out {
		var sum float64
		for _, v := range x[r*A : (r+1)*A] {
			sum += v
		}
		out[r] = sum
	}
	for s, m := range p.mu0 {
		out[s] -= c * m
	}
	for t, mv := range p.moves {
		xt, next := x[t*SA:(t+1)*SA], out[(t+1)*S:(t+2)*S]
		for i, w := range xt {
			if w == 0 {
				continue
			}
			for k := mv.RowStart[i]; k < mv.RowStart[i+1]; k++ {
				next[mv.Next[k]] -= mv.Prob[k] * w
			}
		}
	}
}

// applyAT writes d + Aᵀλ into out (d nil: Aᵀλ), 0 at the variables fixed to 0 (see free):
// (Aᵀλ)_t(s, a) = λ_t(s) - Σ_{s'} P_t(s'|s, a) λ_{t+1}(s') (no sum at t = T). The loops run over
// (t, s, a) rather than divide a flat index: divisions cost more than the rest of the product.
func (p *OccupationPolytope) applyAT(lam, d, out []float64) {
	S, A, SA := p.states, p.actions, p.states*p.actions
	for t := 0; t <= p.horizon; t++ {
		lt, o := lam[t*S:(t+1)*S], out[t*SA:(t+1)*SA]
		for j := range o {
			o[j] = lt[j/A]
		}
		if t < p.horizon {
			mv, next := p.moves[t], lam[(t+1)*S:(t+2)*S]
			start, to, prob := mv.RowStart[:SA+1], mv.Next, mv.Prob
			for j := range o {
				v := o[j]
				for k := start[j]; k < start[j+1]; k++ {
					v -= prob[k] * next[to[k]]
				}
				o[j] = v
			}
		}
		if d != nil {
			for j, x := range d[t*SA : (t+1)*SA] {
				o[j] += x
			}
		}
		for j, ok := range p.free[t*SA : (t+1)*SA] {
			if !ok {
				o[j] = 0
			}
		}
	}
}

// Residual returns ‖A x - b‖∞, the largest violation of the equality constraints (x ≥ 0 is not
// checked).
func (p *OccupationPolytope) Residual(x []float64) float64 {
	out := make([]float64, p.Rows())
	p.applyA(x, out, 1)
	return normInf(out)
}

func normInf(v []float64) float64 {
	var m float64
	for _, x := range v {
		m = max(m, math.Abs(x))
	}
	return m
}

func dot(a, b []float64) float64 {
	var s float64
	for i, x := range a {
		s += float64(x * b[i])
	}
	return s
}

// ProjectionTolerance is the largest ‖A x - b‖∞ that Project accepts, relative to max(1, ‖d‖∞):
// a few hundred roundings of the sums that make A x.
const ProjectionTolerance = 1e-12

// Projection is the result of OccupationPolytope.Project.
type Projection struct {
	// X is the projection, flat at (t·S + s)·A + a.
	X []float64
	// Dual is the multiplier λ, one per row (t, s), with X = max(0, d + Aᵀλ): pass it to the next
	// Project of a nearby point to start there.
	Dual []float64
	// Residual is ‖A X - b‖∞.
	Residual float64
	// NewtonSteps and CGSteps count the work: Newton steps on the dual, conjugate-gradient steps
	// in their linear systems.
	NewtonSteps, CGSteps int
}

// maxNewtonSteps bounds the Newton steps of Project; it needs tens at most.
const maxNewtonSteps = 500

// Project returns the Euclidean projection of d (length Vars(), finite) onto the polytope,
//
//	x* = argmin { ½‖x - d‖² : A x = b, x ≥ 0, illegal entries 0 },
//
// with ‖A x* - b‖∞ ≤ ProjectionTolerance·max(1, ‖d‖∞), x* ≥ 0 and the optimality conditions
// exact: x* = max(0, d + Aᵀλ) for the returned multiplier λ. It maximises the dual
//
//	g(λ) = bᵀλ - ½‖max(0, d + Aᵀλ)‖²   (+ ½‖d‖²),
//
// a concave piecewise quadratic whose gradient is b - A x(λ), by a semismooth Newton method:
// the step Δ solves (A D Aᵀ + μI) Δ = b - A x(λ), D the diagonal of 1{d + Aᵀλ > 0} (a generalised
// Hessian), μ = min(0.1, ‖b - A x‖₂)/max(1, ‖d‖∞) (keeping the system definite where no active
// variable touches a row), by conjugate gradients preconditioned by its diagonal, matrix-free on
// the sparse transitions; then λ moves to the exact maximum of g along Δ (see lineSearch). Once
// D is the optimal support, a step solves the equality-constrained projection on it, so the
// method ends in finitely many steps, in exact arithmetic. start (nil: λ = 0) is where the
// Newton steps start, typically the Dual of the last projection.
func (p *OccupationPolytope) Project(d, start []float64) (Projection, error) {
	n, m := p.Vars(), p.Rows()
	if len(d) != n {
		return Projection{}, fmt.Errorf("occupation projection: d has %d entries, want (T+1)·S·A = %d", len(d), n)
	}
	for i, v := range d {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Projection{}, fmt.Errorf("occupation projection: d[%d] = %v: must be finite", i, v)
		}
	}
	if start != nil && len(start) != m {
		return Projection{}, fmt.Errorf("occupation projection: start has %d entries, want (T+1)·S = %d", len(start), m)
	}
	s := newDualSolver(p, d)
	if start != nil {
		copy(s.cur.lam, start)
	}
	s.eval(s.cur)
	tol := ProjectionTolerance * max(1, normInf(d))
	out := Projection{}
	for {
		res := normInf(s.cur.grad)
		if res <= tol {
			break
		}
		if out.NewtonSteps == maxNewtonSteps {
			return out, fmt.Errorf("occupation projection: residual ‖Ax - b‖∞ = %.3g after %d Newton steps, want ≤ %.3g", res, out.NewtonSteps, tol)
		}
		out.CGSteps += s.direction(res)
		if !s.lineSearch() {
			return out, fmt.Errorf("occupation projection: no ascent along the Newton direction at residual ‖Ax - b‖∞ = %.3g (step %d), want ≤ %.3g", res, out.NewtonSteps, tol)
		}
		out.NewtonSteps++
	}
	p.certify(d, s.cur.lam)
	out.X, out.Dual, out.Residual = s.cur.x, s.cur.lam, normInf(s.cur.grad)
	return out, nil
}

// dualPoint is λ with x(λ) = max(0, d + Aᵀλ) and the gradient b - A x of the dual.
type dualPoint struct{ lam, x, grad []float64 }

// dualSolver holds the work vectors of Project.
type dualSolver struct {
	p          *OccupationPolytope
	d          []float64
	scale      float64 // max(1, ‖d‖∞)
	cur, trial *dualPoint
	dir        []float64
	// conjugate gradients: residual, preconditioned residual, search direction, product, diagonal
	r, z, q, pd, diag []float64
	w                 []float64 // a vector of variables, for the products
	events            []breakpoint
}

func newDualSolver(p *OccupationPolytope, d []float64) *dualSolver {
	n, m := p.Vars(), p.Rows()
	point := func() *dualPoint {
		return &dualPoint{lam: make([]float64, m), x: make([]float64, n), grad: make([]float64, m)}
	}
	vec := func() []float64 { return make([]float64, m) }
	return &dualSolver{p: p, d: d, scale: max(1, normInf(d)), cur: point(), trial: point(), dir: vec(),
		r: vec(), z: vec(), q: vec(), pd: vec(), diag: vec(), w: make([]float64, n)}
}

// eval fills pt's x and gradient from its λ.
func (s *dualSolver) eval(pt *dualPoint) {
	s.p.applyAT(pt.lam, s.d, pt.x)
	for i, v := range pt.x {
		pt.x[i] = max(v, 0)
	}
	s.p.applyA(pt.x, pt.grad, 1)
	for i, v := range pt.grad {
		pt.grad[i] = -v
	}
}

// hessian writes (A D Aᵀ + μI) v into out, D the support of the current x.
func (s *dualSolver) hessian(v, out []float64, mu float64) {
	s.p.applyAT(v, nil, s.w)
	for i, x := range s.cur.x {
		if x == 0 {
			s.w[i] = 0
		}
	}
	s.p.applyA(s.w, out, 0)
	for i, x := range v {
		out[i] += mu * x
	}
}

// diagonal writes the diagonal of A D Aᵀ + μI: row (t, s) has coefficient 1 on x_t(s, ·) and
// -P_{t-1}(s|s0, a0) on x_{t-1}(s0, a0).
func (s *dualSolver) diagonal(mu float64) {
	p, A, SA := s.p, s.p.actions, s.p.states*s.p.actions
	for i := range s.diag {
		s.diag[i] = mu
	}
	for i, x := range s.cur.x {
		if x == 0 {
			continue
		}
		s.diag[i/A]++
		if t := i / SA; t < p.horizon {
			mv, j, next := p.moves[t], i%SA, s.diag[(t+1)*p.states:(t+2)*p.states]
			for k := mv.RowStart[j]; k < mv.RowStart[j+1]; k++ {
				next[mv.Next[k]] += float64(mv.Prob[k] * mv.Prob[k])
			}
		}
	}
}

// direction solves (A D Aᵀ + μI) Δ = grad into s.dir by preconditioned conjugate gradients, to a
// relative residual min(0.1, res) (an inexact Newton step whose accuracy grows as the gradient
// vanishes, keeping the convergence superlinear), and returns the number of steps.
func (s *dualSolver) direction(res float64) int {
	grad := s.cur.grad
	mu := min(0.1, math.Sqrt(dot(grad, grad))) / s.scale
	s.diagonal(mu)
	clear(s.dir)
	copy(s.r, grad)
	for i, r := range s.r {
		s.z[i] = r / s.diag[i]
	}
	copy(s.pd, s.z)
	rz := dot(s.r, s.z)
	stop := min(0.1, res) * math.Sqrt(dot(grad, grad))
	limit := 10*len(grad) + 100
	for k := 1; ; k++ {
		s.hessian(s.pd, s.q, mu)
		alpha := rz / dot(s.pd, s.q)
		for i := range s.dir {
			s.dir[i] += float64(alpha * s.pd[i])
			s.r[i] -= alpha * s.q[i]
		}
		if math.Sqrt(dot(s.r, s.r)) <= stop || k == limit {
			return k
		}
		for i, r := range s.r {
			s.z[i] = r / s.diag[i]
		}
		next := dot(s.r, s.z)
		beta := next / rz
		rz = next
		for i := range s.pd {
			s.pd[i] = s.z[i] + float64(beta*s.pd[i])
		}
	}
}

// lineSearch moves λ to the maximum of g along s.dir, exactly: φ(τ) = g(λ + τΔ) is concave and
// piecewise quadratic, with
//
//	φ'(τ) = Δᵀ(b - A x(λ + τΔ)) = φ'(0) - Σ_i w_i (max(0, z_i + τ w_i) - max(0, z_i)),
//
// w = AᵀΔ and z = d + Aᵀλ, linear between the breakpoints τ_i = -z_i/w_i where a variable enters
// or leaves the support; the walk through them in order finds the zero of φ'. No difference of
// values of g is formed, whose rounding would stall the search near the optimum. Where Δ is no
// ascent direction (an inexact linear solve), the gradient is used instead. It reports whether a
// step was taken (false: φ rises without bound, the polytope is empty).
func (s *dualSolver) lineSearch() bool {
	slope := dot(s.cur.grad, s.dir)
	if !(slope > 0) {
		copy(s.dir, s.cur.grad)
		slope = dot(s.cur.grad, s.dir)
	}
	w, z := s.w, s.trial.x
	s.p.applyAT(s.dir, nil, w)
	s.p.applyAT(s.cur.lam, s.d, z)
	s.events = s.events[:0]
	var curv float64 // -φ'' on the current piece
	for i, wi := range w {
		switch {
		case z[i] > 0:
			curv += float64(wi * wi)
			if wi < 0 {
				s.events = append(s.events, breakpoint{tau: -z[i] / wi, dc: -wi * wi})
			}
		case wi > 0:
			s.events = append(s.events, breakpoint{tau: -z[i] / wi, dc: wi * wi})
		}
	}
	slices.SortFunc(s.events, func(a, b breakpoint) int { return cmp.Compare(a.tau, b.tau) })
	tau, val := 0.0, slope
	for _, e := range s.events {
		next := val - curv*(e.tau-tau)
		if next <= 0 {
			break
		}
		tau, val = e.tau, next
		curv += e.dc
	}
	if !(curv > 0) {
		return false
	}
	s.step(s.trial, tau+val/curv)
	s.cur, s.trial = s.trial, s.cur
	return true
}

// breakpoint is where a variable enters (dc > 0) or leaves (dc < 0) the support along the
// search direction, changing -φ” by dc.
type breakpoint struct{ tau, dc float64 }

// step sets pt to λ + τΔ, evaluated.
func (s *dualSolver) step(pt *dualPoint, tau float64) {
	for i, l := range s.cur.lam {
		pt.lam[i] = l + float64(tau*s.dir[i])
	}
	s.eval(pt)
}
