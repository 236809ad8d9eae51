package npgame

import (
	"context"
	"math/rand/v2"
	"sync"

	"meanfield/mfg"
)

// control is a control variate for agent d's return: the Q and V of the policy it plays, pol, in
// its averaged model. Along an episode,
//
//	C = Σ_t γ^t [Q_t(s_t, a_t) − Σ_a pol_t(a|s_t) Q_t(s_t, a)] + γ^(t+1) [V_{t+1}(s_{t+1}) − Σ_s' P(s'|t, s_t, a_t, L_t) V_{t+1}(s')]
//
// has mean zero whatever Q and V are (a_t is drawn from pol_t(·|s_t), s_{t+1} from the row the
// world uses), so G − C estimates the same value as the return G, with the variance of the
// agent's own draws mostly taken out when Q and V are near the true ones.
type control struct {
	q, v [][]float64
	pol  Policy
}

// returnOf plays one episode of the compiled profile and returns agent d's return Σ_t γ^t r_d(t),
// less the control variate cv when not nil.
func (w *World) returnOf(ctx context.Context, d int, pols []cumulative, of []int32, src *rand.PCG, cv *control) (float64, error) {
	w.reset(src)
	var ret float64
	weight := 1.0
	A := w.g.A
	for !w.Done() {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		w.act(pols, of, src)
		if err := w.resolve(); err != nil {
			return 0, err
		}
		t, s := w.t, int(w.state[d])
		k := s*A + int(w.action[d])
		e := &w.entry[k]
		ret += weight * e.reward
		moves := w.g.moves(t)
		var expected float64
		if cv != nil {
			var mean float64
			for a, p := range cv.pol.at(t).Row(s) {
				mean += p * cv.q[t][s*A+a]
			}
			ret -= weight * (cv.q[t][k] - mean)
			if moves {
				for j, next := range e.next {
					expected += e.prob[j] * cv.v[t+1][next]
				}
			}
		}
		if err := w.advance(nil); err != nil {
			return 0, err
		}
		if cv != nil && moves {
			ret -= weight * w.g.discount * (cv.v[t+1][w.state[d]] - expected)
		}
		weight *= w.g.discount
	}
	return ret, nil
}

// averaged is the deviator's averaged model summed over episodes: rewards[t][s*A+a] and, without
// L-free transitions, moves[t][(s*A+a)*S+s'].
type averaged struct {
	rewards, moves [][]float64
}

func newAveraged(g *Game) averaged {
	av := averaged{rewards: make([][]float64, g.times), moves: make([][]float64, g.times)}
	for t := range av.rewards {
		av.rewards[t] = make([]float64, g.S*g.A)
		if g.fixed == nil && g.moves(t) {
			av.moves[t] = make([]float64, g.S*g.A*g.S)
		}
	}
	return av
}

func (av averaged) scale(c float64) {
	for t := range av.rewards {
		for i := range av.rewards[t] {
			av.rewards[t][i] *= c
		}
		for i := range av.moves[t] {
			av.moves[t][i] *= c
		}
	}
}

func (av averaged) add(o averaged) {
	for t := range av.rewards {
		for i, x := range o.rewards[t] {
			av.rewards[t][i] += x
		}
		for i, x := range o.moves[t] {
			av.moves[t][i] += x
		}
	}
}

// averageModel simulates opt.TrainEpisodes episodes of the profile and returns the model agent d
// meets at each round averaged over them. Each block sums its episodes into a part of its own;
// the parts are added into the total in block order (so that the sum does not depend on the
// workers) as soon as the blocks before them are in, and then dropped: a part holds Times()·S·A
// rewards and, with transitions that depend on L, Times()·S·A·S probabilities (64 MB on
// mf-garnet), so that keeping all 64 of them to the end took 64 times that.
func averageModel(ctx context.Context, g *Game, p Profile, d int, opt Options) (averaged, error) {
	pols, of := compileProfile(g, p)
	var m merger
	m.init(len(blocks(opt.TrainEpisodes)))
	err := forBlocks(ctx, g, opt, opt.TrainEpisodes, func(w *World, b int, lo, hi int) error {
		part := newAveraged(g)
		pop := mfg.NewPopulation(g.S, g.A)
		for m := lo; m < hi; m++ {
			src := stream(opt.Seed, purposeTrain, uint64(d), uint64(m))
			w.reset(src)
			for !w.Done() {
				if err := ctx.Err(); err != nil {
					return err
				}
				w.act(pols, of, src)
				if err := w.accumulate(d, pop, part); err != nil {
					return err
				}
				if err := w.advance(nil); err != nil {
					return err
				}
			}
		}
		m.put(b, part)
		return nil
	})
	if err != nil {
		return averaged{}, err
	}
	m.total.scale(1 / float64(opt.TrainEpisodes))
	return m.total, nil
}

