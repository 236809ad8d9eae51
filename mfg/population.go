package mfg

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
)

// Population is a state-action distribution L on S×A, stored row-major: Mass[s*Actions+a] = L(s, a).
type Population struct {
	States, Actions int
	Mass            []float64
}

// NewPopulation returns the zero measure on S×A (not yet a distribution).
func NewPopulation(states, actions int) Population {
	return Population{States: states, Actions: actions, Mass: make([]float64, states*actions)}
}

// UniformPopulation returns the uniform distribution on S×A.
func UniformPopulation(states, actions int) Population {
	L := NewPopulation(states, actions)
	w := 1 / float64(states*actions)
	for i := range L.Mass {
		L.Mass[i] = w
	}
	return L
}

// PopulationFromStates returns L(s, a) = μ(s) π(a|s).
func PopulationFromStates(mu []float64, pi Policy) Population {
	L := NewPopulation(pi.States, pi.Actions)
	for s, m := range mu {
		row := pi.Row(s)
		for a, p := range row {
			L.Mass[s*pi.Actions+a] = m * p
		}
	}
	return L
}

// At returns L(s, a).
func (L Population) At(s, a int) float64 { return L.Mass[s*L.Actions+a] }

// Clone returns a deep copy.
func (L Population) Clone() Population {
	return Population{States: L.States, Actions: L.Actions, Mass: append([]float64(nil), L.Mass...)}
}

// StateMarginal returns μ(s) = Σ_a L(s, a), written into dst when it has the right length.
func (L Population) StateMarginal(dst []float64) []float64 {
	dst = resize(dst, L.States)
	for s := range dst {
		var m float64
		for _, x := range L.Mass[s*L.Actions : (s+1)*L.Actions] {
			m += x
		}
		dst[s] = m
	}
	return dst
}

// ActionMarginal returns α(a) = Σ_s L(s, a), written into dst when it has the right length.
func (L Population) ActionMarginal(dst []float64) []float64 {
	dst = resize(dst, L.Actions)
	clear(dst)
	for s := 0; s < L.States; s++ {
		for a, x := range L.Mass[s*L.Actions : (s+1)*L.Actions] {
			dst[a] += x
		}
	}
	return dst
}

// Validate reports whether L is a probability distribution on S×A: the right length, finite
// non-negative entries, total mass 1 within 1e-9.
func (L Population) Validate() error {
	if L.States < 1 || L.Actions < 1 {
		return fmt.Errorf("population: states = %d, actions = %d: both must be at least 1", L.States, L.Actions)
	}
	if len(L.Mass) != L.States*L.Actions {
		return fmt.Errorf("population: %d entries, want states*actions = %d", len(L.Mass), L.States*L.Actions)
	}
	return checkDistribution("population", L.Mass)
}

// L1Distance returns Σ |x_i - y_i|, summed from left to right (gonum's floats.Distance with L = 1).
// It panics if the lengths differ, as gonum's floats does.
func L1Distance(x, y []float64) float64 {
	mustSameLength(x, y)
	return floats.Distance(x, y, 1)
}

// Distances returns L1Distance(x, y) and LInfDistance(x, y), bit for bit, in one pass.
func Distances(x, y []float64) (l1, linf float64) {
	mustSameLength(x, y)
	for i, v := range x {
		a := math.Abs(v - y[i])
		l1 += a
		if a > linf {
			linf = a
		} else if a != a {
			linf = math.NaN()
			break
		}
	}
	if linf != linf {
		return L1Distance(x, y), linf
	}
	return l1, linf
}

// LInfDistance returns max |x_i - y_i|, or NaN if any difference is NaN (gonum's floats.Distance
// with L = +Inf skips NaN differences, so that values gone NaN could pass a convergence test).
func LInfDistance(x, y []float64) float64 {
	mustSameLength(x, y)
	var d float64
	for i, v := range x {
		// Plain comparisons: math.Max's NaN and signed-zero cases cost in this loop; a NaN
		// difference fails every comparison and is caught by the second.
		if a := math.Abs(v - y[i]); a > d {
			d = a
		} else if a != a {
			return math.NaN()
		}
	}
	return d
}

func mustSameLength(x, y []float64) {
	if len(x) != len(y) {
		panic(fmt.Sprintf("mfg: length mismatch %d != %d", len(x), len(y)))
	}
}

func resize(dst []float64, n int) []float64 {
	if len(dst) != n {
		return make([]float64, n)
	}
	return dst
}

// distributionTolerance is how far from 1 a total probability may be, to absorb rounding.
const distributionTolerance = 1e-9

// checkDistribution reports the first entry that is negative or not finite, or a total away from 1.
func checkDistribution(what string, p []float64) error {
	var sum float64
	for i, x := range p {
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			return fmt.Errorf("%s: entry %d = %v: must be a finite non-negative probability", what, i, x)
		}
		sum += x
	}
	if math.Abs(sum-1) > distributionTolerance {
		return fmt.Errorf("%s: entries sum to %.12g, want 1", what, sum)
	}
	return nil
}

// CheckDistribution reports whether p is a probability vector (finite, non-negative, summing to 1
// within 1e-9); the error names what using the given label.
func CheckDistribution(what string, p []float64) error {
	if len(p) == 0 {
		return fmt.Errorf("%s: empty distribution", what)
	}
	return checkDistribution(what, p)
}
