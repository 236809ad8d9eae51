package finite

import (
	"fmt"
	"math"

	"meanfield/internal/parallel"
	"meanfield/mfg"
	"meanfield/rl"
)

// rowsPerWorker is the least number of policy rows (softmaxes over the actions of one state at
// one time) worth handing to another goroutine: waking one costs tens of microseconds on a
// virtual machine, as much as a few thousand rows.
var rowsPerWorker = 8192

// forRows calls row(t, s) for the flat rows r = t·S + s in [lo, hi), in order, without dividing
// per row.
func forRows(lo, hi, S int, row func(t, s int)) {
	t, s := lo/S, lo%S
	for r := lo; r < hi; r++ {
		row(t, s)
		if s++; s == S {
			t, s = t+1, 0
		}
	}
}

// newPolicy returns T1 zero policies of S×A sharing one allocation.
func newPolicy(T1, S, A int) Policy {
	buf := make([]float64, T1*S*A)
	pi := make(Policy, T1)
	for t := range pi {
		pi[t] = mfg.Policy{States: S, Actions: A, Prob: buf[t*S*A : (t+1)*S*A : (t+1)*S*A]}
	}
	return pi
}

// stateMarginals returns μ_t(s) = Σ_a L_t(s, a) for every t.
func stateMarginals(L MeanField) [][]float64 {
	mu := make([][]float64, len(L))
	for t, l := range L {
		mu[t] = l.StateMarginal(nil)
	}
	return mu
}

// FictitiousPlay is MFGLib's FictitiousPlay (damped fictitious play, Perrin et al. 2020): at
// iteration k (from 0), with L the mean field of π_k, π_BR the greedy best response to L and L_BR
// its mean field, and α_k = Alpha if Alpha > 0 else 1/(k+2),
//
//	π_{k+1}(a|t,s) = [(1-α_k) μ_t(s) π_k(a|t,s) + α_k μ^BR_t(s) π_BR(a|t,s)] / [(1-α_k) μ_t(s) + α_k μ^BR_t(s)],
//
// the policy of the mixture of the two populations (uniform where neither visits s). Alpha = 0
// (the default) is classical fictitious play; Alpha = 1 the fixed-point iteration π_{k+1} = π_BR.
//
// TieTolerance > 0 counts as best responses all actions within TieTolerance·max(1, |max Q|) of the
// best, so that actions equal in exact arithmetic tie whatever the rounding (MFGLib, like the
// default 0, uses exact equality, which lets float32 rounding pick among them).
type FictitiousPlay struct {
	Alpha        float64
	TieTolerance float64
}

// Name is "fictitious-play".
func (FictitiousPlay) Name() string { return "fictitious-play" }

// Validate checks Alpha in [0, 1] and TieTolerance in [0, 1).
func (f FictitiousPlay) Validate() error {
	if !(f.Alpha >= 0 && f.Alpha <= 1) {
		return fmt.Errorf("alpha = %v: must be in [0, 1]", f.Alpha)
	}
	if !(f.TieTolerance >= 0 && f.TieTolerance < 1) {
		return fmt.Errorf("tie-tolerance = %v: must be in [0, 1)", f.TieTolerance)
	}
	return nil
}

// Begin starts a solve.
func (f FictitiousPlay) Begin(g Game) Stepper {
	return &fpStepper{g: g, alpha: f.Alpha, tieTol: f.TieTolerance}
}

// DampedFixedPoint is the fixed-point iteration damped in the space of populations:
// FictitiousPlay with the constant step Damping (1 is the undamped iteration π_{k+1} = BR(L(π_k))).
type DampedFixedPoint struct{ Damping float64 }

// Name is "damped-fixed-point".
func (DampedFixedPoint) Name() string { return "damped-fixed-point" }

// Validate checks Damping in (0, 1].
func (d DampedFixedPoint) Validate() error {
	if !(d.Damping > 0 && d.Damping <= 1) {
		return fmt.Errorf("damping = %v: must be in (0, 1]", d.Damping)
	}
	return nil
}

// Begin starts a solve.
func (d DampedFixedPoint) Begin(g Game) Stepper { return &fpStepper{g: g, alpha: d.Damping} }

type fpStepper struct {
	g      Game
	alpha  float64
	tieTol float64
}

