package finite

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"

	"meanfield/mfg"
)

// polytopeCase is a random instance: sizes, μ0, transitions, mask and a point to project.
type polytopeCase struct {
	S, A, T int
	mu0     []float64
	moves   []*mfg.MDP
	legal   []bool
	d       []float64
}

// randomPolytopeCase draws an instance: μ0 with some zero entries, transitions with one to three
// successors per pair, a mask with illegal actions when masked, d normal with scale 1 plus an
// offset, so that the projection has both zero and positive entries.
func randomPolytopeCase(rng *rand.Rand, S, A, T int, masked bool) polytopeCase {
	c := polytopeCase{S: S, A: A, T: T, mu0: make([]float64, S)}
	var sum float64
	for s := range c.mu0 {
		if rng.IntN(3) > 0 || s == 0 {
			c.mu0[s] = rng.Float64()
			sum += c.mu0[s]
		}
	}
	for s := range c.mu0 {
		c.mu0[s] /= sum
	}
	for t := 0; t < T; t++ {
		b := mfg.NewMDPBuilder(S, A, 0)
		for i := 0; i < S*A; i++ {
			k := 1 + rng.IntN(min(3, S))
			first := rng.IntN(S)
			w := make([]float64, k)
			var tot float64
			for j := range w {
				w[j] = 0.1 + rng.Float64()
				tot += w[j]
			}
			for j := range w { // successors first, first+1, ... (mod S), in increasing order
				b.Add((first+j)%S, w[j]/tot)
			}
			b.EndRow()
		}
		c.moves = append(c.moves, b.MDP)
	}
	if masked {
		c.legal = make([]bool, S*A)
		for s := 0; s < S; s++ {
			keep := rng.IntN(A)
			for a := 0; a < A; a++ {
				c.legal[s*A+a] = a == keep || rng.IntN(2) == 0
			}
		}
	}
	c.d = make([]float64, (T+1)*S*A)
	shift := rng.NormFloat64() * 0.3
	for i := range c.d {
		c.d[i] = rng.NormFloat64()*0.5 + shift
	}
	return c
}

func (c polytopeCase) polytope(t testing.TB) *OccupationPolytope {
	t.Helper()
	p, err := NewOccupationPolytope(c.S, c.A, c.mu0, c.moves, c.legal)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// denseConstraints builds A and b entry by entry from the definition: row (0, s) has 1 at every
// x_0(s, a), b = μ0(s); row (t+1, s') has 1 at x_{t+1}(s', a) and -P_t(s'|s, a) at x_t(s, a).
func (c polytopeCase) denseConstraints() (*mat.Dense, []float64) {
	m, n := (c.T+1)*c.S, (c.T+1)*c.S*c.A
	A := mat.NewDense(m, n, nil)
	b := make([]float64, m)
	copy(b, c.mu0)
	for t := 0; t <= c.T; t++ {
		for s := 0; s < c.S; s++ {
			for a := 0; a < c.A; a++ {
				A.Set(t*c.S+s, (t*c.S+s)*c.A+a, 1)
				if t == c.T {
					continue
				}
				next, prob := c.moves[t].Successors(s, a)
				for k, sp := range next {
					r, col := (t+1)*c.S+sp, (t*c.S+s)*c.A+a
					A.Set(r, col, A.At(r, col)-prob[k])
				}
			}
		}
	}
	return A, b
}

// bruteForceProjection enumerates every support F among the legal variables, projects d onto
// {x_F : A_F x_F = b} (the min-norm correction d_F + A_F⁺(b - A_F d_F), by SVD), keeps those
// that satisfy the constraints and x ≥ 0, and returns the nearest to d.
func (c polytopeCase) bruteForceProjection(t *testing.T) []float64 {
	A, b := c.denseConstraints()
	m, n := A.Dims()
	var legal []int
	for i := 0; i < n; i++ {
		if c.legal == nil || c.legal[i%(c.S*c.A)] {
			legal = append(legal, i)
		}
	}
	var best []float64
	bestDist := math.Inf(1)
	for mask := 0; mask < 1<<len(legal); mask++ {
		var F []int
		for j, i := range legal {
			if mask>>j&1 == 1 {
				F = append(F, i)
			}
		}
		x := make([]float64, n)
		if len(F) > 0 {
			AF := mat.NewDense(m, len(F), nil)
			dF := mat.NewVecDense(len(F), nil)
			for j, i := range F {
				AF.SetCol(j, mat.Col(nil, i, A))
				dF.SetVec(j, c.d[i])
			}
			rhs := mat.NewVecDense(m, nil)
			rhs.MulVec(AF, dF)
			rhs.SubVec(mat.NewVecDense(m, append([]float64(nil), b...)), rhs)
			var svd mat.SVD
			if !svd.Factorize(AF, mat.SVDThin) {
				t.Fatal("SVD failed")
			}
			var corr mat.Dense
			svd.SolveTo(&corr, rhs, svd.Rank(1e-12))
			for j, i := range F {
				x[i] = c.d[i] + corr.At(j, 0)
			}
		}
		ok := true
		for _, v := range x {
			ok = ok && v >= -1e-12
		}
		res := mat.NewVecDense(m, nil)
		res.MulVec(A, mat.NewVecDense(n, x))
		for r := 0; r < m; r++ {
			ok = ok && math.Abs(res.AtVec(r)-b[r]) <= 1e-10
		}
		if !ok {
			continue
		}
		var dist float64
		for i, v := range x {
			dist += (v - c.d[i]) * (v - c.d[i])
		}
		if dist < bestDist {
			best, bestDist = x, dist
		}
	}
	return best
}

// The projection is the nearest feasible point found by enumerating every support, on small
// random instances with and without illegal actions.
func TestOccupationProjectionMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	sizes := [][3]int{{1, 2, 0}, {2, 2, 0}, {2, 2, 1}, {3, 2, 1}, {2, 3, 1}, {2, 2, 2}, {3, 3, 0}}
	for trial := 0; trial < 21; trial++ {
		sz := sizes[trial%len(sizes)]
		c := randomPolytopeCase(rng, sz[0], sz[1], sz[2], trial%3 == 2)
		got, err := c.polytope(t).Project(c.d, nil)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		want := c.bruteForceProjection(t)
		if want == nil {
			t.Fatalf("trial %d: brute force found no feasible support", trial)
		}
		for i := range want {
			if math.Abs(got.X[i]-want[i]) > 1e-9 {
				t.Fatalf("trial %d (S=%d A=%d T=%d): x[%d] = %.15g, brute force %.15g", trial, c.S, c.A, c.T, i, got.X[i], want[i])
			}
		}
	}
}

