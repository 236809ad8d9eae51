package games

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"meanfield/mfg"
)

// matVecRowMajor is the kernel as it was before interleaveRows: out[y] = Σ_z c[y·S + z]·μ[z]
// in z order on the row-major block, one row at a time.
func matVecRowMajor(c []float32, mu, out []float64) {
	S := len(mu)
	for y := range S {
		s := 0.0
		for z, m := range mu {
			s += float64(float64(c[y*S+z]) * m)
		}
		out[y] = s
	}
}

// garnetFloat32 is a float32 of C's kind (a standard normal) or, now and then, a zero, a
// negative zero, a subnormal or a large number.
func garnetFloat32(rng *rand.Rand) float32 {
	switch rng.IntN(20) {
	case 0:
		return 0
	case 1:
		return float32(math.Copysign(0, -1))
	case 2:
		return 1e-42
	case 3:
		return 3e38
	}
	return float32(rng.NormFloat64())
}

// garnetMu is a marginal of S numbers: mostly a distribution's, with zeros, subnormals, and when
// special, infinities and NaNs of two payloads.
func garnetMu(rng *rand.Rand, S int, special bool) []float64 {
	mu := make([]float64, S)
	for z := range mu {
		mu[z] = rng.Float64() / float64(S)
		switch k := rng.IntN(25); {
		case k == 0:
			mu[z] = 0
		case k == 1:
			mu[z] = 5e-324
		case special && k == 2:
			mu[z] = math.Inf(1 - 2*rng.IntN(2))
		case special && k == 3:
			mu[z] = math.Float64frombits(0x7ff8000000000001 + uint64(rng.IntN(2)))
		}
	}
	return mu
}

// sameBitsOrNaNs reports that a and b have the same bits where either is a number.
func sameBitsOrNaNs(a, b []float64) bool {
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) && (a[i] == a[i] || b[i] == b[i]) {
			return false
		}
	}
	return true
}

// The grouped kernel on interleaved blocks (AVX where there is, then the Go tail rows) gives the
// row-major in-order sums' bits, for sizes with and without a tail, on random blocks and
// marginals with zeros, subnormals, infinities and NaNs (NaNs equal to NaNs: which NaN a sum of
// two keeps is the compiler's choice of operands).
func TestMFGarnetMatVecGroupedMatchesRowMajor(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 1))
	for trial := range 400 {
		S := 1 + rng.IntN(40)
		if trial < 4 {
			S = 100 + trial
		}
		blocks := 1 + rng.IntN(3)
		c := make([]float32, blocks*S*S)
		for i := range c {
			c[i] = garnetFloat32(rng)
		}
		lay := slices.Clone(c)
		interleaveRows(lay, S)
		mu := garnetMu(rng, S, trial%3 == 0)
		for k := range blocks {
			want, got, goGot := make([]float64, S), make([]float64, S), make([]float64, S)
			matVecRowMajor(c[k*S*S:(k+1)*S*S], mu, want)
			matVecGrouped(lay[k*S*S:(k+1)*S*S], mu, got)
			q := S &^ 3
			matVecGroupsGo(lay[k*S*S:][:q*S], mu, goGot[:q])
			copy(goGot[q:], want[q:])
			if !sameBitsOrNaNs(got, want) || !sameBitsOrNaNs(goGot, want) {
				t.Fatalf("trial %d, S = %d, block %d: grouped %v, Go %v, row-major %v", trial, S, k, got, goGot, want)
			}
			if trial%3 != 0 {
				if ok, y := sameBits(got, want); !ok {
					t.Fatalf("trial %d, S = %d: out[%d] = %v, row-major %v", trial, S, y, got[y], want[y])
				}
			}
		}
	}
}

// On a machine with AVX the kernel is in use: its probe passed.
func TestMFGarnetMatVecAVXOn(t *testing.T) {
	if hasAVXForGarnet() && !garnetAVX {
		t.Fatal("the processor has AVX but matVecGroupsAVX failed its probe")
	}
}

// MDP asked twice at one marginal gives equal MDPs that share no storage (a caller changing one
// does not change the next), and the same bits as an MDP built afresh; another marginal in
// between, then the first again, still gives those bits.
func TestMFGarnetMDPKeepsTheLast(t *testing.T) {
	g := mfGarnetCase(t, 13, 3, 4, 64, 5, "potential", "additive", "additive")
	fresh := mfGarnetCase(t, 13, 3, 4, 64, 5, "potential", "additive", "additive")
	rng := rand.New(rand.NewPCG(3, 4))
	L := mfg.NewPopulation(13, 3)
	sum := 0.0
	for i := range L.Mass {
		L.Mass[i] = rng.Float64()
		sum += L.Mass[i]
	}
	for i := range L.Mass {
		L.Mass[i] /= sum
	}
	other := g.InitialPopulation()
	want, err := fresh.MDP(L)
	if err != nil {
		t.Fatal(err)
	}
	var first *mfg.MDP
	for k, at := range []mfg.Population{L, L, other, L, L} {
		m, err := g.MDP(at)
		if err != nil {
			t.Fatal(err)
		}
		if k == 2 {
			continue
		}
		if k == 0 {
			first = m
		}
		if ok, i := sameBits(m.Reward, want.Reward); !ok || !slices.Equal(m.Next, want.Next) || !slices.Equal(m.RowStart, want.RowStart) {
			t.Fatalf("call %d: MDP differs from a fresh one's (reward %d)", k, i)
		}
		if ok, i := sameBits(m.Prob, want.Prob); !ok {
			t.Fatalf("call %d: probability %d = %v, fresh %v", k, i, m.Prob[i], want.Prob[i])
		}
		if k > 0 && (&m.Prob[0] == &first.Prob[0] || &m.Reward[0] == &first.Reward[0] || &m.Next[0] == &first.Next[0]) {
			t.Fatalf("call %d shares storage with the first", k)
		}
		m.Reward[0], m.Prob[0], m.Next[0] = 99, 99, 0 // must not reach the next call
	}
}

