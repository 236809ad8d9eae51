// Package alias draws from a finite discrete distribution in constant time by Walker's alias
// method (Vose's numerically stable construction).
//
// A Table for weights w_0..w_{n-1} holds, for each column i, a threshold prob[i] and an alias[i].
// A draw picks a column uniformly and keeps it with probability prob[i], else takes its alias, so
// P(i) = (prob[i] + Σ_{j: alias[j]=i} (1-prob[j])) / n = w_i / Σ w.
package alias

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Table is an alias table. It is read-only after New and safe for concurrent draws.
type Table struct {
	cols []column
	n    float64
}

// column i keeps i when the fraction of the scaled uniform is below prob, else takes alias; the
// two sit together so that a draw reads one cache line.
type column struct {
	prob  float64
	alias int
}

// New builds a table for non-negative weights with a positive finite sum.
func New(weights []float64) (*Table, error) {
	n := len(weights)
	if n == 0 {
		return nil, fmt.Errorf("alias: no weights")
	}
	var total float64
	for i, w := range weights {
		if !(w >= 0) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("alias: weight %d = %v: must be finite and non-negative", i, w)
		}
		total += w
	}
	if !(total > 0) || math.IsInf(total, 0) {
		return nil, fmt.Errorf("alias: weights sum to %v: must be positive and finite", total)
	}
	t := &Table{cols: make([]column, n), n: float64(n)}
	scaled := make([]float64, n)
	var small, large []int
	for i, w := range weights {
		scaled[i] = w * float64(n) / total
		if scaled[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		l := small[len(small)-1]
		small = small[:len(small)-1]
		g := large[len(large)-1]
		t.cols[l] = column{prob: scaled[l], alias: g}
		scaled[g] = (scaled[g] + scaled[l]) - 1
		if scaled[g] < 1 {
			large = large[:len(large)-1]
			small = append(small, g)
		}
	}
	// What remains has scaled weight 1 up to rounding: keep it always.
	for _, i := range append(small, large...) {
		t.cols[i] = column{prob: 1, alias: i}
	}
	return t, nil
}

// Len is the number of outcomes.
func (t *Table) Len() int { return len(t.cols) }

// Draw returns outcome i with probability w_i / Σ w, using one Float64 of rng: it is
// Pick(rng.Float64()).
func (t *Table) Draw(rng *rand.Rand) int { return t.Pick(rng.Float64()) }

// Pick is the outcome of the uniform u in [0, 1): the integer part of u·n picks the column and the
// fractional part decides between the column and its alias. A caller that draws u itself (several
// draws in a row, say) gets exactly Draw's outcomes; Pick is small enough to be inlined.
func (t *Table) Pick(u float64) int {
	u *= t.n
	i := min(int(u), len(t.cols)-1) // min guards the rounding of u·n up to n
	c := t.cols[i]
	if u-float64(i) < c.prob {
		return i
	}
	return c.alias
}
