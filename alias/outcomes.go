package alias

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
)

// Outcomes is an alias table whose columns hold the outcomes themselves, of any type T, and whose
// draws take one uint64: a draw reads one column and needs no float arithmetic and no branch. It
// is read-only after NewOutcomes and safe for concurrent draws.
//
// For x uniform on [0, 2^64), x·n = hi·2^64 + lo picks column hi (each with probability 1/n
// within 2^-64) and keeps its outcome when lo < cut, cut = floor(prob·2^64): lo given hi runs over
// [0, 2^64) in steps of n, so that happens with probability prob within n·2^-64. Table.Pick's
// float64 u·n resolves the same fraction only to n·2^-53.
type Outcomes[T any] struct {
	cols []outcomeColumn[T]
	n    uint64
}

// outcomeColumn keeps outs[1] when lo < cut, else takes its alias outs[0].
type outcomeColumn[T any] struct {
	cut  uint64
	outs [2]T
}

// NewOutcomes builds a table that draws outcomes[i] with probability weights[i] / Σ weights, for
// non-negative weights with a positive finite sum (as New).
func NewOutcomes[T any](weights []float64, outcomes []T) (*Outcomes[T], error) {
	if len(outcomes) != len(weights) {
		return nil, fmt.Errorf("alias: %d outcomes for %d weights", len(outcomes), len(weights))
	}
	t, err := New(weights)
	if err != nil {
		return nil, err
	}
	o := &Outcomes[T]{cols: make([]outcomeColumn[T], len(t.cols)), n: uint64(len(t.cols))}
	for i, c := range t.cols {
		cut := uint64(math.MaxUint64) // prob = 1 (2^64 is out of range); its alias is itself
		if c.prob < 1 {
			cut = uint64(math.Ldexp(c.prob, 64))
		}
		o.cols[i] = outcomeColumn[T]{cut: cut, outs: [2]T{outcomes[c.alias], outcomes[i]}}
	}
	return o, nil
}

// Len is the number of outcomes.
func (t *Outcomes[T]) Len() int { return len(t.cols) }

// Draw returns an outcome drawn from rng: Pick(rng.Uint64()).
func (t *Outcomes[T]) Draw(rng *rand.Rand) T { return t.Pick(rng.Uint64()) }

// Pick is the outcome of x uniform on [0, 2^64). The choice between column and alias is the
// borrow of lo - cut, an index rather than a branch: which one is taken is a coin toss that a
// branch predictor would lose, at a cost of about the rest of the draw.
func (t *Outcomes[T]) Pick(x uint64) T {
	hi, lo := bits.Mul64(x, t.n)
	c := &t.cols[hi]
	_, keep := bits.Sub64(lo, c.cut, 0) // 1 iff lo < cut
	return c.outs[keep&1]
}
