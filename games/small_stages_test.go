package games

import (
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/internal/fastmath"
	"meanfield/mfg"
)

// randomMasses fills m with entries drawn from ordinary masses and the edge cases a stage must
// carry through as it did: signed zeros, tiny, huge, infinite and NaN values.
func randomMasses(rng *rand.Rand, m []float64) {
	edge := []float64{0, math.Copysign(0, -1), 5e-324, 1e-300, 1e300, math.Inf(1), math.Inf(-1), math.NaN(), -0.25}
	for i := range m {
		if rng.IntN(4) == 0 {
			m[i] = edge[rng.IntN(len(edge))]
		} else {
			m[i] = rng.Float64()
		}
	}
}

// wantBits fails t unless got and want hold the same float64s bit for bit.
func wantBits(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if ok, i := sameBits(got, want); !ok {
		t.Fatalf("%s: entry %d differs: %v, want %v", what, i, got, want)
	}
}

// TestBeachBarWriteStageAsStateMass holds BeachBar.WriteStage, whose state masses are sums of three
// unrolled, to the general path: r(s, a) = fixed(s, a) - log(stateMass(L, s) + log-eps), the
// logarithms by fastmath.LogInto, bit for bit, on random populations with edge-case entries.
func TestBeachBarWriteStageAsStateMass(t *testing.T) {
	rng := rand.New(rand.NewPCG(511, 512))
	for trial := 0; trial < 500; trial++ {
		n := 1 + rng.IntN(9)
		g, err := NewBeachBar(BeachBarParams{T: 1, N: n, BarLoc: rng.IntN(n), LogEps: 1e-20, PStill: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		L := mfg.Population{States: n, Actions: 3, Mass: make([]float64, 3*n)}
		randomMasses(rng, L.Mass)
		lg := make([]float64, n)
		for s := range lg {
			lg[s] = stateMass(L, s) + g.p.LogEps
		}
		fastmath.LogInto(lg, lg)
		want := make([]float64, 3*n)
		for i := range want {
			want[i] = g.fixed[i] + -lg[i/3]
		}
		st, err := g.Stage(0, L)
		if err != nil {
			t.Fatal(err)
		}
		wantBits(t, "beach-bar rewards", st.Reward, want)
	}
}

// TestEquilibriumPriceWriteStageAsFormula holds EquilibriumPrice.WriteStage to its formula written
// out, r = fixed + p_t q with p_t = (d / (Σ L q + e0))^(1/σ), bit for bit, on random populations
// with edge-case entries.
func TestEquilibriumPriceWriteStageAsFormula(t *testing.T) {
	rng := rand.New(rand.NewPCG(513, 514))
	for trial := 0; trial < 300; trial++ {
		p := DefaultEquilibriumPriceParams()
		p.SInv, p.Q, p.H, p.Sigma = rng.IntN(4), rng.IntN(4), rng.IntN(4), 0.5+rng.Float64()
		g, err := NewEquilibriumPrice(p)
		if err != nil {
			t.Fatal(err)
		}
		S, A := p.SInv+1, (p.Q+1)*(p.H+1)
		L := mfg.Population{States: S, Actions: A, Mass: make([]float64, S*A)}
		randomMasses(rng, L.Mass)
		var produced float64
		for i, x := range L.Mass {
			produced += x * float64(i%A/(p.H+1))
		}
		price := math.Pow(p.D/(produced+p.E0), 1/p.Sigma)
		if got := g.Price(L); math.Float64bits(got) != math.Float64bits(price) {
			t.Fatalf("price %v, want %v", got, price)
		}
		want := make([]float64, S*A)
		for i := range want {
			want[i] = g.fixed[i] + float64(price*float64(i%A/(p.H+1)))
		}
		st, err := g.Stage(0, L)
		if err != nil {
			t.Fatal(err)
		}
		wantBits(t, "equilibrium-price rewards", st.Reward, want)
	}
}

// TestLeftRightAndRockPaperScissorsWriteStageAsFormula holds the two games' stages, whose rows are
// written out entry by entry, to their formulas by state (from stateMass), bit for bit, on random
// populations with edge-case entries.
func TestLeftRightAndRockPaperScissorsWriteStageAsFormula(t *testing.T) {
	rng := rand.New(rand.NewPCG(515, 516))
	lr, err := NewLeftRight(DefaultLeftRightParams())
	if err != nil {
		t.Fatal(err)
	}
	rps, err := NewRockPaperScissors(DefaultRockPaperScissorsParams())
	if err != nil {
		t.Fatal(err)
	}
	for trial := 0; trial < 300; trial++ {
		L := mfg.Population{States: 3, Actions: 2, Mass: make([]float64, 6)}
		randomMasses(rng, L.Mass)
		mu1, mu2 := stateMass(L, 1), stateMass(L, 2)
		st, err := lr.Stage(0, L)
		if err != nil {
			t.Fatal(err)
		}
		wantBits(t, "left-right rewards", st.Reward, []float64{0, 0, -mu1, -mu1, -2 * mu2, -2 * mu2})

		L = mfg.Population{States: 4, Actions: 3, Mass: make([]float64, 12)}
		randomMasses(rng, L.Mass)
		mu1, mu2, mu3 := stateMass(L, 1), stateMass(L, 2), stateMass(L, 3)
		byState := [4]float64{0, 2*mu3 - mu2, 4*mu1 - 2*mu3, 6*mu2 - 3*mu1}
		want := make([]float64, 12)
		for i := range want {
			want[i] = byState[i/3]
		}
		if st, err = rps.Stage(0, L); err != nil {
			t.Fatal(err)
		}
		wantBits(t, "rock-paper-scissors rewards", st.Reward, want)
	}
}
