package npgame

import (
	"context"
	"fmt"
	"math"

	"meanfield/mfg"
)

// Limits of NewExact: the joint states S^N and joint actions A^N, the stored joint transitions
// (stages × joint states × joint actions × successors), and the own-state deviations enumerated.
const (
	exactMaxJoint       = 4096
	exactMaxTransitions = 2e7
	exactMaxDeviations  = 200000
)

// Classes of the exact computation's deviations.
const (
	ClassJointState = "joint state and time (every Markov policy of the joint state: an upper bound)"
	ClassOwnExact   = "own state and time, exact (best deterministic policy, enumerated)"
	ClassOwnStatic  = "own state, stationary deterministic (enumerated; a lower bound on the own-state class)"
)

// Exact is the N-player game of a tiny instance enumerated over joint states s = (s_1..s_N),
// indexed k = Σ_j s_j S^(N-1-j), and joint actions, with the profile's policies: every value is
// exact (backward induction over the rounds; on a stationary game over the truncated horizon H,
// within γ^H of the discounted values).
type Exact struct {
	g                *Game
	p                Profile
	init             []float64 // the joint start: Π_j init(s_j)
	joint, jointActs int
	stages           []exactStage // one per round on a finite game, one for all on a stationary one
}

// exactStage holds, for every joint state k and joint action b (index k*jointActs+b), each
// agent's reward and the joint successors.
type exactStage struct {
	reward   []float64 // [(k*jointActs+b)*N + j]
	rowStart []int
	next     []int32
	prob     []float64
}

// NewExact enumerates g (Meet Others or All) under the profile p from the start distribution init
// (nil: DefaultInitial). It refuses instances beyond its limits: more than 4096 joint states or
// joint actions, or more than 2·10^7 stored joint transitions.
func NewExact(ctx context.Context, g *Game, p Profile, init []float64) (*Exact, error) {
	if err := p.validate(g); err != nil {
		return nil, err
	}
	joint, acts := ipow(g.S, g.N), ipow(g.A, g.N)
	if joint < 0 || acts < 0 || joint > exactMaxJoint || acts > exactMaxJoint {
		return nil, fmt.Errorf("npgame: exact: %d^%d joint states and %d^%d joint actions: at most %d of each", g.S, g.N, g.A, g.N, exactMaxJoint)
	}
	nStages := g.times
	if g.model != nil {
		nStages = 1
	}
	if float64(nStages)*float64(joint)*float64(acts)*float64(joint) > exactMaxTransitions {
		return nil, fmt.Errorf("npgame: exact: %d stages × %d joint states × %d joint actions × up to %d successors: over %g stored transitions", nStages, joint, acts, joint, exactMaxTransitions)
	}
	if init == nil {
		var err error
		if init, err = DefaultInitial(ctx, g, p.Policies[0]); err != nil {
			return nil, err
		}
	}
	if len(init) != g.S {
		return nil, fmt.Errorf("npgame: exact: initial distribution has %d entries, want states = %d", len(init), g.S)
	}
	e := &Exact{g: g, p: p, joint: joint, jointActs: acts}
	e.init = make([]float64, joint)
	states := make([]int, g.N)
	for k := range e.init {
		e.decode(k, g.S, states)
		x := 1.0
		for _, s := range states {
			x *= init[s]
		}
		e.init[k] = x
	}
	for u := 0; u < nStages; u++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		st, err := e.buildStage(u)
		if err != nil {
			return nil, err
		}
		e.stages = append(e.stages, st)
	}
	return e, nil
}

// ipow is b^n, or -1 past 1<<30.
func ipow(b, n int) int {
	x := 1
	for i := 0; i < n; i++ {
		x *= b
		if x > 1<<30 {
			return -1
		}
	}
	return x
}

// decode writes the digits of k in base b (agent 0 most significant) into dst.
func (e *Exact) decode(k, b int, dst []int) {
	for j := len(dst) - 1; j >= 0; j-- {
		dst[j] = k % b
		k /= b
	}
}

