package games

import (
	"math"
	"slices"
	"sync/atomic"

	"meanfield/internal/fastmath"
	"meanfield/mfg"
)

// planesMinN and planesMaxN bound the n whose stages are computed in planes: their coefficients,
// expanded over the actions, take (n+1)²·n² numbers (n ≤ 8: at most 41 kB), and larger games
// take fill's row-by-row loops, whose sums over the n actions are long enough to overlap; for
// n ≤ 2 the planes' padding costs more than they save (n = 2: 270 ns a stage, 145 by rows).
const (
	planesMinN = 3
	planesMaxN = 8
)

// planes is the layout in which a stage's n³ + n² affine sums are computed as n+1 planes of
// n² lanes j = s·n + a (padded to width, a multiple of 4, with zero coefficients): plane s' < n
// holds the logits z_j(s') = P2[s',s,a] + Σ_k P1[s',s,k] L(k, a), plane n the rewards
// r_j = R2[s,a] + Σ_k R1[s,k] L(k, a). Every lane of a plane is then the same sum b + Σ_k c_k x_k
// over the lanes of its rows, which planeSums takes four lanes at a time.
type planes struct {
	n, width int
	// coef holds, for each plane p = 0..n, n+1 rows of width numbers: the offsets b (row 0) and
	// the coefficients c_k (row 1+k) of every lane.
	coef []float64
	// action[j] = j mod n is the action of lane j < n².
	action []int
	// tail is, for n = 5 and coefficients none of which is NaN, lane 24's coefficients as
	// stage5AVX reads them (tailOf5); else nil, and stage5AVX does not run.
	tail []float64
	// scratch is the memory of one fill (the lanes x_k = L(k, a), the planes, and the lanes'
	// maxima then sums), used by the fill holding busy; a concurrent fill takes new memory.
	scratch []float64
	busy    atomic.Bool
}

// planesWidth is the planes' width for n states: n² rounded up to a multiple of 4, and at least
// n² - n + 8, as fillLanes writes eight lanes from each row's first, s·n.
func planesWidth(n int) int { return (max(n*n, n*n-n+8) + 3) &^ 3 }

// newPlanes lays out the coefficients r1, r2, p1, p2 of a game with n ≤ planesMaxN states.
func newPlanes(n int, r1, r2, p1, p2 []float64) *planes {
	nn := n * n
	w := planesWidth(n)
	pl := &planes{n: n, width: w, coef: make([]float64, (n+1)*(n+1)*w), scratch: make([]float64, (2*n+2)*w)}
	pl.action = make([]int, nn)
	for j := range pl.action {
		pl.action[j] = j % n
	}
	for p := 0; p <= n; p++ {
		rows := pl.coef[p*(n+1)*w : (p+1)*(n+1)*w]
		for j := 0; j < nn; j++ {
			s := j / n
			if p < n {
				rows[j] = p2[p*nn+j] // P2[s',s,a] is p2[(s'·n+s)·n+a]
			} else {
				rows[j] = r2[j]
			}
			for k := 0; k < n; k++ {
				if p < n {
					rows[(1+k)*w+j] = p1[(p*n+s)*n+k]
				} else {
					rows[(1+k)*w+j] = r1[s*n+k]
				}
			}
		}
	}
	// stage5AVX's products take the lane's term first (x·c, fillPlanes c·x): of two NaNs they
	// keep the other's payload. NaN coefficients (m beyond float32's range) leave it unused.
	if n == 5 && !slices.ContainsFunc(pl.coef, math.IsNaN) {
		pl.tail = tailOf5(pl.coef, w)
	}
	return pl
}

// tailOf5 returns, from the coefficients coef of n = 5 planes of width w, those of lane 24 in six
// rows i = 0..5 (b, then c_1..c_5) of eight numbers: the planes 0..3's, then plane 4's and the
// rewards' (plane 5), then two zeros.
func tailOf5(coef []float64, w int) []float64 {
	tail := make([]float64, 6*8)
	for i := 0; i < 6; i++ {
		for p := 0; p < 6; p++ {
			tail[i*8+p] = coef[(p*6+i)*w+24]
		}
	}
	return tail
}

// affinePlanesGo sets z[p·w+j] = b + Σ_{i=1..k} c_i·x_i for every plane p < len(z)/w and lane
// j < w = len(x)/k, where b = coef[p·(k+1)·w + j], c_i = coef[(p·(k+1)+i)·w + j] and
// x_i = x[(i-1)·w + j]: the terms i = 1, 2, … added in order into the accumulator, the first
// operand of every addition (which keeps its NaN payload over the product's, as the formula's
// sums do).
func affinePlanesGo(z, coef, x []float64, k int) {
	w := len(x) / k
	for p := 0; p < len(z)/w; p++ {
		rows := coef[p*(k+1)*w : (p+1)*(k+1)*w]
		out := z[p*w : (p+1)*w]
		for j := range out {
			v := rows[j]
			for i := 1; i <= k; i++ {
				v += float64(rows[i*w+j] * x[(i-1)*w+j])
			}
			out[j] = v
		}
	}
}

