package engine

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// traceOf is a result whose iterations 0..len(e)-1 have exploitability e.
func traceOf(e []float64) *Result {
	r := &Result{}
	for k, x := range e {
		r.Trace = append(r.Trace, Iteration{K: k, Exploitability: x, HasExploitability: true})
	}
	return r
}

func series(n int, f func(k int) float64) []float64 {
	e := make([]float64, n+1)
	for k := range e {
		e[k] = f(k)
	}
	return e
}

func TestVerdictKinds(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		name   string
		e      []float64
		kind   string
		period int
	}{
		{"period 2 (beach bar at η = 0.1)", series(100, func(k int) float64 { return 0.3 + 0.1*float64(k%2) }), VerdictOscillating, 2},
		{"period 3", series(90, func(k int) float64 { return []float64{0.2, 0.5, 0.35}[k%3] }), VerdictOscillating, 3},
		{"geometric decay", series(100, func(k int) float64 { return math.Pow(0.9, float64(k)) }), VerdictCapped, 0},
		{"1/k decay (fictitious play)", series(300, func(k int) float64 { return 1 / float64(k+1) }), VerdictCapped, 0},
		{"settled", series(50, func(int) float64 { return 0.25 }), VerdictCapped, 0},
		{"noise around a level", series(60, func(int) float64 { return 0.5 + 0.2*rng.Float64() }), VerdictOscillating, 0},
		{"falling with small noise", series(60, func(k int) float64 { return 1/float64(k+1) + 1e-6*rng.Float64() }), VerdictCapped, 0},
		{"steps with rounding noise", series(60, func(k int) float64 { return 1/float64(k/3+1) + 1e-14*float64(k%2) }), VerdictCapped, 0},
		{"too short to tell", series(5, func(k int) float64 { return float64(k % 2) }), VerdictCapped, 0},
	}
	// A zigzag falling on average oscillates, and the detail says it falls.
	zigzag := series(100, func(k int) float64 { return (1 + 0.5*float64(k%2)) * math.Pow(0.97, float64(k)) })
	if v := traceOf(zigzag).Verdict(); v.Kind != VerdictOscillating || !strings.Contains(v.Detail, "falling on average") {
		t.Errorf("falling zigzag: %+v", v)
	}
	for _, c := range cases {
		v := traceOf(c.e).Verdict()
		if v.Kind != c.kind || v.Period != c.period {
			t.Errorf("%s: verdict %q period %d (%s), want %q period %d", c.name, v.Kind, v.Period, v.Detail, c.kind, c.period)
		}
	}
}

func TestVerdictWindowMean(t *testing.T) {
	// Iterations 1..100 alternate 0.3, 0.4 (even, odd): the last 30 have mean 0.35 whether the cap
	// falls on an even or an odd iteration, where the last value does not.
	for _, n := range []int{100, 101} {
		v := traceOf(series(n, func(k int) float64 { return 0.3 + 0.1*float64(k%2) })).Verdict()
		if v.Window != 30 || math.Abs(v.Mean-0.35) > 1e-12 || v.Min != 0.3 || v.Max != 0.4 {
			t.Errorf("K = %d: window %d mean %v min %v max %v, want 30, 0.35, 0.3, 0.4", n, v.Window, v.Mean, v.Min, v.Max)
		}
	}
	// A short run looks at its last half only.
	if v := traceOf(series(20, func(k int) float64 { return float64(k) })).Verdict(); v.Window != 10 || v.Min != 11 {
		t.Errorf("K = 20: window %d from %v, want 10 from 11", v.Window, v.Min)
	}
}

func TestVerdictStoppingRules(t *testing.T) {
	r := traceOf(series(40, func(k int) float64 { return 0.3 + 0.1*float64(k%2) }))
	r.Converged = true
	if v := r.Verdict(); v.Kind != VerdictConverged {
		t.Errorf("converged run: %q", v.Kind)
	}
	r.Converged, r.Stop = false, &Stop{Reason: StopCycle, Period: 2, Start: 38, Detail: "cycle"}
	if v := r.Verdict(); v.Kind != VerdictCycling || v.Period != 2 || v.Start != 38 {
		t.Errorf("cycled run: %+v", v)
	}
	// Without the exploitability there is no window and no oscillation to see.
	r.Stop = nil
	for i := range r.Trace {
		r.Trace[i].HasExploitability = false
	}
	if v := r.Verdict(); v.Kind != VerdictCapped || v.Window != 0 {
		t.Errorf("run without exploitability: %+v", v)
	}
}

// A streamed result's verdict, from the tail it keeps, is the full trace's: on every series of
// TestVerdictKinds' sort, of every length, with windows holding a value not recorded or NaN.
func TestStreamedVerdictIsFullTraces(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for round := range 400 {
		n := 1 + rng.IntN(120)
		e := series(n-1, func(k int) float64 {
			switch round % 4 {
			case 0:
				return 0.3 + 0.1*float64(k%2)
			case 1:
				return math.Pow(0.9, float64(k))
			case 2:
				return []float64{0.2, 0.5, 0.35}[k%3] + 1e-3*rng.Float64()
			}
			return 0.5 + 0.2*rng.Float64()
		})
		full := traceOf(e)
		if round%5 == 1 {
			full.Trace[rng.IntN(n)].HasExploitability = false
		}
		if round%7 == 2 {
			full.Trace[rng.IntN(n)].Exploitability = math.NaN()
		}
		streamed := &Result{tail: new(traceTail)}
		for i := range full.Trace {
			streamed.tail.add(&full.Trace[i])
		}
		streamed.Trace = full.Trace[n-1:]
		got, want := streamed.Verdict(), full.Verdict()
		if got.Kind != want.Kind || got.Period != want.Period || got.Window != want.Window || got.Detail != want.Detail ||
			math.Float64bits(got.Mean) != math.Float64bits(want.Mean) || got.Min != want.Min || got.Max != want.Max {
			t.Fatalf("round %d, %d records: streamed verdict %+v, full trace's %+v", round, n, got, want)
		}
	}
}
