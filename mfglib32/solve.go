package mfglib32

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/mfg"
)

// Algorithms lists the algorithms whose MFGLib arithmetic Solve reproduces, comma-separated.
func Algorithms() string {
	return strings.Join([]string{algorithms.FictitiousPlay{}.Name(), algorithms.OnlineMirrorDescent{}.Name(), algorithms.PriorDescent{}.Name()}, ", ")
}

// Supports reports whether Solve runs alg on g, and why not. MFGLib has no damped fixed point; the
// tie tolerance of fictitious play is this project's, not MFGLib's; and MFGLib 0.3.0's fictitious
// play raises on equilibrium price (its actions are two-dimensional), so there is no result to
// reproduce.
func Supports(g Game, alg engine.Algorithm) error {
	switch a := alg.(type) {
	case algorithms.FictitiousPlay:
		if a.TieTolerance != 0 {
			return fmt.Errorf("tie-tolerance = %v: MFGLib's fictitious play has no tie tolerance (it ties actions by exact float32 equality)", a.TieTolerance)
		}
		if a.Temperature != 0 || a.TieBreak == algorithms.TieLowest {
			return fmt.Errorf("br-temperature = %v, tie-break = %s: MFGLib's fictitious play has a greedy best response splitting ties (OpenSpiel's options run in float64 arithmetic)", a.Temperature, a.TieBreak)
		}
		if _, ok := g.(*EquilibriumPrice); ok {
			return fmt.Errorf("algorithm %q: MFGLib 0.3.0's fictitious play raises on equilibrium-price (two-dimensional actions), so there is no MFGLib result to reproduce; float64 arithmetic runs it", alg.Name())
		}
		return nil
	case algorithms.OnlineMirrorDescent:
		if a.OpenSpielLiveRead {
			return fmt.Errorf("openspiel-live-read = true: OpenSpiel's quirk, not MFGLib's (float64 arithmetic runs it)")
		}
		if a.OpenSpielVisited {
			return fmt.Errorf("openspiel-visited = true: OpenSpiel's quirk, not MFGLib's (float64 arithmetic runs it)")
		}
		return nil
	case algorithms.PriorDescent:
		return nil
	}
	return fmt.Errorf("algorithm %q: MFGLib 0.3.0's float32 arithmetic is reproduced for %s only", alg.Name(), Algorithms())
}

// Solve runs alg on g from MFGLib's uniform π_0 as MFGLib's Iterative.solve does without early
// stopping, in MFGLib's float32 arithmetic, and records the exploitability of π_0 and of the
// policy after every iteration. Policies in the result are the float32 policies widened to
// float64. A cancelled ctx returns the iterations done with ctx's error.
func Solve(ctx context.Context, g Game, alg engine.Algorithm, iterations int, onIteration func(engine.Iteration)) (*engine.Result, error) {
	if err := alg.Validate(); err != nil {
		return nil, err
	}
	if err := Supports(g, alg); err != nil {
		return nil, err
	}
	if iterations < 0 {
		return nil, fmt.Errorf("iterations = %d: must be non-negative", iterations)
	}
	start := time.Now()
	res := &engine.Result{Game: g.Name(), Algorithm: alg.Name()}
	record := func(k int, pi [][]float32, e float32) {
		it := engine.Iteration{K: k, Policy: widen(g, pi), Exploitability: float64(e), HasExploitability: true, ExploitabilityConverged: true, Elapsed: time.Since(start)}
		res.Trace = append(res.Trace, it)
		if onIteration != nil {
			onIteration(it)
		}
	}
	pi := Uniform(g)
	e0 := Exploitability(g, pi)
	if e0 != e0 || math.IsInf(float64(e0), 0) {
		return nil, fmt.Errorf("%s: the exploitability of the uniform policy is %v in float32: the game's rewards are not finite at its mean field", g.Name(), e0)
	}
	record(0, pi, e0)
	step := stepper(g, alg, pi)
	for k := 0; k < iterations; k++ {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		pi = step(pi, k)
		// Its exploitability is still MFGLib's (scoring turns NaN rows uniform), but the next
		// step would start from NaN, which MFGLib's dense products spread everywhere.
		record(k+1, pi, Exploitability(g, pi))
		if t, s, ok := nonFinite(pi, g.Actions()); ok {
			hint := ""
			if _, pd := alg.(algorithms.PriorDescent); pd {
				hint = " (prior descent's exp(Q*/eta) overflows float32 above 88.7: a larger eta, or float64 arithmetic, avoids it)"
			}
			return res, fmt.Errorf("%s, iteration %d: the policy at t = %d, state %d is not finite in float32%s; MFGLib's results are meaningless from here on", alg.Name(), k+1, t, s, hint)
		}
	}
	return res, nil
}

// nonFinite finds a time and state whose policy row holds NaN or ±Inf.
func nonFinite(pi [][]float32, actions int) (t, s int, found bool) {
	for t, p := range pi {
		for i, x := range p {
			if x != x || math.IsInf(float64(x), 0) {
				return t, i / actions, true
			}
		}
	}
	return 0, 0, false
}

// stepper returns MFGLib's step_next_state of alg: from π_k at iteration k (from 0), π_{k+1}.
func stepper(g Game, alg engine.Algorithm, pi0 [][]float32) func(pi [][]float32, k int) [][]float32 {
	switch a := alg.(type) {
	case algorithms.FictitiousPlay:
		return fictitiousPlayStep(g, a)
	case algorithms.OnlineMirrorDescent:
		return mirrorDescentStep(g, a)
	case algorithms.PriorDescent:
		return priorDescentStep(g, a, pi0)
	}
	panic(fmt.Sprintf("mfglib32: unsupported algorithm %T", alg)) // Solve checked Supports
}