// buildStage enumerates round t's joint rewards and transitions.
func (e *Exact) buildStage(t int) (exactStage, error) {
	g := e.g
	N, S, A := g.N, g.S, g.A
	st := exactStage{reward: make([]float64, e.joint*e.jointActs*N), rowStart: []int{0}}
	states, acts := make([]int, N), make([]int, N)
	counts := make([]int, S*A)
	pop := mfg.NewPopulation(S, A)
	dist := make([]float64, e.joint)
	rows := make([]*mfg.MDP, N)
	for k := 0; k < e.joint; k++ {
		e.decode(k, S, states)
		for b := 0; b < e.jointActs; b++ {
			e.decode(b, A, acts)
			clear(counts)
			for j := range states {
				counts[states[j]*A+acts[j]]++
			}
			for j := range states {
				own := states[j]*A + acts[j]
				fillCounts(pop, counts, own, g.Meet)
				m, err := g.stage(t, pop)
				if err != nil {
					return st, fmt.Errorf("npgame: exact: %s at round %d: %w", g.MF.Name(), t, err)
				}
				st.reward[(k*e.jointActs+b)*N+j] = m.Reward[own]
				rows[j] = m
				if g.fixed != nil && g.moves(t) {
					rows[j] = g.fixed(t)
				}
			}
			if g.moves(t) {
				e.product(rows, states, acts, dist)
				for k2, x := range dist {
					if x > 0 {
						st.next = append(st.next, int32(k2))
						st.prob = append(st.prob, x)
					}
				}
			}
			st.rowStart = append(st.rowStart, len(st.next))
		}
	}
	return st, nil
}

// fillCounts writes the population the agent of pair own meets into pop.
func fillCounts(pop mfg.Population, counts []int, own int, meet Meet) {
	n := 0
	for _, c := range counts {
		n += c
	}
	if meet == Others {
		n--
	}
	for i, c := range counts {
		pop.Mass[i] = float64(c) / float64(n)
	}
	if meet == Others {
		pop.Mass[own] = float64(counts[own]-1) / float64(n)
	}
}

// product writes the joint successor distribution Π_j P_j(s'_j | s_j, a_j) into dist.
func (e *Exact) product(rows []*mfg.MDP, states, acts []int, dist []float64) {
	clear(dist)
	var rec func(j, k int, x float64)
	rec = func(j, k int, x float64) {
		if j == len(rows) {
			dist[k] += x
			return
		}
		next, prob := rows[j].Successors(states[j], acts[j])
		for i, s := range next {
			rec(j+1, k*e.g.S+s, x*prob[i])
		}
	}
	rec(0, 0, 1)
}

// stage is the joint model of round t.
func (e *Exact) stage(t int) *exactStage {
	if len(e.stages) == 1 {
		return &e.stages[0]
	}
	return &e.stages[t]
}

// values runs backward induction for agent d over the joint states: every other agent j plays
// its profile policy, agent d plays sigma (nil: its own; a policy of its own state and round), or,
// when best, the best action of the joint state. It returns Σ_k init(k) V_0(k).
func (e *Exact) values(d int, sigma Policy, best bool) float64 {
	g := e.g
	N, S, A := g.N, g.S, g.A
	v := make([]float64, e.joint)
	nv := make([]float64, e.joint)
	states, acts := make([]int, N), make([]int, N)
	qa := make([]float64, A)
	for t := g.times - 1; t >= 0; t-- {
		st := e.stage(t)
		for k := 0; k < e.joint; k++ {
			e.decode(k, S, states)
			clear(qa)
			for b := 0; b < e.jointActs; b++ {
				e.decode(b, A, acts)
				w := 1.0 // the others' probability of b
				for j := 0; j < N && w != 0; j++ {
					if j != d {
						w *= e.p.Policies[e.p.policyOf(j)].at(t).Prob[states[j]*A+acts[j]]
					}
				}
				if w == 0 {
					continue
				}
				i := k*e.jointActs + b
				x := st.reward[i*N+d]
				if g.moves(t) {
					var ev float64
					for r := st.rowStart[i]; r < st.rowStart[i+1]; r++ {
						ev += st.prob[r] * v[st.next[r]]
					}
					x += g.discount * ev
				}
				qa[acts[d]] += w * x
			}
			nv[k] = e.combine(d, t, states[d], qa, sigma, best)
		}
		v, nv = nv, v
	}
	var total float64
	for k, x := range e.init {
		total += x * v[k]
	}
	return total
}