// BenchmarkMFGarnetBuild is MDP without the kept last MDP: a build at every call.
func BenchmarkMFGarnetBuild(b *testing.B) {
	g := newMFGarnet(DefaultMFGarnetParams())
	L := g.InitialPopulation()
	for b.Loop() {
		if _, err := g.build(L.StateMarginal(nil)); err != nil {
			b.Fatal(err)
		}
	}
}

// quantiseAtomByAtom is quantise as it was: each atom's quantile computed, and the states walked
// until the cdf passes it.
func quantiseAtomByAtom(p []float64, N int, counts []int) {
	clear(counts)
	y, cdf := 0, p[0]
	for n := 0; n < N; n++ {
		u := (float64(n) + 0.5) / float64(N)
		for cdf <= u && y < len(p)-1 {
			y++
			cdf += p[y]
		}
		counts[y]++
	}
}

// quantise, walking the states, counts the atoms as the walk atom by atom does, on random
// distributions (with zeros, rows summing to less or more than 1, a NaN or an infinity now and
// then) of 2 to 120 states and 2 to 200 atoms, with the game's atoms table.
func TestMFGarnetQuantiseMatchesAtomByAtom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 20000 {
		S, N := 2+rng.IntN(119), 2+rng.IntN(199)
		p, sum := make([]float64, S), 0.0
		for y := range p {
			if rng.IntN(3) > 0 {
				p[y] = rng.Float64()
				sum += p[y]
			}
		}
		scale := []float64{1, 0.97, 1.03, 1e-3}[rng.IntN(4)]
		for y := range p {
			p[y] = p[y] / sum * scale
		}
		switch rng.IntN(50) {
		case 0:
			p[rng.IntN(S)] = math.NaN()
		case 1:
			p[rng.IntN(S)] = math.Inf(1)
		case 2:
			clear(p)
		}
		g := newMFGarnetAtoms(N)
		got, want := make([]int, S), make([]int, S)
		quantise(p, g, got)
		quantiseAtomByAtom(p, N, want)
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d (S = %d, N = %d): counts %v, atom by atom %v", trial, S, N, got, want)
		}
	}
}

// newMFGarnetAtoms is the quantiles (n + 0.5)/N as newMFGarnet tabulates them.
func newMFGarnetAtoms(N int) []float64 {
	p := DefaultMFGarnetParams()
	p.States, p.Actions, p.Noises, p.Branching = 2, 1, N, 1
	return newMFGarnet(p).atoms
}

// BenchmarkMFGarnetMatVec is the S·A products C[s,a]·μ of one MDP at the defaults.
func BenchmarkMFGarnetMatVec(b *testing.B) {
	g := newMFGarnet(DefaultMFGarnetParams())
	S, A := g.params.States, g.params.Actions
	mu := g.InitialPopulation().StateMarginal(nil)
	out := make([]float64, S)
	for b.Loop() {
		for i := range S * A {
			matVecGrouped(g.c[i*S*S:(i+1)*S*S], mu, out)
		}
	}
}

// Solves sharing one game ask its MDP at once: each gets the MDP of its own population (run
// with -race, the kept MDP is read and replaced under its lock).
func TestMFGarnetMDPSharedAtOnce(t *testing.T) {
	g := mfGarnetCase(t, 9, 2, 3, 32, 2, "cyclic", "multiplicative", "additive")
	fresh := mfGarnetCase(t, 9, 2, 3, 32, 2, "cyclic", "multiplicative", "additive")
	pops := []mfg.Population{g.InitialPopulation(), popOnStatesOf([]float64{0.2, 0.1, 0, 0.3, 0.1, 0.1, 0.05, 0.05, 0.1}, 2)}
	var want [2]*mfg.MDP
	for k, L := range pops {
		var err error
		if want[k], err = fresh.MDP(L); err != nil {
			t.Fatal(err)
		}
	}
	errs := make(chan string, 2)
	for k := range 2 {
		go func() {
			for range 50 {
				m, err := g.MDP(pops[k])
				if err != nil {
					errs <- err.Error()
					return
				}
				if ok, _ := sameBits(m.Prob, want[k].Prob); !ok || !slices.Equal(m.Next, want[k].Next) || !slices.Equal(m.Reward, want[k].Reward) {
					errs <- "an MDP of the other population"
					return
				}
			}
			errs <- ""
		}()
	}
	for range 2 {
		if e := <-errs; e != "" {
			t.Fatal(e)
		}
	}
}
