package games

import (
	"math"

	"meanfield/mfg"
)

// Helpers shared by the games ported from OpenSpiel.

// openSpielFirstVisit returns, as [t][x], the previous action with which OpenSpiel's depth-first
// evaluation first reaches the decision node (x, t), t = 0..H-1, x = 0..N-1 (start for the nodes
// at t = 0, which no action reaches). OpenSpiel caches a decision node's value by a string that
// omits the previous action, so the value it keeps (and every later path reuses) is the one of
// this first visit: the initial positions roots in order (nil: 0..N-1), then, at each decision,
// actions 0..A-1 in order and, after each action, next(x, a, yield) yields the next positions in
// the order of the chance outcomes (all of them, whatever their probability: OpenSpiel expands
// them all; none for an illegal action). A node already visited is not expanded again.
// Unreachable nodes keep start.
func openSpielFirstVisit(N, H, A, start int, roots []int, next func(x, a int, yield func(y int))) [][]int {
	first := make([][]int, H)
	seen := make([][]bool, H)
	for t := range first {
		first[t], seen[t] = make([]int, N), make([]bool, N)
		for x := range first[t] {
			first[t][x] = start
		}
	}
	var visit func(x, t, last int)
	visit = func(x, t, last int) {
		if t >= H || seen[t][x] {
			return
		}
		seen[t][x], first[t][x] = true, last
		for a := 0; a < A; a++ {
			next(x, a, func(y int) { visit(y, t+1, a) })
		}
	}
	if roots == nil {
		for x := 0; x < N; x++ {
			visit(x, 0, start)
		}
	}
	for _, x := range roots {
		visit(x, 0, start)
	}
	return first
}

// mergedRow sums a transition row's outcomes by next state, keeping the states in the order they
// first appear (OpenSpiel adds chance outcomes in their order), and writes the row to a builder.
type mergedRow struct {
	mass   []float64
	listed []bool
	order  []int
}

// newMergedRow returns a mergedRow over the given number of states, with room for outcomes
// distinct next states.
func newMergedRow(states, outcomes int) *mergedRow {
	return &mergedRow{mass: make([]float64, states), listed: make([]bool, states), order: make([]int, 0, outcomes)}
}

// add adds probability w to next state y.
func (r *mergedRow) add(y int, w float64) {
	if !r.listed[y] {
		r.order, r.listed[y] = append(r.order, y), true
	}
	r.mass[y] += w
}

// flush adds the row's states of non-zero mass to b in their order, ends the row and clears r.
func (r *mergedRow) flush(b *mfg.MDPBuilder) {
	for _, y := range r.order {
		if r.mass[y] != 0 {
			b.Add(y, r.mass[y])
		}
		r.mass[y], r.listed[y] = 0, false
	}
	r.order = r.order[:0]
	b.EndRow()
}

// numpySum is np.sum of a float64 array: numpy's pairwise summation (blocks of at most 128
// summed with 8 interleaved accumulators, halves split at a multiple of 8), so that the games
// computing a sum with numpy round it as OpenSpiel does.
func numpySum(a []float64) float64 {
	n := len(a)
	switch {
	case n < 8:
		res := 0.0
		for _, x := range a {
			res += x
		}
		return res
	case n <= 128:
		var r [8]float64
		copy(r[:], a[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			for j := range r {
				r[j] += a[i+j]
			}
		}
		res := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			res += a[i]
		}
		return res
	}
	n2 := n / 2
	n2 -= n2 % 8
	return numpySum(a[:n2]) + numpySum(a[n2:])
}

// ndtr is the standard normal distribution function Φ(x) as scipy's ndtr (Cephes) computes it:
// 1/2 + erf(x/√2)/2 near 0, erfc(|x|/√2)/2 in the tails.
func ndtr(x float64) float64 {
	z := x * (1 / math.Sqrt2)
	if math.Abs(z) < 1/math.Sqrt2 {
		return 0.5 + 0.5*math.Erf(z)
	}
	y := 0.5 * math.Erfc(math.Abs(z))
	if z > 0 {
		y = 1 - y
	}
	return y
}

// statePositions is m̄ = Σ_x x μ(x) for μ the state marginal of L, summed as numpy does.
func statePositions(L mfg.Population) float64 {
	mu := L.StateMarginal(nil)
	for x := range mu {
		mu[x] *= float64(x)
	}
	return numpySum(mu)
}
