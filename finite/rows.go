package finite

import (
	"math"
	"slices"
)

// The row kernels of the passes that walk every row of a table: the backward pass's maxima and
// expectations under π (rowsMaxDot, ExploitabilityFromQ), dense rows' expectations and inflows
// (expectBothDense, nextStatesDense), sure moves' and other rows' expectations and inflows (expectBothSure, expectBothOf,
// nextStatesOf) and the mean
// field's products (fill). On amd64 with AVX they
// run in assembly (rows_amd64.s), with the sums and products of their Go forms, bit for bit; the
// Go side slices every table to the lengths the assembly reads.

// rowsAVX reports that the AVX row kernels run here (amd64 with AVX) and agree with their Go
// forms on a probe; it is set per architecture at start-up.
var rowsAVX = haveRowsAVX()

// rowsMaxDot writes, for the states s < len(v)/2 of A actions, v[2s] = maxOf(q(s, ·)) and v[2s+1]
// = Σ_a p(s, a) own(s, a), from +0 in the order of a (the expectation under π), in one pass: with
// AVX by rowsMaxDotAVX (rowsMaxDotGo), else by the builtin max and maxOf again on a NaN. The two
// differ only in the sign of a zero maximum (the first of equal values against +0 before -0),
// which no sum that reads it can see (each starts at +0).
func rowsMaxDot(q, p, own, v []float64, A int) {
	m := len(v) / 2 * A // the rows read, walked with one index rather than sliced one by one
	q, p, own = q[:m], p[:m], own[:m]
	if rowsAVX && A > 0 {
		rowsMaxDotAVX(q, p, own, v, A)
		return
	}
	i := 0
	for s := 0; 2*s+1 < len(v); s++ {
		best, e, lo := math.Inf(-1), 0.0, i
		for end := i + A; i < end; i++ {
			best = max(best, q[i])
			e += float64(p[i] * own[i])
		}
		if best != best {
			best = maxOf(q[lo:i])
		}
		v[2*s], v[2*s+1] = best, e
	}
}

// rowsMaxDotGo states rowsMaxDotAVX in Go: for the states s < len(v)/2 of A actions, v[2s] = the
// largest of q(s, ·), NaNs skipped (-Inf for none), the first of equal values (of +0 and -0, the
// first); v[2s+1] = Σ_a p(s, a) own(s, a) from +0 in the order of a.
func rowsMaxDotGo(q, p, own, v []float64, A int) {
	for s := 0; 2*s+1 < len(v); s++ {
		best, e := math.Inf(-1), 0.0
		for i := s * A; i < (s+1)*A; i++ {
			if q[i] > best {
				best = q[i]
			}
			e += float64(p[i] * own[i])
		}
		v[2*s], v[2*s+1] = best, e
	}
}

// expectRowsGo states expectRowsAVX in Go, expectBoth's sums on rows in range (rowsInRange): for
// the rows i < len(r), d[c](i) = (Σ_k prob[k]·v[2 to[k] + c]) + r(i) over k = start[i]..start[i+1]-1,
// each sum from +0 in the order of k.
func expectRowsGo(start, to []int, prob, v, r, d0, d1 []float64) {
	for i := range r {
		var a0, a1 float64
		for k := start[i]; k < start[i+1]; k++ {
			a0 += float64(prob[k] * v[2*to[k]])
			a1 += float64(prob[k] * v[2*to[k]+1])
		}
		d0[i], d1[i] = a0+r[i], a1+r[i]
	}
}

// nextRowsGo states nextRowsAVX in Go, nextStates' scatter on rows in range (rowsInRange):
// next[to[k]] += mass(i)·prob[k] for the rows i < len(mass) of mass not ±0 and their k =
// start[i]..start[i+1]-1, in order.
func nextRowsGo(start, to []int, prob, mass, next []float64) {
	for i, w := range mass {
		if w != 0 {
			for k := start[i]; k < start[i+1]; k++ {
				next[to[k]] += float64(w * prob[k])
			}
		}
	}
}