// merger adds the blocks' parts into total in block order as they come in, holding only those
// that wait for an earlier block.
type merger struct {
	mu      sync.Mutex
	total   averaged
	waiting []averaged
	ready   []bool
	next    int
	held    int // parts held now, and the most held at once (for the tests)
	maxHeld int
}

func (m *merger) init(n int) { m.waiting, m.ready = make([]averaged, n), make([]bool, n) }

func (m *merger) put(b int, part averaged) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.waiting[b], m.ready[b] = part, true
	m.held++
	m.maxHeld = max(m.maxHeld, m.held)
	for m.next < len(m.ready) && m.ready[m.next] {
		if m.next == 0 {
			m.total = m.waiting[0]
		} else {
			m.total.add(m.waiting[m.next])
		}
		m.waiting[m.next] = averaged{}
		m.held--
		m.next++
	}
}

// accumulate adds the model agent d meets at this round, at every pair it could play, to av.
func (w *World) accumulate(d int, pop mfg.Population, av averaged) error {
	g, t := w.g, w.t
	kd := int(w.state[d])*g.A + int(w.action[d])
	fill := func(add int, n float64) {
		for j, c := range w.counts {
			pop.Mass[j] = float64(c) / n
		}
		pop.Mass[kd] = float64(w.counts[kd]-1) / n
		if add >= 0 {
			pop.Mass[add] += 1 / n
		}
	}
	addRow := func(m *mfg.MDP, k int) {
		av.rewards[t][k] += m.Reward[k]
		if av.moves[t] == nil {
			return
		}
		next, prob := m.Successors(k/g.A, k%g.A)
		row := av.moves[t][k*g.S : (k+1)*g.S]
		for j, s := range next {
			row[s] += prob[j]
		}
	}
	if g.Meet == Others {
		fill(-1, float64(g.N-1))
		m, err := g.stage(t, pop)
		if err != nil {
			return err
		}
		for k := range av.rewards[t] {
			addRow(m, k)
		}
		return nil
	}
	for k := range av.rewards[t] {
		fill(k, float64(g.N))
		m, err := g.stage(t, pop)
		if err != nil {
			return err
		}
		addRow(m, k)
	}
	return nil
}

// valuesOf is backward induction in the averaged model: Q_t = r̄_t + γ P̄_t V_{t+1}, V = 0 after
// the last round, and V_t(s) = Σ_a pol_t(a|s) Q_t(s, a), or, when pol is nil, the largest Q_t(s, a)
// over legal a, the maximiser (the lowest of ties) written into the returned greedy policy.
// q[t] has S·A entries, v[t] S, v[Times()] = 0.
func (g *Game) valuesOf(av averaged, pol Policy) (q, v [][]float64, greedy Policy) {
	S, A := g.S, g.A
	q, v = make([][]float64, g.times), make([][]float64, g.times+1)
	v[g.times] = make([]float64, S)
	if pol == nil {
		greedy = make(Policy, g.times)
	}
	for t := g.times - 1; t >= 0; t-- {
		q[t], v[t] = make([]float64, S*A), make([]float64, S)
		var fixed *mfg.MDP
		if g.fixed != nil && g.moves(t) {
			fixed = g.fixed(t)
		}
		for k := range q[t] {
			x := av.rewards[t][k]
			if g.moves(t) {
				x += g.discount * g.expectNext(av, fixed, t, k, v[t+1])
			}
			q[t][k] = x
		}
		if pol != nil {
			for s := 0; s < S; s++ {
				var x float64
				for a, p := range pol.at(t).Row(s) {
					x += p * q[t][s*A+a]
				}
				v[t][s] = x
			}
			continue
		}
		greedy[t] = mfg.NewPolicy(S, A)
		for s := 0; s < S; s++ {
			best := -1
			for a := 0; a < A; a++ {
				if (g.legal == nil || g.legal[s*A+a]) && (best < 0 || q[t][s*A+a] > q[t][s*A+best]) {
					best = a
				}
			}
			best = max(best, 0)
			greedy[t].Prob[s*A+best] = 1
			v[t][s] = q[t][s*A+best]
		}
	}
	return q, v, greedy
}

// expectNext is Σ_s' P̄_t(s'|k) V(s').
func (g *Game) expectNext(av averaged, fixed *mfg.MDP, t, k int, v []float64) float64 {
	var e float64
	if fixed != nil {
		next, prob := fixed.Successors(k/g.A, k%g.A)
		for j, s := range next {
			e += prob[j] * v[s]
		}
		return e
	}
	for s, p := range av.moves[t][k*g.S : (k+1)*g.S] {
		e += p * v[s]
	}
	return e
}
