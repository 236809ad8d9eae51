package npgame

import (
	"fmt"
	"math/rand/v2"

	"meanfield/mfg"
	"meanfield/seeds"
)

// World is one play of the N-player game: the agents' states and actions in flat arrays, the
// counts of their pairs, and the model at the populations of this round, cached by pair. A learner
// drives it with Reset and Step; Play plays a profile. A World is not safe for concurrent use.
type World struct {
	g      *Game
	t      int
	state  []int32
	action []int32
	move   []uint32 // the uniform of each agent's move, drawn with its action
	counts []int32  // counts[s*A+a] = #{j : (s_j, a_j) = (s, a)}
	init   []uint64 // the start distribution as cumulative thresholds

	// The cache: entry[k] holds the model of pair k at the population it meets this round, for
	// every occupied pair; it was resolved at round lastT (-1: not valid) with counts lastCount.
	entry     []entry
	lastT     int
	lastCount []int32
	pop       mfg.Population
	builds    int64
	started   bool // Reset (or Play) has drawn the agents' states
}

// entry is r(t, s, a, L) and P(·|t, s, a, L) for one pair (s, a) at the population it meets.
type entry struct {
	reward float64
	next   []int32
	prob   []float64
	th     []uint64 // cumulative thresholds on 32-bit uniforms, the last 2^32
	fixed  bool     // the row is the game's L-free one (filled once)
}

// NewWorld returns a world of g whose agents start i.i.d. from init (nil: g.InitialStates()).
func NewWorld(g *Game, init []float64) (*World, error) {
	if init == nil {
		init = g.InitialStates()
	}
	if len(init) != g.S {
		return nil, fmt.Errorf("npgame: initial distribution has %d entries, want states = %d", len(init), g.S)
	}
	if err := mfg.CheckDistribution("npgame: initial distribution", init); err != nil {
		return nil, err
	}
	w := &World{
		g: g, state: make([]int32, g.N), action: make([]int32, g.N), move: make([]uint32, g.N),
		counts: make([]int32, g.S*g.A), lastCount: make([]int32, g.S*g.A), lastT: -1,
		entry: make([]entry, g.S*g.A),
		pop:   mfg.NewPopulation(g.S, g.A),
	}
	w.init = thresholds(init, nil)
	return w, nil
}

// thresholds returns the cumulative thresholds of the distribution p on 32-bit uniforms,
// appended to dst[:0]; the last positive entry's threshold and those after it are 2^32.
func thresholds(p []float64, dst []uint64) []uint64 {
	dst = dst[:0]
	var sum float64
	for _, x := range p {
		sum += x
		dst = append(dst, uint64(min(sum, 1)*(1<<32)))
	}
	last := len(p) - 1
	for last > 0 && p[last] == 0 {
		last--
	}
	for i := last; i < len(p); i++ {
		dst[i] = 1 << 32
	}
	return dst
}

// Reset starts a new episode at round 0, every agent's state drawn from the start distribution.
func (w *World) Reset(rng *rand.Rand) {
	w.t, w.started = 0, true
	for i := range w.state {
		w.state[i] = int32(draw(w.init, uint64(rng.Uint32())))
	}
}

// reset is Reset on the stream src, one 64-bit draw per agent (its high half used).
func (w *World) reset(src *rand.PCG) {
	w.t, w.started = 0, true
	for i := range w.state {
		w.state[i] = int32(draw(w.init, src.Uint64()>>32))
	}
}

// stream is the generator of the stream (master, ids...) of package seeds, used directly: the
// simulation's loops call it without going through rand.Rand's interface.
func stream(master uint64, ids ...uint64) *rand.PCG { return rand.NewPCG(seeds.Derive(master, ids...)) }

// Time is the current round t.
func (w *World) Time() int { return w.t }

// Done reports whether every round has been played.
func (w *World) Done() bool { return w.t >= w.g.times }

// State returns agent i's state.
func (w *World) State(i int) int { return int(w.state[i]) }

