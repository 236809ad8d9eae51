package mfglib32

import (
	"context"
	"fmt"
	"math"
	"time"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/mfg"
)

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
		if _, ok := g.(*EquilibriumPrice); ok {
			return fmt.Errorf("algorithm %q: MFGLib 0.3.0's fictitious play raises on equilibrium-price (two-dimensional actions), so there is no MFGLib result to reproduce; float64 arithmetic runs it", alg.Name())
		}
		return nil
	case algorithms.OnlineMirrorDescent, algorithms.PriorDescent:
		return nil
	}
	return fmt.Errorf("algorithm %q: MFGLib 0.3.0's float32 arithmetic is reproduced for fictitious-play, online-mirror-descent and prior-descent only", alg.Name())
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
	S, A, T := g.States(), g.Actions(), g.Horizon()
	switch a := alg.(type) {
	case algorithms.FictitiousPlay:
		return func(pi [][]float32, k int) [][]float32 {
			L, P := MeanField(g, pi)
			br := Greedy(OptimalQ(g, L, P), A)
			Lbr, _ := MeanField(g, br)
			alpha := a.Alpha
			if alpha == 0 {
				alpha = 1 / float64(k+2)
			}
			keep, mix := float32(1-alpha), float32(alpha)
			fill := float32(1.0 / float64(A))
			next := make([][]float32, T+1)
			for t := range next {
				next[t] = make([]float32, S*A)
				for s := 0; s < S; s++ {
					w := float32(keep * Sum(L[t][s*A:(s+1)*A]))
					wbr := float32(mix * Sum(Lbr[t][s*A:(s+1)*A]))
					den := w + wbr
					for a := 0; a < A; a++ {
						i := s*A + a
						x := (float32(w*pi[t][i]) + float32(wbr*br[t][i])) / den
						if x != x {
							x = fill
						}
						next[t][i] = x
					}
				}
			}
			return next
		}
	case algorithms.OnlineMirrorDescent:
		alpha := float32(a.Alpha)
		y := make([][]float32, T+1)
		for t := range y {
			y[t] = make([]float32, S*A)
		}
		return func(pi [][]float32, _ int) [][]float32 {
			L, P := MeanField(g, pi)
			q := PolicyQ(g, L, P, pi)
			next := make([][]float32, T+1)
			for t := range next {
				next[t] = make([]float32, S*A)
				for i := range y[t] {
					y[t][i] += float32(alpha * q[t][i])
				}
				for s := 0; s < S; s++ {
					softmax(y[t][s*A:(s+1)*A], next[t][s*A:(s+1)*A])
				}
			}
			return next
		}
	case algorithms.PriorDescent:
		eta := float32(a.Eta)
		prior := pi0
		buf := make([]float32, A)
		return func(pi [][]float32, k int) [][]float32 {
			L, P := MeanField(g, pi)
			q := OptimalQ(g, L, P)
			next := make([][]float32, T+1)
			for t := range next {
				next[t] = make([]float32, S*A)
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
	panic(fmt.Sprintf("mfglib32: unsupported algorithm %T", alg)) // Solve checked Supports
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