// fillLanesGo sets the lanes x[k·w+j] = mass[k·n + action[j]] for k < n and j < n², w = len(x)/n,
// and leaves the others (zero).
func fillLanesGo(x, mass []float64, action []int, n int) {
	w, nn := len(x)/n, len(action)
	for k := 0; k < n; k++ {
		xk, lk := x[k*w:k*w+nn], mass[k*n:k*n+n]
		for j, a := range action { // one loop, not n short ones whose exits mispredict
			xk[j] = lk[a]
		}
	}
}

// fill is RandomLinear.fill's arithmetic in planes, bit for bit: for n = 5 in one pass of
// stage5AVX where it runs and takes the stage, else fillPlanes.
func (pl *planes) fill(mass []float64, m *mfg.MDP) {
	if stage5(pl, mass, m) {
		return
	}
	pl.fillPlanes(mass, m)
}

// fillPlanes is RandomLinear.fill's arithmetic in planes, bit for bit: the lanes x_k(j) = L(k, a),
// the planes' sums (at stage T, with no m.Prob, the rewards' only), the rewards copied out, and
// each row (s, a) of m.Prob the softmax of its logits over the planes (softmaxPlanes).
func (pl *planes) fillPlanes(mass []float64, m *mfg.MDP) {
	n, w := pl.n, pl.width
	nn := n * n
	mass = mass[:nn]
	buf := pl.scratch
	if !pl.busy.CompareAndSwap(false, true) {
		buf = make([]float64, len(pl.scratch))
	} else {
		defer pl.busy.Store(false)
	}
	x, z := buf[:n*w], buf[n*w:(2*n+1)*w]
	fillLanes(x, mass, pl.action, n)
	if len(m.Prob) == 0 { // stage T: the rewards' plane only
		planeSums(z[n*w:], pl.coef[n*(n+1)*w:], x, n)
		copy(m.Reward[:nn], z[n*w:n*w+nn])
		return
	}
	planeSums(z, pl.coef, x, n)
	copy(m.Reward[:nn], z[n*w:n*w+nn])
	softmaxPlanes(m.Prob[:nn*n], z[:n*w], buf[(2*n+1)*w:], n)
}

// softmaxPlanes sets each row j < len(p)/n of p to the softmax of the logits z[s'·w+j], s' < n,
// w = len(z)/n, as shiftByMax then softmaxRows would on the gathered row, bit for bit: the planes
// shifted by their lanes' maxima (shiftPlanes), their exponentials in one fastmath.ExpInto call,
// then the sums and quotients (dividePlanes). scratch (w numbers) holds the maxima, then the sums.
func softmaxPlanes(p, z, scratch []float64, n int) {
	w := len(z) / n
	shiftPlanes(z, scratch[:w], n)
	fastmath.ExpInto(z, z)
	dividePlanes(p, z, scratch[:w], n)
}

// shiftPlanesGo sets z[s'·w+j] = z[s'·w+j] - best[j] for s' < n and j < w = len(best), best[j]
// the lane's maximum as shiftByMax takes it: max from -Inf over s' in order, and where that is
// NaN, the last +Inf of the lane if any, else NaN.
func shiftPlanesGo(z, best []float64, n int) {
	w := len(best)
	for j := range best {
		best[j] = math.Inf(-1)
	}
	for sp := 0; sp < n; sp++ {
		for j, v := range z[sp*w : sp*w+w] {
			best[j] = max(best[j], v)
		}
	}
	for j, b := range best {
		if b != b { // shiftByMax's rule: +Inf wins over NaN
			best[j] = math.NaN()
			for sp := 0; sp < n; sp++ {
				if math.IsInf(z[sp*w+j], 1) {
					best[j] = z[sp*w+j]
				}
			}
		}
	}
	for sp := 0; sp < n; sp++ {
		zp := z[sp*w : sp*w+w]
		for j, b := range best {
			zp[j] -= b
		}
	}
}

// dividePlanesGo sets p[j·n+s'] = z[s'·w+j] / sum_j for lanes j < len(p)/n and s' < n, w =
// len(sum), sum_j = ((+0 + z[j]) + z[w+j]) + … summed in order as softmaxRows does (sum holds
// the sums after).
func dividePlanesGo(p, z, sum []float64, n int) {
	w, rows := len(sum), len(p)/n
	for j := 0; j < rows; j++ {
		// The sum a loop-carried local, which the compiler keeps in the register it adds into:
		// the first operand, as softmaxRows's (summed in memory, it made the term the first).
		var acc float64
		for sp := 0; sp < n; sp++ {
			acc += z[sp*w+j]
		}
		sum[j] = acc
	}
	for sp := 0; sp < n; sp++ {
		for j, e := range z[sp*w : sp*w+rows] {
			p[j*n+sp] = e / sum[j]
		}
	}
}