// anyNaNGo states anyNaNAVX in Go: whether an entry of x is NaN.
func anyNaNGo(x []float64) bool { return slices.ContainsFunc(x, math.IsNaN) }

// exploitabilityRows is ExploitabilityFromQ on tables without a NaN in qs0, with AVX: the rows'
// maxima and expectations by rowsMaxDotAVX, 16 states at a time into memory on the stack (which
// is zeroed at every call: small games pay for its size), then
// weighted by μ0 in the order of the states, as ExploitabilityFromQ adds them (a zero maximum's
// sign aside, which the sums from +0 cannot see). A ≥ 1; the tables hold len(mu0)·A values.
func exploitabilityRows(mu0, prob, qs0, qp0 []float64, A int) float64 {
	var buf [2 * 16]float64
	var best, own float64
	for lo := 0; lo < len(mu0); lo += 16 {
		hi := min(lo+16, len(mu0))
		v := buf[:2*(hi-lo)]
		rowsMaxDotAVX(qs0[lo*A:hi*A], prob[lo*A:hi*A], qp0[lo*A:hi*A], v, A)
		for k, m := range mu0[lo:hi] {
			if m == 0 {
				continue
			}
			best += float64(m * v[2*k])
			own += float64(m * v[2*k+1])
		}
	}
	return best - own
}

// probeRowsAVX reports whether the AVX row kernels give their Go forms' bits on a probe of
// products that round (so that a fused multiply-add would differ), rows of 1, 3 and 5 and tables
// of 6 and 11 states (the kernels' paths of four and one).
func probeRowsAVX() bool {
	x := make([]float64, 66)
	for i := range x {
		x[i] = 1 / float64(i%13+3)
		if i%4 == 1 {
			x[i] = -x[i]
		}
	}
	got, want := make([]float64, 40), make([]float64, 40)
	ok := true
	for _, A := range []int{1, 3, 5} {
		rowsMaxDotAVX(x[:6*A], x[1:6*A+1], x[2:6*A+2], got[:12], A)
		rowsMaxDotGo(x[:6*A], x[1:6*A+1], x[2:6*A+2], want[:12], A)
		ok = ok && slices.Equal(got[:12], want[:12])
		fillAVX(got, x[:5], x[3:3+5*A], A)
		fillGo(want, x[:5], x[3:3+5*A], A)
		ok = ok && slices.Equal(got[:5*A], want[:5*A])
	}
	for _, S := range []int{3, 6} { // 11 rows of S successors
		expectDenseAVX(x[:11*S], x[:2*S], x[5:16], got[:11], got[20:31], S)
		expectDenseGo(x[:11*S], x[:2*S], x[5:16], want[:11], want[20:31], S)
		ok = ok && slices.Equal(got, want)
		clear(want[:S])
		nextDenseAVX(x[:11*S], x[7:18], got[:S])
		nextDenseGo(x[:11*S], x[7:18], want[:S])
		ok = ok && slices.Equal(got[:S], want[:S])
	}
	to := []int{2, 0, 1, 1, 2, 0, 2}
	expectSureAVX(to, x[3:10], x[:6], x[10:17], got[:7], got[20:27])
	expectSureGo(to, x[3:10], x[:6], x[10:17], want[:7], want[20:27])
	ok = ok && slices.Equal(got, want)
	start := []int{0, 2, 2, 5, 7} // rows of 2, 0, 3 and 2 successors
	expectRowsAVX(start, to, x[3:10], x[:6], x[10:14], got[:4], got[20:24])
	expectRowsGo(start, to, x[3:10], x[:6], x[10:14], want[:4], want[20:24])
	ok = ok && slices.Equal(got, want)
	nextRowsAVX(start, to, x[3:10], x[11:15], got[30:33])
	nextRowsGo(start, to, x[3:10], x[11:15], want[30:33])
	ok = ok && slices.Equal(got, want)
	x[9] = math.NaN()
	return ok && anyNaNAVX(x[:10]) && !anyNaNAVX(x[:9]) && anyNaNAVX(x[6:10])
}