// checkKKT checks x and the multiplier λ against the optimality conditions with the dense A:
// x ≥ 0, illegal entries 0, A x = b to 1e-12, and the certificate d + Aᵀλ equal to x (to 1e-9)
// on the support and ≤ 1e-9 off it, which proves x the projection.
func checkKKT(t *testing.T, c polytopeCase, x, lam []float64) {
	t.Helper()
	A, b := c.denseConstraints()
	m, n := A.Dims()
	for i, v := range x {
		if v < 0 || (c.legal != nil && !c.legal[i%(c.S*c.A)] && v != 0) {
			t.Fatalf("x[%d] = %v: infeasible", i, v)
		}
	}
	Ax := mat.NewVecDense(m, nil)
	Ax.MulVec(A, mat.NewVecDense(n, x))
	for r := 0; r < m; r++ {
		if math.Abs(Ax.AtVec(r)-b[r]) > 1e-12 {
			t.Fatalf("row %d: (Ax - b) = %.3g", r, Ax.AtVec(r)-b[r])
		}
	}
	z := mat.NewVecDense(n, nil)
	z.MulVec(A.T(), mat.NewVecDense(m, lam))
	for i := 0; i < n; i++ {
		if c.legal != nil && !c.legal[i%(c.S*c.A)] {
			continue
		}
		zi := c.d[i] + z.AtVec(i)
		if x[i] > 0 && math.Abs(zi-x[i]) > 1e-9 || x[i] == 0 && zi > 1e-9 {
			t.Fatalf("KKT fails at %d: x = %.15g, d + Aᵀλ = %.15g", i, x[i], zi)
		}
	}
}

// On larger instances, the projection meets the optimality conditions, checked with the dense
// constraint matrix.
func TestOccupationProjectionKKT(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 2))
	for trial := 0; trial < 12; trial++ {
		c := randomPolytopeCase(rng, 3+rng.IntN(6), 2+rng.IntN(3), rng.IntN(5), trial%2 == 1)
		got, err := c.polytope(t).Project(c.d, nil)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		checkKKT(t, c, got.X, got.Dual)
	}
}

// A negative initial mass makes the polytope empty: refused, naming the entry.
func TestOccupationPolytopeRefusesEmpty(t *testing.T) {
	c := randomPolytopeCase(rand.New(rand.NewPCG(14, 3)), 3, 2, 1, false)
	c.mu0 = []float64{0.5, -0.25, 0.75}
	_, err := NewOccupationPolytope(c.S, c.A, c.mu0, c.moves, nil)
	if err == nil || !strings.Contains(err.Error(), "mu0[1] = -0.25") {
		t.Fatalf("err = %v, want one naming mu0[1] = -0.25", err)
	}
	c.mu0 = []float64{0.5, 0.25, 0.25}
	p := c.polytope(t)
	d := make([]float64, p.Vars())
	d[2] = math.NaN()
	if _, err := p.Project(d, nil); err == nil || !strings.Contains(err.Error(), "d[2] = NaN") {
		t.Fatalf("err = %v, want one naming d[2] = NaN", err)
	}
	if _, err := p.Project(d[:5], nil); err == nil || !strings.Contains(err.Error(), "d has 5 entries") {
		t.Fatalf("err = %v, want one naming the length of d", err)
	}
}

