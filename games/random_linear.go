package games

import (
	"fmt"
	"math"
	"meanfield/internal/fastmath"
	"meanfield/internal/nprand"
	"strconv"

	"meanfield/mfg"
)

// RandomLinearParams are the parameters of the random-linear game (MFGLib's names and defaults).
// The game is built from four random tensors; each one left empty is drawn from Seed exactly as
// MFGLib draws it (see NewRandomLinear), and each one given is used as it is.
type RandomLinearParams struct {
	T    int     `yaml:"T" range:"0 ≤ T ≤ 1000000" help:"last time step T ≥ 0: T+1 time steps t = 0..T"`
	N    int     `yaml:"n" range:"1 ≤ n ≤ 1000000" help:"number of states n, also the number of actions"`
	M    float64 `yaml:"m" range:"m ≥ 0, finite" help:"bound m ≥ 0: random coefficients are uniform on [-m, m)"`
	Seed int64   `yaml:"seed" range:"any whole number from -9223372036854775808 to 9223372036854775807" max:"-" help:"seed of the random tensors, as torch.manual_seed in MFGLib"`
	// Mu0 is the initial distribution over the n states; empty means uniform.
	Mu0 []float64 `yaml:"mu0" range:"empty (uniform), or n probabilities summing to 1" help:"initial distribution μ0 over the n states (empty: uniform)"`
	// R1 and R2 (n×n, row-major) give the reward r(s, a) = Σ_k R1[s,k] L_t(k, a) + R2[s,a].
	R1 []float64 `yaml:"r1" range:"empty (from seed), or n×n finite numbers" help:"reward coefficients R1[s,k] on L_t(k, a), n×n row-major (empty: from seed)"`
	R2 []float64 `yaml:"r2" range:"empty (from seed), or n×n finite numbers" help:"reward offsets R2[s,a], n×n row-major (empty: from seed)"`
	// P1 and P2 (n×n×n, row-major, first index the next state s') give the transition
	// P(s'|s, a) = softmax over s' of Σ_k P1[s',s,k] L_t(k, a) + P2[s',s,a].
	P1 []float64 `yaml:"p1" range:"empty (from seed), or n×n×n finite numbers" help:"transition logit coefficients P1[s',s,k] on L_t(k, a), n×n×n (empty: from seed)"`
	P2 []float64 `yaml:"p2" range:"empty (from seed), or n×n×n finite numbers" help:"transition logit offsets P2[s',s,a], n×n×n row-major (empty: from seed)"`
}

// DefaultRandomLinearParams is MFGLib's default: T = 3, n = 5, m = 10, seed = 0, the tensors
// drawn from the seed.
func DefaultRandomLinearParams() RandomLinearParams {
	return RandomLinearParams{T: 3, N: 5, M: 10}
}

// GameSize is n states × n actions × T+1 times, every row dense (n successors); the game keeps
// its coefficients R1, R2 (n² each) and P1, P2 (n³ each), and the rows' layout its stages share
// (n³ + 2n² + 2 indices); for 3 ≤ n ≤ 8, also the coefficients in planes and their scratch
// ((n+1)² + 2n + 2 rows of planesWidth(n) ≈ n² numbers), for n = 5 with lane 24's 48 (tailOf5).
func (p RandomLinearParams) GameSize() Size {
	n := float64(p.N)
	extra := 3*n*n*n + 4*n*n + n + 2
	if p.N >= planesMinN && p.N <= planesMaxN {
		w := float64(planesWidth(p.N))
		extra += ((n+1)*(n+1) + 2*n + 2) * w
	}
	if p.N == 5 {
		extra += 6 * 8
	}
	return Size{States: n, Actions: n, Times: float64(p.T) + 1, Successors: n,
		Extra: 8 * extra, Params: []string{"n", "T"}}
}

