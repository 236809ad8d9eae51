package games_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
)

func TestRandomLinearRejectsBadParameters(t *testing.T) {
	tkCheckBadParams(t, "random-linear", []tkBadParams{
		{map[string]any{"T": -1}, []string{"T = -1"}},
		{map[string]any{"n": 0}, []string{"n = 0"}},
		{map[string]any{"m": -1}, []string{"m = -1"}},
		{map[string]any{"m": math.NaN()}, []string{"m = NaN"}},
		{map[string]any{"m": math.Inf(1)}, []string{"m = +Inf"}},
		{map[string]any{"n": 2, "r1": []float64{1, 2, 3}}, []string{"r1 = [1 2 3]", "want 4"}},
		{map[string]any{"n": 1, "r2": []float64{math.Inf(-1)}}, []string{"r2 = [-Inf]", "-Inf"}},
		{map[string]any{"n": 1, "p1": []float64{1, 2}}, []string{"p1 = [1 2]", "want 1"}},
		{map[string]any{"n": 1, "p2": []float64{math.NaN()}}, []string{"p2 = [NaN]"}},
		{map[string]any{"mu0": []float64{1}}, []string{"mu0 = [1]", "want 5"}},
		{map[string]any{"n": 2, "mu0": []float64{2, -1}}, []string{"mu0 = [2 -1]", "-1"}},
	})
}

func TestRandomLinearIsValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, p := range []games.RandomLinearParams{
		games.DefaultRandomLinearParams(),
		{T: 5, N: 3, M: 2, Seed: 7, Mu0: []float64{0, 1, 0}},
		{T: 2, N: 6, M: 40, Seed: 1 << 40},
		{T: 1, N: 1, M: 0},
	} {
		g, err := games.NewRandomLinear(p)
		if err != nil {
			t.Fatalf("%+v: %v", p, err)
		}
		tkCheckGame(t, g, rng)
	}
}

// r(s, a) = Σ_k R1[s,k] L(k, a) + R2[s,a]; P(s'|s, a) = exp(z(s')) / Σ_y exp(z(y)) with
// z(s') = Σ_k P1[s',s,k] L(k, a) + P2[s',s,a]: both read the column L(·, a).
func TestRandomLinearStageByHand(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	const n = 3
	uniform := func(size int) []float64 {
		v := make([]float64, size)
		for i := range v {
			v[i] = 6*rng.Float64() - 3
		}
		return v
	}
	r1, r2, p1, p2 := uniform(n*n), uniform(n*n), uniform(n*n*n), uniform(n*n*n)
	g, err := games.NewRandomLinear(games.RandomLinearParams{T: 2, N: n, M: 3, R1: r1, R2: r2, P1: p1, P2: p2})
	if err != nil {
		t.Fatal(err)
	}
	L := tkRandomPopulation(rng, n, n)
	for tt := 0; tt <= 2; tt++ {
		m, err := g.Stage(tt, L)
		if err != nil {
			t.Fatal(err)
		}
		for _, sa := range [][2]int{{0, 0}, {0, 2}, {1, 1}, {2, 0}, {2, 2}} {
			s, a := sa[0], sa[1]
			want := r2[s*n+a] + r1[s*n+0]*L.Mass[0*n+a] + r1[s*n+1]*L.Mass[1*n+a] + r1[s*n+2]*L.Mass[2*n+a]
			if got := m.Reward[s*n+a]; math.Abs(got-want) > 1e-12 {
				t.Errorf("t=%d: r(%d, %d) = %v, want %v", tt, s, a, got, want)
			}
			row := make([]float64, n)
			var z float64
			for sp := 0; sp < n; sp++ {
				logit := p2[sp*n*n+s*n+a]
				for k := 0; k < n; k++ {
					logit += p1[sp*n*n+s*n+k] * L.Mass[k*n+a]
				}
				row[sp] = math.Exp(logit)
				z += row[sp]
			}
			for sp := range row {
				row[sp] /= z
			}
			if tt < 2 { // stage T holds the rewards only
				tkCheckRow(t, "random-linear", m, s, a, row, 1e-12)
			}
		}
		if tt == 2 && len(m.Prob) != 0 {
			t.Errorf("stage T has %d transition entries, want none (only its rewards are read)", len(m.Prob))
		}
	}
}

