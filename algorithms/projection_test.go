package algorithms_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"meanfield/algorithms"
	"meanfield/mfg"
)

// randomPopulation returns a population of n entries: i.i.d. Exp(1) weights, a third of them
// zero when sparse, normalised.
func randomMass(rng *rand.Rand, n int, sparse bool) []float64 {
	w := make([]float64, n)
	var sum float64
	for i := range w {
		if sparse && rng.IntN(3) == 0 {
			continue
		}
		w[i] = rng.ExpFloat64()
		sum += w[i]
	}
	if sum == 0 {
		w[0], sum = 1, 1
	}
	for i := range w {
		w[i] /= sum
	}
	return w
}

// checkOnNet checks that x is a distribution whose entries are multiples of 1/m: each x·m within
// 1e-9 of a non-negative integer (x = u/m in float64 is off by an ulp), the units summing to m.
func checkOnNet(t *testing.T, what string, x []float64, m int) {
	t.Helper()
	var units int64
	var sum float64
	for i, v := range x {
		u := math.Round(v * float64(m))
		if v < 0 || math.Abs(v*float64(m)-u) > 1e-9 {
			t.Fatalf("%s: entry %d = %v is not a non-negative multiple of 1/%d", what, i, v, m)
		}
		units += int64(u)
		sum += v
	}
	if units != int64(m) {
		t.Fatalf("%s: %d units of 1/%d, want %d", what, units, m, m)
	}
	// n ≤ 400 terms, each rounded once: the float sum is within ~1e-13 of 1.
	if math.Abs(sum-1) > 1e-12 {
		t.Fatalf("%s: sums to %.17g", what, sum)
	}
}

func TestEpsilonNetProjectionProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(701, 702))
	for trial := 0; trial < 300; trial++ {
		S, A := 1+rng.IntN(20), 1+rng.IntN(20)
		m := []int{1, 2, 3, 7, 10, 100, 1000, 10000, 1 << 20}[trial%9]
		eps := 1 / float64(m)
		L := mfg.Population{States: S, Actions: A, Mass: randomMass(rng, S*A, trial%2 == 0)}
		if trial%5 == 0 { // sampled or iterated populations are off by rounding
			for i := range L.Mass {
				L.Mass[i] *= 1 + 1e-12
			}
		}
		P, err := algorithms.EpsilonNet{Epsilon: eps}.Project(L)
		if err != nil {
			t.Fatal(err)
		}
		if P.States != S || P.Actions != A {
			t.Fatalf("projection is %d×%d, want %d×%d", P.States, P.Actions, S, A)
		}
		checkOnNet(t, "projection", P.Mass, m)
		n := float64(S * A)
		// Every entry moves by less than ε; in total by at most n·ε/2. 1e-12 absorbs the rounding
		// of u/m and of the renormalisation.
		if d := mfg.LInfDistance(P.Mass, L.Mass); d >= eps+1e-12 {
			t.Errorf("m=%d n=%v: l∞ distance %v >= ε", m, n, d)
		}
		if d := mfg.L1Distance(P.Mass, L.Mass); d > n*eps/2+1e-12 {
			t.Errorf("m=%d n=%v: l1 distance %v > nε/2 = %v", m, n, d, n*eps/2)
		}
		// A point of the net is its own projection.
		if Q, _ := (algorithms.EpsilonNet{Epsilon: eps}).Project(P); mfg.LInfDistance(P.Mass, Q.Mass) > 1e-15 {
			t.Errorf("m=%d: projecting twice moved the point by %v", m, mfg.LInfDistance(P.Mass, Q.Mass))
		}
	}
}

// compositions calls f with every vector of n non-negative integers summing to m.
func compositions(n, m int, f func([]int)) {
	u := make([]int, n)
	var rec func(i, left int)
	rec = func(i, left int) {
		if i == n-1 {
			u[i] = left
			f(u)
			return
		}
		for k := 0; k <= left; k++ {
			u[i] = k
			rec(i+1, left-k)
		}
	}
	rec(0, m)
}

