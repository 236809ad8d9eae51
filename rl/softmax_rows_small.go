package rl

// The table softmaxes of rows of 2, 3, 5 and 9 actions (left-right and susceptible-infected;
// beach-bar, rock-paper-scissors and conservative treasure hunting; crowd motion, random-linear and
// linear-quadratic; equilibrium-price) over fixed-size arrays: slicing a row, looping over it with
// bounds checks and finding its maximum by a chain of builtin max cost more than its arithmetic
// (the generic path took about 90 instructions an entry on rows of 9). Every weight's operations
// are the row functions', in their order. On amd64 with AVX2 the lane kernels
// (softmax_lanes_amd64.go) take most tables of 2, 3 and 9 actions; these remain their fallback and
// the reference their tests compare them with.

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
// hunting), each row unrolled: with so few actions a row's maximum is found again in the second
// pass rather than kept.
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

// softmaxRows5Go is SoftmaxRows for A = 5 (crowd motion, random-linear, linear-quadratic), each
// row unrolled, by chunks of rows whose maxima the second pass reads.
func softmaxRows5Go(dst, x []float64, c float64) {
	n := len(x) - len(x)%5
	dst, x = dst[:n], x[:n]
	var bests [chunkRows]float64
	for lo := 0; lo < n; {
		hi := min(n, lo+chunkRows*5)
		need := false
		for r, i := 0, lo; i < hi; r, i = r+1, i+5 {
			v, o := (*[5]float64)(x[i:i+5]), (*[5]float64)(dst[i:i+5])
			best := max5(v)
			z0, n0 := softmaxZ(c, v[0]-best)
			z1, n1 := softmaxZ(c, v[1]-best)
			z2, n2 := softmaxZ(c, v[2]-best)
			z3, n3 := softmaxZ(c, v[3]-best)
			z4, n4 := softmaxZ(c, v[4]-best)
			o[0] = z0
			o[1] = z1
			o[2] = z2
			o[3] = z3
			o[4] = z4
			need = need || n0 || n1 || n2 || n3 || n4
			bests[r] = best
		}
		if need {
			expInPlace(dst[lo:hi])
		}
		for r := 0; lo < hi; r, lo = r+1, lo+5 {
			v, o := (*[5]float64)(x[lo:lo+5]), (*[5]float64)(dst[lo:lo+5])
			best := bests[r]
			e0 := softmaxE(c, v[0]-best, o[0], need)
			e1 := softmaxE(c, v[1]-best, o[1], need)
			e2 := softmaxE(c, v[2]-best, o[2], need)
			e3 := softmaxE(c, v[3]-best, o[3], need)
			e4 := softmaxE(c, v[4]-best, o[4], need)
			var sum float64
			sum += e0
			sum += e1
			sum += e2
			sum += e3
			sum += e4
			o[0] = e0 / sum
			o[1] = e1 / sum
			o[2] = e2 / sum
			o[3] = e3 / sum
			o[4] = e4 / sum
		}
	}
}

// priorSoftmaxRows5Go is PriorSoftmaxRows for A = 5, each row unrolled. A row none of whose
// weights needs an exponential (settled: the others' weights p·0 or 0) is finished in its first
// pass, as PriorSoftmax would; the others wait for one call on the chunk, or one each when some
// rows of the chunk are finished already.
func priorSoftmaxRows5Go(dst, x []float64, c float64, prior []float64) {
	n := len(x) - len(x)%5
	dst, x, prior = dst[:n], x[:n], prior[:n]
	var bests [chunkRows]float64
	for lo := 0; lo < n; {
		hi := min(n, lo+chunkRows*5)
		var waiting uint32 // bit r: row r of the chunk needs exponentials
		for r, i := 0, lo; i < hi; r, i = r+1, i+5 {
			v, p, o := (*[5]float64)(x[i:i+5]), (*[5]float64)(prior[i:i+5]), (*[5]float64)(dst[i:i+5])
			best := priorBest(v[:], p[:])
			w0, n0 := priorWeightOrZ(c, v[0], best, p[0])
			w1, n1 := priorWeightOrZ(c, v[1], best, p[1])
			w2, n2 := priorWeightOrZ(c, v[2], best, p[2])
			w3, n3 := priorWeightOrZ(c, v[3], best, p[3])
			w4, n4 := priorWeightOrZ(c, v[4], best, p[4])
			o[0] = w0
			o[1] = w1
			o[2] = w2
			o[3] = w3
			o[4] = w4
			bests[r] = best
			if n0 || n1 || n2 || n3 || n4 {
				waiting |= 1 << r
				continue
			}
			var sum float64
			sum += w0
			sum += w1
			sum += w2
			sum += w3
			sum += w4
			if !(sum > 0) { // as PriorSoftmax: no mass left, uniform (1/float64(A), rounded once)
				*o = [5]float64{1.0 / 5, 1.0 / 5, 1.0 / 5, 1.0 / 5, 1.0 / 5}
				continue
			}
			o[0] = w0 / sum
			o[1] = w1 / sum
			o[2] = w2 / sum
			o[3] = w3 / sum
			o[4] = w4 / sum
		}
		if waiting != 0 {
			priorWaitingRows5(dst, x, prior, c, lo, hi, waiting, &bests)
		}
		lo = hi
	}
}

