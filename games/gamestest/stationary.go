package gamestest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"meanfield/mfg"
)

// probe is a population at which a stationary game is checked, and how failures name it.
type probe struct {
	L       mfg.Population
	where   string
	extreme bool // all the mass on one state: failures of its values go to the Extreme group
}

// enter sets the checker's value group for probe p.
func (c *checker) enter(p probe) {
	c.values = Declaration
	if p.extreme {
		c.values = Extreme
	}
}

// stationary checks a discounted game: γ, L_0, then MDP and Sampler at L_0 and at random
// populations, and the simulator against the model when the game has both.
func (c *checker) stationary(g mfg.Stationary) {
	c.in(Declaration)
	if d := g.Discount(); !(d > 0 && d < 1) {
		c.errorf("", "Discount() = %v: must be in (0, 1)", d)
	}
	probes := []probe{c.initialPopulation(g)}
	for k := 1; k <= c.opt.Populations; k++ {
		probes = append(probes, probe{L: randomPopulation(c.rng, c.S, c.A), where: fmt.Sprintf("at random population %d of %d", k, c.opt.Populations)})
	}
	for _, s := range c.extremes() {
		probes = append(probes, probe{onState(c.S, c.A, s), extremeWhere(s), true})
	}
	defer func() { c.values = Declaration }()
	mb, isMB := g.(mfg.ModelBased)
	mf, isMF := g.(mfg.ModelFree)
	if !isMB && !isMF {
		c.errorf("", "the game is stationary but neither mfg.ModelBased (MDP) nor mfg.ModelFree (Sampler)")
		return
	}
	var model *mfg.MDP
	var sm mfg.Sampler
	if isMB {
		model = c.modelBased(mb, probes)
	}
	if isMF {
		sm = c.modelFree(mf, probes)
	}
	if model != nil && sm != nil && c.opt.Samples > 0 {
		c.enter(probes[0])
		c.in(Agreement)
		c.agreement(model, sm, probes[0])
	}
}

// initialPopulation checks InitialPopulation() and returns it as the first probe, or the uniform
// population in its stead when it is invalid.
func (c *checker) initialPopulation(g mfg.Stationary) probe {
	c.in(Initial)
	L := g.InitialPopulation()
	ok := true
	if L.States != c.S || L.Actions != c.A {
		c.errorf("", "InitialPopulation() is %d×%d, want States() × Actions() = %d×%d", L.States, L.Actions, c.S, c.A)
		ok = false
	}
	if !c.distribution("InitialPopulation().Mass", L.Mass, c.S*c.A) || !ok {
		return probe{L: mfg.UniformPopulation(c.S, c.A), where: "at the uniform population (standing in for the invalid initial one)"}
	}
	return probe{L: L.Clone(), where: "at the initial population"}
}

// modelBased checks MDP(L) at every probe: the MDP checks, γ, determinism, L left alone. It
// returns a copy of the MDP at the first probe when that one passed, else nil.
func (c *checker) modelBased(g mfg.ModelBased, probes []probe) *mfg.MDP {
	var model *mfg.MDP
	for k, p := range probes {
		c.enter(p)
		L := p.L
		f := func() (*mfg.MDP, error) { return g.MDP(L) }
		first, mutated := callMDP(c, p.where, "MDP(L)", L, false, f)
		if first == nil {
			continue
		}
		snap := first.Clone()
		valid := c.mdp(p.where, snap, true)
		if snap.Discount != g.Discount() {
			c.in(Shapes)
			c.errorf(p.where, "MDP(L).Discount = %v, want the game's Discount() = %v", snap.Discount, g.Discount())
		}
		second, _ := callMDP(c, p.where, "MDP(L) (second call)", L, mutated, f)
		if second == nil {
			continue
		}
		if d := sameMDP(snap, second); d != "" {
			c.in(Determinism)
			c.errorf(p.where, "MDP(L) called twice gives different results: %s", d)
			valid = false
		}
		if valid {
			c.stationaryMoves(g, snap, p.where)
		}
		if k == 0 && valid {
			model = snap
		}
	}
	return model
}

// stationaryMoves checks, for a game with mfg.FixedStationaryMoves, that StationaryMoves() has
// the transitions of the valid MDP m at a probe.
func (c *checker) stationaryMoves(g mfg.ModelBased, m *mfg.MDP, where string) {
	fm, ok := g.(mfg.FixedStationaryMoves)
	if !ok {
		return
	}
	c.in(Moves)
	got, err := guard(func() (*mfg.MDP, error) { return fm.StationaryMoves(), nil })
	switch {
	case err != nil:
		c.errorf(where, "StationaryMoves(): %v", err)
	case got == nil:
		return // none: the solvers build the MDP
	case got.States != m.States || got.Actions != m.Actions:
		c.errorf(where, "StationaryMoves() is %d×%d, the MDP %d×%d", got.States, got.Actions, m.States, m.Actions)
	default:
		moves := *got
		moves.Reward, moves.Discount = m.Reward, m.Discount // only the transitions are compared
		if d := sameMDP(m, &moves); d != "" {
			c.errorf(where, "StationaryMoves() differs from MDP(L)'s transitions (mfg.FixedStationaryMoves): %s", d)
		}
	}
}

