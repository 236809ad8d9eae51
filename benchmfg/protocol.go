package benchmfg

import (
	"fmt"
	"math"

	"meanfield/internal/nprand"
	"meanfield/mfg"
	"meanfield/rl"
)

// Options are the protocol's lengths, Bench-MFG's defaults from DefaultOptions.
type Options struct {
	// Horizon is Bench-MFG's horizon H: truncated value iterations run H−1 backups from V = 0.
	Horizon int
	// ExploitSteps is K of the exploitability's population μ_π = Φ_π^K(start) (Bench-MFG's
	// MEAN_FIELD_FIXED_POINT_ITERATIONS, 50).
	ExploitSteps int
	// LearnerSteps is the number of population steps the learners take per update, and from μ0 to
	// their first mean field (20).
	LearnerSteps int
	// Iterations is the number of learner iterations (num_iterations, 150).
	Iterations int
	// InitTemperature is the temperature of π0 = softmax(logits/T) (init_policy_temp, 0.2).
	InitTemperature float64
}

// DefaultOptions returns Bench-MFG's shipped lengths: horizon 100 (99 backups), 50 population
// steps in the exploitability, 20 in the learners, 150 iterations, π0 at temperature 0.2.
func DefaultOptions() Options {
	return Options{Horizon: 100, ExploitSteps: 50, LearnerSteps: 20, Iterations: 150, InitTemperature: 0.2}
}

// Validate names the first option out of range.
func (o Options) Validate() error {
	switch {
	case o.Horizon < 1:
		return fmt.Errorf("benchmfg: horizon = %d: must be at least 1", o.Horizon)
	case o.ExploitSteps < 0:
		return fmt.Errorf("benchmfg: exploit-steps = %d: must be at least 0", o.ExploitSteps)
	case o.LearnerSteps < 0:
		return fmt.Errorf("benchmfg: learner-steps = %d: must be at least 0", o.LearnerSteps)
	case o.Iterations < 0:
		return fmt.Errorf("benchmfg: iterations = %d: must be at least 0", o.Iterations)
	case !(o.InitTemperature > 0) || math.IsInf(o.InitTemperature, 0):
		return fmt.Errorf("benchmfg: init-temperature = %v: must be positive and finite", o.InitTemperature)
	}
	return nil
}

// backups is the number of Bellman backups of a truncated value iteration, H−1.
func (o Options) backups() int { return o.Horizon - 1 }

// MDPAt returns the game's MDP at the state distribution μ: r(·, ·, μ) and P(·|·, ·, μ). The
// population handed to the game is L(s, a) = μ(s)/|A|; Bench-MFG's games read only its state
// marginal μ.
func MDPAt(g mfg.ModelBased, mu []float64) (*mfg.MDP, error) {
	S, A := g.States(), g.Actions()
	if len(mu) != S {
		return nil, fmt.Errorf("benchmfg: mean field has %d states, want %d", len(mu), S)
	}
	L := mfg.NewPopulation(S, A)
	for s, m := range mu {
		for a := 0; a < A; a++ {
			L.Mass[s*A+a] = m / float64(A)
		}
	}
	return g.MDP(L)
}

// PushForward returns Φ_π^steps(μ): steps population steps from μ, each through the kernel at the
// current distribution, μ'(s') = Σ_{s,a} μ(s) π(a|s) P(s'|s, a, μ), renormalised to total mass 1.
// μ must be a non-negative measure with positive mass; it is normalised first (Bench-MFG always
// passes distributions), and steps = 0 returns that normalised copy.
func PushForward(g mfg.ModelBased, pi mfg.Policy, mu []float64, steps int) ([]float64, error) {
	if err := checkPolicy(g, pi); err != nil {
		return nil, err
	}
	if err := checkMeasure("mean field", mu, g.States()); err != nil {
		return nil, err
	}
	cur := append([]float64(nil), mu...)
	normalise(cur)
	next := make([]float64, len(mu))
	var moves *mfg.MDP // transitions that do not depend on μ, built once by the game
	if fm, ok := g.(mfg.FixedStationaryMoves); ok && steps > 0 {
		moves = fm.StationaryMoves()
	}
	for k := 0; k < steps; k++ {
		m := moves
		if m == nil {
			var err error
			if m, err = MDPAt(g, cur); err != nil {
				return nil, err
			}
		}
		if err := step(m, pi, cur, next); err != nil {
			return nil, fmt.Errorf("benchmfg: population step %d: %w", k+1, err)
		}
		cur, next = next, cur
	}
	return cur, nil
}

