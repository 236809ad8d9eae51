package engine

import (
	"math"

	"meanfield/mfg"
)

// distance returns Σ_t ||x_t - y_t||_1 and max_t ||x_t - y_t||_∞ (the sum in t order), each
// time's norms those of mfg.Distances, bit for bit. Each time's l1 is a sequential sum whose
// additions wait on one another: two times are summed at once (distance2), each in its own
// accumulator and order, so that their additions overlap.
func distance(x, y []mfg.Population) (l1, linf float64) {
	y = y[:len(x)]
	t := 0
	for ; t+1 < len(x); t += 2 {
		a0, b0, a1, b1 := distance2(x[t].Mass, y[t].Mass, x[t+1].Mass, y[t+1].Mass)
		l1 += a0
		linf = max(linf, b0)
		l1 += a1
		linf = max(linf, b1)
	}
	if t < len(x) {
		a, b := distance1(x[t].Mass, y[t].Mass)
		l1 += a
		linf = max(linf, b)
	}
	return l1, linf
}

// distance1 is mfg.Distances(x, y): its loop, written here as its calls cost more than the sums
// on the smallest games, and it is called where a difference is NaN or the lengths differ. The
// maximum is taken on the bits, whose order is that of the values for the differences, all
// non-negative, so that it needs no branch; a NaN difference, whose bits exceed +Inf's, makes
// the sum NaN (a sum of non-negative terms is never NaN otherwise), which calls mfg.Distances.
func distance1(x, y []float64) (l1, linf float64) {
	if len(x) != len(y) {
		return mfg.Distances(x, y) // its panic
	}
	var m uint64
	for i, v := range x {
		d := math.Abs(v - y[i])
		l1 += d
		m = max(m, math.Float64bits(d))
	}
	if l1 != l1 {
		return mfg.Distances(x, y)
	}
	return l1, math.Float64frombits(m)
}

// distance2 is distance1(x0, y0) and distance1(x1, y1), in one loop over both when their
// lengths agree. (Two, not four: the four's accumulators, maxima and slices would not fit the
// registers, and two already keep the additions' unit busy.)
func distance2(x0, y0, x1, y1 []float64) (a0, b0, a1, b1 float64) {
	n := len(x0)
	if len(y0) != n || len(x1) != n || len(y1) != n {
		a0, b0 = distance1(x0, y0)
		a1, b1 = distance1(x1, y1)
		return a0, b0, a1, b1
	}
	y0, x1, y1 = y0[:n], x1[:n], y1[:n]
	var m0, m1 uint64
	for i, v := range x0 {
		d0, d1 := math.Abs(v-y0[i]), math.Abs(x1[i]-y1[i])
		a0, a1 = a0+d0, a1+d1
		m0, m1 = max(m0, math.Float64bits(d0)), max(m1, math.Float64bits(d1))
	}
	b0, b1 = math.Float64frombits(m0), math.Float64frombits(m1)
	if a0 != a0 {
		a0, b0 = mfg.Distances(x0, y0)
	}
	if a1 != a1 {
		a1, b1 = mfg.Distances(x1, y1)
	}
	return a0, b0, a1, b1
}