func (st *fpStepper) Step(cur *Evaluated, k int) (Policy, error) {
	S, A := Dims(st.g)
	br := GreedyWithin(cur.OptimalQ(), S, A, st.tieTol)
	Lbr, _, err := MeanFieldOf(st.g, br)
	if err != nil {
		return nil, err
	}
	alpha := st.alpha
	if alpha == 0 {
		alpha = 1 / float64(k+2)
	}
	mu, mubr := stateMarginals(cur.MeanField), stateMarginals(Lbr)
	next := make(Policy, len(br))
	for t := range next {
		next[t] = mfg.NewPolicy(S, A)
		for s := 0; s < S; s++ {
			wOld, wBR := (1-alpha)*mu[t][s], alpha*mubr[t][s]
			den := wOld + wBR
			row, old, best := next[t].Row(s), cur.Policy[t].Row(s), br[t].Row(s)
			for a := range row {
				if den == 0 {
					row[a] = 1 / float64(A)
				} else {
					row[a] = (wOld*old[a] + wBR*best[a]) / den
				}
			}
		}
	}
	return next, nil
}

// OnlineMirrorDescent is MFGLib's OnlineMirrorDescent (Pérolat et al. 2021): with Q^π the
// Q-function of π_k at its own mean field,
//
//	y_{k+1} = y_k + Alpha Q^{π_k},   π_{k+1}(·|t,s) = softmax(y_{k+1}(t, s, ·)),   y_0 = 0.
//
// The default Alpha is 1.
type OnlineMirrorDescent struct{ Alpha float64 }

// Name is "online-mirror-descent".
func (OnlineMirrorDescent) Name() string { return "online-mirror-descent" }

// Validate checks Alpha > 0.
func (o OnlineMirrorDescent) Validate() error {
	if !(o.Alpha > 0) || math.IsInf(o.Alpha, 0) {
		return fmt.Errorf("alpha = %v: must be positive and finite", o.Alpha)
	}
	return nil
}

// Begin starts a solve.
func (o OnlineMirrorDescent) Begin(g Game) Stepper { return &omdStepper{g: g, alpha: o.Alpha} }

type omdStepper struct {
	g     Game
	alpha float64
	y     [][]float64
}

func (st *omdStepper) Step(cur *Evaluated, _ int) (Policy, error) {
	S, A := Dims(st.g)
	q := cur.PolicyQ() // computed for the exploitability already
	if st.y == nil {
		st.y = make([][]float64, len(q))
		for t := range q {
			st.y[t] = make([]float64, len(q[t]))
		}
	}
	next := newPolicy(len(q), S, A)
	parallel.For(len(q)*S, rowsPerWorker, func(lo, hi int) {
		forRows(lo, hi, S, func(t, s int) {
			y := st.y[t][s*A : (s+1)*A]
			for a, x := range q[t][s*A : (s+1)*A] {
				y[a] += st.alpha * x
			}
			rl.Softmax(next[t].Prob[s*A:(s+1)*A], y, 1)
		})
	})
	return next, nil
}

// PriorDescent is MFGLib's PriorDescent (Cui and Koeppl 2021; GMF-V with a prior): with Q* the
// optimal Q-function at the mean field of π_k and a prior q,
//
//	π_{k+1}(a|t,s) = q(a|t,s) exp(Q*_t(s,a)/Eta) / Σ_b q(b|t,s) exp(Q*_t(s,b)/Eta);
//
// the prior starts at π_0 and, when Inner > 0, becomes π_{k+1} whenever (k+2) is a multiple of
// Inner. Inner = 0 (MFGLib's None) keeps the prior for ever. Defaults: Eta = 1, Inner = 0.
type PriorDescent struct {
	Eta   float64
	Inner int
}

// Name is "prior-descent".
func (PriorDescent) Name() string { return "prior-descent" }

// Validate checks Eta > 0 and Inner >= 0.
func (p PriorDescent) Validate() error {
	if !(p.Eta > 0) || math.IsInf(p.Eta, 0) {
		return fmt.Errorf("eta = %v: must be positive and finite", p.Eta)
	}
	if p.Inner < 0 {
		return fmt.Errorf("n-inner = %d: must be non-negative (0: the prior is never updated)", p.Inner)
	}
	return nil
}

// Begin starts a solve.
func (p PriorDescent) Begin(g Game) Stepper { return &pdStepper{g: g, eta: p.Eta, inner: p.Inner} }

type pdStepper struct {
	g     Game
	eta   float64
	inner int
	prior Policy
}

func (st *pdStepper) Step(cur *Evaluated, k int) (Policy, error) {
	S, A := Dims(st.g)
	if st.prior == nil {
		st.prior = cur.Policy.Clone()
	}
	q := cur.OptimalQ()
	next := newPolicy(len(q), S, A)
	c := 1 / st.eta
	parallel.For(len(q)*S, rowsPerWorker, func(lo, hi int) {
		forRows(lo, hi, S, func(t, s int) {
			rl.PriorSoftmax(next[t].Prob[s*A:(s+1)*A], q[t][s*A:(s+1)*A], c, st.prior[t].Prob[s*A:(s+1)*A])
		})
	})
	if st.inner > 0 && (k+2)%st.inner == 0 {
		st.prior = next.Clone()
	}
	return next, nil
}