// step writes the normalised one-step push-forward of mu under pi and m into next.
func step(m *mfg.MDP, pi mfg.Policy, mu, next []float64) error {
	clear(next)
	for s, ms := range mu {
		if ms == 0 {
			continue
		}
		for a, p := range pi.Row(s) {
			w := ms * p
			if w == 0 {
				continue
			}
			succ, prob := m.Successors(s, a)
			for k, sp := range succ {
				next[sp] += w * prob[k]
			}
		}
	}
	var total float64
	for _, x := range next {
		total += x
	}
	if !(total > 0) || math.IsInf(total, 0) {
		return fmt.Errorf("total mass = %v: must be positive and finite", total)
	}
	for i := range next {
		next[i] /= total
	}
	return nil
}

// vEval returns V_eval(π): V_0 = 0 and backups times V_{j+1}(s) = Σ_a π(a|s) Q_{j+1}(s, a) with
// Q_{j+1}(s, a) = r(s, a) + γ Σ_{s'} P(s'|s, a) V_j(s'). With H−1 backups it is Bench-MFG's
// V_eval, the value of π over a horizon of H−1 steps.
func vEval(m *mfg.MDP, pi mfg.Policy, backups int) []float64 {
	v, _ := evalIterates(m, pi, backups)
	return v
}

// qEval returns Bench-MFG's Q_eval(π): the Q iterate of vEval's second-to-last backup,
// Q_{n−1} = r + γ P V_{n−2} for n = backups, not the last one Q_n. Bench-MFG keeps this from an
// older implementation (Q_sa_hist[-2]); with γ = 0.9 and 99 backups the two differ by terms of
// order γ^97·|r|. It returns zeros when backups < 2 (Bench-MFG: horizon < 3).
func qEval(m *mfg.MDP, pi mfg.Policy, backups int) []float64 {
	if backups < 2 {
		return make([]float64, m.States*m.Actions)
	}
	_, q := evalIterates(m, pi, backups-1)
	return q
}

// evalIterates runs n evaluation backups and returns V_n and Q_n (zeros when n = 0).
func evalIterates(m *mfg.MDP, pi mfg.Policy, n int) (v, q []float64) {
	S, A := m.States, m.Actions
	v, q = make([]float64, S), make([]float64, S*A)
	for j := 0; j < n; j++ {
		rl.QFromValues(m, v, q)
		for s := range v {
			var x float64
			for a, p := range pi.Row(s) {
				x += p * q[s*A+a]
			}
			v[s] = x
		}
	}
	return v, q
}

// vOpt returns Bench-MFG's Vpi_opt: V*_n after n = backups optimal backups from V = 0,
// V_{j+1}(s) = max_a Q_{j+1}(s, a), and the greedy policy, one-hot on the first maximiser of the
// last iterate Q_n(s, ·) (the first action when backups = 0).
func vOpt(m *mfg.MDP, backups int) ([]float64, mfg.Policy) {
	S, A := m.States, m.Actions
	v, q := make([]float64, S), make([]float64, S*A)
	for j := 0; j < backups; j++ {
		rl.QFromValues(m, v, q)
		for s := range v {
			v[s] = q[s*A+firstArgmax(q[s*A:(s+1)*A])]
		}
	}
	return v, greedy(q, S, A)
}

// greedy returns the one-hot policy on the first maximiser of each row of q (NumPy's argmax:
// exact ties go to the lowest action).
func greedy(q []float64, states, actions int) mfg.Policy {
	pi := mfg.NewPolicy(states, actions)
	for s := 0; s < states; s++ {
		pi.Prob[s*actions+firstArgmax(q[s*actions:(s+1)*actions])] = 1
	}
	return pi
}

func firstArgmax(x []float64) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}

// softmax returns π(a|s) = exp((x(s, a) − max_b x(s, b))/τ) / Σ_b (same), row by row (NumPy's
// max-subtracted Boltzmann policy, Bench-MFG's boltzmann_policy and softmax_policy_jax).
func softmax(x []float64, states, actions int, tau float64) mfg.Policy {
	pi := mfg.NewPolicy(states, actions)
	for s := 0; s < states; s++ {
		row, dst := x[s*actions:(s+1)*actions], pi.Row(s)
		hi := row[firstArgmax(row)]
		var sum float64
		for a, v := range row {
			dst[a] = math.Exp((v - hi) / tau)
			sum += dst[a]
		}
		for a := range dst {
			dst[a] /= sum
		}
	}
	return pi
}