// On tiny instances the projection is a nearest point of the whole net, in l1 and in l∞, found
// by enumerating every grid point.
func TestEpsilonNetNearestBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(703, 704))
	shapes := [][2]int{{1, 3}, {3, 1}, {2, 2}, {1, 4}}
	for trial := 0; trial < 400; trial++ {
		sh := shapes[trial%len(shapes)]
		n := sh[0] * sh[1]
		m := 1 + rng.IntN(8)
		x := randomMass(rng, n, trial%3 == 0)
		if trial%4 == 0 { // near-ties in the remainders
			for i := range x {
				x[i] = math.Round(x[i]*float64(2*m)) / float64(2*m)
			}
			var s float64
			for _, v := range x {
				s += v
			}
			if s == 0 {
				continue
			}
			for i := range x {
				x[i] /= s
			}
		}
		L := mfg.Population{States: sh[0], Actions: sh[1], Mass: x}
		P, err := algorithms.EpsilonNet{Epsilon: 1 / float64(m)}.Project(L)
		if err != nil {
			t.Fatal(err)
		}
		checkOnNet(t, "projection", P.Mass, m)
		best1, bestInf := math.Inf(1), math.Inf(1)
		g := make([]float64, n)
		compositions(n, m, func(u []int) {
			for i := range u {
				g[i] = float64(u[i]) / float64(m)
			}
			best1 = math.Min(best1, mfg.L1Distance(g, x))
			bestInf = math.Min(bestInf, mfg.LInfDistance(g, x))
		})
		// The grid distances are computed from the same floats: 1e-12 covers the ulps.
		if d := mfg.L1Distance(P.Mass, x); d > best1+1e-12 {
			t.Errorf("x=%v m=%d: projection %v is %v away in l1, the nearest grid point %v", x, m, P.Mass, d, best1)
		}
		if d := mfg.LInfDistance(P.Mass, x); d > bestInf+1e-12 {
			t.Errorf("x=%v m=%d: projection %v is %v away in l∞, the nearest grid point %v", x, m, P.Mass, d, bestInf)
		}
	}
}

func TestEpsilonNetValidate(t *testing.T) {
	for _, eps := range []float64{0, -0.1, 1.5, math.NaN(), math.Inf(1), 0.3, 0.15, 2.0 / 3, 1e-13} {
		err := algorithms.EpsilonNet{Epsilon: eps}.Validate()
		if err == nil {
			t.Errorf("ε = %v accepted", eps)
			continue
		}
		if !strings.Contains(err.Error(), "epsilon-net") {
			t.Errorf("ε = %v: error %q does not name epsilon-net", eps, err)
		}
	}
	for _, eps := range []float64{1, 0.5, 0.25, 0.1, 1.0 / 3, 1.0 / 7, 1e-4, 5e-4, 1e-6} {
		if err := (algorithms.EpsilonNet{Epsilon: eps}).Validate(); err != nil {
			t.Errorf("ε = %v rejected: %v", eps, err)
		}
	}
	if u := (algorithms.EpsilonNet{Epsilon: 1e-4}).Units(); u != 10000 {
		t.Errorf("Units of 1e-4 = %d", u)
	}
}

func TestSoftmaxMapValidate(t *testing.T) {
	for _, c := range []float64{0, -1, -1e-9, math.NaN(), math.Inf(1), math.Inf(-1)} {
		err := algorithms.Softmax{C: c}.Validate()
		if err == nil {
			t.Errorf("c = %v accepted", c)
			continue
		}
		if !strings.Contains(err.Error(), "temperature") {
			t.Errorf("c = %v: error %q does not name the temperature", c, err)
		}
	}
	if err := (algorithms.Softmax{C: 1e-3}).Validate(); err != nil {
		t.Error(err)
	}
}

func TestEpsilonNetRejectsZeroMass(t *testing.T) {
	L := mfg.NewPopulation(2, 2)
	if _, err := (algorithms.EpsilonNet{Epsilon: 0.1}).Project(L); err == nil {
		t.Fatal("projection of a zero measure did not fail")
	}
}