// Builds is the number of times the world has built the game's model (a stage or an MDP) so far.
func (w *World) Builds() int64 { return w.builds }

// Step plays round t with the agents' actions: it writes each agent's reward r(t, s_i, a_i, L_i)
// into rewards (length N) and moves every agent by P(·|t, s_i, a_i, L_i) (none after a finite
// game's last round), one uniform per agent drawn from rng in agent order.
func (w *World) Step(actions []int, rewards []float64, rng *rand.Rand) error {
	if !w.started {
		return fmt.Errorf("npgame: step before Reset: the agents have no states yet")
	}
	if w.Done() {
		return fmt.Errorf("npgame: step at round %d: the episode has %d rounds; Reset first", w.t, w.g.times)
	}
	if len(actions) != w.g.N || len(rewards) != w.g.N {
		return fmt.Errorf("npgame: step with %d actions and %d rewards, want players = %d of each", len(actions), len(rewards), w.g.N)
	}
	clear(w.counts)
	A := w.g.A
	for i, a := range actions {
		if a < 0 || a >= A {
			return fmt.Errorf("npgame: agent %d's action = %d: out of range [0, %d)", i, a, A)
		}
		w.action[i] = int32(a)
		w.move[i] = rng.Uint32()
		w.counts[int(w.state[i])*A+a]++
	}
	return w.advance(rewards)
}

// act draws every agent's action from the profile's compiled policies (pols[of[i]], or pols[0]
// when of is nil), with one 64-bit draw per agent: its high half picks the action and its low half
// the move, so that two plays of one stream differing in one agent's policy use the same numbers
// for every agent.
func (w *World) act(pols []cumulative, of []int32, src *rand.PCG) {
	clear(w.counts)
	A, t := w.g.A, w.t
	if of == nil {
		row := pols[0].round(t)
		action, move, counts := w.action[:len(w.state)], w.move[:len(w.state)], w.counts
		for i, s := range w.state {
			u := src.Uint64()
			k := int(s) * A
			a := draw(row[k:k+A], u>>32)
			action[i] = int32(a)
			move[i] = uint32(u)
			counts[k+a]++
		}
		return
	}
	for i, s := range w.state {
		u := src.Uint64()
		k := int(s) * A
		a := draw(pols[of[i]].round(t)[k:k+A], u>>32)
		w.action[i] = int32(a)
		w.move[i] = uint32(u)
		w.counts[k+a]++
	}
}

// advance resolves the model of every occupied pair, writes the rewards (when rewards is not nil)
// and moves the agents.
func (w *World) advance(rewards []float64) error { return w.advanceWith(rewards, 0, false) }

// advanceWith is advance; with add, it adds weight × each agent's reward to rewards[i] instead of
// writing it (an episode's returns in the same pass as the moves).
func (w *World) advanceWith(rewards []float64, weight float64, add bool) error {
	if err := w.resolve(); err != nil {
		return err
	}
	A := w.g.A
	state, action, move := w.state, w.action[:len(w.state)], w.move[:len(w.state)]
	if !w.g.moves(w.t) {
		if rewards != nil {
			rewards = rewards[:len(state)]
			for i, s := range state {
				r := w.entry[int(s)*A+int(action[i])].reward
				if add {
					r = rewards[i] + weight*r
				}
				rewards[i] = r
			}
		}
		w.t++
		return nil
	}
	switch {
	case rewards == nil:
		for i, s := range state {
			e := &w.entry[int(s)*A+int(action[i])]
			state[i] = e.next[draw(e.th, uint64(move[i]))]
		}
	case add:
		rewards = rewards[:len(state)]
		for i, s := range state {
			e := &w.entry[int(s)*A+int(action[i])]
			rewards[i] += weight * e.reward
			state[i] = e.next[draw(e.th, uint64(move[i]))]
		}
	default:
		rewards = rewards[:len(state)]
		for i, s := range state {
			e := &w.entry[int(s)*A+int(action[i])]
			rewards[i] = e.reward
			state[i] = e.next[draw(e.th, uint64(move[i]))]
		}
	}
	w.t++
	return nil
}

