package rl

import "math/bits"

// The table softmaxes of rows of 2, 3, 5 and 9 actions (left-right and susceptible-infected;
// beach-bar, rock-paper-scissors and conservative treasure hunting; crowd motion, random-linear and
// linear-quadratic; equilibrium-price) over fixed-size arrays: slicing a row, looping over it with
// bounds checks and finding its maximum by a chain of builtin max cost more than its arithmetic
// (the generic path took about 90 instructions an entry on rows of 9). Every weight's operations
// are the row functions', in their order.

// max2 is Softmax's maximum of two values: max(max(-Inf, v0), v1) is max(v0, v1).
func max2(v *[2]float64) float64 { return max(v[0], v[1]) }

// softmaxRows2 is SoftmaxRows for A = 2 (left-right, susceptible-infected), each row
// unrolled: with so few actions a row's maximum is found again in the second pass rather than
// kept.
func softmaxRows2(dst, x []float64, c float64) {
	n := len(x) - len(x)%2
	dst, x = dst[:n], x[:n]
	need := false
	for i := 0; i < n; i += 2 {
		v, o := (*[2]float64)(x[i:i+2]), (*[2]float64)(dst[i:i+2])
		best := max2(v)
		z0, n0 := softmaxZ(c, v[0]-best)
		z1, n1 := softmaxZ(c, v[1]-best)
		o[0], o[1] = z0, z1
		need = need || n0 || n1
	}
	if need {
		expInPlace(dst)
	}
	for i := 0; i < n; i += 2 {
		v, o := (*[2]float64)(x[i:i+2]), (*[2]float64)(dst[i:i+2])
		best := max2(v)
		e0 := softmaxE(c, v[0]-best, o[0], need)
		e1 := softmaxE(c, v[1]-best, o[1], need)
		var sum float64
		sum += e0
		sum += e1
		o[0], o[1] = e0/sum, e1/sum
	}
}

// priorSoftmaxRows2 is PriorSoftmaxRows for A = 2, each row unrolled.
func priorSoftmaxRows2(dst, x []float64, c float64, prior []float64) {
	n := len(x) - len(x)%2
	dst, x, prior = dst[:n], x[:n], prior[:n]
	need := false
	for i := 0; i < n; i += 2 {
		v, p, o := (*[2]float64)(x[i:i+2]), (*[2]float64)(prior[i:i+2]), (*[2]float64)(dst[i:i+2])
		best := priorBest(v[:], p[:])
		z0, n0 := priorZ(c, v[0], best, p[0])
		z1, n1 := priorZ(c, v[1], best, p[1])
		o[0], o[1] = z0, z1
		need = need || n0 || n1
	}
	if need { // a weight that needs no exponential does not read dst
		expInPlace(dst)
	}
	for i := 0; i < n; i += 2 {
		v, p, o := (*[2]float64)(x[i:i+2]), (*[2]float64)(prior[i:i+2]), (*[2]float64)(dst[i:i+2])
		best := priorBest(v[:], p[:])
		e0 := priorE(c, v[0], best, p[0], o[0])
		e1 := priorE(c, v[1], best, p[1], o[1])
		var sum float64
		sum += e0
		sum += e1
		if !(sum > 0) { // as PriorSoftmax: no mass left, uniform (1/float64(A), rounded once)
			o[0], o[1] = 1.0/2, 1.0/2
		} else {
			o[0], o[1] = e0/sum, e1/sum
		}
	}
}

// max3 is Softmax's maximum of three values.
func max3(v *[3]float64) float64 { return max(max(v[0], v[1]), v[2]) }

// softmaxRows3 is SoftmaxRows for A = 3 (beach-bar, rock-paper-scissors, conservative treasure
// hunting), each row unrolled: with so few actions a row's maximum is found again in the second pass rather than
// kept.
func softmaxRows3(dst, x []float64, c float64) {
	n := len(x) - len(x)%3
	dst, x = dst[:n], x[:n]
	need := false
	for i := 0; i < n; i += 3 {
		v, o := (*[3]float64)(x[i:i+3]), (*[3]float64)(dst[i:i+3])
		best := max3(v)
		z0, n0 := softmaxZ(c, v[0]-best)
		z1, n1 := softmaxZ(c, v[1]-best)
		z2, n2 := softmaxZ(c, v[2]-best)
		o[0], o[1], o[2] = z0, z1, z2
		need = need || n0 || n1 || n2
	}
	if need {
		expInPlace(dst)
	}
	for i := 0; i < n; i += 3 {
		v, o := (*[3]float64)(x[i:i+3]), (*[3]float64)(dst[i:i+3])
		best := max3(v)
		e0 := softmaxE(c, v[0]-best, o[0], need)
		e1 := softmaxE(c, v[1]-best, o[1], need)
		e2 := softmaxE(c, v[2]-best, o[2], need)
		var sum float64
		sum += e0
		sum += e1
		sum += e2
		o[0], o[1], o[2] = e0/sum, e1/sum, e2/sum
	}
}

