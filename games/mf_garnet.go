package games

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"

	"meanfield/internal/nprand"
	"meanfield/internal/parallel"
	"meanfield/mfg"
)

// mfGarnetMaxCells bounds S³·A, the entries of the coupling tensor C (4 bytes each, 1.6 GB at
// the bound): enough for Bench-MFG's scaling study (S = 400, A = 6: 3.84e8).
const mfGarnetMaxCells = 4e8

// MFGarnetParams are the parameters of Bench-MFG's MF-Garnet generator, with the values of its
// shipped configuration (config/environment/mf_garnet.yaml).
type MFGarnetParams struct {
	// States is S.
	States int `yaml:"states" range:"2 ≤ states ≤ 400, at least branching, with states³·actions ≤ 4e8" help:"number of states S (the coupling tensor C holds S³A float32 numbers)"`
	// Actions is A.
	Actions int `yaml:"actions" range:"1 ≤ actions ≤ 100, with states³·actions ≤ 4e8" help:"number of actions A"`
	// Noises is N, the number of equiprobable inverse-CDF atoms (n + 0.5)/N.
	Noises int `yaml:"noises" range:"2 ≤ noises ≤ 100000" help:"number N of equiprobable noise atoms: atom n takes the next state at the quantile (n + 0.5)/N"`
	// Branching is b, the number of successors drawn (with replacement) for the base kernel P0.
	Branching int `yaml:"branching" range:"1 ≤ branching ≤ states" help:"number b of successors drawn, with repetition, for each row of the base kernel P0"`
	// Dynamics is how the population enters the transitions: "additive" or "multiplicative".
	Dynamics string `yaml:"dynamics" range:"additive or multiplicative" help:"transition intensity: additive max(0, cp·P0 + ρp·Cμ) or multiplicative P0·max(0, cp + ρp·Cμ)"`
	// Reward is how the population enters the reward: "additive" or "multiplicative".
	Reward string `yaml:"reward" range:"additive or multiplicative" help:"reward: additive cr·R0 + ρr·Mμ or multiplicative R0·(cr + ρr·Mμ)"`
	// GameType is "potential" (M symmetric) or "cyclic" (M antisymmetric).
	GameType string `yaml:"game-type" range:"potential or cyclic" help:"interaction matrix M: potential (symmetrised, (M0 + M0ᵀ)/2) or cyclic (antisymmetrised, (M0 - M0ᵀ)/2)"`
	// RewardScale is the standard deviation of the base rewards R0.
	RewardScale float64 `yaml:"reward-scale" range:"0 ≤ reward-scale ≤ 1e6" help:"standard deviation of the base rewards R0(s, a)"`
	// Eps guards the normalisations.
	Eps float64 `yaml:"eps" range:"0 < eps ≤ 1" help:"ε of the normalisations: p = I/(ΣI + ε), then p/max(Σp, ε), and μ/max(Σμ, ε)"`
	// ReluEps is added to every intensity after the ReLU.
	ReluEps float64 `yaml:"relu-eps" range:"0 ≤ relu-eps ≤ 1e6" help:"added to every transition intensity after the ReLU (0: none)"`
	// Seed is the seed of numpy.random.default_rng that draws the instance.
	Seed int64 `yaml:"seed" range:"seed ≥ 0" max:"-" help:"seed of NumPy's default_rng (PCG64 through SeedSequence) drawing cp, ρp, cr, ρr, P0, C, R0, M"`
	// Discount is γ.
	Discount float64 `yaml:"discount" range:"0 < discount < 1" help:"discount factor γ in (0, 1)"`
}

// DefaultMFGarnetParams returns Bench-MFG's configuration: S = 100, A = 6, 64 atoms, b = 6,
// additive dynamics and reward, a potential game, reward scale 1, ε = 1e-12, no ReLU offset,
// seed 0, γ = 0.9.
func DefaultMFGarnetParams() MFGarnetParams {
	return MFGarnetParams{States: 100, Actions: 6, Noises: 64, Branching: 6, Dynamics: "additive", Reward: "additive",
		GameType: "potential", RewardScale: 1, Eps: 1e-12, Seed: 0, Discount: 0.9}
}

