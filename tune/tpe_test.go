package tune

import (
	"fmt"
	"math"
	"testing"

	"meanfield/seeds"
)

// Optuna's default_gamma and default_weights, from their definitions: γ(n) = min(⌈0.1 n⌉, 25);
// weights 1 for n < 25, else np.linspace(1/n, 1, n−25) followed by 25 ones.
func TestGammaAndWeights(t *testing.T) {
	for n, want := range map[int]int{0: 0, 1: 1, 10: 1, 11: 2, 100: 10, 249: 25, 1000: 25} {
		if got := gamma(n); got != want {
			t.Errorf("gamma(%d) = %d, want %d", n, got, want)
		}
	}
	w := weights(30)
	ramp := []float64{1.0 / 30, 1.0/30 + (1-1.0/30)/4, 1.0/30 + 2*(1-1.0/30)/4, 1.0/30 + 3*(1-1.0/30)/4, 1}
	for i, x := range w {
		want := 1.0
		if i < 5 {
			want = ramp[i]
		}
		if math.Abs(x-want) > 1e-15 {
			t.Errorf("weights(30)[%d] = %v, want %v", i, x, want)
		}
	}
	for _, x := range weights(24) {
		if x != 1 {
			t.Errorf("weights(24) = %v, want ones", weights(24))
			break
		}
	}
}

// The kernels' widths on [0, 10] at observations 2, 5, 6, worked by hand from Optuna's rule:
// neighbours with the ends 0, 2, 5, 6, 10 give max-gaps 3, 3, 4; without the endpoints the first
// and last take their inner gap (3 and 1); magic clipping to [10/min(100, 1+4), 10] = [2, 10]
// gives 3, 3, 2; the prior is N(5, 10).
func TestKernelsByHand(t *testing.T) {
	mu, sigma := kernels([]float64{6, 2, 5}, 0, 10)
	wantMu, wantSigma := []float64{6, 2, 5, 5}, []float64{2, 3, 3, 10}
	for i := range mu {
		if mu[i] != wantMu[i] || math.Abs(sigma[i]-wantSigma[i]) > 1e-15 {
			t.Errorf("kernel %d: N(%v, %v), want N(%v, %v)", i, mu[i], sigma[i], wantMu[i], wantSigma[i])
		}
	}
}

// The mixture's density integrates to 1 over its range, and the mean of draws from it agrees
// with the mean of its density (both computed here by quadrature).
func TestParzenIsADensity(t *testing.T) {
	p := &Param{Name: "x", Type: Float, Low: 1e-3, High: 1e3, Log: true}
	obs := []Observation{}
	for i, x := range []float64{0.01, 0.5, 2, 3, 40} {
		obs = append(obs, Observation{Index: i, Params: map[string]any{"x": x}, State: Complete, Value: float64(i)})
	}
	e, err := NewTPE(Space{p}).estimator(p, obs)
	if err != nil {
		t.Fatal(err)
	}
	const n = 200000
	h := (e.hi - e.lo) / n
	mass, mean := 0.0, 0.0
	for i := range n {
		x := e.lo + (float64(i)+0.5)*h
		d := math.Exp(e.logPDF(x))
		mass += d * h
		mean += x * d * h
	}
	if math.Abs(mass-1) > 1e-6 {
		t.Errorf("the density integrates to %v, want 1", mass)
	}
	r := seeds.New(1, 2)
	const draws = 200000
	s := 0.0
	for range draws {
		x := e.sample(r)
		if x < e.lo || x > e.hi {
			t.Fatalf("draw %v outside [%v, %v]", x, e.lo, e.hi)
		}
		s += x
	}
	// The density's standard deviation is below the range's half-width (6.9): 5 standard errors.
	if got := s / draws; math.Abs(got-mean) > 5*6.9/math.Sqrt(draws) {
		t.Errorf("mean of draws %v, of the density %v", got, mean)
	}
}

// A truncated standard normal's draws have its closed-form mean (φ(a) − φ(b)) / (Φ(b) − Φ(a)),
// also far in a tail, and stay in [a, b].
func TestTruncNormalMean(t *testing.T) {
	r := seeds.New(3)
	density := func(x float64) float64 { return math.Exp(-x*x/2) / math.Sqrt(2*math.Pi) }
	for _, c := range [][2]float64{{-1, 2}, {0.5, 0.7}, {6, 9}, {-12, -10}, {-30, 30}} {
		a, b := c[0], c[1]
		want := (density(a) - density(b)) / normalMass(a, b)
		const n = 100000
		s := 0.0
		for range n {
			z := truncNormal(r, a, b)
			if z < a || z > b {
				t.Fatalf("[%v, %v]: draw %v outside", a, b, z)
			}
			s += z
		}
		if got := s / n; math.Abs(got-want) > 5*(b-a)/math.Sqrt(n) {
			t.Errorf("[%v, %v]: mean %v, want %v", a, b, got, want)
		}
	}
}

