package gamefile

import (
	"fmt"
	"sync"

	"go.starlark.net/starlark"

	"meanfield/mfg"
)

// game is a file's game, finite-horizon or stationary: its description, the parameters, and a
// cache of the stages built.
type game struct {
	r           *runner
	sp          *spec
	p           *starlark.Dict
	stateShape  []int
	actionShape []int
	S, A        int
	initial     []float64 // μ0 (finite) or L0 (stationary)
	moves       [][]float64

	// mu guards cache: the last stage built at each time t (one entry, t = 0, for a stationary
	// game) and the population it was built at. A file's functions are pure (its globals and the
	// parameters are frozen), so equal populations give equal stages.
	mu    sync.Mutex
	cache map[int]cached
	// fixed holds the transitions of the times whose transitions do not depend on L.
	fixed map[int]*mfg.MDP
	// The simulator (a stationary file's outcomes and settle), under mu: settle's values per
	// outcome seen (settleIndex maps an outcome to its row of settledRows), and the last sampler
	// built with its population.
	settleIndex *starlark.Dict
	settledRows [][]settledPair
	lastSampler *cachedSampler
}

type cached struct {
	mass []float64
	m    *mfg.MDP
}

// Finite is a finite-horizon game read from a file.
type Finite struct{ *game }

// Stationary is a stationary game read from a file, with a model.
type Stationary struct{ *game }

// The optional interfaces of a file's finite game: mfg.RewardBound when the file gives r_max,
// mfg.Mover when it gives moves.
type (
	boundedFinite      struct{ Finite }
	moverFinite        struct{ Finite }
	boundedMoverFinite struct{ Finite }
)

// RewardBound is the file's r_max (MFGLib's env.r_max, which MF-OMO reads).
func (g boundedFinite) RewardBound() float64      { return g.sp.rMax }
func (g boundedMoverFinite) RewardBound() float64 { return g.sp.rMax }

// Move is the file's moves[a]: the displacement of action a on the state grid.
func (g moverFinite) Move(a int) []float64        { return append([]float64(nil), g.moves[a]...) }
func (g boundedMoverFinite) Move(a int) []float64 { return append([]float64(nil), g.moves[a]...) }

// withOptional returns f with the optional interfaces its file gives.
func withOptional(f Finite) mfg.Finite {
	switch {
	case f.sp.rMax > 0 && f.moves != nil:
		return boundedMoverFinite{f}
	case f.sp.rMax > 0:
		return boundedFinite{f}
	case f.moves != nil:
		return moverFinite{f}
	}
	return f
}

var (
	_ mfg.RewardBound = boundedFinite{}
	_ mfg.Mover       = moverFinite{}
	_ mfg.Finite      = Finite{}
	_ mfg.ModelBased  = Stationary{}
)

func (g *game) base() *game        { return g }
func (g *game) Name() string       { return g.sp.name }
func (g *game) States() int        { return g.S }
func (g *game) Actions() int       { return g.A }
func (g *game) StateShape() []int  { return append([]int(nil), g.stateShape...) }
func (g *game) ActionShape() []int { return append([]int(nil), g.actionShape...) }

// Horizon is the file's horizon T.
func (g Finite) Horizon() int { return g.sp.horizon }

// InitialStates is the file's mu0.
func (g Finite) InitialStates() []float64 { return append([]float64(nil), g.initial...) }

// Stage evaluates the file's reward and (for t < T) transitions at (t, L).
func (g Finite) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	if t < 0 || t > g.sp.horizon {
		return nil, fmt.Errorf("%s: time %d out of range [0, %d]", g.sp.name, t, g.sp.horizon)
	}
	return g.stage(t, L, t < g.sp.horizon)
}

// Discount is the file's discount γ.
func (g Stationary) Discount() float64 { return g.sp.discount }

// InitialPopulation is the file's initial_population L0.
func (g Stationary) InitialPopulation() mfg.Population {
	return mfg.Population{States: g.S, Actions: g.A, Mass: append([]float64(nil), g.initial...)}
}

// MDP evaluates the file's reward and transitions at L (with t = 0).
func (g Stationary) MDP(L mfg.Population) (*mfg.MDP, error) { return g.stage(0, L, true) }

// stage returns the cached stage at (t, L) or builds it.
func (g *game) stage(t int, L mfg.Population, moves bool) (*mfg.MDP, error) {
	if err := g.checkPopulation(L); err != nil {
		return nil, err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if c, ok := g.cache[t]; ok && equal(c.mass, L.Mass) {
		return c.m, nil
	}
	m, err := g.build(t, L, moves)
	if err != nil {
		return nil, err
	}
	if g.cache == nil {
		g.cache = map[int]cached{}
	}
	g.cache[t] = cached{append([]float64(nil), L.Mass...), m}
	return m, nil
}

// checkPopulation refuses a population whose shape is not the game's.
func (g *game) checkPopulation(L mfg.Population) error {
	if L.States != g.S || L.Actions != g.A || len(L.Mass) != g.S*g.A {
		return fmt.Errorf("%s: population of %d×%d (%d entries), want %d×%d", g.sp.name, L.States, L.Actions, len(L.Mass), g.S, g.A)
	}
	return nil
}

// equal compares bit patterns' values exactly (NaN never equal: it is never cached anyway).
func equal(x, y []float64) bool {
	for i, v := range x {
		if v != y[i] {
			return false
		}
	}
	return len(x) == len(y)
}

// build evaluates one stage on a fresh thread. The transitions of a time whose transition
// function did not read the mean field are kept and reused at every population.
func (g *game) build(t int, L mfg.Population, moves bool) (*mfg.MDP, error) {
	discount := 0.0
	if g.sp.stationary {
		discount = g.sp.discount
	}
	b := mfg.NewMDPBuilder(g.S, g.A, discount)
	fixed, isFixed := g.fixed[t]
	err := g.r.run("", func(th *starlark.Thread) error {
		mf := meanField(L)
		var pre [2]starlark.Value // the tables of stage(p, t, mf), when the file gives it
		if g.sp.stage != nil {
			var err error
			if pre, err = g.stagePair(th, t, mf); err != nil {
				return err
			}
		}
		if err := g.rewards(th, t, mf, b.MDP.Reward, pre[0]); err != nil {
			return err
		}
		switch {
		case !moves:
			for s := 0; s < g.S*g.A; s++ {
				b.Add(s/g.A, 1) // the last stage's rows are not read: stay put
				b.EndRow()
			}
		case isFixed:
			b.MDP.RowStart, b.MDP.Next, b.MDP.Prob = fixed.RowStart, fixed.Next, fixed.Prob
		default:
			mf.read = false
			if err := g.transitions(th, t, mf, b, pre[1]); err != nil {
				return err
			}
			if !mf.read && g.sp.stage == nil { // stage read mf for the rewards too
				g.setFixed(t, b.MDP)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if g.sp.stationary {
		return b.Build()
	}
	return b.BuildStage()
}

// setFixed keeps the transitions of m as those of time t at every population.
func (g *game) setFixed(t int, m *mfg.MDP) {
	if g.fixed == nil {
		g.fixed = map[int]*mfg.MDP{}
	}
	g.fixed[t] = &mfg.MDP{States: m.States, Actions: m.Actions, RowStart: m.RowStart, Next: m.Next, Prob: m.Prob}
}
