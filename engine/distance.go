package engine

import (
	"math"

	"meanfield/mfg"
)

// distanceAVX reports that distance4's kernel runs here (amd64 with AVX).
var distanceAVX = haveDistanceAVX()

// distance returns Σ_t ||x_t - y_t||_1 and max_t ||x_t - y_t||_∞ (the sum in t order), each
// time's norms those of mfg.Distances, bit for bit. Each time's l1 is a sequential sum whose
// additions wait on one another: four times (distance4, in AVX) or two (distance2) of groupMin
// entries or more are summed at once, each in its own accumulator and order, so that their
// additions overlap. A time alone, or of fewer entries, is summed here: mfg.Distances's loop,
// written here as its calls cost more than the sums on the smallest games, and called where a
// difference is NaN or the lengths differ.
func distance(x, y []mfg.Population) (l1, linf float64) {
	y = y[:len(x)]
	for t := 0; t < len(x); t++ {
		xt, yt := x[t].Mass, y[t].Mass
		if len(xt) >= groupMin && t+1 < len(x) {
			t += addDistances(&l1, &linf, x[t:], y[t:]) - 1
			continue
		}
		var a, b float64
		if len(xt) != len(yt) {
			a, b = mfg.Distances(xt, yt) // its panic
		}
		yt = yt[:len(xt)]
		for i, v := range xt {
			d := math.Abs(v - yt[i])
			a += d
			if d > b {
				b = d
			} else if d != d {
				a, b = mfg.Distances(xt, yt)
				break
			}
		}
		l1 += a
		linf = max(linf, b)
	}
	return l1, linf
}

// groupMin is the fewest entries of a time that distance sums with other times'.
const groupMin = 8

// addDistances adds the norms of the first four, three (the last three) or two times of x - y (at
// least two) to l1 and linf, as distance does, and returns how many times it read.
func addDistances(l1, linf *float64, x, y []mfg.Population) int {
	var a, b [4]float64
	n := min(4, len(x))
	if !distanceAVX || n < 3 || !distance4(&a, &b, x[:n], y[:n]) {
		n = 2
		a[0], b[0], a[1], b[1] = distance2(x[0].Mass, y[0].Mass, x[1].Mass, y[1].Mass)
	}
	for j := range n {
		*l1 += a[j]
		*linf = max(*linf, b[j])
	}
	return n
}

// addAbsDiffs adds |x_i - y_i| to l1 in the order of i, and returns it with the largest of m
// and their bits. The maximum is taken on the bits, whose order is that of the values for the
// differences, all non-negative, so that it needs no branch; a NaN difference, whose bits exceed
// +Inf's, makes the sum NaN (a sum of non-negative terms is never NaN otherwise), where its
// callers call mfg.Distances. len(y) >= len(x).
func addAbsDiffs(x, y []float64, l1 float64, m uint64) (float64, uint64) {
	y = y[:len(x)]
	for i, v := range x {
		d := math.Abs(v - y[i])
		l1 += d
		m = max(m, math.Float64bits(d))
	}
	return l1, m
}

// distance4 is mfg.Distances(x[j].Mass, y[j].Mass) into a[j] and b[j] for the four or three
// times of x and y, when their lengths agree and are at least 4 (it reports whether they do):
// their entries four at a time in AVX (absDiffSums4AVX; three times fill its fourth lane with the
// third's, whose sums are not read), the last ones in Go.
func distance4(a, b *[4]float64, x, y []mfg.Population) bool {
	m := len(x)
	n := len(x[0].Mass)
	if n < 4 || m < 3 || m > 4 || len(y) != m {
		return false
	}
	var px, py [4]*float64
	for j := range m {
		xj, yj := x[j].Mass, y[j].Mass
		if len(xj) != n || len(yj) != n {
			return false
		}
		px[j], py[j] = &xj[0], &yj[0]
	}
	if m == 3 {
		px[3], py[3] = px[2], py[2]
	}
	var out [8]float64
	k := n &^ 3
	absDiffSums4AVX(&px, &py, k, &out)
	for j := range m {
		xj, yj := x[j].Mass, y[j].Mass
		s, m := addAbsDiffs(xj[k:], yj[k:], out[j], math.Float64bits(out[4+j]))
		a[j], b[j] = s, math.Float64frombits(m)
		if s != s {
			a[j], b[j] = mfg.Distances(xj, yj)
		}
	}
	return true
}

// distance2 is mfg.Distances(x0, y0) and mfg.Distances(x1, y1), in one loop over both when
// their lengths agree. (Two, not four, in Go: the four's accumulators, maxima and slices would
// not fit the registers, and two already keep the additions' unit busy.)
func distance2(x0, y0, x1, y1 []float64) (a0, b0, a1, b1 float64) {
	n := len(x0)
	if len(y0) != n || len(x1) != n || len(y1) != n {
		a0, b0 = mfg.Distances(x0, y0)
		a1, b1 = mfg.Distances(x1, y1)
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
