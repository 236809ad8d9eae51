package gamestest

import (
	"fmt"
	"math"
	"slices"

	"meanfield/mfg"
)

// finite checks a finite-horizon game: its horizon, shapes and μ0, then every stage along the
// mean field of the uniform policy and along random mean fields.
func (c *checker) finite(g mfg.Finite) {
	T := g.Horizon()
	if T < 0 {
		c.errorf("", "Horizon() = %d: must be at least 0", T)
	}
	c.shape("StateShape()", g.StateShape(), "States()", c.S)
	c.shape("ActionShape()", g.ActionShape(), "Actions()", c.A)
	c.in(Initial)
	mu0 := g.InitialStates()
	if !c.distribution("InitialStates()", mu0, c.S) {
		mu0 = nil
	}
	if T < 0 {
		return
	}
	c.walk(g, "at the mean field of the uniform policy", c.uniformWalk(mu0))
	random := func(int, *mfg.MDP, mfg.Population) mfg.Population { return randomPopulation(c.rng, c.S, c.A) }
	for k := 1; k <= c.opt.Populations; k++ {
		c.walk(g, fmt.Sprintf("at random mean field %d of %d", k, c.opt.Populations), random)
	}
	c.values = Extreme
	for _, s := range c.extremes() {
		at := func(int, *mfg.MDP, mfg.Population) mfg.Population { return onState(c.S, c.A, s) }
		c.walk(g, extremeWhere(s), at)
	}
	c.values = Declaration
}

// extremes returns the states probed with all the mass on them: Options.Extremes of them (at most
// S), evenly spread from the first to the last, and keeps them for the report.
func (c *checker) extremes() []int {
	n := min(c.opt.Extremes, c.S)
	var out []int
	for k := range max(n, 0) {
		s := 0
		if n > 1 {
			s = int(math.Round(float64(k) * float64(c.S-1) / float64(n-1)))
		}
		if len(out) == 0 || out[len(out)-1] != s {
			out = append(out, s)
		}
	}
	c.extremeStates = out
	return out
}

// extremeWhere names the population with all the mass on state s in failures.
func extremeWhere(s int) string { return fmt.Sprintf("at all mass on state %d", s) }

// onState is the population with all the mass on state s, spread evenly over the actions.
func onState(S, A, s int) mfg.Population {
	L := mfg.NewPopulation(S, A)
	for a := range A {
		L.Mass[s*A+a] = 1 / float64(A)
	}
	return L
}

// shape checks that every dimension of a shape is at least 1 and that their product is size.
func (c *checker) shape(what string, shape []int, sizeName string, size int) {
	n := 1
	for k, d := range shape {
		if d < 1 {
			c.errorf("", "%s = %v: dimension %d is %d, must be at least 1", what, shape, k, d)
			return
		}
		n *= d
	}
	if n != size {
		c.errorf("", "%s = %v has %d elements, but %s = %d", what, shape, n, sizeName, size)
	}
}

// walkStep returns L_t given the checked copy of stage t-1 (nil at t = 0 or when that stage was
// invalid) and L_{t-1}.
type walkStep func(t int, prev *mfg.MDP, L mfg.Population) mfg.Population

// walk checks Stage(t, L_t) for t = 0..T along the mean field that next builds, then that each
// stage kept its values while the later ones were computed.
func (c *checker) walk(g mfg.Finite, where string, next walkStep) {
	T := g.Horizon()
	got := make([]*mfg.MDP, T+1)
	snaps := make([]*mfg.MDP, T+1)
	var prev *mfg.MDP
	var L mfg.Population
	for t := 0; t <= T; t++ {
		L = next(t, prev, L)
		var valid bool
		got[t], snaps[t], valid = c.stage(g, t, L, fmt.Sprintf("stage t = %d %s", t, where))
		prev = nil
		if valid {
			prev = snaps[t]
			c.moves(g, t, prev, fmt.Sprintf("stage t = %d %s", t, where))
		}
	}
	c.in(Determinism)
	for t := range got {
		if snaps[t] == nil {
			continue
		}
		if d := sameMDP(snaps[t], got[t]); d != "" {
			c.errorf(fmt.Sprintf("stage t = %d %s", t, where),
				"the stage changed after Stage was called for later times: %s (a stage must stay valid: finite.MeanFieldOf keeps them all)", d)
		}
	}
}