// occupationOf returns the occupation measure of a random policy through the case's transitions:
// a point of the polytope.
func occupationOf(c polytopeCase, w []float64) []float64 {
	SA := c.S * c.A
	x := make([]float64, (c.T+1)*SA)
	mu := append([]float64(nil), c.mu0...)
	for t := 0; t <= c.T; t++ {
		for s := 0; s < c.S; s++ {
			var tot float64
			for a := 0; a < c.A; a++ {
				if c.legal == nil || c.legal[s*c.A+a] {
					tot += w[t*SA+s*c.A+a]
				}
			}
			for a := 0; a < c.A; a++ {
				if c.legal == nil || c.legal[s*c.A+a] {
					x[t*SA+s*c.A+a] = mu[s] * w[t*SA+s*c.A+a] / tot
				}
			}
		}
		if t < c.T {
			clear(mu)
			nextStates(c.moves[t], mfg.Population{States: c.S, Actions: c.A, Mass: x[t*SA : (t+1)*SA]}, mu)
		}
	}
	return x
}

// Property: the projection is feasible, and no point of the polytope (the occupation measure of
// a random policy) is on the other side of the supporting hyperplane, (d - x)·(y - x) ≤ 0, so
// none is nearer to d.
func TestOccupationProjectionProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		seed := rapid.Uint64().Draw(rt, "seed")
		S, A, T := rapid.IntRange(1, 6).Draw(rt, "S"), rapid.IntRange(1, 4).Draw(rt, "A"), rapid.IntRange(0, 4).Draw(rt, "T")
		checkProjectionProperty(rt, seed, S, A, T, rapid.Bool().Draw(rt, "masked"), rapid.Float64Range(1e-3, 1e3).Draw(rt, "scale"))
	})
}

// The cases the property found against earlier versions: a large d with a single action (the
// polytope a point; the dual linear far from the optimum) and stalls near the optimum where a
// line search on differences of g met rounding.
func TestOccupationProjectionRegressions(t *testing.T) {
	checkProjectionProperty(t, 1, 2, 1, 2, false, 1000)
	checkProjectionProperty(t, 0xbf, 5, 2, 3, true, 288)
	checkProjectionProperty(t, 0xb, 4, 4, 2, false, 142)
	checkProjectionProperty(t, 0, 6, 1, 4, true, 644.875)
}

func checkProjectionProperty(t interface{ Fatalf(string, ...any) }, seed uint64, S, A, T int, masked bool, scale float64) {
	rng := rand.New(rand.NewPCG(seed, 4))
	c := randomPolytopeCase(rng, S, A, T, masked)
	for i := range c.d {
		c.d[i] *= scale
	}
	p, err := NewOccupationPolytope(c.S, c.A, c.mu0, c.moves, c.legal)
	if err != nil {
		t.Fatalf("%v", err)
	}
	got, err := p.Project(c.d, nil)
	if err != nil {
		t.Fatalf("%v", err)
	}
	if r := p.Residual(got.X); r > 1e-12*max(1, scale*3) {
		t.Fatalf("residual %.3g", r)
	}
	w := make([]float64, len(c.d))
	for i := range w {
		w[i] = rng.Float64() + 1e-3
	}
	y := occupationOf(c, w)
	var ip, far float64
	for i, x := range got.X {
		if x < 0 {
			t.Fatalf("x[%d] = %v < 0", i, x)
		}
		ip += (c.d[i] - x) * (y[i] - x)
		far += math.Abs(c.d[i] - x)
	}
	// x is feasible to the residual allowed above, not exactly: moving it that far moves the
	// inner product by up to Σ|d - x| times it (with a single action the polytope is one point
	// and the whole inner product is that rounding, 6.7e-7 at scale 645).
	if ip > 1e-9*max(1, scale)+far*1e-12*max(1, scale*3) {
		t.Fatalf("(d - x)·(y - x) = %.3g > 0: a point of the polytope is nearer", ip)
	}
}

// A warm start at the last multiplier reaches the same projection.
func TestOccupationProjectionWarmStart(t *testing.T) {
	c := randomPolytopeCase(rand.New(rand.NewPCG(14, 5)), 6, 3, 3, false)
	p := c.polytope(t)
	first, err := p.Project(c.d, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range c.d {
		c.d[i] += 1e-3 * math.Sin(float64(i))
	}
	cold, err := p.Project(c.d, nil)
	if err != nil {
		t.Fatal(err)
	}
	warm, err := p.Project(c.d, first.Dual)
	if err != nil {
		t.Fatal(err)
	}
	for i := range cold.X {
		if math.Abs(cold.X[i]-warm.X[i]) > 1e-10 {
			t.Fatalf("x[%d]: cold %.15g, warm %.15g", i, cold.X[i], warm.X[i])
		}
	}
	t.Logf("Newton steps: cold %d, warm %d", cold.NewtonSteps, warm.NewtonSteps)
}
