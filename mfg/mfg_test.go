package mfg_test

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"meanfield/mfg"
)

// randomDistribution returns n i.i.d. Exp(1) weights normalised to 1, with about a third of the
// entries set to zero when sparse.
func randomDistribution(rng *rand.Rand, n int, sparse bool) []float64 {
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
		w[rng.IntN(n)], sum = 1, 1
	}
	for i := range w {
		w[i] /= sum
	}
	return w
}

// randomDense returns a random MDP as dense arrays: rewards in [-1, 1) and transition rows
// drawn as random (sometimes sparse) distributions.
func randomDense(rng *rand.Rand, S, A int) (reward, trans []float64) {
	reward = make([]float64, S*A)
	trans = make([]float64, S*A*S)
	for i := range reward {
		reward[i] = 2*rng.Float64() - 1
		copy(trans[i*S:(i+1)*S], randomDistribution(rng, S, rng.IntN(2) == 0))
	}
	return reward, trans
}

func randomPolicy(rng *rand.Rand, S, A int) mfg.Policy {
	pi := mfg.NewPolicy(S, A)
	for s := 0; s < S; s++ {
		copy(pi.Row(s), randomDistribution(rng, A, rng.IntN(2) == 0))
	}
	return pi
}

func TestPopulationMarginals(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 50; trial++ {
		S, A := 1+rng.IntN(6), 1+rng.IntN(6)
		L := mfg.Population{States: S, Actions: A, Mass: randomDistribution(rng, S*A, trial%2 == 0)}
		if err := L.Validate(); err != nil {
			t.Fatal(err)
		}
		mu := L.StateMarginal(nil)
		alpha := L.ActionMarginal(nil)
		if len(mu) != S || len(alpha) != A {
			t.Fatalf("marginals have lengths %d, %d, want %d, %d", len(mu), len(alpha), S, A)
		}
		// Independent sums through At, column-major for α.
		for s := 0; s < S; s++ {
			var want float64
			for a := 0; a < A; a++ {
				want += L.At(s, a)
			}
			if math.Abs(mu[s]-want) > 1e-15 {
				t.Errorf("μ(%d) = %v, want %v", s, mu[s], want)
			}
		}
		for a := 0; a < A; a++ {
			var want float64
			for s := 0; s < S; s++ {
				want += L.Mass[s*A+a]
			}
			if math.Abs(alpha[a]-want) > 1e-15 {
				t.Errorf("α(%d) = %v, want %v", a, alpha[a], want)
			}
		}
		// Both marginals are distributions (total mass 1 up to rounding of S·A terms).
		for name, m := range map[string][]float64{"μ": mu, "α": alpha} {
			if err := mfg.CheckDistribution(name, m); err != nil {
				t.Error(err)
			}
		}
		// dst of the right length is reused and overwritten, stale contents included.
		dst := make([]float64, A)
		for i := range dst {
			dst[i] = 100
		}
		got := L.ActionMarginal(dst)
		if &got[0] != &dst[0] {
			t.Error("ActionMarginal did not reuse a destination of the right length")
		}
		for a := range got {
			if got[a] != alpha[a] {
				t.Errorf("ActionMarginal into a dirty dst: α(%d) = %v, want %v", a, got[a], alpha[a])
			}
		}
		dstS := make([]float64, S)
		for i := range dstS {
			dstS[i] = -7
		}
		gotS := L.StateMarginal(dstS)
		for s := range gotS {
			if gotS[s] != mu[s] {
				t.Errorf("StateMarginal into a dirty dst: μ(%d) = %v, want %v", s, gotS[s], mu[s])
			}
		}
		// A destination of the wrong length is not written past its end.
		if short := L.StateMarginal(make([]float64, S+1)); len(short) != S {
			t.Errorf("StateMarginal with a wrong-length dst returned length %d", len(short))
		}
	}
}

func TestPopulationFromStatesAndClone(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	S, A := 4, 3
	mu := randomDistribution(rng, S, false)
	pi := randomPolicy(rng, S, A)
	L := mfg.PopulationFromStates(mu, pi)
	for s := 0; s < S; s++ {
		for a := 0; a < A; a++ {
			if want := mu[s] * pi.Prob[s*A+a]; L.At(s, a) != want {
				t.Errorf("L(%d,%d) = %v, want μ(s)π(a|s) = %v", s, a, L.At(s, a), want)
			}
		}
	}
	if err := L.Validate(); err != nil {
		t.Error(err)
	}
	// The state marginal of μ⊗π is μ again (π's rows sum to 1).
	for s, m := range L.StateMarginal(nil) {
		if math.Abs(m-mu[s]) > 1e-15 {
			t.Errorf("μ(%d) = %v after PopulationFromStates, want %v", s, m, mu[s])
		}
	}
	c := L.Clone()
	c.Mass[0] += 1
	if L.Mass[0] == c.Mass[0] {
		t.Error("Clone shares storage with the original")
	}
	pc := pi.Clone()
	pc.Prob[0] += 1
	if pi.Prob[0] == pc.Prob[0] {
		t.Error("Policy.Clone shares storage with the original")
	}
}

