package algorithms

import (
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/mfg"
)

// mix agrees bit for bit (NaN as NaN) with its formula written with mfg.Population.StateMarginal
// and one row at a time, on populations with empty states (a zero denominator), NaN and ±Inf
// masses, with and without a legal-action mask.
func TestMixMatchesFormula(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	same := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) || x != x && y != y }
	value := func() float64 {
		switch rng.IntN(12) {
		case 0, 1, 2:
			return 0
		case 3:
			return math.NaN()
		case 4:
			return math.Inf(1)
		}
		return rng.Float64()
	}
	for trial := range 3000 {
		S, A := 1+rng.IntN(5), 1+rng.IntN(4)
		L, Lbr := mfg.Population{States: S, Actions: A, Mass: make([]float64, S*A)}, mfg.Population{States: S, Actions: A, Mass: make([]float64, S*A)}
		old, best := mfg.NewPolicy(S, A), mfg.NewPolicy(S, A)
		for i := range S * A {
			L.Mass[i], Lbr.Mass[i], old.Prob[i], best.Prob[i] = value(), value(), rng.Float64(), rng.Float64()
		}
		var legal []bool
		if rng.IntN(2) == 0 {
			legal = make([]bool, S*A)
			for s := range S {
				for a := range A {
					legal[s*A+a] = a == 0 || rng.IntN(2) == 0
				}
			}
		}
		alpha := []float64{0, 1, rng.Float64()}[rng.IntN(3)]
		next := make([]float64, S*A)
		mix(next, old.Prob, best.Prob, L.Mass, Lbr.Mass, alpha, legal, S, A)
		mu, mubr := L.StateMarginal(nil), Lbr.StateMarginal(nil)
		for s := range S {
			wOld, wBR := float64((1-alpha)*mu[s]), float64(alpha*mubr[s]) // rounded, as mix: no fusion under GOAMD64=v3
			den := wOld + wBR
			want := make([]float64, A)
			switch {
			case legal != nil && !(den > 0):
				mfg.UniformLegalRow(want, legal[s*A:(s+1)*A])
			case !(den > 0):
				for a := range want {
					want[a] = 1 / float64(A)
				}
			default:
				for a := range want {
					want[a] = (float64(wOld*old.Prob[s*A+a]) + float64(wBR*best.Prob[s*A+a])) / den
				}
			}
			for a := range want {
				if !same(next[s*A+a], want[a]) {
					t.Fatalf("trial %d, s = %d, a = %d: mix = %v, want %v", trial, s, a, next[s*A+a], want[a])
				}
			}
		}
	}
}

// Where the old policy's row and the best response's agree on a pure action, the mixture is that
// action, exactly: its numerator (1-α)μ(s)·1 + αμBR(s)·1 is then the denominator, each product
// rounded on its own in both. A build that fuses the denominator's first product into its sum
// (GOAMD64=v3 fuses x*y + z unless the product is converted) but not the numerator's makes them
// differ in the last bit, and the mixture 1 ± 1 ulp then breaks ties differently (conservative
// treasure hunting's fictitious play departed from MFGLib at iteration 6).
func TestMixOfAgreeingPureRowsIsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	const S, A = 64, 3
	old, best := make([]float64, S*A), make([]float64, S*A)
	mass, massBR := make([]float64, S*A), make([]float64, S*A)
	for s := range S {
		a := s % A
		old[s*A+a], best[s*A+a] = 1, 1
		mass[s*A+a], massBR[s*A+a] = rng.Float64(), rng.Float64()
	}
	next := make([]float64, S*A)
	for _, alpha := range []float64{1.0 / 3, 1.0 / 7, 0.1, rng.Float64()} {
		mix(next, old, best, mass, massBR, alpha, nil, S, A)
		for i, p := range next {
			if p != old[i] {
				t.Fatalf("α = %v, state %d, action %d: mixture %v of two rows %v", alpha, i/A, i%A, p, old[i])
			}
		}
	}
}