// Validate names the first parameter that is out of range.
func (p MFGarnetParams) Validate() error {
	switch {
	case p.States < 2 || p.States > 400:
		return fmt.Errorf("states = %d: must be between 2 and 400", p.States)
	case p.Actions < 1 || p.Actions > 100:
		return fmt.Errorf("actions = %d: must be between 1 and 100", p.Actions)
	case float64(p.States)*float64(p.States)*float64(p.States)*float64(p.Actions) > mfGarnetMaxCells:
		return fmt.Errorf("states = %d, actions = %d: states³·actions = %.4g exceeds %.0e (the coupling tensor C would take %.3g GB); lower states or actions",
			p.States, p.Actions, p.cells(), float64(mfGarnetMaxCells), 4*p.cells()/1e9)
	case p.Noises < 2 || p.Noises > 100000:
		return fmt.Errorf("noises = %d: must be between 2 and 100000", p.Noises)
	case p.Branching < 1 || p.Branching > p.States:
		return fmt.Errorf("branching = %d: must be between 1 and states = %d", p.Branching, p.States)
	case p.Dynamics != "additive" && p.Dynamics != "multiplicative":
		return fmt.Errorf("dynamics = %q: must be additive or multiplicative", p.Dynamics)
	case p.Reward != "additive" && p.Reward != "multiplicative":
		return fmt.Errorf("reward = %q: must be additive or multiplicative", p.Reward)
	case p.GameType != "potential" && p.GameType != "cyclic":
		return fmt.Errorf("game-type = %q: must be potential or cyclic", p.GameType)
	case p.Seed < 0:
		return fmt.Errorf("seed = %d: must be ≥ 0 (NumPy's SeedSequence takes non-negative integers)", p.Seed)
	}
	if err := checkClosed("reward-scale", p.RewardScale, 0, 1e6); err != nil {
		return err
	}
	if !(p.Eps > 0 && p.Eps <= 1) {
		return fmt.Errorf("eps = %v: must be in (0, 1]", p.Eps)
	}
	if err := checkClosed("relu-eps", p.ReluEps, 0, 1e6); err != nil {
		return err
	}
	return validateDiscount(p.Discount)
}

// cells is S³·A.
func (p MFGarnetParams) cells() float64 {
	S := float64(p.States)
	return S * S * S * float64(p.Actions)
}

// GameSize is S states × A actions, each row reaching at most min(S, N) states (one per atom);
// the game keeps C (4 bytes × S³A), the dense P0 (8 × S²A), M and R0.
func (p MFGarnetParams) GameSize() Size {
	S, A := float64(p.States), float64(p.Actions)
	return Size{States: S, Actions: A, Times: 1, Successors: min(S, float64(p.Noises)),
		Extra: 4*p.cells() + 8*S*S*A + 8*S*S + 8*S*A + 16*S + 8*float64(p.Noises), Params: []string{"states", "actions"}}
}

// MFGarnet is Bench-MFG's MF-Garnet (envs/mf_garnet, docs/MFG_GARNET.md), a random stationary
// mean-field game drawn from numpy.random.default_rng(seed) exactly as Bench-MFG draws it (see
// newMFGarnet for the order). With μ the population's state marginal, divided by max(Σμ, ε):
//
//	g = C[s,a]·μ,  g[y] = Σ_z C[s,a,y,z] μ[z]
//	additive:        I = max(0, cp·P0[s,a] + ρp·g)
//	multiplicative:  I = P0[s,a] ⊙ max(0, cp + ρp·g)
//	p = (I + relu-eps)/(Σ(I + relu-eps) + ε),  then p/max(Σp, ε)
//
// and the transition actually used is p quantised by N equiprobable atoms: atom n goes to the
// first y with cdf[y] > (n + 0.5)/N, cdf the cumulative sum of p, or to S-1 when there is none, so
// each probability is a multiple of 1/N. The reward is h = M[s]·μ and cr·R0[s,a] + ρr·h
// (additive) or R0[s,a]·(cr + ρr·h) (multiplicative). The initial population is uniform.
//
// The coefficients cp, ρp, cr, ρr are the stream's first four uniforms: Bench-MFG overwrites the
// configured ones (0.5 each in mf_garnet.yaml), so they are not parameters here. Bench-MFG's
// matrix launcher (garnet/matrix.py) runs other defaults than the shipped config: reward
// multiplicative (dynamics additive, potential game, S = 100, A = 6, b = 6, seeds 0, 1, ...).
//
// Arithmetic is float64 and follows Bench-MFG's NumPy model (mf_garnet.py) operation by
// operation: C is drawn in float64 and stored as float32, C[s,a]·μ and M[s]·μ are sums in index
// order (as the reference BLAS under NumPy computes them) and Σ is NumPy's pairwise sum
// (numpySum, shared with the OpenSpiel games), so the kernel is NumPy's to the last bit. Bench-MFG's published runs use its JAX
// path in float32, whose cdf can land on the other side of an atom's threshold (n + 0.5)/N where
// float64 does not: those atoms flip to a neighbouring state there, so the float32 game is a
// slightly different game, and no port in float64 reproduces it exactly. The flips are rare: in
// the default instance, NumPy in float32 moves 0 of the 38400 atoms at the uniform μ and 1 at a
// random μ (testdata/mf_garnet_ref.py).
type MFGarnet struct {
	params              MFGarnetParams
	cp, rhoP, cr, rhoR  float64
	p0                  []float64 // P0[s,a,y] at (s·A + a)·S + y, dense
	c                   []float32 // C[s,a,·,·] in blocks of S² at (s·A + a)·S², laid out by interleaveRows
	r0                  []float64 // R0[s,a] at s·A + a
	m                   []float64 // M[s,y] at s·S + y
	additive, addReward bool
	atoms               []float64 // the atoms' quantiles (n + 0.5)/N, n = 0..N-1
	shares              []float64 // k/N, k = 0..N: the probability of k atoms
	last                *mfGarnetLast
}