// The default tensors are MFGLib's (torch.manual_seed(0), then torch.rand for r1, r2, p1, p2, each
// mapped to 20u - 10 in float32). Spot values copied from MFGLib 0.3.0.
func TestRandomLinearDefaultTensorsAreMFGLibs(t *testing.T) {
	g, err := games.NewRandomLinear(games.DefaultRandomLinearParams())
	if err != nil {
		t.Fatal(err)
	}
	r1, r2, p1, p2 := g.Tensors()
	for _, c := range []struct {
		name string
		v    []float64
		i    int
		want float64
	}{
		{"r1", r1, 0, -0.07486820220947266}, {"r1", r1, 1, 5.364436149597168}, {"r1", r1, 7, 7.92889404296875},
		{"r1", r1, 24, -1.6118335723876953}, {"r2", r2, 0, 1.058140754699707}, {"r2", r2, 24, -0.3608236312866211},
		{"p1", p1, 0, 6.395606994628906}, {"p1", p1, 124, -9.024609565734863}, {"p2", p2, 7, 7.14112663269043},
		{"p2", p2, 124, -3.3625354766845703},
	} {
		if c.v[c.i] != c.want {
			t.Errorf("%s[%d] = %v, MFGLib has %v", c.name, c.i, c.v[c.i], c.want)
		}
	}
	// A given tensor replaces only its own draws.
	mine := make([]float64, 25)
	g2, err := games.NewRandomLinear(games.RandomLinearParams{T: 3, N: 5, M: 10, R2: mine})
	if err != nil {
		t.Fatal(err)
	}
	s1, s2, q1, q2 := g2.Tensors()
	if s1[24] != r1[24] || s2[0] != 0 || q1[0] != p1[0] || q2[124] != p2[124] {
		t.Errorf("with r2 given: r1[24] = %v, r2[0] = %v, p1[0] = %v, p2[124] = %v", s1[24], s2[0], q1[0], q2[124])
	}
	// Another seed draws other tensors; m scales them.
	g3, _ := games.NewRandomLinear(games.RandomLinearParams{T: 3, N: 5, M: 10, Seed: 1})
	if a, _, _, _ := g3.Tensors(); a[0] == r1[0] {
		t.Errorf("seed 1 draws r1[0] = %v like seed 0", a[0])
	}
	g4, _ := games.NewRandomLinear(games.RandomLinearParams{T: 3, N: 5, M: 1})
	if a, _, _, _ := g4.Tensors(); math.Abs(a[0]-r1[0]/10) > 1e-6 {
		t.Errorf("m = 1: r1[0] = %v, want about %v", a[0], r1[0]/10)
	}
	// Any seed as torch: with n = 1 and m = 0.5 the tensors are u - 0.5 for the first three
	// torch.rand draws u after torch.manual_seed(seed) (values from torch 2).
	for _, c := range []struct {
		seed int64
		u    [3]float64
	}{
		{123, [3]float64{0.29611194133758545, 0.516562283039093, 0.2516707181930542}},
		{-3, [3]float64{0.6248647570610046, 0.5075611472129822, 0.01567775011062622}},
		{-1, [3]float64{0.9937993884086609, 0.5713063478469849, 0.5700080394744873}},
		{1<<40 + 5, [3]float64{0.8302518725395203, 0.12611091136932373, 0.9074696898460388}},
	} {
		g, err := games.NewRandomLinear(games.RandomLinearParams{T: 1, N: 1, M: 0.5, Seed: c.seed})
		if err != nil {
			t.Fatal(err)
		}
		a, b, p, _ := g.Tensors()
		if got := [3]float64{a[0] + 0.5, b[0] + 0.5, p[0] + 0.5}; got != c.u {
			t.Errorf("seed %d: draws %v, torch %v", c.seed, got, c.u)
		}
	}
}