// moves checks, for a game with mfg.FixedMoves, that Moves(t) has the transitions of the valid
// stage st (for t < T).
func (c *checker) moves(g mfg.Finite, t int, st *mfg.MDP, where string) {
	fm, ok := g.(mfg.FixedMoves)
	if !ok || t >= g.Horizon() {
		return
	}
	c.in(Moves)
	m, err := guard(func() (*mfg.MDP, error) { return fm.Moves(t), nil })
	switch {
	case err != nil:
		c.errorf(where, "Moves(%d): %v", t, err)
	case m == nil:
		c.errorf(where, "Moves(%d) returned a nil MDP", t)
	case m.States != st.States || m.Actions != st.Actions:
		c.errorf(where, "Moves(%d) is %d×%d, the stage %d×%d", t, m.States, m.Actions, st.States, st.Actions)
	default:
		moves := *m
		moves.Reward, moves.Discount = st.Reward, st.Discount // only the transitions are compared
		if d := sameMDP(st, &moves); d != "" {
			c.errorf(where, "Moves(%d) differs from the stage's transitions (mfg.FixedMoves): %s", t, d)
		}
	}
}

// stage calls Stage(t, L) twice and checks the result and that both calls agree. It returns the
// second result, a copy of the first when the two agree (else nil), and whether that copy passed
// the stage checks.
func (c *checker) stage(g mfg.Finite, t int, L mfg.Population, where string) (got, snap *mfg.MDP, valid bool) {
	call := fmt.Sprintf("Stage(%d, L)", t)
	stage := func() (*mfg.MDP, error) { return g.Stage(t, L) }
	first, mutated := callMDP(c, where, call, L, false, stage)
	if first == nil {
		return nil, nil, false
	}
	snap = first.Clone()
	valid = c.mdp(where, snap, t < g.Horizon())
	got, _ = callMDP(c, where, call+" (second call)", L, mutated, stage)
	if got == nil {
		return nil, nil, false
	}
	if d := sameMDP(snap, got); d != "" {
		c.in(Determinism)
		c.errorf(where, "%s called twice gives different results: %s", call, d)
		return got, nil, false
	}
	return got, snap, valid
}

// callMDP calls f (Stage or MDP at L), guarded, and checks that it returned an MDP without error
// and left L alone (restoring L if not; quiet skips reporting that, already reported). It returns
// nil on failure, and whether f wrote into L.
func callMDP(c *checker, where, call string, L mfg.Population, quiet bool, f func() (*mfg.MDP, error)) (*mfg.MDP, bool) {
	before := slices.Clone(L.Mass)
	m, err := guard(f)
	c.in(Determinism)
	mutated := !c.unchanged(where, call, before, L, quiet)
	c.in(Shapes)
	switch {
	case err != nil:
		c.errorf(where, "%s: %v", call, err)
		return nil, mutated
	case m == nil:
		c.errorf(where, "%s returned a nil MDP and no error", call)
		return nil, mutated
	}
	return m, mutated
}

// uniformWalk builds the mean field of the uniform policy from μ0 (the uniform distribution on
// S×A when mu0 is nil), restarting from the uniform distribution after an invalid stage.
func (c *checker) uniformWalk(mu0 []float64) walkStep {
	return func(t int, prev *mfg.MDP, L mfg.Population) mfg.Population {
		if (t == 0 && mu0 == nil) || (t > 0 && prev == nil) {
			return mfg.UniformPopulation(c.S, c.A)
		}
		mu := mu0
		if t > 0 {
			mu = make([]float64, c.S)
			for i, w := range L.Mass {
				for k := prev.RowStart[i]; k < prev.RowStart[i+1]; k++ {
					mu[prev.Next[k]] += w * prev.Prob[k]
				}
			}
		}
		var total float64
		for _, x := range mu {
			total += x
		}
		next := mfg.NewPopulation(c.S, c.A)
		for i := range next.Mass {
			next.Mass[i] = mu[i/c.A] / total / float64(c.A)
		}
		return next
	}
}