// combine is agent d's value at own state s from its action values: the best legal one, or their
// mean under σ (or its profile policy).
func (e *Exact) combine(d, t, s int, qa []float64, sigma Policy, best bool) float64 {
	A := e.g.A
	if best {
		m := math.Inf(-1)
		for a, q := range qa {
			if e.g.legal == nil || e.g.legal[s*A+a] {
				m = max(m, q)
			}
		}
		return m
	}
	pol := sigma
	if pol == nil {
		pol = e.p.Policies[e.p.policyOf(d)]
	}
	var x float64
	for a, pr := range pol.at(t).Row(s) {
		if pr != 0 {
			x += pr * qa[a]
		}
	}
	return x
}

// reach is the own states agent d can occupy at each round under some policy of its own: those
// of positive probability when it plays every legal action uniformly and the others their
// policies (a wider support than any other policy of its own). It is the deviator's: where an
// agent can go may depend on what the others play.
func (e *Exact) reach(d int) [][]bool {
	g := e.g
	out := make([][]bool, g.times)
	mu := append([]float64(nil), e.init...)
	nmu := make([]float64, e.joint)
	states, acts := make([]int, g.N), make([]int, g.N)
	uniform := mfg.UniformLegalPolicy(g.S, g.A, g.legal)
	for t := range out {
		out[t] = make([]bool, g.S)
		for k, x := range mu {
			if x > 0 {
				e.decode(k, g.S, states)
				out[t][states[d]] = true
			}
		}
		if !g.moves(t) {
			break
		}
		clear(nmu)
		st := e.stage(t)
		for k, x := range mu {
			if x == 0 {
				continue
			}
			e.decode(k, g.S, states)
			for b := 0; b < e.jointActs; b++ {
				e.decode(b, g.A, acts)
				w := x
				for j := range states {
					pol := uniform
					if j != d {
						pol = e.p.Policies[e.p.policyOf(j)].at(t)
					}
					w *= pol.Prob[states[j]*g.A+acts[j]]
				}
				i := k*e.jointActs + b
				for r := st.rowStart[i]; r < st.rowStart[i+1]; r++ {
					nmu[st.next[r]] += w * st.prob[r]
				}
			}
		}
		mu, nmu = nmu, mu
	}
	return out
}

// Value is agent d's exact value from the start when it plays sigma, a policy of its own state
// (one per round, or one for all), and the others their policies; nil sigma is its own policy.
func (e *Exact) Value(d int, sigma Policy) (float64, error) {
	if d < 0 || d >= e.g.N {
		return 0, fmt.Errorf("npgame: exact: agent %d: out of range [0, %d)", d, e.g.N)
	}
	if sigma != nil {
		if err := (Profile{Policies: []Policy{sigma}}).validate(e.g); err != nil {
			return 0, fmt.Errorf("npgame: exact: the deviation: %w", err)
		}
	}
	return e.values(d, sigma, false), nil
}

// JointBest is agent d's best value over every policy of the joint state and round, the others
// playing their policies.
func (e *Exact) JointBest(d int) (float64, error) {
	if d < 0 || d >= e.g.N {
		return 0, fmt.Errorf("npgame: exact: agent %d: out of range [0, %d)", d, e.g.N)
	}
	return e.values(d, nil, true), nil
}