func TestPopulationValidate(t *testing.T) {
	ok := mfg.UniformPopulation(3, 4)
	if err := ok.Validate(); err != nil {
		t.Fatalf("uniform population rejected: %v", err)
	}
	var sum float64
	for _, x := range ok.Mass {
		sum += x
	}
	if math.Abs(sum-1) > 1e-15 || len(ok.Mass) != 12 {
		t.Fatalf("UniformPopulation(3,4) has %d entries summing to %v", len(ok.Mass), sum)
	}
	bad := func(edit func(L *mfg.Population)) mfg.Population {
		L := mfg.UniformPopulation(3, 4)
		edit(&L)
		return L
	}
	cases := []struct {
		name  string
		L     mfg.Population
		wants []string
	}{
		{"zero states", mfg.Population{States: 0, Actions: 2}, []string{"states = 0"}},
		{"negative actions", mfg.Population{States: 2, Actions: -1}, []string{"actions = -1"}},
		{"short", bad(func(L *mfg.Population) { L.Mass = L.Mass[:11] }), []string{"11 entries", "12"}},
		{"negative entry", bad(func(L *mfg.Population) { L.Mass[5] = -0.1; L.Mass[6] += 0.1 }), []string{"entry 5", "-0.1"}},
		{"NaN entry", bad(func(L *mfg.Population) { L.Mass[2] = math.NaN() }), []string{"entry 2", "NaN"}},
		{"Inf entry", bad(func(L *mfg.Population) { L.Mass[0] = math.Inf(1) }), []string{"entry 0", "Inf"}},
		{"sum too big", bad(func(L *mfg.Population) { L.Mass[0] += 0.5 }), []string{"sum", "1.5"}},
		{"sum too small", bad(func(L *mfg.Population) { L.Mass[0] = 0 }), []string{"sum", "0.9166"}},
		{"zero measure", mfg.NewPopulation(3, 4), []string{"sum", "0"}},
	}
	for _, c := range cases {
		err := c.L.Validate()
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		for _, w := range c.wants {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", c.name, err, w)
			}
		}
	}
	// Rounding well inside the 1e-9 tolerance is accepted.
	L := mfg.UniformPopulation(3, 4)
	L.Mass[0] += 1e-12
	if err := L.Validate(); err != nil {
		t.Errorf("a sum off by 1e-12 was rejected: %v", err)
	}
}

func TestPolicyValidate(t *testing.T) {
	if err := mfg.UniformPolicy(3, 5).Validate(); err != nil {
		t.Fatal(err)
	}
	pi := mfg.UniformPolicy(3, 2)
	pi.Prob[4] = 0.7 // row 2 sums to 1.2
	err := pi.Validate()
	if err == nil || !strings.Contains(err.Error(), "s=2") || !strings.Contains(err.Error(), "1.2") {
		t.Errorf("row 2 summing to 1.2: error %v", err)
	}
	pi = mfg.UniformPolicy(3, 2)
	pi.Prob = pi.Prob[:5]
	if err := pi.Validate(); err == nil {
		t.Error("a policy with 5 of 6 entries was accepted")
	}
	if err := (mfg.Policy{}).Validate(); err == nil {
		t.Error("the zero Policy was accepted")
	}
	if err := mfg.CheckDistribution("x", nil); err == nil || !strings.Contains(err.Error(), "x") {
		t.Errorf("CheckDistribution of nothing: %v", err)
	}
}