// Validate names the first parameter out of range. MFGLib checks none of them beyond mu0.
func (p RandomLinearParams) Validate() error {
	switch {
	case p.T < 0:
		return fmt.Errorf("last time step T = %d: must be non-negative (time steps t = 0..T)", p.T)
	case p.N < 1:
		return fmt.Errorf("n = %d: the game needs at least 1 state", p.N)
	case !(p.M >= 0) || math.IsInf(p.M, 0):
		return fmt.Errorf("m = %v: the bound on the random coefficients must be non-negative and finite", p.M)
	}
	n := p.N
	for _, c := range []struct {
		name string
		v    []float64
		size int
	}{{"r1", p.R1, n * n}, {"r2", p.R2, n * n}, {"p1", p.P1, n * n * n}, {"p2", p.P2, n * n * n}} {
		if len(c.v) == 0 {
			continue
		}
		if len(c.v) != c.size {
			return fmt.Errorf("%s = %s: has %d entries, want %d (empty: drawn from the seed)", c.name, shownValues(c.v), len(c.v), c.size)
		}
		for i, x := range c.v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("%s = %s: entry %d = %v: must be finite", c.name, shownValues(c.v), i, x)
			}
		}
	}
	return checkMu0(p.Mu0, n)
}

// RandomLinear is MFGLib's random-linear game: n states, n actions, rewards and transition logits
// affine in the mean field with random coefficients uniform on [-m, m):
//
//	r_t(s, a)     = Σ_k R1[s,k] L_t(k, a) + R2[s,a],
//	P_t(s'|s, a) ∝ exp(Σ_k P1[s',s,k] L_t(k, a) + P2[s',s,a]).
//
// Note that both contract the state index of L_t and keep its action index: the pair (s, a)
// depends on the column L_t(·, a) of the joint state-action distribution, which is how MFGLib's
// matrix products r1 @ L_t and p1 @ L_t read.
type RandomLinear struct {
	p              RandomLinearParams
	r1, r2, p1, p2 []float64
	// rowStart and next are the layout of every stage's transitions: row i = s·n+a holds the
	// successors 0..n-1 at entries i·n..i·n+n-1. noRows is that of stage T, every row empty.
	rowStart, next, noRows []int
	// planes is the coefficients' layout for stages in planes (planesMinN ≤ n ≤ planesMaxN), else
	// nil.
	planes *planes
}

// NewRandomLinear validates p and returns the game. Tensors not given are drawn as MFGLib's
// Environment.random_linear does after torch.manual_seed(seed): from a Mersenne Twister (MT19937)
// seeded with the low 32 bits of seed (two's complement for a negative seed, as torch), in the order r1, r2, p1, p2, each a row-major run of
// torch.rand draws u = (32-bit output mod 2^24) / 2^24 mapped to float32(float32(2m) u) -
// float32(m). With the default seed and sizes these are MFGLib's tensors bit for bit.
func NewRandomLinear(p RandomLinearParams) (*RandomLinear, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	n := p.N
	g := &RandomLinear{p: p}
	mt := nprand.NewMT19937(uint32(p.Seed))
	draw := func(given []float64, size int) []float64 {
		out := make([]float64, size)
		twoM, m := float32(2*p.M), float32(p.M)
		for i := range out {
			u := float32(mt.Uint32()&(1<<24-1)) / (1 << 24)
			out[i] = float64(float32(twoM*u) - m)
		}
		if len(given) > 0 {
			copy(out, given)
		}
		return out
	}
	g.r1, g.r2 = draw(p.R1, n*n), draw(p.R2, n*n)
	g.p1, g.p2 = draw(p.P1, n*n*n), draw(p.P2, n*n*n)
	g.rowStart, g.next, g.noRows = make([]int, n*n+1), make([]int, n*n*n), make([]int, n*n+1)
	for i := range g.rowStart {
		g.rowStart[i] = i * n
	}
	for i := range g.next {
		g.next[i] = i % n
	}
	if n >= planesMinN && n <= planesMaxN {
		g.planes = newPlanes(n, g.r1, g.r2, g.p1, g.p2)
	}
	return g, nil
}

