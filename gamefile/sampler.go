package gamefile

import (
	"fmt"
	"math"
	"math/rand/v2"

	"go.starlark.net/starlark"

	"meanfield/alias"
	"meanfield/mfg"
)

// A stationary file may give a simulator for the model-free algorithms (GMF-Q's Q-learning, the
// sampled population step) as two functions:
//
//	outcomes(p, mf)          the outcomes of one round at the mean field: a list of pairs
//	                         (weight, outcome), drawn with probability weight / Σ weight
//	settle(p, s, a, outcome) the agent's (reward, next state) in state s playing a when the
//	                         round's outcome is outcome
//
// Everything a round draws from the population goes into its outcome (settle does not see mf),
// and an outcome is any hashable value (a number, a string, a tuple of them), best from a finite
// set. So settle is evaluated once per outcome value and pair (s, a), whatever the population,
// and cached (up to maxSettled entries, then afresh); a draw
// is one 64-bit number of the caller's stream (Walker's alias table over the outcomes of
// positive weight, alias.Outcomes) and a table lookup, no Starlark. Outcomes of weight 0 are
// left out.

// sampler is a file's simulator at one population: the alias table of the round's outcomes,
// each with the settled (reward, next) of every pair. It is read-only after it is built.
type sampler struct {
	rounds *alias.Outcomes[[]settledPair]
	A      int
}

// settledPair is settle's value at one (s, a, outcome).
type settledPair struct {
	reward float64
	next   int
}

// Sample draws a round's outcome and returns its (reward, next state) for (s, a).
func (sm *sampler) Sample(s, a int, rng *rand.Rand) (reward float64, next int) {
	e := sm.rounds.Pick(rng.Uint64())[s*sm.A+a]
	return e.reward, e.next
}

// SamplingStationary is a stationary game read from a file that gives a simulator (outcomes and
// settle) beside its model: an mfg.ModelFree as well as an mfg.ModelBased.
type SamplingStationary struct{ Stationary }

var _ mfg.ModelFree = SamplingStationary{}