// OwnBest is agent d's best value over the deterministic policies of its own state and round
// (the class of the estimator; deterministic ones suffice on a finite horizon) and the policy
// that attains it, with the class's name. On a stationary game, whose rounds run to the truncated
// horizon, it enumerates the stationary deterministic policies of the own state instead (a lower
// bound on the own state and round class). It refuses more than 200000 policies.
func (e *Exact) OwnBest(ctx context.Context, d int) (float64, Policy, string, error) {
	g := e.g
	if d < 0 || d >= g.N {
		return 0, nil, "", fmt.Errorf("npgame: exact: agent %d: out of range [0, %d)", d, g.N)
	}
	type slot struct{ t, s int }
	var free []slot
	var choices [][]int
	legalActs := func(s int) []int {
		var out []int
		for a := 0; a < g.A; a++ {
			if g.legal == nil || g.legal[s*g.A+a] {
				out = append(out, a)
			}
		}
		return out
	}
	class, rounds := ClassOwnExact, g.times
	if g.model != nil {
		class, rounds = ClassOwnStatic, 1
	}
	count := 1.0
	reachable := e.reach(d)
	for t := 0; t < rounds; t++ {
		for s := 0; s < g.S; s++ {
			if g.model != nil && !anyRound(reachable, s) || g.model == nil && !reachable[t][s] {
				continue
			}
			free = append(free, slot{t, s})
			choices = append(choices, legalActs(s))
			count *= float64(len(choices[len(choices)-1]))
		}
	}
	if count > exactMaxDeviations {
		return 0, nil, class, fmt.Errorf("npgame: exact: %g own-state policies to enumerate: at most %d", count, exactMaxDeviations)
	}
	sigma := make(Policy, rounds)
	for t := range sigma {
		sigma[t] = mfg.NewPolicy(g.S, g.A)
		for s := 0; s < g.S; s++ {
			sigma[t].Prob[s*g.A+legalActs(s)[0]] = 1
		}
	}
	idx := make([]int, len(free))
	bestV, bestPol := math.Inf(-1), Policy(nil)
	for {
		if err := ctx.Err(); err != nil {
			return 0, nil, class, err
		}
		for i, f := range free {
			row := sigma[f.t].Row(f.s)
			clear(row)
			row[choices[i][idx[i]]] = 1
		}
		if v := e.values(d, sigma, false); v > bestV {
			bestV, bestPol = v, clonePolicy(sigma)
		}
		i := 0
		for ; i < len(idx); i++ {
			if idx[i]++; idx[i] < len(choices[i]) {
				break
			}
			idx[i] = 0
		}
		if i == len(idx) {
			break
		}
	}
	return bestV, bestPol, class, nil
}

func anyRound(reach [][]bool, s int) bool {
	for _, r := range reach {
		if r != nil && r[s] {
			return true
		}
	}
	return false
}

func clonePolicy(pi Policy) Policy {
	out := make(Policy, len(pi))
	for t, q := range pi {
		out[t] = q.Clone()
	}
	return out
}

// ExactEpsilon is the exact ε of one deviator: its value, its best values in the two classes and
// the gains, with the normalised ratio gain / (|best value| + ε0).
type ExactEpsilon struct {
	Deviator int
	// Value is V_d(π); JointBest the best over the joint state's policies; OwnBest over the own
	// state's (OwnClass says which), attained by OwnPolicy.
	Value, JointBest, OwnBest float64
	OwnClass                  string
	OwnPolicy                 Policy
	// JointGain = JointBest − Value ≥ OwnGain = OwnBest − Value ≥ 0 (within rounding); the ratios
	// are the gains over |best| + ε0.
	JointGain, OwnGain   float64
	JointRatio, OwnRatio float64
}

// Epsilon computes the exact ε of deviator d (ε0 = 0: 0.1).
func (e *Exact) Epsilon(ctx context.Context, d int, epsilon0 float64) (ExactEpsilon, error) {
	if epsilon0 == 0 {
		epsilon0 = DefaultEpsilon0
	}
	v, err := e.Value(d, nil)
	if err != nil {
		return ExactEpsilon{}, err
	}
	own, pol, class, err := e.OwnBest(ctx, d)
	if err != nil {
		return ExactEpsilon{}, err
	}
	joint, err := e.JointBest(d)
	if err != nil {
		return ExactEpsilon{}, err
	}
	r := ExactEpsilon{Deviator: d, Value: v, JointBest: joint, OwnBest: own, OwnClass: class, OwnPolicy: pol}
	r.JointGain, r.OwnGain = r.JointBest-v, r.OwnBest-v
	r.JointRatio = r.JointGain / (math.Abs(r.JointBest) + epsilon0)
	r.OwnRatio = r.OwnGain / (math.Abs(r.OwnBest) + epsilon0)
	return r, nil
}