// mfGarnetLast holds the last MDP built and the state marginal (before normalising) it was built
// at: the solvers often ask for the MDP of one population twice in a row (value iteration's, then
// the exact population step's), and the MDP depends on L only through that marginal.
type mfGarnetLast struct {
	mu  sync.Mutex
	key []float64
	mdp *mfg.MDP
}

// get returns a copy of the MDP kept for the marginal with mu's bits, or nil.
func (l *mfGarnetLast) get(mu []float64) *mfg.MDP {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.mdp == nil || len(l.key) != len(mu) {
		return nil
	}
	for i, v := range mu {
		if math.Float64bits(v) != math.Float64bits(l.key[i]) {
			return nil
		}
	}
	return l.mdp.Clone()
}

// put keeps a copy of m, built at the marginal mu, which it keeps too (the caller's own copy).
func (l *mfGarnetLast) put(mu []float64, m *mfg.MDP) {
	c := m.Clone()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.key, l.mdp = mu, c
}

// NewMFGarnet validates p and draws the instance.
func NewMFGarnet(p MFGarnetParams) (*MFGarnet, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return newMFGarnet(p), nil
}

// newMFGarnet draws, from numpy.random.default_rng(seed), in this order: cp, ρp, cr, ρr (four
// uniform(0, 1)); for s, then a: b successors integers(0, S, size=b) and weights
// dirichlet(ones(b)); C = normal(size=(S, A, S, S)) cast to float32; R0 = normal(0,
// reward-scale, size=(S, A)); M0 = normal(size=(S, S)). P0[s,a] is Bench-MFG's
// base[support] += weights, a NumPy fancy-index update in which a successor drawn twice keeps
// only its last weight (so a row of P0 can sum to less than 1). M = (M0 ± M0ᵀ)/2.
func newMFGarnet(p MFGarnetParams) *MFGarnet {
	S, A, b := p.States, p.Actions, p.Branching
	rng := nprand.DefaultRNG(uint64(p.Seed))
	g := &MFGarnet{params: p, additive: p.Dynamics == "additive", addReward: p.Reward == "additive", last: &mfGarnetLast{}}
	g.cp, g.rhoP, g.cr, g.rhoR = rng.Uniform(0, 1), rng.Uniform(0, 1), rng.Uniform(0, 1), rng.Uniform(0, 1)
	N := p.Noises
	g.atoms, g.shares = make([]float64, N), make([]float64, N+1)
	for n := range g.atoms {
		g.atoms[n] = (float64(n) + 0.5) / float64(N)
	}
	for k := range g.shares {
		g.shares[k] = float64(k) / float64(N)
	}
	g.p0 = make([]float64, S*A*S)
	support, weights := make([]int64, b), make([]float64, b)
	for i := 0; i < S*A; i++ {
		// 0 ≤ 0 < S ≤ 400: the range is valid, no error.
		_ = rng.Integers(0, int64(S), support)
		rng.DirichletOnes(weights)
		row := g.p0[i*S : (i+1)*S]
		for j, y := range support {
			row[y] = weights[j] // the last weight of a repeated successor wins
		}
	}
	g.c = make([]float32, S*A*S*S)
	for i := range g.c {
		g.c[i] = float32(rng.StandardNormal())
	}
	interleaveRows(g.c, S)
	g.r0 = make([]float64, S*A)
	for i := range g.r0 {
		g.r0[i] = rng.Normal(0, p.RewardScale)
	}
	m0 := make([]float64, S*S)
	for i := range m0 {
		m0[i] = rng.StandardNormal()
	}
	sign := 1.0
	if p.GameType == "cyclic" {
		sign = -1
	}
	g.m = make([]float64, S*S)
	for s := 0; s < S; s++ {
		for y := 0; y < S; y++ {
			g.m[s*S+y] = 0.5 * (m0[s*S+y] + sign*m0[y*S+s])
		}
	}
	return g
}