// Sampler returns the file's simulator at L: outcomes(p, mf) evaluated at L, settle at every
// outcome not seen before. It is safe for concurrent use.
func (g SamplingStationary) Sampler(L mfg.Population) (mfg.Sampler, error) {
	if err := g.checkPopulation(L); err != nil {
		return nil, err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.lastSampler != nil && equal(g.lastSampler.mass, L.Mass) {
		return g.lastSampler.sm, nil
	}
	var weights []float64
	var rows [][]settledPair
	err := g.r.run("", func(th *starlark.Thread) error {
		fn := g.sp.outcomes
		where := site{g.game, "outcomes(p, mf)", -1, 0, 0}
		v, err := g.call(th, fn, where, g.p, meanField(L))
		if err != nil {
			return err
		}
		weights, rows, err = g.roundOutcomes(th, v)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(weights) == 0 {
		return nil, errAt(g.sp.outcomes.Position(), "outcomes(p, mf)", "no outcome has a positive weight")
	}
	rounds, err := alias.NewOutcomes(weights, rows)
	if err != nil {
		return nil, errAt(g.sp.outcomes.Position(), "outcomes(p, mf)", "%v", err)
	}
	sm := &sampler{rounds: rounds, A: g.A}
	g.lastSampler = &cachedSampler{append([]float64(nil), L.Mass...), sm}
	return sm, nil
}

// cachedSampler is the last sampler built and its population.
type cachedSampler struct {
	mass []float64
	sm   *sampler
}

// roundOutcomes reads the value of outcomes, a list of pairs (weight, outcome), and returns the
// positive weights with the settled pairs of their outcomes.
func (g *game) roundOutcomes(th *starlark.Thread, v starlark.Value) ([]float64, [][]settledPair, error) {
	fn := g.sp.outcomes
	bad := func(format string, args ...any) error {
		return errAt(fn.Position(), "outcomes(p, mf)", format, args...)
	}
	list, ok := v.(starlark.Indexable)
	if !ok || isString(v) {
		return nil, nil, bad("returned %s: want a list of pairs (weight, outcome)", describe(v))
	}
	var weights []float64
	var rows [][]settledPair
	for i := 0; i < list.Len(); i++ {
		pair, ok := list.Index(i).(starlark.Indexable)
		if !ok || isString(list.Index(i)) || pair.Len() != 2 {
			return nil, nil, bad("entry %d is %s: want a pair (weight, outcome)", i, describe(list.Index(i)))
		}
		w, ok := starlark.AsFloat(pair.Index(0))
		switch {
		case !ok:
			return nil, nil, bad("entry %d: the weight is %s (a %s): want a number", i, short(pair.Index(0)), pair.Index(0).Type())
		case !(w >= 0) || math.IsInf(w, 0):
			return nil, nil, bad("entry %d: the weight is %v: must be non-negative and finite", i, w)
		case w == 0:
			continue
		}
		row, err := g.settled(th, pair.Index(1))
		if err != nil {
			return nil, nil, err
		}
		weights, rows = append(weights, w), append(rows, row)
	}
	return weights, rows, nil
}

// settled returns settle's values at every pair (s, a) for outcome o, from the cache or
// evaluated and cached.
func (g *game) settled(th *starlark.Thread, o starlark.Value) ([]settledPair, error) {
	if g.settleIndex == nil {
		g.settleIndex = starlark.NewDict(16)
	}
	if k, found, err := g.settleIndex.Get(o); err != nil {
		return nil, errAt(g.sp.outcomes.Position(), "outcomes(p, mf)", "the outcome %s: %v (an outcome is a number, a string or a tuple of them)", short(o), err)
	} else if found {
		i, _ := starlark.AsInt32(k)
		return g.settledRows[i], nil
	}
	row := make([]settledPair, g.S*g.A)
	fn := g.sp.settle
	for i := range row {
		s, a := i/g.A, i%g.A
		where := settleSite{g, s, a, o}
		v, err := starlark.Call(th, fn, starlark.Tuple{g.p, starlark.MakeInt(s), starlark.MakeInt(a), o}, nil)
		if err != nil {
			return nil, fromStarlark(err, g.r.file, where.String())
		}
		if row[i], err = g.settledPair(where, v); err != nil {
			return nil, err
		}
	}
	if (len(g.settledRows)+1)*len(row) > maxSettled {
		// Outcomes that vary with the population (a value computed from mf) are never seen
		// twice: start the cache afresh rather than let it grow a run long. Samplers built
		// before keep their rows.
		g.settleIndex, g.settledRows = starlark.NewDict(16), nil
	}
	if err := g.settleIndex.SetKey(o, starlark.MakeInt(len(g.settledRows))); err != nil {
		return nil, errAt(g.sp.outcomes.Position(), "outcomes(p, mf)", "the outcome %s: %v", short(o), err)
	}
	g.settledRows = append(g.settledRows, row)
	return row, nil
}

// maxSettled bounds the cache of settle's values, in (outcome, s, a) entries: 64 MiB.
const maxSettled = 1 << 22

// settleSite names an evaluation of settle in errors.
type settleSite struct {
	g    *game
	s, a int
	o    starlark.Value
}

func (w settleSite) String() string {
	return fmt.Sprintf("settle(s=%d%s, a=%d%s, outcome=%s)", w.s, coords(w.g.stateShape, w.s), w.a, coords(w.g.actionShape, w.a), short(w.o))
}

// settledPair reads settle's value: a pair (reward, next state), a finite number and a state.
func (g *game) settledPair(where settleSite, v starlark.Value) (settledPair, error) {
	fn := g.sp.settle
	pair, ok := v.(starlark.Indexable)
	if !ok || isString(v) || pair.Len() != 2 {
		return settledPair{}, errAt(fn.Position(), where.String(), "returned %s: want a pair (reward, next state)", describe(v))
	}
	r, ok := starlark.AsFloat(pair.Index(0))
	if !ok || math.IsNaN(r) || math.IsInf(r, 0) {
		return settledPair{}, errAt(fn.Position(), where.String(), "the reward is %s (a %s): want a finite number", short(pair.Index(0)), pair.Index(0).Type())
	}
	k := pair.Index(1)
	next, err := starlark.AsInt32(k)
	if _, isInt := k.(starlark.Int); !isInt || err != nil || next < 0 || next >= g.S {
		return settledPair{}, errAt(fn.Position(), where.String(), "the next state is %s (a %s): want a state index in [0, %d)", short(k), k.Type(), g.S)
	}
	return settledPair{r, next}, nil
}