// A categorical's estimator, worked by hand: 2 choices, one observation of choice 0 and prior
// weight 1: its kernel is (1 + 1/2, 1/2)/2 = (0.75, 0.25), the prior's (0.5, 0.5), with equal
// weights: P(0) = 0.625.
func TestCategoricalEstimatorByHand(t *testing.T) {
	p := &Param{Name: "c", Type: Categorical, Choices: []any{"a", "b"}}
	e, err := NewTPE(Space{p}).estimator(p, []Observation{{Params: map[string]any{"c": "a"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := math.Exp(e.logPDF(0)); math.Abs(got-0.625) > 1e-15 {
		t.Errorf("P(a) = %v, want 0.625", got)
	}
	if got := math.Exp(e.logPDF(1)); math.Abs(got-0.375) > 1e-15 {
		t.Errorf("P(b) = %v, want 0.375", got)
	}
}

// The grid visits every point of the product once, in order, the last parameter fastest.
func TestGridEnumeratesTheProduct(t *testing.T) {
	space := Space{
		{Name: "a", Type: Categorical, Choices: []any{"x", "y"}},
		{Name: "b", Type: Int, Low: 1, High: 3},
		{Name: "c", Type: Float, Low: 1, High: 100, Log: true, Points: 3},
	}
	g, err := newGrid(space)
	if err != nil {
		t.Fatal(err)
	}
	if g.Size() != 18 {
		t.Fatalf("size %d, want 18", g.Size())
	}
	seen := map[string]bool{}
	for k := range 18 {
		v, _ := g.Propose(k, nil, nil)
		key := fmt.Sprint(v["a"], v["b"], v["c"])
		if seen[key] {
			t.Errorf("point %s twice", key)
		}
		seen[key] = true
	}
	for _, a := range []string{"x", "y"} {
		for b := 1; b <= 3; b++ {
			for _, c := range []float64{1, 10, 100} {
				if key := fmt.Sprint(a, b, c); !seen[key] {
					t.Errorf("point %s missing (log grid: 1, 10, 100)", key)
				}
			}
		}
	}
	if v, _ := g.Propose(1, nil, nil); math.Abs(v["c"].(float64)-10) > 1e-12 || v["b"] != 1 {
		t.Errorf("point 1 = %v, want a=x b=1 c=10", v)
	}
}

// Random draws of a log parameter are uniform in log x: half fall below the geometric middle;
// an int's draws cover low..high in equal shares.
func TestRandomDraws(t *testing.T) {
	space := Space{{Name: "x", Type: Float, Low: 1e-4, High: 1, Log: true}, {Name: "n", Type: Int, Low: 0, High: 4}}
	r := seeds.New(9)
	const n = 50000
	below := 0
	counts := make([]int, 5)
	for k := range n {
		v, _ := Random{Space: space}.Propose(k, nil, r)
		if v["x"].(float64) < 1e-2 {
			below++
		}
		counts[v["n"].(int)]++
	}
	if f := float64(below) / n; math.Abs(f-0.5) > 5*0.5/math.Sqrt(n) {
		t.Errorf("%v below the geometric middle, want 1/2", f)
	}
	for i, c := range counts {
		if f := float64(c) / n; math.Abs(f-0.2) > 5*0.4/math.Sqrt(n) {
			t.Errorf("n = %d drawn with frequency %v, want 1/5", i, f)
		}
	}
}

// On a smooth function of a log-scale and a linear parameter, TPE's best after 60 evaluations
// is lower than random search's, on average over 30 seeds, and in most seeds: TPE's first
// 10 trials are random search's own (the same streams), so it can only differ after them.
func TestTPEBeatsRandomOnASmoothFunction(t *testing.T) {
	space := Space{{Name: "x", Type: Float, Low: 1e-3, High: 1e3, Log: true}, {Name: "y", Type: Float, Low: -1, High: 1}}
	f := func(v map[string]any) float64 {
		lx := math.Log10(v["x"].(float64)) - 1.3
		y := v["y"].(float64) - 0.2
		return lx*lx + y*y
	}
	search := func(s Sampler, seed uint64) float64 {
		var hist []Observation
		best := math.Inf(1)
		for k := range 60 {
			v, err := s.Propose(k, hist, seeds.New(seed, uint64(k)))
			if err != nil {
				t.Fatal(err)
			}
			y := f(v)
			best = min(best, y)
			hist = append(hist, Observation{Index: k, Params: v, State: Complete, Value: y})
		}
		return best
	}
	wins, logRatio := 0, 0.0
	const seedCount = 30
	for seed := uint64(0); seed < seedCount; seed++ {
		tp, rd := search(NewTPE(space), seed), search(Random{Space: space}, seed)
		if tp < rd {
			wins++
		}
		logRatio += math.Log10(tp/rd) / seedCount
	}
	if wins < 20 || logRatio > -0.4 {
		t.Errorf("TPE better in %d of %d seeds, mean log10(TPE best / random best) %.2f: want at least 20 and below -0.4", wins, seedCount, logRatio)
	}
	t.Logf("TPE better in %d of %d seeds; mean log10(TPE best / random best) %.2f", wins, seedCount, logRatio)
}

// The median rule, worked by hand: complete trials at step 2 with values 1, 3, 5 (median 3);
// a trial whose best so far is 4 stops, one whose best is 2 goes on; before 3 complete
// trials, or between check intervals, nobody stops.
func TestMedianByHand(t *testing.T) {
	m := Median{StartupTrials: 3, Interval: 1}
	others := [][]float64{{9, 9, 1}, {9, 9, 3}, {9, 9, 5}, {9, 9, 0}}
	complete := []bool{true, true, true, false}
	if !m.Prune(2, []float64{5, 4, 4}, others, complete) {
		t.Error("best 4 > median 3: want pruned")
	}
	if m.Prune(2, []float64{5, 2, 4}, others, complete) {
		t.Error("best 2 ≤ median 3: want kept")
	}
	if (Median{StartupTrials: 4, Interval: 1}).Prune(2, []float64{5, 4, 4}, others, complete) {
		t.Error("3 complete trials < startup 4: want kept")
	}
	if (Median{StartupTrials: 1, Interval: 2, Warmup: 1}).Prune(2, []float64{5, 4, 4}, others, complete) {
		t.Error("step 2 is not a check step from warmup 1 every 2: want kept")
	}
	if got := percentile([]float64{4, 1, 3, 2}, 50); got != 2.5 {
		t.Errorf("median of 1..4 = %v, want 2.5", got)
	}
}

// Successive halving, worked by hand: rungs at 1, 4, 16 (min resource 1, factor 4); at a rung
// with 8 values (own and 7 others) a trial goes on when among the best 8/4 = 2.
func TestSuccessiveHalvingByHand(t *testing.T) {
	h := SuccessiveHalving{MinResource: 1, ReductionFactor: 4}
	for k, want := range map[int]bool{0: false, 1: true, 2: false, 4: true, 15: false, 16: true, 64: true} {
		if got := h.isRung(k); got != want {
			t.Errorf("isRung(%d) = %v, want %v", k, got, want)
		}
	}
	var others [][]float64
	for _, v := range []float64{1, 2, 3, 5, 6, 7, 8} {
		others = append(others, []float64{9, 9, 9, 9, v})
	}
	own := func(v float64) []float64 { return []float64{9, 9, 9, 9, v} }
	if h.Prune(4, own(1.5), others, nil) {
		t.Error("1.5 is second of 8: want kept")
	}
	if !h.Prune(4, own(2.5), others, nil) {
		t.Error("2.5 is third of 8: want pruned")
	}
	if h.Prune(3, own(100), others, nil) {
		t.Error("step 3 is no rung: want kept")
	}
	if h.Prune(4, own(100), nil, nil) {
		t.Error("alone at a rung: want kept")
	}
}

// The split, worked by hand: of 11 trials (8 complete, 2 pruned, 1 failed, left out), the
// γ(10) = 1 best complete trial is "below"; pruned trials rank after every complete one, the
// latest step first.
func TestSplitByHand(t *testing.T) {
	var hist []Observation
	for i, v := range []float64{5, 3, 7, 1, 9, 2, 8, 6} {
		hist = append(hist, Observation{Index: i, State: Complete, Value: v})
	}
	hist = append(hist, Observation{Index: 8, State: Pruned, Value: 0, Step: 3}, Observation{Index: 9, State: Failed, Value: math.NaN()},
		Observation{Index: 10, State: Pruned, Value: 0.5, Step: 9})
	below, above := split(hist)
	if len(below) != 1 || below[0].Index != 3 || len(above) != 9 {
		t.Fatalf("below %v, above %d trials; want trial 3 (value 1) below, 9 above", below, len(above))
	}
	for i := 1; i < len(above); i++ {
		if above[i].Index < above[i-1].Index {
			t.Errorf("above not in trial order: %v", above)
		}
	}
	for _, o := range above {
		if o.State == Failed {
			t.Errorf("a failed trial in the estimators: %v", o)
		}
	}
	// 20 complete trials: γ = 2, the two least values.
	hist = hist[:0]
	for i := range 20 {
		hist = append(hist, Observation{Index: i, State: Complete, Value: float64((i * 7) % 20)})
	}
	if below, _ := split(hist); len(below) != 2 || below[0].Value+below[1].Value != 1 {
		t.Errorf("below %v, want the values 0 and 1", below)
	}
	// Pruned trials only: the latest step is the better one.
	p := []Observation{{Index: 0, State: Pruned, Value: 0.1, Step: 2}, {Index: 1, State: Pruned, Value: 5, Step: 40}}
	if below, _ := split(p); below[0].Index != 1 {
		t.Errorf("below %v, want the trial pruned later", below)
	}
}