// Tensors returns the coefficients in use (row-major copies): R1, R2, P1, P2.
func (g *RandomLinear) Tensors() (r1, r2, p1, p2 []float64) {
	c := func(x []float64) []float64 { return append([]float64(nil), x...) }
	return c(g.r1), c(g.r2), c(g.p1), c(g.p2)
}

func (g *RandomLinear) Name() string             { return "random-linear" }
func (g *RandomLinear) Horizon() int             { return g.p.T }
func (g *RandomLinear) StateShape() []int        { return []int{g.p.N} }
func (g *RandomLinear) ActionShape() []int       { return []int{g.p.N} }
func (g *RandomLinear) States() int              { return mfg.Size(g.StateShape()) }
func (g *RandomLinear) Actions() int             { return mfg.Size(g.ActionShape()) }
func (g *RandomLinear) InitialStates() []float64 { return mu0OrUniform(g.p.Mu0, g.p.N) }

// StateLabel is the index s: the states of random tensors have no other name.
func (g *RandomLinear) StateLabel(s int) string { return strconv.Itoa(s) }

// ActionLabel is the index a: the actions of random tensors have no other name.
func (g *RandomLinear) ActionLabel(a int) string { return strconv.Itoa(a) }

// Stage returns the rewards and transitions at L_t (both depend on it); at t = T the rewards
// only (mfg.Finite reads no transition there), the rows empty. Every row reaches the n states in
// order, so the rows' layout (RowStart, Next) is the game's, shared by its stages; each stage
// holds its rewards and probabilities in one allocation.
func (g *RandomLinear) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	n := g.p.N
	nn, nnn := n*n, n*n*n
	if t == g.p.T {
		nnn = 0
	}
	buf := make([]float64, nn+nnn)
	m := &mfg.MDP{Reward: buf[:nn:nn], Prob: buf[nn : nn+nnn : nn+nnn]}
	g.fill(t, L, m)
	return m, nil
}

// WriteStage is Stage in dst (mfg.StageWriter): the rewards in dst.Reward, the probabilities over
// those of the last WriteStage on dst where they fit (this game's own memory, never shared), else
// in new memory. A solve's stages then allocate nothing from one mean field to the next.
func (g *RandomLinear) WriteStage(t int, L mfg.Population, dst *mfg.MDP) error {
	n := g.p.N
	nnn := n * n * n
	if t == g.p.T {
		nnn = 0
	}
	// The slices are written only when they change: each write costs a barrier while the
	// collector marks.
	if len(dst.Prob) != nnn || cap(dst.Prob) != nnn { // a stage T's empty rows fit no other
		dst.Prob = make([]float64, nnn)
	}
	if nn := n * n; len(dst.Reward) != nn || cap(dst.Reward) != nn {
		dst.Reward = dst.Reward[:nn:nn]
	}
	g.fill(t, L, dst)
	return nil
}

