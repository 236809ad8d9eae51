package gamefile

import (
	"fmt"

	"go.starlark.net/starlark"

	"meanfield/mfg"
)

// build checks a description against its parameters and returns the game.
func (r *runner) build(sp *spec, p *starlark.Dict) (mfg.Game, error) {
	g := &game{r: r, sp: sp, p: p}
	var err error
	if g.stateShape, err = shapeOf(sp.states); err != nil {
		return nil, errAt(sp.pos, "", "%s: states: %v", sp, err)
	}
	if g.actionShape, err = shapeOf(sp.actions); err != nil {
		return nil, errAt(sp.pos, "", "%s: actions: %v", sp, err)
	}
	g.S, g.A = mfg.Size(g.stateShape), mfg.Size(g.actionShape)
	if g.S > r.opt.MaxEntries || g.A > r.opt.MaxEntries || g.S*g.A > r.opt.MaxEntries {
		return nil, errAt(sp.pos, "", "%s: %d states × %d actions: more than the %d state-action pairs allowed", sp, g.S, g.A, r.opt.MaxEntries)
	}
	if sp.stationary {
		err = g.readInitial("initial_population", g.S*g.A, g.S, g.A)
		if err == nil {
			err = mfg.CheckDistribution("initial_population", g.initial)
		}
		if _, ok := err.(*Error); err != nil && !ok {
			err = errAt(sp.pos, "", "%s: %v", sp, err)
		}
		if err != nil {
			return nil, err
		}
		if sp.outcomes != nil {
			return SamplingStationary{Stationary{g}}, nil
		}
		return Stationary{g}, nil
	}
	err = g.readInitial("mu0", g.S, g.S, 0)
	if err == nil {
		err = mfg.CheckDistribution("mu0", g.initial)
	}
	if _, ok := err.(*Error); err != nil && !ok {
		err = errAt(sp.pos, "", "%s: %v", sp, err)
	}
	if err != nil {
		return nil, err
	}
	if g.moves, err = movesOf(sp.moves, g.A, len(g.stateShape)); err != nil {
		return nil, errAt(sp.pos, "", "%s: moves: %v", sp, err)
	}
	return withOptional(Finite{g}), nil
}

// shapeOf reads states= or actions=: a positive int n (shape [n]) or a list of positive
// dimensions.
func shapeOf(v starlark.Value) ([]int, error) {
	if n, err := starlark.AsInt32(v); err == nil {
		if _, isInt := v.(starlark.Int); isInt {
			if n < 1 {
				return nil, fmt.Errorf("%d: must be at least 1", n)
			}
			return []int{n}, nil
		}
	}
	l, ok := v.(*starlark.List)
	if !ok || l.Len() == 0 {
		return nil, fmt.Errorf("%s (a %s): want a positive int or a non-empty list of dimensions", short(v), v.Type())
	}
	sh, err := ints("the shape", l)
	if err != nil {
		return nil, err
	}
	n := int64(1)
	for k, d := range sh {
		if d < 1 {
			return nil, fmt.Errorf("dimension %d is %d: must be at least 1", k, d)
		}
		if n *= int64(d); n > 1<<40 {
			return nil, fmt.Errorf("%v: too many elements", sh)
		}
	}
	return sh, nil
}

// readInitial reads mu0 (n = S numbers, rows = 0) or initial_population (S rows of A numbers, or
// S×A flat): a list, a function of the parameters returning one, or None for uniform.
func (g *game) readInitial(key string, n, rows, cols int) error {
	v := g.sp.initial
	if fn, ok := v.(*starlark.Function); ok {
		err := g.r.run(key+"(p)", func(th *starlark.Thread) error {
			var err error
			v, err = g.call(th, fn, site{g, key + "(p)", -1, 0, 0}, g.p)
			return err
		})
		if err != nil {
			return err
		}
	}
	g.initial = make([]float64, 0, n)
	if v == starlark.None {
		for range n {
			g.initial = append(g.initial, 1/float64(n))
		}
		return nil
	}
	l, ok := v.(starlark.Indexable)
	if !ok || (l.Len() != n && l.Len() != rows) {
		return fmt.Errorf("%s is %s: want %d numbers", key, describe(v), n)
	}
	if err := g.appendNumbers(key, l, n, 1); err != nil {
		return err
	}
	if len(g.initial) != n {
		return fmt.Errorf("%s has %d numbers, want %d", key, len(g.initial), n)
	}
	return nil
}

// appendNumbers appends the numbers of l to g.initial, entering nested rows depth levels deep.
func (g *game) appendNumbers(key string, l starlark.Indexable, n, depth int) error {
	for i := 0; i < l.Len(); i++ {
		x := l.Index(i)
		if row, ok := x.(starlark.Indexable); ok && !isString(x) && depth > 0 {
			if err := g.appendNumbers(key, row, n, depth-1); err != nil {
				return err
			}
			continue
		}
		f, ok := starlark.AsFloat(x)
		if !ok {
			return fmt.Errorf("%s: entry %d is %s (a %s): want a number", key, len(g.initial), short(x), x.Type())
		}
		if len(g.initial) == n {
			return fmt.Errorf("%s has more than %d numbers", key, n)
		}
		g.initial = append(g.initial, f)
	}
	return nil
}

func isString(v starlark.Value) bool { _, ok := v.(starlark.String); return ok }

// movesOf reads moves=: per action, its displacement on the state grid (a list of one number per
// dimension, or a number on a line); nil when not given.
func movesOf(v starlark.Value, actions, dims int) ([][]float64, error) {
	if v == nil || v == starlark.None {
		return nil, nil
	}
	l, ok := v.(*starlark.List)
	if !ok || l.Len() != actions {
		return nil, fmt.Errorf("%s: want a list of %d displacements (one per action)", describe(v), actions)
	}
	out := make([][]float64, actions)
	for a := range out {
		x := l.Index(a)
		if f, ok := starlark.AsFloat(x); ok && dims == 1 {
			out[a] = []float64{f}
			continue
		}
		d, ok := x.(*starlark.List)
		if !ok || d.Len() != dims {
			return nil, fmt.Errorf("action %d: %s: want %d numbers (one per dimension of the states)", a, describe(x), dims)
		}
		for k := 0; k < dims; k++ {
			f, ok := starlark.AsFloat(d.Index(k))
			if !ok {
				return nil, fmt.Errorf("action %d: %s is not a number", a, short(d.Index(k)))
			}
			out[a] = append(out[a], f)
		}
	}
	return out, nil
}
