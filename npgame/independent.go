package npgame

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"meanfield/internal/cancel"
	"meanfield/mfg"
	"meanfield/rl"
	"meanfield/seeds"
)

// ILOptions configure TrainIndependent. A zero field takes the default it names.
type ILOptions struct {
	// Episodes of the N-player game to train for (at least 1).
	Episodes int
	// ExploreStart and ExploreEnd bound the ε-greedy schedule: in episode e = 0..E-1 an agent
	// takes a uniformly random legal action with probability
	//
	//	ε_e = ExploreStart + (ExploreEnd − ExploreStart) · e/(E−1)
	//
	// (ExploreStart in the only episode when E = 1), else a greedy one, ties broken uniformly at
	// random. Zero means 1 for ExploreStart and DefaultExploreEnd for ExploreEnd, unless
	// ExploreLiteral is set: then both are taken as given, zeros included (a caller whose 0 means
	// no exploration, such as mfg compare's --explore-end 0).
	ExploreStart, ExploreEnd float64
	ExploreLiteral           bool
	// Step is β_n, n the visits of the updated entry (nil: 1/n^h, h = DefaultILStepExponent).
	Step rl.StepSize
	// Checkpoints is how many evenly spaced points of training (after episodes E·c/Checkpoints,
	// c = 1..Checkpoints) deploy a profile to the callback (0: 1, the end of training only).
	Checkpoints int
	// Initial is each agent's start distribution, i.i.d. per agent (nil: g.InitialStates()).
	Initial []float64
	// Seed determines the training's one random stream.
	Seed uint64
}

// Defaults of ILOptions: the exploration rate of the last episode of training, and h of the
// step size 1/n^h (the auction's IL's and GMF-Q's, algorithms.DefaultStepExponent).
const (
	DefaultExploreEnd     = 0.05
	DefaultILStepExponent = 0.87
)

// Validate names the first option out of range.
func (o ILOptions) Validate() error {
	_, err := o.resolve()
	return err
}

// resolve names the first option out of range and fills the defaults.
func (o ILOptions) resolve() (ILOptions, error) {
	if o.ExploreStart == 0 && !o.ExploreLiteral {
		o.ExploreStart = 1
	}
	if o.ExploreEnd == 0 && !o.ExploreLiteral {
		o.ExploreEnd = DefaultExploreEnd
	}
	if o.Step == nil {
		o.Step = rl.PowerStep{Exponent: DefaultILStepExponent}
	}
	if o.Checkpoints == 0 {
		o.Checkpoints = 1
	}
	switch {
	case o.Episodes < 1:
		return o, fmt.Errorf("episodes = %d: must be at least 1", o.Episodes)
	case !(o.ExploreStart >= 0 && o.ExploreStart <= 1):
		return o, fmt.Errorf("explore-start = %v: must be in [0, 1]", o.ExploreStart)
	case !(o.ExploreEnd >= 0 && o.ExploreEnd <= 1):
		return o, fmt.Errorf("explore-end = %v: must be in [0, 1]", o.ExploreEnd)
	case o.Checkpoints < 1 || o.Checkpoints > o.Episodes:
		return o, fmt.Errorf("checkpoints = %d: must be between 1 and episodes = %d", o.Checkpoints, o.Episodes)
	}
	return o, rl.ValidateStepSize(o.Step)
}

// ILCheckpoint is called with the episodes trained so far and the profile the learners would
// deploy then; an error stops training.
type ILCheckpoint func(episodes int, p Profile) error

// learners is N tabular Q-learners, each over (its own time on a finite-horizon game, its own
// state, its own action), in one flat table: q[(i·R + r)·A + a] with r = t·S + s (finite
// horizon, R = Times()·S) or r = s (stationary, R = S).
type learners struct {
	g        *Game
	opt      ILOptions
	R        int
	q        []float64
	visits   []int64
	rates    []float64 // β_n for n < len(rates)
	legal    [][]int   // the legal actions of each state
	actions  []int
	rewards  []float64
	prevRow  []int // where each agent's Q row of the round starts
	finite   bool
	discount float64
}