// priorSoftmaxRows3 is PriorSoftmaxRows for A = 3, each row unrolled.
func priorSoftmaxRows3(dst, x []float64, c float64, prior []float64) {
	n := len(x) - len(x)%3
	dst, x, prior = dst[:n], x[:n], prior[:n]
	need := false
	for i := 0; i < n; i += 3 {
		v, p, o := (*[3]float64)(x[i:i+3]), (*[3]float64)(prior[i:i+3]), (*[3]float64)(dst[i:i+3])
		best := priorBest(v[:], p[:])
		z0, n0 := priorZ(c, v[0], best, p[0])
		z1, n1 := priorZ(c, v[1], best, p[1])
		z2, n2 := priorZ(c, v[2], best, p[2])
		o[0], o[1], o[2] = z0, z1, z2
		need = need || n0 || n1 || n2
	}
	if need { // a weight that needs no exponential does not read dst
		expInPlace(dst)
	}
	for i := 0; i < n; i += 3 {
		v, p, o := (*[3]float64)(x[i:i+3]), (*[3]float64)(prior[i:i+3]), (*[3]float64)(dst[i:i+3])
		best := priorBest(v[:], p[:])
		e0 := priorE(c, v[0], best, p[0], o[0])
		e1 := priorE(c, v[1], best, p[1], o[1])
		e2 := priorE(c, v[2], best, p[2], o[2])
		var sum float64
		sum += e0
		sum += e1
		sum += e2
		if !(sum > 0) { // as PriorSoftmax: no mass left, uniform (1/float64(A), rounded once)
			o[0], o[1], o[2] = 1.0/3, 1.0/3, 1.0/3
		} else {
			o[0], o[1], o[2] = e0/sum, e1/sum, e2/sum
		}
	}
}

// max5 is Softmax's maximum of five values as a tree: the builtin max is associative and
// commutative (NaN if any value is, +0 over -0), so the tree has the chain's value with half its
// latency.
func max5(v *[5]float64) float64 {
	return max(max(max(v[0], v[1]), max(v[2], v[3])), v[4])
}

// softmaxRows5 is SoftmaxRows for A = 5 (crowd motion, random-linear, linear-quadratic).
func softmaxRows5(dst, x []float64, c float64) {
	n := len(x) - len(x)%5
	dst, x = dst[:n], x[:n]
	var bests [chunkRows]float64
	for lo := 0; lo < n; {
		hi := min(n, lo+chunkRows*5)
		need := false
		for r, i := 0, lo; i < hi; r, i = r+1, i+5 {
			v, o := (*[5]float64)(x[i:i+5]), (*[5]float64)(dst[i:i+5])
			best := max5(v)
			for a := range o {
				z, na := softmaxZ(c, v[a]-best)
				o[a] = z
				need = need || na
			}
			bests[r] = best
		}
		if need {
			expInPlace(dst[lo:hi])
		}
		for r := 0; lo < hi; r, lo = r+1, lo+5 {
			v, o := (*[5]float64)(x[lo:lo+5]), (*[5]float64)(dst[lo:lo+5])
			var sum float64
			for a := range o {
				e := softmaxE(c, v[a]-bests[r], o[a], need)
				o[a] = e
				sum += e
			}
			for a := range o {
				o[a] /= sum
			}
		}
	}
}

// priorSoftmaxRows5 is PriorSoftmaxRows for A = 5. A row none of whose weights needs an
// exponential (settled: the others' weights p·0 or 0) is finished in its first pass, as
// PriorSoftmax would; the others wait for one call on the chunk, or one each when some rows of the
// chunk are finished already.
func priorSoftmaxRows5(dst, x []float64, c float64, prior []float64) {
	n := len(x) - len(x)%5
	dst, x, prior = dst[:n], x[:n], prior[:n]
	var bests [chunkRows]float64
	for lo := 0; lo < n; {
		hi := min(n, lo+chunkRows*5)
		var waiting uint32 // bit r: row r of the chunk needs exponentials
		for r, i := 0, lo; i < hi; r, i = r+1, i+5 {
			v, p, o := (*[5]float64)(x[i:i+5]), (*[5]float64)(prior[i:i+5]), (*[5]float64)(dst[i:i+5])
			best := priorBest(v[:], p[:])
			need := false
			for a := range o {
				w, na := priorWeightOrZ(c, v[a], best, p[a])
				o[a] = w
				need = need || na
			}
			bests[r] = best
			if need {
				waiting |= 1 << r
				continue
			}
			var sum float64 // summed here, not above: a chain of additions every row would wait on
			for _, w := range o {
				sum += w
			}
			priorNormalise(o[:], sum)
		}
		rows := (hi - lo) / 5
		if waiting == 1<<rows-1 {
			expInPlace(dst[lo:hi])
		} else {
			for w := waiting; w != 0; w &= w - 1 {
				i := lo + bits.TrailingZeros32(w)*5
				expInPlace(dst[i : i+5])
			}
		}
		for ; waiting != 0; waiting &= waiting - 1 {
			r := bits.TrailingZeros32(waiting)
			i := lo + r*5
			v, p, o := (*[5]float64)(x[i:i+5]), (*[5]float64)(prior[i:i+5]), (*[5]float64)(dst[i:i+5])
			var sum float64
			for a := range o {
				e := priorE(c, v[a], bests[r], p[a], o[a])
				o[a] = e
				sum += e
			}
			priorNormalise(o[:], sum)
		}
		lo = hi
	}
}