// Exploitability returns Bench-MFG's exploitability of π from the start distribution ν:
// μ_π = Φ_π^K(ν) with K = opt.ExploitSteps, then, at the MDP of μ_π and with opt.Horizon−1
// backups for both values,
//
//	E(π; ν) = Σ_s μ_π(s) (V*(s) − V_eval(π)(s)),
//
// which is ≥ 0 up to rounding because V* ≥ V_eval(π) pointwise at equal truncation. The learners
// pass their current mean field as ν; Bench-MFG's MF-PSO passes its drifting start distribution.
func Exploitability(g mfg.ModelBased, pi mfg.Policy, start []float64, opt Options) (float64, error) {
	ev, err := Evaluate(g, pi, start, opt)
	return ev.Exploitability, err
}

// Evaluation is Exploitability with its parts: μ_π and the two truncated values at μ_π.
type Evaluation struct {
	Exploitability float64
	MeanField      []float64 // μ_π = Φ_π^K(ν)
	Policy         []float64 // V_eval(π) at μ_π
	Optimal        []float64 // V* at μ_π
}

// Scale is max_s max(|V*(s)|, |V_eval(π)(s)|), the size of the values whose difference E is: a
// float32 computation of E is uncertain by a small multiple of it (see Agrees).
func (e Evaluation) Scale() float64 {
	var m float64
	for s := range e.Optimal {
		m = max(m, math.Abs(e.Optimal[s]), math.Abs(e.Policy[s]))
	}
	return m
}

// Evaluate returns the exploitability of π from ν and its parts (see Exploitability).
func Evaluate(g mfg.ModelBased, pi mfg.Policy, start []float64, opt Options) (Evaluation, error) {
	if err := opt.Validate(); err != nil {
		return Evaluation{}, err
	}
	mu, err := PushForward(g, pi, start, opt.ExploitSteps)
	if err != nil {
		return Evaluation{}, err
	}
	m, err := MDPAt(g, mu)
	if err != nil {
		return Evaluation{}, err
	}
	ev := Evaluation{MeanField: mu, Policy: vEval(m, pi, opt.backups())}
	ev.Optimal, _ = vOpt(m, opt.backups())
	for s, w := range mu {
		ev.Exploitability += w * (ev.Optimal[s] - ev.Policy[s])
	}
	return ev, nil
}

// Agrees reports whether our float64 exploitability agrees with a published float32 one:
// |ours − published| ≤ 1e-5·|published| + 1e-4·scale, with scale the size of the values
// (Evaluation.Scale). Each of Bench-MFG's 99 float32 backups rounds at a relative 6e-8, so its
// values carry errors of order 99·6e-8·scale ≈ 6e-6·scale, and E, a difference of two dot products
// of such values, inherits them: 1e-4·scale leaves a margin of about 16 (and values such as
// −8.0e-05 or 7.6e-06 published for equilibria are this rounding).
func Agrees(ours, published, scale float64) bool {
	return math.Abs(ours-published) <= 1e-5*math.Abs(published)+1e-4*scale
}

// InitialPolicy returns Bench-MFG's π0 for a run seeded with seed (initialization_type
// PSO_uniform): np.random.seed(seed), logits ℓ ~ U(−1, 1)^{S×A} drawn row-major with NumPy's
// legacy np.random.uniform, π0 = softmax(ℓ/temperature) per state.
func InitialPolicy(states, actions int, seed uint32, temperature float64) (mfg.Policy, error) {
	pi, _, err := initialPolicy(states, actions, seed, temperature)
	return pi, err
}

// initialPolicy is InitialPolicy returning also the NumPy stream after π0's draws, where
// Bench-MFG's learners (MF-PSO) continue drawing.
func initialPolicy(states, actions int, seed uint32, temperature float64) (mfg.Policy, *nprand.MT19937, error) {
	if states < 1 || actions < 1 {
		return mfg.Policy{}, nil, fmt.Errorf("benchmfg: states = %d, actions = %d: both must be at least 1", states, actions)
	}
	if !(temperature > 0) || math.IsInf(temperature, 0) {
		return mfg.Policy{}, nil, fmt.Errorf("benchmfg: temperature = %v: must be positive and finite", temperature)
	}
	rng := nprand.NewMT19937(seed)
	logits := make([]float64, states*actions)
	for i := range logits {
		logits[i] = rng.Uniform(-1, 1)
	}
	return softmax(logits, states, actions, temperature), rng, nil
}