// TrainIndependent trains N independent learners (IL) in g: every agent runs its own tabular
// Q-learning on its own state (and time, on a finite-horizon game) and its own action, from its
// own rewards, all N acting in the same World and treating everything else as its environment.
// On a finite-horizon game, with Q_{T+1} = 0,
//
//	Q_t(s, a) ← Q_t(s, a) + β_n [r + max_a' Q_{t+1}(s', a') − Q_t(s, a)];
//
// on a stationary game, episodes truncated at the game's Times(),
//
//	Q(s, a) ← Q(s, a) + β_n [r + γ max_a' Q(s', a') − Q(s, a)],
//
// the maxima over legal actions, n the visits of (s, a) (of (t, s, a)) by that agent. Actions
// are ε-greedy with ε decaying over the episodes (ILOptions). Each agent deploys argmax-e of its
// Q (equal mass on the legal maximisers; ILProfile); agents whose deployed policies coincide
// share one entry of the profile. onCheckpoint, when not nil, gets the deployed profile at the
// checkpoints; the profile at the end is returned. One random stream (Seed) drives the
// training, so the result does not depend on anything else.
func TrainIndependent(ctx context.Context, g *Game, opt ILOptions, onCheckpoint ILCheckpoint) (Profile, error) {
	opt, err := opt.resolve()
	if err != nil {
		return Profile{}, err
	}
	w, err := NewWorld(g, opt.Initial)
	if err != nil {
		return Profile{}, err
	}
	l := newLearners(g, opt)
	rng := seeds.New(opt.Seed, seeds.Training)
	next := 1
	tick := cancel.Every(ctx, g.N*g.times*(g.A+4))
	for e := 0; e < opt.Episodes; e++ {
		if err := tick.Tick(); err != nil {
			return Profile{}, err
		}
		if err := l.episode(w, l.explore(e), rng); err != nil {
			return Profile{}, err
		}
		if e+1 == opt.Episodes*next/opt.Checkpoints {
			next++
			if onCheckpoint != nil {
				if err := onCheckpoint(e+1, l.profile()); err != nil {
					return Profile{}, err
				}
			}
		}
	}
	return l.profile(), nil
}

func newLearners(g *Game, opt ILOptions) *learners {
	l := &learners{g: g, opt: opt, R: g.S, finite: !g.Stationary(), discount: g.discount}
	if l.finite {
		l.R = g.times * g.S
	}
	l.q = make([]float64, g.N*l.R*g.A)
	l.visits = make([]int64, len(l.q))
	l.rates = make([]float64, 1<<12)
	for n := 1; n < len(l.rates); n++ {
		l.rates[n] = opt.Step.Rate(int64(n))
	}
	l.legal = make([][]int, g.S)
	for s := range l.legal {
		for a := 0; a < g.A; a++ {
			if g.legal == nil || g.legal[s*g.A+a] {
				l.legal[s] = append(l.legal[s], a)
			}
		}
	}
	l.actions, l.rewards, l.prevRow = make([]int, g.N), make([]float64, g.N), make([]int, g.N)
	return l
}

// explore is ε of episode e.
func (l *learners) explore(e int) float64 {
	if l.opt.Episodes == 1 {
		return l.opt.ExploreStart
	}
	f := float64(e) / float64(l.opt.Episodes-1)
	return l.opt.ExploreStart + (l.opt.ExploreEnd-l.opt.ExploreStart)*f
}

// row is the index of the first entry of agent i's Q at round t and state s.
func (l *learners) row(i, t, s int) int {
	r := s
	if l.finite {
		r = t*l.g.S + s
	}
	return (i*l.R + r) * l.g.A
}

