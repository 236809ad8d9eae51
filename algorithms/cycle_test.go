package algorithms_test

import (
	"context"
	"strings"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/mfg"
)

// gmfvPreset returns the registered preset "gmf-v" (the command line's), with its cycle detection,
// at temperature c.
func gmfvPreset(t *testing.T, c float64) algorithms.FixedPoint {
	t.Helper()
	a, err := algorithms.New("gmf-v")
	if err != nil {
		t.Fatal(err)
	}
	f := a.(algorithms.FixedPoint)
	if f.CycleTolerance != algorithms.DefaultCycleTolerance || f.MaxPeriod != algorithms.DefaultMaxPeriod {
		t.Fatalf("preset gmf-v: cycle-tolerance %v, max-period %d", f.CycleTolerance, f.MaxPeriod)
	}
	f.PolicyMap = algorithms.Softmax{C: c}
	return f
}

// At c = 20 GMF-V's L_k approaches a cycle of period 2 on the default auction (measured
// ||L_k - L_{k-2}||_1: 1.3e-10 at k = 282, below 1e-10 from k = 285, while ||L_k - L_{k-1}||_1
// stays at 0.42). The preset stops there, before its cap of 300, with period 2 from iteration 283.
// The test checks that against the same iteration run to the cap without the detection: L_285 is
// within 1e-10 of L_283 and not of L_284, no earlier k had a period p <= 50, the populations up to
// L_285 are the same numbers, and to the cap L_k stays within 1e-9 of L_{k-2} (the measured
// distances wander between 0.9e-10 and 1.3e-10) and 0.1 away from L_{k-1}: a cycle, not a passing
// coincidence.
func TestGMFVStopsAtCycle(t *testing.T) {
	g := defaultAuction(t)
	exact := gmfvPreset(t, 20)
	exact.CycleRatio = 0 // the exact detection alone; the approach is TestGMFVStopsApproachingCycle's
	res, err := engine.Solve(context.Background(), g, exact, engine.Options{Iterations: 300})
	if err != nil {
		t.Fatal(err)
	}
	s, K := res.Stop, res.Final().K
	if res.Converged || s == nil || s.Reason != engine.StopCycle || s.Period != 2 || s.Start != 283 || K != 285 {
		t.Fatalf("converged %v, stop %+v after %d iterations; want a cycle of period 2 from 283 at 285", res.Converged, s, K)
	}
	if want := "L cycles with period 2 from iteration 283 (||L_k - L_{k-2}||_1 <= 1e-10)"; s.Detail != want {
		t.Errorf("detail %q, want %q", s.Detail, want)
	}
	full, err := engine.Solve(context.Background(), g, algorithms.GMFV(20), engine.Options{Iterations: 300})
	if err != nil {
		t.Fatal(err)
	}
	if full.Stop != nil || len(full.Trace) != 301 {
		t.Fatalf("without the detection: stop %+v after %d iterations", full.Stop, len(full.Trace)-1)
	}
	L := func(k int) []float64 { return full.Trace[k].Population[0].Mass }
	for k := 0; k <= K; k++ {
		if d := mfg.L1Distance(L(k), res.Trace[k].Population[0].Mass); d != 0 {
			t.Fatalf("iteration %d: L differs by %v from the run without the detection", k, d)
		}
	}
	for k := 2; k < K; k++ {
		for p := 2; p <= 50 && p <= k; p++ {
			if mfg.L1Distance(L(k), L(k-p)) <= 1e-10 && mfg.L1Distance(L(k), L(k-1)) > 1e-10 {
				t.Fatalf("L_%d is within 1e-10 of L_%d: the cycle was detected late", k, k-p)
			}
		}
	}
	if d1, d2 := mfg.L1Distance(L(K), L(K-1)), mfg.L1Distance(L(K), L(K-2)); d2 > 1e-10 || d1 < 0.1 {
		t.Fatalf("||L_K - L_{K-1}||_1 = %v, ||L_K - L_{K-2}||_1 = %v", d1, d2)
	}
	for k := K; k <= 300; k++ {
		if d, d1 := mfg.L1Distance(L(k), L(k-2)), mfg.L1Distance(L(k), L(k-1)); d > 1e-9 || d1 < 0.1 {
			t.Errorf("||L_%d - L_%d||_1 = %v, ||L_%d - L_%d||_1 = %v: no cycle of period 2", k, k-2, d, k, k-1, d1)
		}
	}
}

// A converging run is unaffected by the detection: the preset at c = 4 stops at the same iteration
// with the same population as GMFV(4), which detects no cycles.
func TestCycleDetectionLeavesConvergenceAlone(t *testing.T) {
	ref := gmfvReference(t)
	res, err := engine.Solve(context.Background(), defaultAuction(t), gmfvPreset(t, 4), engine.Options{Iterations: 300})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Converged || res.Stop != nil || res.Final().K != ref.Final().K {
		t.Fatalf("converged %v, stop %+v at %d; GMFV(4) converged at %d", res.Converged, res.Stop, res.Final().K, ref.Final().K)
	}
	if d := mfg.L1Distance(res.Final().Population[0].Mass, ref.Final().Population[0].Mass); d != 0 {
		t.Fatalf("final L differs by %v", d)
	}
}