func checkPolicy(g mfg.ModelBased, pi mfg.Policy) error {
	if pi.States != g.States() || pi.Actions != g.Actions() {
		return fmt.Errorf("benchmfg: policy is %d×%d, want %s's %d×%d", pi.States, pi.Actions, g.Name(), g.States(), g.Actions())
	}
	return pi.Validate()
}

// checkMeasure checks that x is a non-negative finite measure on n states with positive mass.
func checkMeasure(name string, x []float64, n int) error {
	if len(x) != n {
		return fmt.Errorf("benchmfg: %s has %d states, want %d", name, len(x), n)
	}
	var total float64
	for s, v := range x {
		if !(v >= 0) || math.IsInf(v, 0) {
			return fmt.Errorf("benchmfg: %s[%d] = %v: must be non-negative and finite", name, s, v)
		}
		total += v
	}
	if !(total > 0) {
		return fmt.Errorf("benchmfg: %s has total mass %v: must be positive", name, total)
	}
	return nil
}

// VEval is vEval (V_eval(π) after backups truncated backups from V = 0) with its arguments
// checked: π of m's size, backups ≥ 0.
func VEval(m *mfg.MDP, pi mfg.Policy, backups int) ([]float64, error) {
	if err := checkValueArgs(m, &pi, backups); err != nil {
		return nil, err
	}
	return vEval(m, pi, backups), nil
}

// QEval is qEval (Bench-MFG's Q_eval: the second-to-last Q iterate of backups evaluation backups,
// zeros when backups < 2) with its arguments checked.
func QEval(m *mfg.MDP, pi mfg.Policy, backups int) ([]float64, error) {
	if err := checkValueArgs(m, &pi, backups); err != nil {
		return nil, err
	}
	return qEval(m, pi, backups), nil
}

// VOpt is vOpt (V* after backups optimal backups from V = 0, and the one-hot policy on the first
// maximiser of the last Q iterate) with its arguments checked.
func VOpt(m *mfg.MDP, backups int) ([]float64, mfg.Policy, error) {
	if err := checkValueArgs(m, nil, backups); err != nil {
		return nil, mfg.Policy{}, err
	}
	v, pi := vOpt(m, backups)
	return v, pi, nil
}

// Greedy is greedy (one-hot on each row's first maximiser, NumPy's argmax) with q's length checked.
func Greedy(q []float64, states, actions int) (mfg.Policy, error) {
	if states < 1 || actions < 1 || len(q) != states*actions {
		return mfg.Policy{}, fmt.Errorf("benchmfg: q has %d entries, want states×actions = %d×%d", len(q), states, actions)
	}
	return greedy(q, states, actions), nil
}

// Softmax is softmax (π(a|s) ∝ exp((x(s, a) − max_b x(s, b))/τ), NumPy's max-subtracted
// Boltzmann policy) with its arguments checked: x of length states×actions, τ positive and finite.
func Softmax(x []float64, states, actions int, tau float64) (mfg.Policy, error) {
	if states < 1 || actions < 1 || len(x) != states*actions {
		return mfg.Policy{}, fmt.Errorf("benchmfg: x has %d entries, want states×actions = %d×%d", len(x), states, actions)
	}
	if !(tau > 0) || math.IsInf(tau, 0) {
		return mfg.Policy{}, fmt.Errorf("benchmfg: temperature = %v: must be positive and finite", tau)
	}
	return softmax(x, states, actions, tau), nil
}

// checkValueArgs checks a value iteration's arguments: m valid, π (when given) of m's size and
// a distribution in every state, backups ≥ 0.
func checkValueArgs(m *mfg.MDP, pi *mfg.Policy, backups int) error {
	if m == nil {
		return fmt.Errorf("benchmfg: MDP is nil")
	}
	if err := m.ValidateTransitions(); err != nil {
		return fmt.Errorf("benchmfg: %w", err)
	}
	if backups < 0 {
		return fmt.Errorf("benchmfg: backups = %d: must be at least 0", backups)
	}
	if pi == nil {
		return nil
	}
	if pi.States != m.States || pi.Actions != m.Actions {
		return fmt.Errorf("benchmfg: policy is %d×%d, want the MDP's %d×%d", pi.States, pi.Actions, m.States, m.Actions)
	}
	return pi.Validate()
}