func TestDistances(t *testing.T) {
	x := []float64{0.5, -1, 3}
	y := []float64{0, 1, 3.25}
	if d := mfg.L1Distance(x, y); d != 0.5+2+0.25 {
		t.Errorf("L1Distance = %v, want 2.75", d)
	}
	if d := mfg.LInfDistance(x, y); d != 2 {
		t.Errorf("LInfDistance = %v, want 2", d)
	}
	nan := []float64{0.5, math.NaN(), 3}
	if d := mfg.L1Distance(nan, y); !math.IsNaN(d) {
		t.Errorf("L1Distance with a NaN entry = %v, want NaN", d)
	}
	if d := mfg.LInfDistance(nan, y); !math.IsNaN(d) {
		t.Errorf("LInfDistance with a NaN entry = %v, want NaN", d)
	}
	// Distances is the two, bit for bit, NaNs and infinities included.
	inf := []float64{math.Inf(1), 0, 1}
	for _, c := range [][2][]float64{{x, y}, {nan, y}, {y, nan}, {inf, y}, {inf, inf}, {x, x}} {
		l1, linf := mfg.Distances(c[0], c[1])
		w1, winf := mfg.L1Distance(c[0], c[1]), mfg.LInfDistance(c[0], c[1])
		if math.Float64bits(l1) != math.Float64bits(w1) || math.Float64bits(linf) != math.Float64bits(winf) {
			t.Errorf("Distances(%v, %v) = %v, %v, want %v, %v", c[0], c[1], l1, linf, w1, winf)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("L1Distance of different lengths did not panic")
		}
	}()
	mfg.L1Distance(x, y[:2])
}

func TestNewDenseMDPValidation(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	S, A := 3, 2
	reward, trans := randomDense(rng, S, A)
	m, err := mfg.NewDenseMDP(S, A, 0.9, reward, trans)
	if err != nil {
		t.Fatalf("a valid MDP was rejected: %v", err)
	}
	// Round trip: the sparse rows hold exactly the non-zero dense entries.
	for s := 0; s < S; s++ {
		for a := 0; a < A; a++ {
			next, prob := m.Successors(s, a)
			got := make([]float64, S)
			for k, sp := range next {
				if prob[k] == 0 {
					t.Errorf("(s=%d,a=%d): stored a zero probability for %d", s, a, sp)
				}
				got[sp] += prob[k]
			}
			for sp := range got {
				if got[sp] != trans[(s*A+a)*S+sp] {
					t.Errorf("P(%d|%d,%d) = %v, dense %v", sp, s, a, got[sp], trans[(s*A+a)*S+sp])
				}
			}
			if m.Reward[s*A+a] != reward[s*A+a] {
				t.Errorf("r(%d,%d) = %v, dense %v", s, a, m.Reward[s*A+a], reward[s*A+a])
			}
		}
	}

	// A row that does not sum to 1: the error names s, a and the sum.
	tr := append([]float64(nil), trans...)
	row := (1*A + 1) * S // (s=1, a=1)
	tr[row] += 0.25
	_, err = mfg.NewDenseMDP(S, A, 0.9, reward, tr)
	if err == nil {
		t.Fatal("a row summing to 1.25 was accepted")
	}
	for _, w := range []string{"s=1", "a=1", "1.25"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("row sum error %q does not mention %q", err, w)
		}
	}
	// A row summing to 0.5.
	tr = append([]float64(nil), trans...)
	for sp := 0; sp < S; sp++ {
		tr[(2*A+0)*S+sp] *= 0.5
	}
	if _, err = mfg.NewDenseMDP(S, A, 0.9, reward, tr); err == nil ||
		!strings.Contains(err.Error(), "s=2") || !strings.Contains(err.Error(), "a=0") || !strings.Contains(err.Error(), "0.5") {
		t.Errorf("row (2,0) summing to 0.5: error %v", err)
	}
	// A negative probability, even in a row summing to 1.
	tr = make([]float64, S*A*S)
	for i := 0; i < S*A; i++ {
		tr[i*S] = 1
	}
	tr[0], tr[1], tr[2] = -0.5, 1.5, 0
	if _, err = mfg.NewDenseMDP(S, A, 0.9, reward, tr); err == nil || !strings.Contains(err.Error(), "-0.5") {
		t.Errorf("a negative probability: error %v", err)
	}
	// NaN probability and non-finite reward.
	tr = append([]float64(nil), trans...)
	tr[3] = math.NaN()
	if _, err = mfg.NewDenseMDP(S, A, 0.9, reward, tr); err == nil {
		t.Error("a NaN probability was accepted")
	}
	rw := append([]float64(nil), reward...)
	rw[4] = math.Inf(-1)
	if _, err = mfg.NewDenseMDP(S, A, 0.9, rw, trans); err == nil || !strings.Contains(err.Error(), "s=2") || !strings.Contains(err.Error(), "a=0") {
		t.Errorf("r(2,0) = -Inf: error %v", err)
	}
	// Bad discounts.
	for _, g := range []float64{0, 1, -0.1, 1.1, math.NaN(), math.Inf(1)} {
		_, err := mfg.NewDenseMDP(S, A, g, reward, trans)
		if err == nil || !strings.Contains(err.Error(), "discount") {
			t.Errorf("discount %v: error %v", g, err)
		}
	}
	// Bad sizes.
	if _, err := mfg.NewDenseMDP(0, A, 0.9, nil, nil); err == nil {
		t.Error("zero states accepted")
	}
	if _, err := mfg.NewDenseMDP(S, A, 0.9, reward[:5], trans); err == nil {
		t.Error("short reward accepted")
	}
	if _, err := mfg.NewDenseMDP(S, A, 0.9, reward, trans[:17]); err == nil {
		t.Error("short transition accepted")
	}

	// A successor out of range cannot be written densely: build it row by row.
	for _, bad := range []int{S, -1, 100} {
		b := mfg.NewMDPBuilder(S, A, 0.9)
		for i := 0; i < S*A; i++ {
			if i == 3 { // (s=1, a=1)
				b.Add(bad, 1)
			} else {
				b.Add(i%S, 1)
			}
			b.EndRow()
		}
		_, err := b.Build()
		if err == nil {
			t.Errorf("successor %d accepted", bad)
			continue
		}
		for _, w := range []string{"s=1", "a=1", "state " + strconv.Itoa(bad)} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("successor %d: error %q does not mention %q", bad, err, w)
			}
		}
	}
	// A builder with a missing row.
	b := mfg.NewMDPBuilder(S, A, 0.9)
	for i := 0; i < S*A-1; i++ {
		b.Add(0, 1)
		b.EndRow()
	}
	if _, err := b.Build(); err == nil {
		t.Error("an MDP with a missing row was accepted")
	}
}