// max9 is Softmax's maximum of nine values as a tree (see max5).
func max9(v *[9]float64) float64 {
	return max(max(max(max(v[0], v[1]), max(v[2], v[3])), max(max(v[4], v[5]), max(v[6], v[7]))), v[8])
}

// softmaxRows9 is SoftmaxRows for A = 9 (equilibrium-price).
func softmaxRows9(dst, x []float64, c float64) {
	n := len(x) - len(x)%9
	dst, x = dst[:n], x[:n]
	var bests [chunkRows]float64
	for lo := 0; lo < n; {
		hi := min(n, lo+chunkRows*9)
		need := false
		for r, i := 0, lo; i < hi; r, i = r+1, i+9 {
			v, o := (*[9]float64)(x[i:i+9]), (*[9]float64)(dst[i:i+9])
			best := max9(v)
			for a := range o {
				z, na := softmaxZ(c, v[a]-best)
				o[a] = z
				need = need || na
			}
			bests[r] = best
		}
		if need {
			expInPlace(dst[lo:hi])
		}
		for r := 0; lo < hi; r, lo = r+1, lo+9 {
			v, o := (*[9]float64)(x[lo:lo+9]), (*[9]float64)(dst[lo:lo+9])
			var sum float64
			for a := range o {
				e := softmaxE(c, v[a]-bests[r], o[a], need)
				o[a] = e
				sum += e
			}
			for a := range o {
				o[a] /= sum
			}
		}
	}
}

// priorSoftmaxRows9 is PriorSoftmaxRows for A = 9. A row none of whose weights needs an
// exponential (settled: the others' weights p·0 or 0) is finished in its first pass, as
// PriorSoftmax would; the others wait for one call on the chunk, or one each when some rows of the
// chunk are finished already.
func priorSoftmaxRows9(dst, x []float64, c float64, prior []float64) {
	n := len(x) - len(x)%9
	dst, x, prior = dst[:n], x[:n], prior[:n]
	var bests [chunkRows]float64
	for lo := 0; lo < n; {
		hi := min(n, lo+chunkRows*9)
		var waiting uint32 // bit r: row r of the chunk needs exponentials
		for r, i := 0, lo; i < hi; r, i = r+1, i+9 {
			v, p, o := (*[9]float64)(x[i:i+9]), (*[9]float64)(prior[i:i+9]), (*[9]float64)(dst[i:i+9])
			best := priorBest(v[:], p[:])
			need := false
			for a := range o {
				w, na := priorWeightOrZ(c, v[a], best, p[a])
				o[a] = w
				need = need || na
			}
			bests[r] = best
			if need {
				waiting |= 1 << r
				continue
			}
			var sum float64 // summed here, not above: a chain of additions every row would wait on
			for _, w := range o {
				sum += w
			}
			priorNormalise(o[:], sum)
		}
		rows := (hi - lo) / 9
		if waiting == 1<<rows-1 {
			expInPlace(dst[lo:hi])
		} else {
			for w := waiting; w != 0; w &= w - 1 {
				i := lo + bits.TrailingZeros32(w)*9
				expInPlace(dst[i : i+9])
			}
		}
		for ; waiting != 0; waiting &= waiting - 1 {
			r := bits.TrailingZeros32(waiting)
			i := lo + r*9
			v, p, o := (*[9]float64)(x[i:i+9]), (*[9]float64)(prior[i:i+9]), (*[9]float64)(dst[i:i+9])
			var sum float64
			for a := range o {
				e := priorE(c, v[a], bests[r], p[a], o[a])
				o[a] = e
				sum += e
			}
			priorNormalise(o[:], sum)
		}
		lo = hi
	}
}

// priorWeightOrZ is PriorSoftmax's unnormalised weight of value v with prior p where it needs no
// exponential (0 where the prior rules v out, p at a tie for the best, p·0 below the bound), else
// the exponent z = c·(v − best) and true.
func priorWeightOrZ(c, v, best, p float64) (float64, bool) {
	switch {
	case p == 0: // PriorSoftmax's cases, in its order
		return 0, false
	case v == best:
		return p, false
	}
	z := c * (v - best)
	if z < underflowBelow {
		return p * 0, false
	}
	return z, true
}

// priorNormalise divides a row's weights by their sum in place, or makes the row uniform when the
// sum is not positive, as PriorSoftmax.
func priorNormalise(o []float64, sum float64) {
	if !(sum > 0) {
		for a := range o {
			o[a] = 1 / float64(len(o))
		}
		return
	}
	for a := range o {
		o[a] /= sum
	}
}