func (g *MFGarnet) Name() string      { return "mf-garnet" }
func (g *MFGarnet) States() int       { return g.params.States }
func (g *MFGarnet) Actions() int      { return g.params.Actions }
func (g *MFGarnet) Discount() float64 { return g.params.Discount }

// StateLabel is the state's index.
func (g *MFGarnet) StateLabel(s int) string { return strconv.Itoa(s) }

// ActionLabel is "action a".
func (g *MFGarnet) ActionLabel(a int) string { return "action " + strconv.Itoa(a) }

// InitialPopulation is uniform on states × actions.
func (g *MFGarnet) InitialPopulation() mfg.Population {
	return mfg.UniformPopulation(g.params.States, g.params.Actions)
}

// MDP returns the rewards and the quantised transitions at the population L. The rows, S² work
// each, are computed over the cores (each row by the same code, so the MDP does not depend on
// their number), then assembled in order. The last MDP is kept: asked again at a population of
// the same state marginal, bit for bit, MDP returns a copy of it.
func (g *MFGarnet) MDP(L mfg.Population) (*mfg.MDP, error) {
	mu, err := stateMarginalOf("mf-garnet", L, g.params.States, g.params.Actions)
	if err != nil {
		return nil, err
	}
	if m := g.last.get(mu); m != nil {
		return m, nil
	}
	key := slices.Clone(mu)
	m, err := g.build(mu)
	if err != nil {
		return nil, err
	}
	g.last.put(key, m)
	return m, nil
}

// build is MDP at the state marginal mu (normalised in place).
func (g *MFGarnet) build(mu []float64) (*mfg.MDP, error) {
	p := g.params
	S, A, N := p.States, p.Actions, p.Noises
	g.normalise(mu)
	counts := make([]int, S*A*S) // atoms sent to y from (s, a), at (s·A + a)·S + y
	parallel.For(S*A, max(1, (1<<17)/(S*S)), func(lo, hi int) {
		probs := make([]float64, S)
		for i := lo; i < hi; i++ {
			g.transition(i/A, i%A, mu, probs)
			quantise(probs, g.atoms, counts[i*S:(i+1)*S])
		}
	})
	b := mfg.NewMDPBuilder(S, A, p.Discount)
	b.Grow(S * A * min(S, N))
	m := b.MDP
	for s := 0; s < S; s++ {
		h := dotInOrder(g.m[s*S:(s+1)*S], mu)
		for a := 0; a < A; a++ {
			i := s*A + a
			m.Reward[i] = g.reward(s, a, h)
			// The successors y increase along the row: no repeat for Add to merge.
			for y, k := range counts[i*S : (i+1)*S] {
				if k > 0 {
					m.Next = append(m.Next, y)
					m.Prob = append(m.Prob, g.shares[k])
				}
			}
			b.EndRow()
		}
	}
	return b.Build()
}

// normalise divides μ by max(Σμ, ε) in place.
func (g *MFGarnet) normalise(mu []float64) {
	d := max(numpySum(mu), g.params.Eps)
	for i := range mu {
		mu[i] /= d
	}
}

// reward is cr·R0[s,a] + ρr·h or R0[s,a]·(cr + ρr·h), h = M[s]·μ. The conversions keep each
// product rounded on its own (no fused multiply-add), as NumPy computes it.
func (g *MFGarnet) reward(s, a int, h float64) float64 {
	r0 := g.r0[s*g.params.Actions+a]
	if g.addReward {
		return float64(g.cr*r0) + float64(g.rhoR*h)
	}
	return r0 * (g.cr + float64(g.rhoR*h))
}