func TestMDPBuilderMergesAndResets(t *testing.T) {
	b := mfg.NewMDPBuilder(2, 1, 0.5)
	b.Add(1, 0.25)
	b.Add(1, 0.25) // merged with the previous successor
	b.Add(0, 0.5)
	b.EndRow()
	b.Add(0, 1)
	b.EndRow()
	m, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	next, prob := m.Successors(0, 0)
	if len(next) != 2 || next[0] != 1 || prob[0] != 0.5 || next[1] != 0 || prob[1] != 0.5 {
		t.Errorf("row 0 = %v %v, want [1 0] [0.5 0.5]", next, prob)
	}
	b.Reset()
	b.MDP.Reward[0] = 3
	b.Add(0, 1)
	b.EndRow()
	b.Add(1, 1)
	b.EndRow()
	m, err = b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if n, p := m.Successors(0, 0); len(n) != 1 || n[0] != 0 || p[0] != 1 {
		t.Errorf("after Reset row 0 = %v %v", n, p)
	}
	if m.Reward[1] != 0 || m.Reward[0] != 3 {
		t.Errorf("after Reset rewards = %v", m.Reward)
	}
}

// bruteGamma2 computes Γ2(π, L)(s', a') = [Σ_{s,a} μ(s) π(a|s) P(s'|s,a)] π(a'|s') from the dense
// arrays, straight from the formula of spec/algorithms.md.
func bruteGamma2(S, A int, trans []float64, L mfg.Population, pi mfg.Policy) []float64 {
	out := make([]float64, S*A)
	for sp := 0; sp < S; sp++ {
		for ap := 0; ap < A; ap++ {
			var inflow float64
			for s := 0; s < S; s++ {
				var mu float64
				for a := 0; a < A; a++ {
					mu += L.Mass[s*A+a]
				}
				for a := 0; a < A; a++ {
					inflow += mu * pi.Prob[s*A+a] * trans[(s*A+a)*S+sp]
				}
			}
			out[sp*A+ap] = inflow * pi.Prob[sp*A+ap]
		}
	}
	return out
}

