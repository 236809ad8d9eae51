package engine

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
)

// The kinds of Verdict.
const (
	// VerdictConverged: the algorithm's stopping rule held (for the fixed-point schemes
	// ||L_K - L_{K-1}||_1 <= tolerance).
	VerdictConverged = "converged"
	// VerdictCycling: the algorithm stopped because its iterates cycle: no equilibrium.
	VerdictCycling = "cycling"
	// VerdictOscillating: the run reached its iteration cap while its exploitability kept
	// oscillating over the last iterations, with a period (Period >= 2) or without one (0).
	VerdictOscillating = "oscillating"
	// VerdictCapped: the run reached its iteration cap with no stopping rule met and no
	// oscillation seen: still settling, or settled without a rule to say so.
	VerdictCapped = "stopped at the cap"
)

// Verdict says how a solve's iterates behaved at its end: what the last iterate is worth. Only
// VerdictConverged says that the algorithm found what it looks for.
type Verdict struct {
	Kind string
	// Period is the period of a cycle or of a periodic oscillation (0 when none was seen); Start,
	// for a cycle, the first iteration of the cycle.
	Period, Start int
	// Window is the number W of last iterations whose exploitability Mean, Min and Max sum up
	// (Window = 0 when the exploitability was not recorded): for an oscillating run the mean over
	// a window is a steadier figure than the last value, which depends on where the cap falls.
	Window         int
	Mean, Min, Max float64
	// Detail says what was seen, for people.
	Detail string
}

// verdictWindow is the number of last iterations a verdict looks at: the last half of a shorter
// run, so that the window sees the end and not the first steps.
const verdictWindow = 30

// Verdict tells how the solve ended. A run at its cap is oscillating when, over the last W =
// min(30, K/2) iterations, its exploitability e_k spreads by more than 1% of its largest value
// and either repeats with a period p in 2..10 (|e_k - e_{k-p}| <= 1% of the spread for every
// k of the window) or turns (changes the sign of e_k - e_{k-1}, a change within 1e-6 of the
// spread counting as none) at half of the window's steps or more; a converging sequence, even a slow or a noisy-but-falling one, turns far less.
func (r *Result) Verdict() Verdict {
	v := Verdict{Kind: VerdictCapped}
	K := r.records() - 1
	e, ok := r.tailExploitability()
	if ok {
		v.Window, v.Mean, v.Min, v.Max = len(e), mean(e), floats.Min(e), floats.Max(e)
	}
	switch {
	case r.Converged:
		v.Kind, v.Detail = VerdictConverged, fmt.Sprintf("the algorithm's stopping rule held at iteration %d", K)
		return v
	case r.Stop != nil && r.Stop.Reason == StopCycle:
		v.Kind, v.Period, v.Start, v.Detail = VerdictCycling, r.Stop.Period, r.Stop.Start, r.Stop.Detail
		return v
	case r.Stop != nil:
		v.Detail = r.Stop.Detail
		return v
	}
	if ok {
		if p, osc := oscillation(e); osc {
			v.Kind, v.Period = VerdictOscillating, p
			v.Detail = fmt.Sprintf("over the last %d iterations the exploitability oscillates between %.4g and %.4g", len(e), v.Min, v.Max)
			if p > 0 {
				v.Detail += fmt.Sprintf(" with period %d", p)
			}
			if h := len(e) / 2; p == 0 && mean(e[h:]) < 0.8*mean(e[:h]) {
				v.Detail += fmt.Sprintf(", falling on average (mean %.4g over its first half, %.4g over its second)", mean(e[:h]), mean(e[h:]))
			}
			return v
		}
	}
	v.Detail = fmt.Sprintf("ran all %d iterations without meeting a stopping rule", K)
	if f := r.Final(); f.HasChange {
		v.Detail += fmt.Sprintf("; L still moved by %.3g in l1 at the last one", f.L1Change)
	}
	return v
}

// tailExploitability returns the exploitability of the last verdictWindow iterations (iteration
// 0 excluded), when every one of them was recorded and finite.
func (r *Result) tailExploitability() ([]float64, bool) {
	K := r.records() - 1
	if K < 2 {
		return nil, false
	}
	from := max(1, K-min(verdictWindow, K/2)+1)
	e := make([]float64, 0, K-from+1)
	for k := from; k <= K; k++ {
		x, has := r.exploitabilityOf(k)
		if !has || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, false
		}
		e = append(e, x)
	}
	return e, true
}

// exploitabilityOf returns record k's exploitability and whether it has one: from Trace, or, in a
// streamed solve, from the tail (k among the last verdictWindow records, as a window is).
func (r *Result) exploitabilityOf(k int) (float64, bool) {
	if t := r.tail; t != nil {
		return t.e[k%verdictWindow], t.has[k%verdictWindow]
	}
	return r.Trace[k].Exploitability, r.Trace[k].HasExploitability
}

// records is the number of records of the solve: those of Trace, or of a streamed solve's.
func (r *Result) records() int {
	if r.tail != nil {
		return r.tail.n
	}
	return len(r.Trace)
}

// oscillation reports whether the sequence e oscillates (see Result.Verdict) and its period, 0
// when it has none in 2..10.
func oscillation(e []float64) (period int, ok bool) {
	lo, hi := floats.Min(e), floats.Max(e)
	spread := hi - lo
	if len(e) < 6 || !(spread > 0.01*math.Max(math.Abs(hi), math.Abs(lo))) {
		return 0, false
	}
	for p := 2; p <= 10 && 2*p+2 <= len(e); p++ {
		d := 0.0
		for k := p; k < len(e); k++ {
			d = math.Max(d, math.Abs(e[k]-e[k-p]))
		}
		if d <= 0.01*spread {
			return p, true
		}
	}
	// A change within 1e-6 of the spread is rounding (an evaluation repeated to 1e-13), not a move.
	move := func(k int) float64 {
		if d := e[k] - e[k-1]; math.Abs(d) > 1e-6*spread {
			return d
		}
		return 0
	}
	turns := 0
	for k := 2; k < len(e); k++ {
		if move(k)*move(k-1) < 0 {
			turns++
		}
	}
	return 0, 2*turns >= len(e)-2
}

// mean is Σx/n summed in order (gonum's floats.Sum may sum in another order, which would move the
// last digits of the window means already written in results).
func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}