// Every entry of the default tensors equals MFGLib's, read from the reference file.
func TestRandomLinearTensorsMatchReference(t *testing.T) {
	ref := tkLoadReference(t)
	g, err := games.NewRandomLinear(games.DefaultRandomLinearParams())
	if err != nil {
		t.Fatal(err)
	}
	r1, r2, p1, p2 := g.Tensors()
	for name, got := range map[string][]float64{"r1": r1, "r2": r2, "p1": p1, "p2": p2} {
		entry, ok := ref.RandomLinearTensors.Tensors[name]
		if !ok {
			t.Fatalf("reference has no random_linear tensor %q", name)
		}
		want, ok := tkNumbers(entry.Values)
		if !ok {
			t.Fatalf("reference random_linear tensor %q: values are not nested lists of numbers", name)
		}
		if len(want) != len(got) {
			t.Fatalf("%s: %d entries, reference %d", name, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s[%d] = %v, MFGLib %v", name, i, got[i], want[i])
			}
		}
	}
}

// MFGLib's float64 run in the reference upcasts the float32 mu0 = 1/5, which sums to 1 + 1.5e-8:
// hence the looser float64 tolerance. (Rerun with an exact float64 mu0, MFGLib agrees with this
// game to 2e-14 relative under all three algorithms.)
func TestRandomLinearMatchesMFGLib(t *testing.T) {
	g, err := games.NewRandomLinear(games.DefaultRandomLinearParams())
	if err != nil {
		t.Fatal(err)
	}
	tkGolden(t, tkLoadReference(t), g, "random_linear", tkGoldenTol{F64: 1e-6})
}

// randomLinearStageByFormula is the stage as the formula reads, by MDPBuilder: the reference that
// Stage's faster loops must match bit for bit.
func randomLinearStageByFormula(g *games.RandomLinear, L mfg.Population) *mfg.MDP {
	r1, r2, p1, p2 := g.Tensors()
	n := g.States()
	b := mfg.NewMDPBuilder(n, n, 0)
	for s := 0; s < n; s++ {
		for a := 0; a < n; a++ {
			r := r2[s*n+a]
			for k := 0; k < n; k++ {
				r += r1[s*n+k] * L.Mass[k*n+a]
			}
			b.MDP.Reward[s*n+a] = r
		}
	}
	logits := make([]float64, n)
	for s := 0; s < n; s++ {
		for a := 0; a < n; a++ {
			best := math.Inf(-1)
			for sp := 0; sp < n; sp++ {
				z := p2[(sp*n+s)*n+a]
				for k, c := range p1[(sp*n+s)*n : (sp*n+s+1)*n] {
					z += c * L.Mass[k*n+a]
				}
				logits[sp] = z
				best = math.Max(best, z)
			}
			var sum float64
			for sp, z := range logits {
				logits[sp] = math.Exp(z - best)
				sum += logits[sp]
			}
			for sp, e := range logits {
				b.Add(sp, e/sum)
			}
			b.EndRow()
		}
	}
	return b.MDP
}

