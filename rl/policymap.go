package rl

import (
	"fmt"
	"math"

	"meanfield/internal/fastmath"
	"meanfield/mfg"
)

// Softmax writes softmax_c(x)_i = exp(c x_i) / Σ_j exp(c x_j) into dst. It subtracts max x before
// exponentiating, so it is finite for any finite x and c >= 0: as c grows it tends to argmax-e.
func Softmax(dst, x []float64, c float64) {
	best := math.Inf(-1)
	for _, v := range x {
		best = max(best, v) // the builtin: math.Max's NaN and ±0 rules, inlined
	}
	var sum float64
	for i, v := range x {
		z := c * (v - best)
		if math.IsNaN(z) { // c = 0 times an overflowed spread: c = 0 means uniform
			z = 0
		}
		e := 0.0 // e^z for z < underflowBelow, as fastmath.Exp gives it, without the call
		if z >= underflowBelow {
			e = fastmath.Exp(z)
		}
		dst[i] = e
		sum += e
	}
	for i := range dst {
		dst[i] /= sum
	}
}

// underflowBelow is a bound under which e^z rounds to +0 in float64: e^-746 < 2^-1075, half the
// least subnormal. math.Exp and fastmath.Exp (which calls it below -690) return +0 there; the
// softmaxes skip the call for the weights of actions far behind the best, common once a policy
// has settled.
const underflowBelow = -746

// PriorSoftmax writes dst(a) ∝ prior(a) exp(c x(a)) (prior descent's update), subtracting the
// largest x over the actions the prior allows, so that the others cannot drive the rest to
// underflow. The actions whose value equals that largest one, infinite values included, weigh
// their prior (exp(0) = 1); actions the prior rules out get 0. When no mass is left (NaN values,
// or c·(x − best) undefined, as with c = 0 and an infinite spread), the row falls back to uniform.
func PriorSoftmax(dst, x []float64, c float64, prior []float64) {
	n := len(x)
	dst, prior = dst[:n], prior[:n] // one bounds check each, not one per action
	best := priorBest(x, prior)
	var sum float64
	for a, v := range x {
		var e float64
		switch p := prior[a]; {
		case p == 0: // exp may overflow for a ruled-out action, and 0·Inf is NaN
		case v == best: // e^0 = 1 exactly, and ties for the best are common
			e = p
		case c*(v-best) < underflowBelow: // e^z = +0, as fastmath.Exp gives it, without the call
			e = p * 0
		default:
			e = p * fastmath.Exp(c*(v-best))
		}
		dst[a] = e
		sum += e
	}
	if !(sum > 0) {
		for a := range dst {
			dst[a] = 1 / float64(n)
		}
		return
	}
	for a := range dst {
		dst[a] /= sum
	}
}

// ArgmaxE writes argmax-e(x) into dst: equal mass on every maximiser (exact ties), 0 elsewhere.
func ArgmaxE(dst, x []float64) { ArgmaxERows(dst, x, len(x)) }

// ArgmaxERows writes argmax-e of each row x[i:i+A] (i = 0, A, 2A, ... while i+A <= len(x)) into
// dst[i:i+A], as ArgmaxE does row by row (1/n on each of the row's n maximisers, the first maximum
// found by >, ties by ==), and reports whether it changed a bit of dst. One call for a table spares
// a call per row, and the report the comparison of a row written aside with the last one. A <= 0
// writes nothing.
func ArgmaxERows(dst, x []float64, A int) (changed bool) {
	if A <= 0 {
		return false
	}
	if len(dst) < len(x) { // as ArgmaxE's index past dst did; slicing would reach into its capacity
		panic(fmt.Sprintf("rl: argmax-e of %d values into %d", len(x), len(dst)))
	}
	dst = dst[:len(x)]
	switch A { // the rows of two and three actions unrolled, where the loops' control costs most
	case 2:
		return argmaxERows2(dst, x) != 0
	case 3:
		return argmaxERows3(dst, x) != 0
	case 5: // four rows at a time, branch-free, where the processor has AVX
		return argmaxERows5(dst, x) != 0
	}
	return argmaxERowsGo(dst, x, A) != 0
}