// fill sets m to stage t at L_t, in m's memory of rewards (n×n) and probabilities (n³, none at T).
// For planesMinN ≤ n ≤ planesMaxN the game's planes compute it (planes.fill): the same operations
// on all rows at once, four in AVX registers. Otherwise the sums over k run in order, as the
// formulas read, for all actions a at once (independent sums, which the processor overlaps), and
// the n³ exponentials are taken in one call of fastmath.ExpInto.
func (g *RandomLinear) fill(t int, L mfg.Population, m *mfg.MDP) {
	n := g.p.N
	nn, nnn := n*n, len(m.Prob)
	m.States, m.Actions, m.Discount = n, n, 0
	rowStart, next := g.rowStart, g.next
	if nnn == 0 {
		rowStart, next = g.noRows, nil
	}
	// Pointers are written only when they change: each write costs a barrier while the collector
	// marks.
	if !same(m.RowStart, rowStart) || !same(m.Next, next) || m.Legal != nil || m.Stencil != nil {
		m.RowStart, m.Next, m.Legal, m.Stencil = rowStart, next, nil, nil
	}
	if g.planes != nil {
		g.planes.fill(L.Mass, m)
		return
	}
	var zs [8]float64 // z(s') of every a: on the stack for n ≤ 8 (MFGLib's n = 5)
	z := zs[:min(n, len(zs))]
	if n > len(zs) {
		z = make([]float64, n)
	}
	for s := 0; s < n; s++ {
		affineInL(m.Reward[s*n:(s+1)*n], g.r2[s*n:(s+1)*n], g.r1[s*n:(s+1)*n], L.Mass)
		if nnn == 0 {
			continue
		}
		rows := m.Prob[s*nn : (s+1)*nn] // rows (s, a), a = 0..n-1, each over s'
		for sp := 0; sp < n; sp++ {
			i := (sp*n + s) * n
			affineInL(z, g.p2[i:i+n], g.p1[i:i+n], L.Mass) // z(s') of every a
			for a, v := range z {
				rows[a*n+sp] = v
			}
		}
	}
	if nnn > 0 {
		for i := 0; i < nnn; i += n {
			shiftByMax(m.Prob[i : i+n])
		}
		softmaxRows(m.Prob, n)
	}
}

// affineInL sets dst[a] = b[a] + Σ_k c[k]·L(k, a) for a < len(dst), L(k, a) = mass[k·len(dst)+a],
// adding the terms k = 0, 1, … in order into one accumulator per a, as the formula reads. The
// accumulator form matters even for NaNs: of two NaN addends amd64 keeps the first operand's, and
// the compiler makes that the accumulator, as in the formula (TestRandomLinearStageMatchesFormula
// BitForBit checks; summing in place into dst[a] kept the product's).
func affineInL(dst, b, c, mass []float64) {
	n := len(dst)
	a := 0
	for ; a+4 <= n; a += 4 { // four independent sums at a time, their additions overlapping
		v0, v1, v2, v3 := b[a], b[a+1], b[a+2], b[a+3]
		for k, ck := range c {
			l := mass[k*n+a : k*n+a+4]
			v0 += float64(ck * l[0])
			v1 += float64(ck * l[1])
			v2 += float64(ck * l[2])
			v3 += float64(ck * l[3])
		}
		dst[a], dst[a+1], dst[a+2], dst[a+3] = v0, v1, v2, v3
	}
	for ; a < n; a++ {
		v := b[a]
		for k, ck := range c {
			v += float64(ck * mass[k*n+a])
		}
		dst[a] = v
	}
}

// softmaxRows replaces each row of n shifted logits in p by its softmax: every exponential in one
// call of fastmath.ExpInto (math.Exp's bits), then each row divided by its sum, summed in order.
func softmaxRows(p []float64, n int) {
	fastmath.ExpInto(p, p)
	for len(p) > 0 {
		e := p[:n]
		var sum float64
		for _, v := range e {
			sum += v
		}
		for sp, v := range e {
			e[sp] = v / sum
		}
		p = p[n:]
	}
}

// shiftByMax subtracts from the logits z their maximum, math.Max's (+Inf when a logit is, else
// NaN when one is): the softmax is then exp(z)/Σ exp(z), and the best logit's exponential is
// exactly 1 (math.Exp(±0) = 1).
func shiftByMax(z []float64) {
	best := math.Inf(-1)
	for _, v := range z {
		best = max(best, v) // no branch to mispredict; NaN wins, ±0 as math.Max
	}
	if best != best { // math.Max's NaN, unless a logit is +Inf, which wins over NaN there
		best = math.NaN()
		for _, v := range z {
			if math.IsInf(v, 1) {
				best = v
			}
		}
	}
	for i, v := range z {
		z[i] = v - best
	}
}

func init() {
	Register("random-linear", "rewards and transition logits affine in the mean field with random coefficients",
		"MFGLib 0.3.0 random_linear", DefaultRandomLinearParams,
		func(p RandomLinearParams) (mfg.Finite, error) { return NewRandomLinear(p) })
}
