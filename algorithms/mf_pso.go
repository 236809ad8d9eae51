package algorithms

import (
	"context"
	"fmt"
	"math"

	"meanfield/engine"
	"meanfield/internal/parallel"
	"meanfield/mfg"
	"meanfield/rl"
	"meanfield/seeds"
)

func init() {
	Register("mf-pso",
		"particle swarm minimising the exploitability over softmax policies of logits (gradient-free)",
		"Bench-MFG pso_jax.py (MF-PSO); Kennedy and Eberhart 1995, Shi and Eberhart 1998 (inertia weight)", 150,
		func() *MFPSO {
			return &MFPSO{Particles: 200, Temperature: 0.2, Inertia: 0.4, C1: 0.5, C2: 1.5}
		},
		func(m *MFPSO) (engine.Algorithm, error) { return *m, nil })
}

// MFPSO is Bench-MFG's MF-PSO: a particle swarm minimising the exploitability E over policies
// π_x(·|t,s) = softmax(x(t,s,·)/Temperature) of logits x in R^{T1·S·A} (T1 = 1 on stationary
// games, the T+1 time steps of finite-horizon ones; illegal actions get no mass). Each of the N =
// Particles particles has a position X_i, a velocity V_i and a best position P_i; g is the swarm's
// best position. Initially X ~ U(−1, 1) and V ~ 0.1·N(0, 1) entrywise, P = X and g the X_i of least
// E. Each step draws r1, r2 ~ U(0, 1) entrywise and moves every particle,
//
//	V_i ← w V_i + c1 r1 ⊙ (P_i − X_i) + c2 r2 ⊙ (g − X_i),   X_i ← X_i + V_i,
//
// (w = Inertia), evaluates f_i = E(π_{X_i}) and updates the bests: P_i ← X_i when f_i is below
// the particle's best value, and g ← the best P_i when its value is below g's. The iterate is
// π_g, whose exploitability therefore never increases. E is this engine's exploitability
// (engine.Evaluation.Exploitability, the population search starting from the game's own).
//
// BenchMFGUpdate reproduces Bench-MFG's update instead (see Swarm): P_i ← X_i only when f_i is
// below g's value, and the velocity is not carried over, so each step's inertia term is w V_0.
// Bench-MFG's exploitability itself (a 50-step push-forward from a start that PSO moves every
// iteration) is the package benchmfg's.
//
// The start policy π_0 is not used: iteration 0 is the best particle of the initial swarm.
// Bench-MFG's mellowmax policies are not offered: its mellowmax_jax returns A·softmax(ω x), which
// does not sum to one; normalised, that is Temperature = 1/ω.
type MFPSO struct {
	Particles      int     `yaml:"particles" help:"swarm size N"`
	Temperature    float64 `yaml:"policy-temperature" help:"τ (Bench-MFG's temperature): a particle's policy is softmax(x/τ) of its logits x"`
	Inertia        float64 `yaml:"inertia" help:"w: weight of the velocity carried over"`
	C1             float64 `yaml:"c1" help:"cognitive weight: pull toward the particle's best position"`
	C2             float64 `yaml:"c2" help:"social weight: pull toward the swarm's best position"`
	BenchMFGUpdate bool    `yaml:"benchmfg-update" help:"Bench-MFG's update: a particle's best position is replaced only when it beats the swarm's best value, and the velocity is not carried over (inertia term w·V_0)"`
}

// Name is "mf-pso".
func (MFPSO) Name() string { return "mf-pso" }

// Validate checks Particles >= 1, Temperature > 0 and Inertia, C1, C2 >= 0, all finite.
func (m MFPSO) Validate() error {
	if m.Particles < 1 {
		return fmt.Errorf("particles = %d: must be at least 1", m.Particles)
	}
	if !(m.Temperature > 0) || math.IsInf(m.Temperature, 0) {
		return fmt.Errorf("policy-temperature = %v: must be positive and finite", m.Temperature)
	}
	for _, p := range []struct {
		name string
		v    float64
	}{{"inertia", m.Inertia}, {"c1", m.C1}, {"c2", m.C2}} {
		if !(p.v >= 0) || math.IsInf(p.v, 0) {
			return fmt.Errorf("%s = %v: must be non-negative and finite", p.name, p.v)
		}
	}
	return nil
}

// Applies accepts every game whose policies can be evaluated.
func (m MFPSO) Applies(g mfg.Game) error { return needsModel(m.Name(), g) }

// UsesSeed: the swarm's positions, velocities and pulls are drawn.
func (MFPSO) UsesSeed() bool { return true }