// priorWaitingRows5 finishes the rows of the chunk dst[lo:hi] that wait for exponentials (bit r
// of waiting for row r), whose exponents priorSoftmaxRows5Go left in dst and whose maxima in bests.
func priorWaitingRows5(dst, x, prior []float64, c float64, lo, hi int, waiting uint32,
	bests *[chunkRows]float64) {
	expWaiting(dst, lo, hi, 5, waiting)
	for r, i := 0, lo; i < hi; r, i = r+1, i+5 {
		if waiting&(1<<r) == 0 {
			continue
		}
		v, p, o := (*[5]float64)(x[i:i+5]), (*[5]float64)(prior[i:i+5]), (*[5]float64)(dst[i:i+5])
		best := bests[r]
		e0 := priorE(c, v[0], best, p[0], o[0])
		e1 := priorE(c, v[1], best, p[1], o[1])
		e2 := priorE(c, v[2], best, p[2], o[2])
		e3 := priorE(c, v[3], best, p[3], o[3])
		e4 := priorE(c, v[4], best, p[4], o[4])
		var sum float64
		sum += e0
		sum += e1
		sum += e2
		sum += e3
		sum += e4
		if !(sum > 0) {
			*o = [5]float64{1.0 / 5, 1.0 / 5, 1.0 / 5, 1.0 / 5, 1.0 / 5}
			continue
		}
		o[0] = e0 / sum
		o[1] = e1 / sum
		o[2] = e2 / sum
		o[3] = e3 / sum
		o[4] = e4 / sum
	}
}

// expWaiting takes the exponentials of the rows of A entries of the chunk dst[lo:hi] that wait
// for them (bit r of waiting for row r): in one call when every row does, else row by row.
func expWaiting(dst []float64, lo, hi, A int, waiting uint32) {
	if waiting == 1<<((hi-lo)/A)-1 {
		expInPlace(dst[lo:hi])
		return
	}
	for r, i := 0, lo; i < hi; r, i = r+1, i+A {
		if waiting&(1<<r) != 0 {
			expInPlace(dst[i : i+A])
		}
	}
}

// max9 is Softmax's maximum of nine values as a tree (see max5).
func max9(v *[9]float64) float64 {
	return max(max(max(max(v[0], v[1]), max(v[2], v[3])), max(max(v[4], v[5]), max(v[6], v[7]))), v[8])
}

// softmaxRows9 is SoftmaxRows for A = 9 (equilibrium-price), each row unrolled, by chunks of rows
// whose maxima the second pass reads.
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
			z0, n0 := softmaxZ(c, v[0]-best)
			z1, n1 := softmaxZ(c, v[1]-best)
			z2, n2 := softmaxZ(c, v[2]-best)
			z3, n3 := softmaxZ(c, v[3]-best)
			z4, n4 := softmaxZ(c, v[4]-best)
			z5, n5 := softmaxZ(c, v[5]-best)
			z6, n6 := softmaxZ(c, v[6]-best)
			z7, n7 := softmaxZ(c, v[7]-best)
			z8, n8 := softmaxZ(c, v[8]-best)
			o[0] = z0
			o[1] = z1
			o[2] = z2
			o[3] = z3
			o[4] = z4
			o[5] = z5
			o[6] = z6
			o[7] = z7
			o[8] = z8
			need = need || n0 || n1 || n2 || n3 || n4 || n5 || n6 || n7 || n8
			bests[r] = best
		}
		if need {
			expInPlace(dst[lo:hi])
		}
		for r := 0; lo < hi; r, lo = r+1, lo+9 {
			v, o := (*[9]float64)(x[lo:lo+9]), (*[9]float64)(dst[lo:lo+9])
			best := bests[r]
			e0 := softmaxE(c, v[0]-best, o[0], need)
			e1 := softmaxE(c, v[1]-best, o[1], need)
			e2 := softmaxE(c, v[2]-best, o[2], need)
			e3 := softmaxE(c, v[3]-best, o[3], need)
			e4 := softmaxE(c, v[4]-best, o[4], need)
			e5 := softmaxE(c, v[5]-best, o[5], need)
			e6 := softmaxE(c, v[6]-best, o[6], need)
			e7 := softmaxE(c, v[7]-best, o[7], need)
			e8 := softmaxE(c, v[8]-best, o[8], need)
			var sum float64
			sum += e0
			sum += e1
			sum += e2
			sum += e3
			sum += e4
			sum += e5
			sum += e6
			sum += e7
			sum += e8
			o[0] = e0 / sum
			o[1] = e1 / sum
			o[2] = e2 / sum
			o[3] = e3 / sum
			o[4] = e4 / sum
			o[5] = e5 / sum
			o[6] = e6 / sum
			o[7] = e7 / sum
			o[8] = e8 / sum
		}
	}
}