// newPolicy32 allocates a float32 policy: T+1 time steps of S*A entries, all zero.
func newPolicy32(g Game) [][]float32 {
	S, A, T := g.States(), g.Actions(), g.Horizon()
	p := make([][]float32, T+1)
	for t := range p {
		p[t] = make([]float32, S*A)
	}
	return p
}

// fictitiousPlayStep is MFGLib's fictitious play: with L the mean field of π_k, br the greedy best
// response to it and L_br the best response's mean field, α = a.Alpha (or 1/(k+2) when zero),
//
//	π_{k+1}(a|s) = ((1-α) L(s) π_k(a|s) + α L_br(s) br(a|s)) / ((1-α) L(s) + α L_br(s)),
//
// with L(s) the state marginal at each time; a 0/0 (a state neither reaches) is the uniform 1/A.
func fictitiousPlayStep(g Game, a algorithms.FictitiousPlay) func(pi [][]float32, k int) [][]float32 {
	A := g.Actions()
	return func(pi [][]float32, k int) [][]float32 {
		L, P := MeanField(g, pi)
		br := Greedy(OptimalQ(g, L, P), A)
		Lbr, _ := MeanField(g, br)
		alpha := a.Alpha
		if alpha == 0 {
			alpha = 1 / float64(k+2)
		}
		next := newPolicy32(g)
		for t := range next {
			fictitiousPlayMix(next[t], pi[t], br[t], L[t], Lbr[t], A, float32(1-alpha), float32(alpha))
		}
		return next
	}
}

// fictitiousPlayMix writes into next one time step of fictitious play's average of π and br,
// weighted per state s by w = keep·Σ_a L(s, a) and w_br = mix·Σ_a L_br(s, a):
// next(a|s) = (w π(a|s) + w_br br(a|s)) / (w + w_br), and 1/A where that is NaN.
func fictitiousPlayMix(next, pi, br, L, Lbr []float32, A int, keep, mix float32) {
	fill := float32(1.0 / float64(A))
	for s := 0; s < len(next)/A; s++ {
		w := float32(keep * Sum(L[s*A:(s+1)*A]))
		wbr := float32(mix * Sum(Lbr[s*A:(s+1)*A]))
		den := w + wbr
		for a := 0; a < A; a++ {
			i := s*A + a
			x := (float32(w*pi[i]) + float32(wbr*br[i])) / den
			if x != x {
				x = fill
			}
			next[i] = x
		}
	}
}

// mirrorDescentStep is MFGLib's online mirror descent: it accumulates the scores
// y_{k+1} = y_k + α Q^{π_k}_{L_k} (y_0 = 0, Q the policy's own Q-function at its mean field L_k)
// and returns π_{k+1}(·|s) = softmax(y_{k+1}(s, ·)) at every time.
func mirrorDescentStep(g Game, a algorithms.OnlineMirrorDescent) func(pi [][]float32, k int) [][]float32 {
	S, A := g.States(), g.Actions()
	alpha := float32(a.Alpha)
	y := newPolicy32(g)
	return func(pi [][]float32, _ int) [][]float32 {
		L, P := MeanField(g, pi)
		q := PolicyQ(g, L, P, pi)
		next := newPolicy32(g)
		for t := range next {
			for i := range y[t] {
				y[t][i] += float32(alpha * q[t][i])
			}
			for s := 0; s < S; s++ {
				softmax(y[t][s*A:(s+1)*A], next[t][s*A:(s+1)*A])
			}
		}
		return next
	}
}

// priorDescentStep is MFGLib's prior descent: with Q* the optimal Q-function at π_k's mean field,
//
//	π_{k+1}(a|s) ∝ prior(a|s) · exp(Q*(s, a)/η),
//
// where the prior starts at π_0 and becomes π_{k+1} after every iteration k with
// (k+2) mod a.Inner = 0 (never when a.Inner ≤ 0).
func priorDescentStep(g Game, a algorithms.PriorDescent, pi0 [][]float32) func(pi [][]float32, k int) [][]float32 {
	S, A := g.States(), g.Actions()
	eta := float32(a.Eta)
	prior := pi0
	buf := make([]float32, A)
	return func(pi [][]float32, k int) [][]float32 {
		L, P := MeanField(g, pi)
		q := OptimalQ(g, L, P)
		next := newPolicy32(g)
		for t := range next {
			for s := 0; s < S; s++ {
				for a := range buf {
					i := s*A + a
					buf[a] = float32(prior[t][i] * Expf(q[t][i]/eta))
				}
				sum := Sum(buf)
				for a := range buf {
					next[t][s*A+a] = buf[a] / sum
				}
			}
		}
		if a.Inner > 0 && (k+2)%a.Inner == 0 {
			prior = next
		}
		return next
	}
}

// widen converts a float32 policy to float64.
func widen(g Game, pi [][]float32) []mfg.Policy {
	S, A := g.States(), g.Actions()
	out := make([]mfg.Policy, len(pi))
	for t, p := range pi {
		out[t] = mfg.NewPolicy(S, A)
		for i, x := range p {
			out[t].Prob[i] = float64(x)
		}
	}
	return out
}