// String describes the swarm.
func (m MFPSO) String() string {
	s := fmt.Sprintf("%d particles, softmax temperature %g, inertia %g, c1 %g, c2 %g", m.Particles, m.Temperature, m.Inertia, m.C1, m.C2)
	if m.BenchMFGUpdate {
		s += ", Bench-MFG's update"
	}
	return s
}

// Begin draws the swarm from the stream of s.Seed and evaluates it.
func (m MFPSO) Begin(ctx context.Context, s engine.Start) (engine.Run, engine.Iterate, error) {
	g := s.Problem.Game()
	r := &psoRun{p: s.Problem, rng: seeds.New(s.Seed, seeds.Swarm), temp: m.Temperature,
		times: s.Problem.Times(), S: g.States(), A: g.Actions(), legal: s.Problem.Legal()}
	r.swarm = NewSwarm(m.Particles, r.times*r.S*r.A, m.Inertia, m.C1, m.C2, m.BenchMFGUpdate, r.rng)
	f, err := r.evaluate(ctx)
	if err != nil {
		return nil, engine.Iterate{}, err
	}
	r.swarm.Start(f)
	return r, engine.Iterate{Policy: r.policy(r.swarm.G)}, nil
}

type psoRun struct {
	p           *engine.Problem
	swarm       *Swarm
	rng         SwarmRandom
	temp        float64
	times, S, A int
	legal       []bool
}

// ReleasesEvaluations tells the engine that the run keeps nothing of an evaluation after Step.
func (*psoRun) ReleasesEvaluations() {}

// ReadsNoPolicyQ tells the engine that Step reads no Q^π of the evaluation (nothing of it).
func (*psoRun) ReadsNoPolicyQ() {}

// Step moves the swarm once, evaluates it and returns the policy of its best position.
func (r *psoRun) Step(ctx context.Context, _ int, _ *engine.Evaluation) (engine.Iterate, error) {
	r.swarm.Move(r.rng)
	f, err := r.evaluate(ctx)
	if err != nil {
		return engine.Iterate{}, err
	}
	r.swarm.Update(f)
	return engine.Iterate{Policy: r.policy(r.swarm.G)}, nil
}

// evaluate returns every particle's exploitability, computed in parallel: each worker evaluates
// a block of particles on its own engine.Problem, and every value depends on its particle alone,
// so the values do not depend on the number of workers.
func (r *psoRun) evaluate(ctx context.Context) ([]float64, error) {
	n, dim := r.swarm.N, r.swarm.Dim
	f, errs := make([]float64, n), make([]error, n)
	parallel.For(n, 1, func(lo, hi int) {
		p := r.p.Worker()
		for i := lo; i < hi; i++ {
			if errs[i] = ctx.Err(); errs[i] != nil {
				return
			}
			f[i], errs[i] = p.Evaluate(r.policy(r.swarm.X[i*dim:(i+1)*dim]), nil).Exploitability(ctx)
			if errs[i] != nil {
				return
			}
		}
	})
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("particle %d: %w", i, err)
		}
	}
	return f, nil
}

// policy returns softmax(x(t,s,·)/τ) for every time step and state, illegal actions excluded.
func (r *psoRun) policy(x []float64) []mfg.Policy {
	S, A := r.S, r.A
	pi := newPolicy(r.times, S, A)
	row := make([]float64, A)
	for t := range pi {
		for s := 0; s < S; s++ {
			copy(row, x[(t*S+s)*A:(t*S+s+1)*A])
			for a := range row {
				if r.legal != nil && !r.legal[s*A+a] {
					row[a] = math.Inf(-1) // no mass
				}
			}
			rl.Softmax(pi[t].Prob[s*A:(s+1)*A], row, 1/r.temp)
		}
	}
	return pi
}

// SwarmRandom is a swarm's random stream: Float64 uniform on [0, 1), NormFloat64 standard normal
// (*rand.Rand of math/rand/v2; nprand.Legacy for NumPy's legacy global stream).
type SwarmRandom interface {
	Float64() float64
	NormFloat64() float64
}

// Swarm is a particle swarm minimising a function f over R^Dim, the core of MFPSO, drawn and
// updated in NumPy's order so that Bench-MFG's PSO is this with its stream (nprand.Legacy).
// X, V and P are N×Dim, row-major; PValue are the particles' best values (standard rule only);
// G is the swarm's best position and GValue its value.
//
// Standard rule (BenchMFG false): V ← w V + c1 r1 ⊙ (P − X) + c2 r2 ⊙ (G − X), X ← X + V; P_i ←
// X_i, PValue_i ← f_i where f_i < PValue_i; then G ← P_j, GValue ← PValue_j for the first j of
// least PValue when PValue_j < GValue.
//
// Bench-MFG's rule (BenchMFG true, pso_jax.py's dynamic and update): the velocity computed moves
// X but is not stored, so V stays V_0; P_i ← X_i where f_i < GValue (no personal-best values);
// then G ← X_j, GValue ← f_j for the first j of least f when f_j < GValue.
//
// f values that are NaN never count as improvements.
type Swarm struct {
	N, Dim    int
	W, C1, C2 float64
	BenchMFG  bool
	X, V, P   []float64
	PValue    []float64
	G         []float64
	GValue    float64
	r1, r2    []float64
}