// transition writes p(·|s, a, μ) (before quantisation) to out; μ is normalised.
func (g *MFGarnet) transition(s, a int, mu, out []float64) {
	p := g.params
	S := p.States
	i := s*p.Actions + a
	base := g.p0[i*S : (i+1)*S]
	matVecGrouped(g.c[i*S*S:(i+1)*S*S], mu, out)
	for y, gy := range out {
		var v float64
		if g.additive {
			v = max(0, float64(g.cp*base[y])+float64(g.rhoP*gy))
		} else {
			v = base[y] * max(0, g.cp+float64(g.rhoP*gy))
		}
		out[y] = v + p.ReluEps
	}
	denom := numpySum(out) + p.Eps
	for y := range out {
		out[y] /= denom
	}
	d := max(numpySum(out), p.Eps)
	for y := range out {
		out[y] /= d
	}
}

// quantise counts, for each state y, the atoms n = 0..N-1 whose quantile u = atoms[n] = (n +
// 0.5)/N falls to y: the first y with cdf[y] > u (NumPy's searchsorted(cdf, u, side="right")),
// cdf the running sum of p, or the last state when u ≥ cdf[S-1]. Walking the states, each takes
// the next atoms until one has cdf[y] ≤ u; the quantiles increase, so that atom and the later
// ones lie further on (a NaN cdf takes every atom left, as no u is at or above it).
func quantise(p, atoms []float64, counts []int) {
	clear(counts)
	n, cdf, last := 0, p[0], len(p)-1
	for y := 0; y < last; y++ {
		if y > 0 {
			cdf += p[y]
		}
		k := n
		for k < len(atoms) && !(cdf <= atoms[k]) {
			k++
		}
		counts[y], n = k-n, k
		if n == len(atoms) {
			return
		}
	}
	counts[last] = len(atoms) - n
}

// interleaveRows lays out each block c[k·S²:(k+1)·S²] (a row-major S×S matrix, row y at y·S) in
// groups of four rows: rows 4j..4j+3 take c[k·S² + 4j·S:][:4S] with entry (4j + l, z) at 4z + l,
// so that the four rows' entries at one z are adjacent; the last S mod 4 rows stay row-major.
func interleaveRows(c []float32, S int) {
	tmp := make([]float32, 4*S)
	for base := 0; base+S*S <= len(c); base += S * S {
		for y := 0; y+4 <= S; y += 4 {
			grp := c[base+y*S:][:4*S]
			copy(tmp, grp)
			for l := range 4 {
				for z, v := range tmp[l*S : (l+1)*S] {
					grp[4*z+l] = v
				}
			}
		}
	}
}

// matVecGrouped writes out[y] = Σ_z C[y, z]·μ[z] (S = len(μ)) for a block c laid out by
// interleaveRows, each sum in z order as the reference BLAS's dgemv adds it: the groups of four
// rows by matVecGroups (AVX where there is), the last S mod 4 rows one by one.
func matVecGrouped(c []float32, mu, out []float64) {
	S := len(mu)
	q := S &^ 3
	matVecGroups(c[:q*S], mu, out[:q])
	for y := q; y < S; y++ {
		r, sy := c[y*S:][:S], 0.0
		for z, m := range mu {
			sy += float64(float64(r[z]) * m)
		}
		out[y] = sy
	}
}

// matVecGroupsGo writes, for each group j of four interleaved rows c[4jS:][:4S] (len(out) = 4·the
// groups), out[4j + l] = Σ_z c[4jS + 4z + l]·μ[z], in z order, each product rounded on its own.
func matVecGroupsGo(c []float32, mu, out []float64) {
	S := len(mu)
	for y := 0; y+4 <= len(out); y += 4 {
		grp := c[y*S:][:4*S]
		var s0, s1, s2, s3 float64
		for z, m := range mu {
			e := grp[4*z:][:4]
			s0 += float64(float64(e[0]) * m)
			s1 += float64(float64(e[1]) * m)
			s2 += float64(float64(e[2]) * m)
			s3 += float64(float64(e[3]) * m)
		}
		out[y], out[y+1], out[y+2], out[y+3] = s0, s1, s2, s3
	}
}

// dotInOrder is Σ_i x[i]·y[i] summed in index order, products rounded on their own.
func dotInOrder(x, y []float64) float64 {
	s := 0.0
	for i, v := range x {
		s += float64(v * y[i])
	}
	return s
}

func init() {
	Register("mf-garnet", "a random stationary MFG: sparse base kernel, population-coupled transitions and rewards (Bench-MFG MF-Garnet)",
		"Bench-MFG src/benchmfg/envs/mf_garnet (lorenzomagnino/Bench-MFG 3ec7b28)", DefaultMFGarnetParams, NewMFGarnet)
}