// episode plays one episode from a fresh start, every agent acting ε-greedily and updating its
// Q after every round.
func (l *learners) episode(w *World, eps float64, rng *rand.Rand) error {
	w.Reset(rng)
	for !w.Done() {
		t := w.Time()
		for i := range l.actions {
			s := w.State(i)
			k := l.row(i, t, s)
			l.prevRow[i] = k
			l.actions[i] = l.act(k, s, eps, rng)
		}
		if err := w.Step(l.actions, l.rewards, rng); err != nil {
			return err
		}
		last := l.finite && t == l.g.times-1
		for i, a := range l.actions {
			target := l.rewards[i]
			if !last {
				s := w.State(i)
				target += l.discount * l.best(l.row(i, t+1, s), s)
			}
			k := l.prevRow[i] + a
			l.visits[k]++
			l.q[k] += l.rate(l.visits[k]) * (target - l.q[k])
		}
	}
	return nil
}

func (l *learners) rate(n int64) float64 {
	if n < int64(len(l.rates)) {
		return l.rates[n]
	}
	return l.opt.Step.Rate(n)
}

// best is the largest Q over the legal actions of state s in the row starting at k.
func (l *learners) best(k, s int) float64 {
	v := math.Inf(-1)
	for _, a := range l.legal[s] {
		v = max(v, l.q[k+a])
	}
	return v
}

// act is ε-greedy on the row starting at k: a uniformly random legal action of s with
// probability eps, else a legal maximiser, drawn uniformly among ties.
func (l *learners) act(k, s int, eps float64, rng *rand.Rand) int {
	legal := l.legal[s]
	if rng.Float64() < eps {
		return legal[rng.IntN(len(legal))]
	}
	v, ties := math.Inf(-1), 0
	for _, a := range legal {
		switch x := l.q[k+a]; {
		case x > v:
			v, ties = x, 1
		case x == v:
			ties++
		}
	}
	pick := 0
	if ties > 1 {
		pick = rng.IntN(ties)
	}
	for _, a := range legal {
		if l.q[k+a] == v {
			if pick == 0 {
				return a
			}
			pick--
		}
	}
	return legal[0] // not reached: some legal action attains v
}

// profile deploys every agent's argmax-e policy, agents with equal policies sharing an entry.
func (l *learners) profile() Profile {
	g := l.g
	p := Profile{Of: make([]int, g.N)}
	index := map[string]int{}
	for i := 0; i < g.N; i++ {
		pol := ILPolicy(g, l.q[i*l.R*g.A:(i+1)*l.R*g.A])
		key := policyKey(pol)
		k, ok := index[key]
		if !ok {
			k = len(p.Policies)
			index[key] = k
			p.Policies = append(p.Policies, pol)
		}
		p.Of[i] = k
	}
	return p
}

// ILPolicy is the policy one learner deploys from its Q-table q (Times()·S·A entries on a
// finite-horizon game, t-major; S·A on a stationary one): in every row, argmax-e over the legal
// actions, equal mass on each legal action of largest Q and 0 elsewhere.
func ILPolicy(g *Game, q []float64) Policy {
	rows := len(q) / (g.S * g.A)
	pol := make(Policy, rows)
	for t := range pol {
		pi := mfg.NewPolicy(g.S, g.A)
		for s := 0; s < g.S; s++ {
			row := q[(t*g.S+s)*g.A : (t*g.S+s+1)*g.A]
			best, n := math.Inf(-1), 0
			for a, x := range row {
				if g.legal != nil && !g.legal[s*g.A+a] {
					continue
				}
				switch {
				case x > best:
					best, n = x, 1
				case x == best:
					n++
				}
			}
			dst := pi.Row(s)
			for a, x := range row {
				if x == best && (g.legal == nil || g.legal[s*g.A+a]) {
					dst[a] = 1 / float64(n)
				}
			}
		}
		pol[t] = pi
	}
	return pol
}

// policyKey is a policy's probabilities as a string, to find equal policies.
func policyKey(pol Policy) string {
	b := make([]byte, 0, 8*len(pol)*len(pol[0].Prob))
	for _, pi := range pol {
		for _, x := range pi.Prob {
			b = strconv.AppendUint(b, math.Float64bits(x), 36)
			b = append(b, ',')
		}
	}
	return string(b)
}