// NewSwarm draws X ~ U(−1, 1) (as −1 + 2u, NumPy's uniform(−1, 1)) for all N·Dim entries in
// row-major order, then V = 0.1·N(0, 1) likewise: np.random.uniform(-1, 1, (N, Dim)) followed by
// np.random.randn(N, Dim) * 0.1.
func NewSwarm(n, dim int, w, c1, c2 float64, benchMFG bool, rnd SwarmRandom) *Swarm {
	s := &Swarm{N: n, Dim: dim, W: w, C1: c1, C2: c2, BenchMFG: benchMFG,
		X: make([]float64, n*dim), V: make([]float64, n*dim), P: make([]float64, n*dim),
		PValue: make([]float64, n), G: make([]float64, dim), GValue: math.Inf(1),
		r1: make([]float64, n*dim), r2: make([]float64, n*dim)}
	for k := range s.X {
		s.X[k] = -1 + 2*rnd.Float64()
	}
	for k := range s.V {
		s.V[k] = rnd.NormFloat64() * 0.1
	}
	return s
}

// Start takes the values f of the initial positions: P = X, PValue = f (NaN read as +Inf), G the
// first position of least value.
func (s *Swarm) Start(f []float64) {
	copy(s.P, s.X)
	for i, v := range f {
		s.PValue[i] = v
		if math.IsNaN(v) {
			s.PValue[i] = math.Inf(1)
		}
	}
	s.GValue = math.Inf(1)
	if j := argminFinite(f); j >= 0 {
		copy(s.G, s.X[j*s.Dim:(j+1)*s.Dim])
		s.GValue = f[j]
	}
}

// Move draws r1 (all N·Dim entries), then r2, each U(0, 1), and moves every particle. Each
// velocity entry is (w·v + (c1·r1)·(p − x)) + (c2·r2)·(g − x), every product rounded on its own
// (no fused multiply-add), as NumPy evaluates the expression.
func (s *Swarm) Move(rnd SwarmRandom) {
	for k := range s.r1 {
		s.r1[k] = rnd.Float64()
	}
	for k := range s.r2 {
		s.r2[k] = rnd.Float64()
	}
	for i := 0; i < s.N; i++ {
		for d := 0; d < s.Dim; d++ {
			k := i*s.Dim + d
			x := s.X[k]
			cog := float64(s.C1*s.r1[k]) * float64(s.P[k]-x)
			soc := float64(s.C2*s.r2[k]) * float64(s.G[d]-x)
			v := float64(float64(s.W*s.V[k])+float64(cog)) + float64(soc)
			if !s.BenchMFG {
				s.V[k] = v
			}
			s.X[k] = x + v
		}
	}
}

// Update takes the values f of the current positions and updates the best positions; it reports
// whether G changed.
func (s *Swarm) Update(f []float64) bool {
	if s.BenchMFG {
		for i, v := range f {
			if v < s.GValue {
				copy(s.P[i*s.Dim:(i+1)*s.Dim], s.X[i*s.Dim:(i+1)*s.Dim])
			}
		}
		if j := argminFinite(f); j >= 0 && f[j] < s.GValue {
			copy(s.G, s.P[j*s.Dim:(j+1)*s.Dim])
			s.GValue = f[j]
			return true
		}
		return false
	}
	for i, v := range f {
		if v < s.PValue[i] {
			copy(s.P[i*s.Dim:(i+1)*s.Dim], s.X[i*s.Dim:(i+1)*s.Dim])
			s.PValue[i] = v
		}
	}
	if j := argminFinite(s.PValue); j >= 0 && s.PValue[j] < s.GValue {
		copy(s.G, s.P[j*s.Dim:(j+1)*s.Dim])
		s.GValue = s.PValue[j]
		return true
	}
	return false
}

// argminFinite is the first index of the least value that is not NaN, or −1 if all are NaN.
func argminFinite(f []float64) int {
	j := -1
	for i, v := range f {
		if !math.IsNaN(v) && (j < 0 || v < f[j]) {
			j = i
		}
	}
	return j
}