// modelFree checks Sampler(L) at every probe: L left alone, next states in range and finite
// rewards for every pair; at the first probe, determinism. It returns the sampler at the first
// probe when it passed, else nil.
func (c *checker) modelFree(g mfg.ModelFree, probes []probe) mfg.Sampler {
	var first mfg.Sampler
	for k, p := range probes {
		c.enter(p)
		sm := c.sampler(g, p)
		if sm == nil {
			continue
		}
		draws, ok := c.draws(p.where, sm, rangeDraws)
		if ok && c.inRange(p.where, draws) && k == 0 && c.replay(g, p, sm, draws) {
			first = sm
		}
	}
	return first
}

// sampler calls Sampler(L), guarded, and checks that it returned a sampler and left L alone.
func (c *checker) sampler(g mfg.ModelFree, p probe) mfg.Sampler {
	before := slices.Clone(p.L.Mass)
	sm, err := guard(func() (mfg.Sampler, error) { return g.Sampler(p.L) })
	c.in(Determinism)
	c.unchanged(p.where, "Sampler(L)", before, p.L, false)
	c.in(Sampling)
	switch {
	case err != nil:
		c.errorf(p.where, "Sampler(L): %v", err)
		return nil
	case sm == nil:
		c.errorf(p.where, "Sampler(L) returned a nil sampler and no error")
		return nil
	}
	return sm
}

// draw is one transition drawn from a sampler.
type draw struct {
	s, a   int
	reward float64
	next   int
}

// draws samples k transitions of every pair from a stream of PCG(seed, streamSampler), in pair
// order. A panic is reported and ends the draws (ok false).
func (c *checker) draws(where string, sm mfg.Sampler, k int) (out []draw, ok bool) {
	rng := rand.New(rand.NewPCG(c.opt.Seed, streamSampler))
	out = make([]draw, 0, c.S*c.A*k)
	var cur draw
	defer func() {
		if r := recover(); r != nil {
			c.errorf(where, "Sample(%d, %d, rng): panic: %v", cur.s, cur.a, r)
			ok = false
		}
	}()
	for i := 0; i < c.S*c.A; i++ {
		for j := 0; j < k; j++ {
			cur = draw{s: i / c.A, a: i % c.A}
			cur.reward, cur.next = sm.Sample(cur.s, cur.a, rng)
			out = append(out, cur)
		}
	}
	return out, true
}

// inRange checks that every draw has a next state in [0, S) and a finite reward.
func (c *checker) inRange(where string, draws []draw) bool {
	r := &report{c: c, where: where}
	for _, d := range draws {
		if d.next < 0 || d.next >= c.S {
			r.add("Sample(%d, %d, rng) returned next state %d, out of range [0, %d)", d.s, d.a, d.next, c.S)
		}
		if !isFinite(d.reward) {
			r.add("Sample(%d, %d, rng) returned reward %v: must be finite", d.s, d.a, d.reward)
		}
	}
	r.close()
	return r.n == 0
}

// replay checks that a second sampler at the same L, and the first one again, repeat the draws
// on equal random streams.
func (c *checker) replay(g mfg.ModelFree, p probe, sm mfg.Sampler, want []draw) bool {
	other := c.sampler(g, p)
	if other == nil {
		return false
	}
	ok := true
	for _, run := range []struct {
		what string
		sm   mfg.Sampler
	}{{"a second sampler at the same L", other}, {"the same sampler replayed", sm}} {
		got, drawn := c.draws(p.where, run.sm, rangeDraws)
		if !drawn {
			return false
		}
		if d := firstDrawDiff(want, got); d != "" {
			c.errorf(p.where, "%s, fed an equal random stream, draws differently: %s (a sampler's randomness must come from the caller's stream)", run.what, d)
			ok = false
		}
	}
	return ok
}

// firstDrawDiff describes the first draw that differs (rewards bit for bit), or returns "".
func firstDrawDiff(want, got []draw) string {
	for i := range min(len(want), len(got)) {
		w, g := want[i], got[i]
		if w.next != g.next || math.Float64bits(w.reward) != math.Float64bits(g.reward) {
			return fmt.Sprintf("draw %d of (s=%d, a=%d) gave (reward %v, next %d), now (reward %v, next %d)",
				i%rangeDraws+1, w.s, w.a, w.reward, w.next, g.reward, g.next)
		}
	}
	return ""
}