// priorSoftmaxRows9 is PriorSoftmaxRows for A = 9, each row unrolled. A row none of whose
// weights needs an exponential (settled: the others' weights p·0 or 0) is finished in its first
// pass, as PriorSoftmax would; the others wait for one call on the chunk, or one each when some
// rows of the chunk are finished already.
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
			w0, n0 := priorWeightOrZ(c, v[0], best, p[0])
			w1, n1 := priorWeightOrZ(c, v[1], best, p[1])
			w2, n2 := priorWeightOrZ(c, v[2], best, p[2])
			w3, n3 := priorWeightOrZ(c, v[3], best, p[3])
			w4, n4 := priorWeightOrZ(c, v[4], best, p[4])
			w5, n5 := priorWeightOrZ(c, v[5], best, p[5])
			w6, n6 := priorWeightOrZ(c, v[6], best, p[6])
			w7, n7 := priorWeightOrZ(c, v[7], best, p[7])
			w8, n8 := priorWeightOrZ(c, v[8], best, p[8])
			o[0] = w0
			o[1] = w1
			o[2] = w2
			o[3] = w3
			o[4] = w4
			o[5] = w5
			o[6] = w6
			o[7] = w7
			o[8] = w8
			bests[r] = best
			if n0 || n1 || n2 || n3 || n4 || n5 || n6 || n7 || n8 {
				waiting |= 1 << r
				continue
			}
			var sum float64
			sum += w0
			sum += w1
			sum += w2
			sum += w3
			sum += w4
			sum += w5
			sum += w6
			sum += w7
			sum += w8
			if !(sum > 0) { // as PriorSoftmax: no mass left, uniform (1/float64(A), rounded once)
				*o = [9]float64{1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9}
				continue
			}
			o[0] = w0 / sum
			o[1] = w1 / sum
			o[2] = w2 / sum
			o[3] = w3 / sum
			o[4] = w4 / sum
			o[5] = w5 / sum
			o[6] = w6 / sum
			o[7] = w7 / sum
			o[8] = w8 / sum
		}
		if waiting != 0 {
			priorWaitingRows9(dst, x, prior, c, lo, hi, waiting, &bests)
		}
		lo = hi
	}
}

// priorWaitingRows9 finishes the rows of the chunk dst[lo:hi] that wait for exponentials (bit r
// of waiting for row r), whose exponents priorSoftmaxRows9 left in dst and whose maxima in bests.
func priorWaitingRows9(dst, x, prior []float64, c float64, lo, hi int, waiting uint32,
	bests *[chunkRows]float64) {
	expWaiting(dst, lo, hi, 9, waiting)
	for r, i := 0, lo; i < hi; r, i = r+1, i+9 {
		if waiting&(1<<r) == 0 {
			continue
		}
		v, p, o := (*[9]float64)(x[i:i+9]), (*[9]float64)(prior[i:i+9]), (*[9]float64)(dst[i:i+9])
		best := bests[r]
		e0 := priorE(c, v[0], best, p[0], o[0])
		e1 := priorE(c, v[1], best, p[1], o[1])
		e2 := priorE(c, v[2], best, p[2], o[2])
		e3 := priorE(c, v[3], best, p[3], o[3])
		e4 := priorE(c, v[4], best, p[4], o[4])
		e5 := priorE(c, v[5], best, p[5], o[5])
		e6 := priorE(c, v[6], best, p[6], o[6])
		e7 := priorE(c, v[7], best, p[7], o[7])
		e8 := priorE(c, v[8], best, p[8], o[8])
		var sum float64
		sum += e0
		sum += e1
		sum += e2
		sum += e3
		sum += e4
		sum += e5
		sum += e6
		sum += e7
		sum += e8
		if !(sum > 0) {
			*o = [9]float64{1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9}
			continue
		}
		o[0] = e0 / sum
		o[1] = e1 / sum
		o[2] = e2 / sum
		o[3] = e3 / sum
		o[4] = e4 / sum
		o[5] = e5 / sum
		o[6] = e6 / sum
		o[7] = e7 / sum
		o[8] = e8 / sum
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