// resolve fills the cache for every occupied pair at this round's populations, unless the
// counts and the model's round are those of the last round resolved.
func (w *World) resolve() error {
	same := w.lastT >= 0 && (w.g.model != nil || w.lastT == w.t) && equal(w.counts, w.lastCount)
	if same {
		return nil
	}
	w.lastT = -1
	if w.g.Meet == All {
		w.fillPopulation(-1)
		m, err := w.build()
		if err != nil {
			return err
		}
		for k, c := range w.counts {
			if c > 0 {
				w.setEntry(k, m)
			}
		}
	} else {
		for k, c := range w.counts {
			if c == 0 {
				continue
			}
			w.fillPopulation(k)
			m, err := w.build()
			if err != nil {
				return err
			}
			w.setEntry(k, m)
		}
	}
	copy(w.lastCount, w.counts)
	w.lastT = w.t
	return nil
}

// fillPopulation writes the population pair k meets into w.pop: the others' (k's own agent taken
// out) under Others, everyone's under All (k = -1).
func (w *World) fillPopulation(k int) {
	n := float64(w.g.N)
	if k >= 0 {
		n--
	}
	for j, c := range w.counts {
		w.pop.Mass[j] = float64(c) / n
	}
	if k >= 0 {
		w.pop.Mass[k] = float64(w.counts[k]-1) / n
	}
}

// build is the model at round t and w.pop.
func (w *World) build() (*mfg.MDP, error) {
	w.builds++
	m, err := w.g.stage(w.t, w.pop)
	if err != nil {
		return nil, fmt.Errorf("npgame: %s at round %d: %w", w.g.MF.Name(), w.t, err)
	}
	return m, nil
}

// setEntry copies pair k's reward and successor row from m (the row from the L-free transitions
// when the game has them: filled once).
func (w *World) setEntry(k int, m *mfg.MDP) {
	e := &w.entry[k]
	e.reward = m.Reward[k]
	if !w.g.moves(w.t) {
		return
	}
	src := m
	if w.g.fixed != nil {
		if e.fixed && w.g.model != nil {
			return
		}
		src = w.g.fixed(w.t)
		e.fixed = true
	}
	next, prob := src.Successors(k/w.g.A, k%w.g.A)
	e.next = e.next[:0]
	for _, s := range next {
		e.next = append(e.next, int32(s))
	}
	e.prob = append(e.prob[:0], prob...)
	e.th = thresholds(prob, e.th)
}

func equal(x, y []int32) bool {
	for i, v := range x {
		if y[i] != v {
			return false
		}
	}
	return true
}

// Play plays one episode of the profile from a fresh start (on a stream seeded by two draws of
// rng) and writes each agent's return
// Σ_t γ^t r_i(t) (γ = 1 on a finite-horizon game) into returns (length N).
func (w *World) Play(p Profile, rng *rand.Rand, returns []float64) error {
	if err := p.validate(w.g); err != nil {
		return err
	}
	if len(returns) != w.g.N {
		return fmt.Errorf("npgame: returns has %d entries, want players = %d", len(returns), w.g.N)
	}
	pols, of := compileProfile(w.g, p)
	clear(returns)
	src := rand.NewPCG(rng.Uint64(), rng.Uint64())
	w.reset(src)
	weight := 1.0
	for !w.Done() {
		w.act(pols, of, src)
		if err := w.advanceWith(returns, weight, true); err != nil {
			return err
		}
		weight *= w.g.discount
	}
	return nil
}

// compileProfile is the profile's policies as thresholds and the agents' indices into them (nil
// for a symmetric profile).
func compileProfile(g *Game, p Profile) ([]cumulative, []int32) {
	pols := make([]cumulative, len(p.Policies))
	for k, pi := range p.Policies {
		pols[k] = compile(pi, g.times, g.A)
	}
	if p.Of == nil {
		return pols, nil
	}
	of := make([]int32, len(p.Of))
	for i, k := range p.Of {
		of[i] = int32(k)
	}
	return pols, of
}