func TestNextPopulationMatchesFormula(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := 0; trial < 200; trial++ {
		S, A := 1+rng.IntN(5), 1+rng.IntN(4)
		reward, trans := randomDense(rng, S, A)
		m, err := mfg.NewDenseMDP(S, A, 0.5, reward, trans)
		if err != nil {
			t.Fatal(err)
		}
		L := mfg.Population{States: S, Actions: A, Mass: randomDistribution(rng, S*A, trial%3 == 0)}
		pi := randomPolicy(rng, S, A)
		next := mfg.NextPopulation(m, L, pi)
		if next.States != S || next.Actions != A || len(next.Mass) != S*A {
			t.Fatalf("Γ2 has shape %d×%d (%d entries)", next.States, next.Actions, len(next.Mass))
		}
		want := bruteGamma2(S, A, trans, L, pi)
		// Each entry is a sum of S·A ≤ 20 products of numbers in [0,1]: rounding ~1e-16.
		for i := range want {
			if math.Abs(next.Mass[i]-want[i]) > 1e-14 {
				t.Fatalf("S=%d A=%d: Γ2[%d] = %.17g, formula %.17g", S, A, i, next.Mass[i], want[i])
			}
		}
		// Mass is preserved: Γ2 maps distributions to distributions.
		var total float64
		for _, x := range next.Mass {
			if x < 0 {
				t.Fatalf("negative mass %v", x)
			}
			total += x
		}
		if math.Abs(total-1) > 1e-13 {
			t.Fatalf("Γ2 has total mass %.17g", total)
		}
		// NextStates is the state marginal of Γ2.
		ns := mfg.NextStates(m, L.StateMarginal(nil), pi)
		for s, x := range next.StateMarginal(nil) {
			if math.Abs(x-ns[s]) > 1e-14 {
				t.Fatalf("NextStates[%d] = %v, marginal of Γ2 %v", s, ns[s], x)
			}
		}
	}
}

// Γ2 only sees L through μ: two populations with the same state marginal have the same image.
func TestNextPopulationDependsOnlyOnStateMarginal(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	S, A := 4, 3
	reward, trans := randomDense(rng, S, A)
	m, err := mfg.NewDenseMDP(S, A, 0.5, reward, trans)
	if err != nil {
		t.Fatal(err)
	}
	mu := randomDistribution(rng, S, false)
	L1 := mfg.PopulationFromStates(mu, randomPolicy(rng, S, A))
	L2 := mfg.PopulationFromStates(mu, randomPolicy(rng, S, A))
	pi := randomPolicy(rng, S, A)
	a, b := mfg.NextPopulation(m, L1, pi), mfg.NextPopulation(m, L2, pi)
	if d := mfg.L1Distance(a.Mass, b.Mass); d > 1e-15 {
		t.Errorf("populations with equal μ map %v apart", d)
	}
}

// A hand-built MDP whose rows are not laid out consistently is rejected, not a panic.
func TestValidateRejectsBadRowLayout(t *testing.T) {
	good := func() *mfg.MDP {
		b := mfg.NewMDPBuilder(2, 1, 0.5)
		b.Add(0, 1)
		b.EndRow()
		b.Add(1, 1)
		b.EndRow()
		m, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	for name, breakIt := range map[string]func(m *mfg.MDP){
		"first row not at 0":  func(m *mfg.MDP) { m.RowStart[0] = 1 },
		"last row past end":   func(m *mfg.MDP) { m.RowStart[2] = 5 },
		"rows out of order":   func(m *mfg.MDP) { m.RowStart[1] = 2; m.RowStart[2] = 1 },
		"short row index":     func(m *mfg.MDP) { m.RowStart = m.RowStart[:2] },
		"mismatched next/pro": func(m *mfg.MDP) { m.Prob = m.Prob[:1] },
	} {
		m := good()
		breakIt(m)
		if err := m.Validate(); err == nil {
			t.Errorf("%s: Validate accepted %+v", name, m)
		}
	}
}

// Shapes flatten row-major and back.
func TestShapeRoundTrip(t *testing.T) {
	sh := mfg.Shape{5, 10, 10}
	if got := sh.Index(2, 3, 4); got != 2*100+3*10+4 {
		t.Fatalf("Index(2,3,4) = %d", got)
	}
	c := make([]int, 3)
	for i := 0; i < mfg.Size(sh); i++ {
		if sh.Index(sh.Coords(i, c)...) != i {
			t.Fatalf("round trip of %d fails: %v", i, c)
		}
	}
}

// A clone holds the MDP's numbers in storage of its own: changing one leaves the other as it was.
func TestMDPCloneOwnsItsStorage(t *testing.T) {
	m, err := mfg.NewDenseMDP(2, 2, 0.9, []float64{1, 2, 3, 4}, []float64{1, 0, 0.5, 0.5, 0, 1, 0.25, 0.75})
	if err != nil {
		t.Fatal(err)
	}
	m.Legal = []bool{true, false, true, true}
	c := m.Clone()
	if !reflect.DeepEqual(c, m) {
		t.Fatalf("clone %+v, MDP %+v", c, m)
	}
	c.Reward[0], c.RowStart[1], c.Next[0], c.Prob[0], c.Legal[1] = -1, 7, 1, 0.5, true
	if m.Reward[0] != 1 || m.RowStart[1] == 7 || m.Next[0] != 0 || m.Prob[0] != 1 || m.Legal[1] {
		t.Errorf("changing the clone changed the MDP: %+v", m)
	}
}