// Stage's loops (a column of L at a time, a plain maximum, one allocation) give the formula's
// stage bit for bit, NaN and infinite populations included; stage T is the formula's rewards.
func TestRandomLinearStageMatchesFormulaBitForBit(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	for _, p := range []games.RandomLinearParams{
		games.DefaultRandomLinearParams(),
		{T: 2, N: 1, M: 3, Seed: 5},
		{T: 2, N: 7, M: 40, Seed: -3},
		// Beyond planesMaxN = 8: the row-by-row loops.
		{T: 2, N: 9, M: 40, Seed: 4},
		{T: 1, N: 11, M: 3, Seed: 6},
		// Differences of logits below -708, whose exponentials ExpInto leaves to math.Exp.
		{T: 1, N: 6, M: 1000, Seed: 9},
		{T: 1, N: 4, M: 0},
		// Zero coefficients: an infinite L(k, a) makes some logits of a row NaN (0·Inf) and
		// others infinite.
		{T: 1, N: 3, M: 1, P1: []float64{0, 1, 0, 2, 0, -1, 0, 0, 3, 1, 1, 0, 0, 2, 0, -3, 0, 1, 0, 0, 0, 1, 0, 2, 0, -1, 0}},
	} {
		g, err := games.NewRandomLinear(p)
		if err != nil {
			t.Fatal(err)
		}
		n := p.N
		for trial := 0; trial < 200; trial++ {
			L := tkRandomPopulation(rng, n, n)
			switch trial % 10 {
			case 1:
				L.Mass[rng.IntN(n*n)] = math.NaN()
			case 2:
				L.Mass[rng.IntN(n*n)] = math.Inf(1 - 2*rng.IntN(2))
			case 3:
				L.Mass[rng.IntN(n*n)] = 1e300
			case 4:
				clear(L.Mass)
			case 5:
				L.Mass[rng.IntN(n*n)] = math.NaN()
				L.Mass[rng.IntN(n*n)] = math.Inf(1 - 2*rng.IntN(2))
			}
			tt := trial % (p.T + 1)
			got, err := g.Stage(tt, L)
			if err != nil {
				t.Fatal(err)
			}
			want := randomLinearStageByFormula(g, L)
			if tt == p.T { // the rewards only
				want.RowStart, want.Next, want.Prob = make([]int, n*n+1), nil, nil
			}
			for _, c := range []struct {
				name      string
				got, want []float64
			}{{"reward", got.Reward, want.Reward}, {"prob", got.Prob, want.Prob}} {
				if len(c.got) != len(c.want) {
					t.Fatalf("%+v: %d %s entries, want %d", p, len(c.got), c.name, len(c.want))
				}
				for i := range c.got {
					// Every bit, but a NaN's payload: which of two NaNs a sum keeps depends on the
					// operand order the compiler picks (the race detector's build picks another).
					if bothNaN := c.got[i] != c.got[i] && c.want[i] != c.want[i]; !bothNaN && math.Float64bits(c.got[i]) != math.Float64bits(c.want[i]) {
						t.Fatalf("%+v, trial %d, L %v: %s[%d] = %v (%#x), want %v (%#x)", p, trial, L.Mass, c.name, i, c.got[i], math.Float64bits(c.got[i]), c.want[i], math.Float64bits(c.want[i]))
					}
				}
			}
			if !slices.Equal(got.RowStart, want.RowStart) || !slices.Equal(got.Next, want.Next) {
				t.Fatalf("%+v: rows laid out as %v %v, want %v %v", p, got.RowStart, got.Next, want.RowStart, want.Next)
			}
		}
	}
}

// BenchmarkRandomLinearStage is one stage t < T of MFGLib's default game (n = 5: 125
// exponentials), the part of an iteration the game itself costs.
func BenchmarkRandomLinearStage(b *testing.B) {
	g, err := games.NewRandomLinear(games.DefaultRandomLinearParams())
	if err != nil {
		b.Fatal(err)
	}
	L := tkRandomPopulation(rand.New(rand.NewPCG(1, 2)), 5, 5)
	for b.Loop() {
		if _, err := g.Stage(0, L); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRandomLinearWriteStage is BenchmarkRandomLinearStage as the engine calls it: stage t < T
// written into a reused *mfg.MDP (mfg.StageWriter), which allocates nothing.
func BenchmarkRandomLinearWriteStage(b *testing.B) {
	g, err := games.NewRandomLinear(games.DefaultRandomLinearParams())
	if err != nil {
		b.Fatal(err)
	}
	L := tkRandomPopulation(rand.New(rand.NewPCG(1, 2)), 5, 5)
	dst := &mfg.MDP{Reward: make([]float64, 5*5)}
	for b.Loop() {
		if err := g.WriteStage(0, L, dst); err != nil {
			b.Fatal(err)
		}
	}
}