// With max-period 0 the preset runs to its cap at c = 20, as before the detection existed.
func TestCycleDetectionOff(t *testing.T) {
	e, _ := algorithms.Lookup("gmf-v")
	p := e.Defaults().(*algorithms.FixedPointParams)
	p.Temperature, p.MaxPeriod = 20, 0
	f, err := p.FixedPoint()
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Solve(context.Background(), defaultAuction(t), f, engine.Options{Iterations: 300})
	if err != nil {
		t.Fatal(err)
	}
	if res.Converged || res.Stop != nil || res.Final().K != 300 {
		t.Fatalf("converged %v, stop %+v after %d iterations; want the cap 300", res.Converged, res.Stop, res.Final().K)
	}
	if strings.Contains(f.String(), "cycle") {
		t.Errorf("%q mentions a cycle detection that is off", f.String())
	}
}

// Out-of-range cycle parameters are refused by name.
func TestCycleParametersValidated(t *testing.T) {
	for _, c := range []struct {
		tol    float64
		period int
		want   string
	}{{-1, 50, "cycle-tolerance = -1"}, {1e-10, 1, "max-period = 1"}, {1e-10, -2, "max-period = -2"}} {
		f := algorithms.GMFV(4)
		f.CycleTolerance, f.MaxPeriod = c.tol, c.period
		if err := f.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v, %d: %v, want %q", c.tol, c.period, err, c.want)
		}
	}
	for _, c := range []struct {
		ratio  float64
		window int
		want   string
	}{{-0.1, 30, "cycle-ratio = -0.1"}, {1, 30, "cycle-ratio = 1"}, {0.2, -1, "cycle-window = -1"}} {
		f := algorithms.GMFV(4)
		f.MaxPeriod, f.CycleRatio, f.CycleWindow = 50, c.ratio, c.window
		if err := f.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v, %d: %v, want %q", c.ratio, c.window, err, c.want)
		}
	}
}

// The preset also stops when L approaches a cycle, long before it closes: at c = 20 on the default
// auction, after 39 iterations, with period 2. Checked against the run to the cap without any
// detection: the populations up to the stop are the same numbers; over the 30 iterations before
// it ||L_k - L_{k-2}||_1 <= 0.2 ||L_k - L_{k-1}||_1 and the step did not halve; and the run does
// close the cycle later (||L_k - L_{k-2}||_1 <= 1e-10 at k = 285 while the step stays above 0.1).
// At c = 4, where GMF-V converges, it does not fire (TestCycleDetectionLeavesConvergenceAlone).
func TestGMFVStopsApproachingCycle(t *testing.T) {
	g := defaultAuction(t)
	res, err := engine.Solve(context.Background(), g, gmfvPreset(t, 20), engine.Options{Iterations: 300})
	if err != nil {
		t.Fatal(err)
	}
	s, K := res.Stop, res.Final().K
	if res.Converged || s == nil || s.Reason != engine.StopCycle || s.Period != 2 || K != 39 || !strings.Contains(s.Detail, "approaches a cycle of period 2") {
		t.Fatalf("converged %v, stop %+v after %d iterations; want an approach to a cycle of period 2 at 39", res.Converged, s, K)
	}
	full, err := engine.Solve(context.Background(), g, algorithms.GMFV(20), engine.Options{Iterations: 300})
	if err != nil {
		t.Fatal(err)
	}
	L := func(k int) []float64 { return full.Trace[k].Population[0].Mass }
	for k := 0; k <= K; k++ {
		if d := mfg.L1Distance(L(k), res.Trace[k].Population[0].Mass); d != 0 {
			t.Fatalf("iteration %d: L differs by %v from the run without the detection", k, d)
		}
	}
	W := algorithms.DefaultCycleWindow
	for k := K - W + 1; k <= K; k++ {
		if step, d := mfg.L1Distance(L(k), L(k-1)), mfg.L1Distance(L(k), L(k-2)); d > algorithms.DefaultCycleRatio*step {
			t.Errorf("k = %d: ||L_k - L_{k-2}||_1 = %v above 0.2 × the step %v", k, d, step)
		}
	}
	if now, then := mfg.L1Distance(L(K), L(K-1)), mfg.L1Distance(L(K-W), L(K-W-1)); now < 0.5*then {
		t.Errorf("the step halved over the window: %v, %v", now, then)
	}
	if d, step := mfg.L1Distance(L(285), L(283)), mfg.L1Distance(L(285), L(284)); d > 1e-10 || step < 0.1 {
		t.Errorf("the cycle does not close: ||L_285 - L_283||_1 = %v, step %v", d, step)
	}
}