// argmaxERowsGo is ArgmaxERows on rows of A >= 1 actions (len(dst) = len(x)), returning the bits
// that differ.
func argmaxERowsGo(dst, x []float64, A int) (diff uint64) {
	dst = dst[:len(x)]
	// Indices rather than each row sliced, which costs more than a short row's arithmetic.
	for i := 0; i+A <= len(x); i += A {
		end := i + A
		best := math.Inf(-1)
		count := 0
		for k := i; k < end; k++ {
			best, count = argmaxStep(x[k], best, count)
		}
		w := 1 / float64(count)
		for k := i; k < end; k++ {
			y := argmaxShare(x[k], best, w)
			diff |= math.Float64bits(dst[k]) ^ math.Float64bits(y)
			dst[k] = y
		}
	}
	return diff
}

// argmaxERows2 is ArgmaxERows with A = 2, returning the bits that differ.
func argmaxERows2(dst, x []float64) (diff uint64) {
	dst = dst[:len(x)]
	for i := 0; i+1 < len(x); i += 2 {
		v0, v1 := x[i], x[i+1]
		best, count := argmaxStep(v0, math.Inf(-1), 0)
		best, count = argmaxStep(v1, best, count)
		w := 1 / float64(count)
		y0, y1 := argmaxShare(v0, best, w), argmaxShare(v1, best, w)
		diff |= (math.Float64bits(dst[i]) ^ math.Float64bits(y0)) | (math.Float64bits(dst[i+1]) ^ math.Float64bits(y1))
		dst[i], dst[i+1] = y0, y1
	}
	return diff
}

// argmaxERows3 is ArgmaxERows with A = 3, returning the bits that differ.
func argmaxERows3(dst, x []float64) (diff uint64) {
	dst = dst[:len(x)]
	for i := 0; i+2 < len(x); i += 3 {
		v0, v1, v2 := x[i], x[i+1], x[i+2]
		best, count := argmaxStep(v0, math.Inf(-1), 0)
		best, count = argmaxStep(v1, best, count)
		best, count = argmaxStep(v2, best, count)
		w := 1 / float64(count)
		y0, y1, y2 := argmaxShare(v0, best, w), argmaxShare(v1, best, w), argmaxShare(v2, best, w)
		diff |= (math.Float64bits(dst[i]) ^ math.Float64bits(y0)) | (math.Float64bits(dst[i+1]) ^ math.Float64bits(y1)) |
			(math.Float64bits(dst[i+2]) ^ math.Float64bits(y2))
		dst[i], dst[i+1], dst[i+2] = y0, y1, y2
	}
	return diff
}

// argmaxStep is argmax-e's scan at the value v: the first maximum found by >, ties counted by ==.
func argmaxStep(v, best float64, count int) (float64, int) {
	switch {
	case v > best:
		return v, 1
	case v == best:
		return best, count + 1
	}
	return best, count
}

// argmaxShare is argmax-e's mass at the value v: w on a maximiser, 0 elsewhere.
func argmaxShare(v, best, w float64) float64 {
	if v == best {
		return w
	}
	return 0
}

// SoftmaxPolicy returns π(·|s) = softmax_c(Q(s,·)) for every state.
func SoftmaxPolicy(q []float64, states, actions int, c float64) mfg.Policy {
	pi := mfg.NewPolicy(states, actions)
	for s := 0; s < states; s++ {
		Softmax(pi.Row(s), q[s*actions:(s+1)*actions], c)
	}
	return pi
}

// GreedyPolicy returns π(·|s) = argmax-e(Q(s,·)) for every state.
func GreedyPolicy(q []float64, states, actions int) mfg.Policy {
	pi := mfg.NewPolicy(states, actions)
	ArgmaxERows(pi.Prob, q[:states*actions], actions)
	return pi
}

// GreedyPolicyWithin is GreedyPolicy with ties up to a tolerance: equal mass on every action whose
// value is within tol·max(1, |max|) of the row's maximum (tol = 0 is GreedyPolicy).
func GreedyPolicyWithin(q []float64, states, actions int, tol float64) mfg.Policy {
	if tol == 0 {
		return GreedyPolicy(q, states, actions)
	}
	pi := mfg.NewPolicy(states, actions)
	for s := 0; s < states; s++ {
		row, dst := q[s*actions:(s+1)*actions], pi.Row(s)
		best := math.Inf(-1)
		for _, x := range row {
			if x > best {
				best = x
			}
		}
		cut := best - tol*math.Max(1, math.Abs(best))
		n := 0
		for _, x := range row {
			if x >= cut {
				n++
			}
		}
		for a, x := range row {
			if x >= cut {
				dst[a] = 1 / float64(n)
			}
		}
	}
	return pi
}
