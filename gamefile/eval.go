package gamefile

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"go.starlark.net/starlark"

	"meanfield/mfg"
)

// tolerance is how far from 1 a transition row may sum.
const tolerance = 1e-9

// meanFieldValue is the script's view of L: mf.mu[s] = Σ_a L(s, a), mf.alpha[a] = Σ_s L(s, a),
// mf.L[s][a] = L(s, a), all frozen. Each is converted to Starlark values when first read (a stage
// that reads only mu does not pay for L's S·A floats). It records whether the script read it: a
// pure function that returned without reading it does not depend on L, so its values hold at
// every L. It lives for one evaluation, during which L does not change.
type meanFieldValue struct {
	pop   mfg.Population
	attrs starlark.StringDict // the attributes converted so far
	read  bool
}

func meanField(L mfg.Population) *meanFieldValue {
	return &meanFieldValue{pop: L, attrs: make(starlark.StringDict, 3)}
}

// floatList is x as a frozen Starlark list of floats.
func floatList(x []float64) *starlark.List {
	out := make([]starlark.Value, len(x))
	for i, v := range x {
		out[i] = starlark.Float(v)
	}
	l := starlark.NewList(out)
	l.Freeze()
	return l
}

// attr converts the attribute name on its first read; nil for a name mf lacks.
func (mf *meanFieldValue) attr(name string) starlark.Value {
	if v, ok := mf.attrs[name]; ok {
		return v
	}
	L := mf.pop
	var v starlark.Value
	switch name {
	case "mu":
		v = floatList(L.StateMarginal(nil))
	case "alpha":
		v = floatList(L.ActionMarginal(nil))
	case "L":
		rows := make([]starlark.Value, L.States)
		for s := range rows {
			rows[s] = floatList(L.Mass[s*L.Actions : (s+1)*L.Actions])
		}
		l := starlark.NewList(rows)
		l.Freeze()
		v = l
	default:
		return nil
	}
	mf.attrs[name] = v
	return v
}

func (mf *meanFieldValue) String() string {
	mf.read = true
	return "mean_field(mu = " + mf.attr("mu").String() + ", ...)"
}
func (mf *meanFieldValue) Type() string          { return "mean_field" }
func (mf *meanFieldValue) Freeze()               {}
func (mf *meanFieldValue) Truth() starlark.Bool  { return true }
func (mf *meanFieldValue) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: mean_field") }
func (mf *meanFieldValue) AttrNames() []string   { return []string{"L", "alpha", "mu"} }

// Attr returns mu, alpha or L, and records the read.
func (mf *meanFieldValue) Attr(name string) (starlark.Value, error) {
	v := mf.attr(name)
	if v == nil {
		return nil, nil // "mean_field has no .x field or method"
	}
	mf.read = true
	return v, nil
}

// at names an evaluation: "reward(t=0, s=5 (1, 2), a=1)", the state's coordinates shown when the
// states are a grid.
func (g *game) at(fn string, t, s, a int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s(t=%d", fn, t)
	if s >= 0 {
		fmt.Fprintf(&b, ", s=%d%s", s, coords(g.stateShape, s))
	}
	if a >= 0 {
		fmt.Fprintf(&b, ", a=%d%s", a, coords(g.actionShape, a))
	}
	return b.String() + ")"
}

func coords(shape []int, i int) string {
	if len(shape) < 2 {
		return ""
	}
	c := mfg.Shape(shape).Coords(i, nil)
	return " " + strings.ReplaceAll(strings.Trim(fmt.Sprint(c), "[]"), " ", ", ")
}

// site is an evaluation, named in errors only: building its name for every entry cost a tenth
// of a stage.
type site struct {
	g       *game
	fn      string
	t, s, a int // t < 0: the function has no (t, s, a)
}

func (w site) String() string {
	if w.t < 0 {
		return w.fn
	}
	return w.g.at(w.fn, w.t, w.s, w.a)
}

// call calls fn and turns its error into an *Error at where.
func (g *game) call(th *starlark.Thread, fn *starlark.Function, where site, args ...starlark.Value) (starlark.Value, error) {
	v, err := starlark.Call(th, fn, args, nil)
	if err != nil {
		return nil, fromStarlark(err, g.r.file, where.String())
	}
	return v, nil
}

// toFloat reads a finite number returned by fn: a reward (next < 0) or the probability of the
// next state next.
func (g *game) toFloat(fn *starlark.Function, where site, next int, v starlark.Value) (float64, error) {
	x, ok := starlark.AsFloat(v)
	if ok && !math.IsNaN(x) && !math.IsInf(x, 0) {
		return x, nil
	}
	what := "the reward"
	if next >= 0 {
		what = fmt.Sprintf("the probability of next state %d", next)
	}
	if !ok {
		return 0, errAt(fn.Position(), where.String(), "%s is %s (a %s): want a number", what, short(v), v.Type())
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, errAt(fn.Position(), where.String(), "%s is %v: must be finite", what, x)
	}
	return x, nil
}

// short shows a value in an error, cut at 60 characters.
func short(v starlark.Value) string {
	s := v.String()
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

// rewards fills dst[s*A+a] = r(t, s, a, L), per entry, from the whole table, or from pre, the
// table stage returned.
func (g *game) rewards(th *starlark.Thread, t int, mf *meanFieldValue, dst []float64, pre starlark.Value) error {
	tv := starlark.MakeInt(t)
	if pre != nil {
		return g.table(g.sp.stage, "stage", t, pre, func(s, a int, x starlark.Value) error {
			r, err := g.toFloat(g.sp.stage, site{g, "stage", t, s, a}, -1, x)
			dst[s*g.A+a] = r
			return err
		})
	}
	if fn := g.sp.reward; fn != nil {
		for i := range dst {
			s, a := i/g.A, i%g.A
			where := site{g, "reward", t, s, a}
			v, err := g.call(th, fn, where, g.p, tv, starlark.MakeInt(s), starlark.MakeInt(a), mf)
			if err != nil {
				return err
			}
			if dst[i], err = g.toFloat(fn, where, -1, v); err != nil {
				return err
			}
		}
		return nil
	}
	fn := g.sp.rewardTable
	v, err := g.call(th, fn, site{g, "reward_table", t, -1, -1}, g.p, tv, mf)
	if err != nil {
		return err
	}
	return g.table(fn, "reward_table", t, v, func(s, a int, x starlark.Value) error {
		r, err := g.toFloat(fn, site{g, "reward_table", t, s, a}, -1, x)
		dst[s*g.A+a] = r
		return err
	})
}

// table walks a whole-stage table (the value of fn, the file's name of the function name), S sequences of A values, calling f on each entry.
func (g *game) table(fn *starlark.Function, name string, t int, v starlark.Value, f func(s, a int, x starlark.Value) error) error {
	rows, ok := v.(starlark.Indexable)
	if !ok || rows.Len() != g.S {
		return errAt(fn.Position(), g.at(name, t, -1, -1), "returned %s: want a list of %d rows (one per state) of %d entries (one per action)", describe(v), g.S, g.A)
	}
	for s := 0; s < g.S; s++ {
		row, ok := rows.Index(s).(starlark.Indexable)
		if !ok || row.Len() != g.A {
			return errAt(fn.Position(), g.at(name, t, s, -1), "row %d is %s: want a list of %d entries (one per action)", s, describe(rows.Index(s)), g.A)
		}
		for a := 0; a < g.A; a++ {
			if err := f(s, a, row.Index(a)); err != nil {
				return err
			}
		}
	}
	return nil
}

func describe(v starlark.Value) string {
	if l, ok := v.(starlark.Indexable); ok {
		return fmt.Sprintf("a %s of %d entries", v.Type(), l.Len())
	}
	return fmt.Sprintf("%s (a %s)", short(v), v.Type())
}

// transitions adds every row P(·|t, s, a, L) to b, per entry, from the whole table, or from
// pre, the rows stage returned.
func (g *game) transitions(th *starlark.Thread, t int, mf *meanFieldValue, b *mfg.MDPBuilder, pre starlark.Value) error {
	tv := starlark.MakeInt(t)
	if pre != nil {
		return g.table(g.sp.stage, "stage", t, pre, func(s, a int, x starlark.Value) error {
			return g.row(g.sp.stage, site{g, "stage", t, s, a}, x, b)
		})
	}
	if fn := g.sp.transition; fn != nil {
		for i := 0; i < g.S*g.A; i++ {
			s, a := i/g.A, i%g.A
			where := site{g, "transition", t, s, a}
			v, err := g.call(th, fn, where, g.p, tv, starlark.MakeInt(s), starlark.MakeInt(a), mf)
			if err != nil {
				return err
			}
			if err := g.row(fn, where, v, b); err != nil {
				return err
			}
		}
		return nil
	}
	fn := g.sp.transitionRows
	v, err := g.call(th, fn, site{g, "transition_rows", t, -1, -1}, g.p, tv, mf)
	if err != nil {
		return err
	}
	return g.table(fn, "transition_rows", t, v, func(s, a int, x starlark.Value) error {
		return g.row(fn, site{g, "transition_rows", t, s, a}, x, b)
	})
}

// entry is a next state and its probability, in a transition row.
type entry struct {
	next int
	p    float64
}

// row checks one transition row, a dict {next: probability} or a list of S probabilities, and
// adds it to b in increasing order of the next state. It allocates nothing for a row of at most
// 8 next states (no closure holds its entries).
func (g *game) row(fn *starlark.Function, at site, v starlark.Value, b *mfg.MDPBuilder) error {
	var buf [8]entry
	es := buf[:0]
	switch v := v.(type) {
	case *starlark.Dict:
		if v.Len() > g.S {
			return errAt(fn.Position(), at.String(), "returned a dict of %d next states, more than the %d states", v.Len(), g.S)
		}
		it := v.Iterate()
		defer it.Done()
		var k starlark.Value
		for it.Next(&k) {
			next, err := starlark.AsInt32(k)
			if _, isInt := k.(starlark.Int); !isInt || err != nil {
				return errAt(fn.Position(), at.String(), "next state %s (a %s): want a state index in [0, %d)", short(k), k.Type(), g.S)
			}
			pv, _, _ := v.Get(k) // an int key: found, no error
			p, err := g.probability(fn, at, k, next, pv)
			if err != nil {
				return err
			}
			es = append(es, entry{next, p})
		}
	case *starlark.List:
		if v.Len() != g.S {
			return errAt(fn.Position(), at.String(), "returned a list of %d probabilities, want %d (one per state) or a dict {next state: probability}", v.Len(), g.S)
		}
		for k := 0; k < v.Len(); k++ {
			p, err := g.probability(fn, at, starlark.MakeInt(k), k, v.Index(k))
			if err != nil {
				return err
			}
			es = append(es, entry{k, p})
		}
	default:
		return errAt(fn.Position(), at.String(), "returned %s: want a dict {next state: probability}", describe(v))
	}
	return g.addRow(fn, at, es, b)
}

// probability checks the entry k: pv of a row: the next state next in range, pv a number ≥ 0.
func (g *game) probability(fn *starlark.Function, at site, k starlark.Value, next int, pv starlark.Value) (float64, error) {
	if next < 0 || next >= g.S {
		return 0, errAt(fn.Position(), at.String(), "next state %s out of range [0, %d)", k, g.S)
	}
	p, err := g.toFloat(fn, at, next, pv)
	if err == nil && p < 0 {
		err = errAt(fn.Position(), at.String(), "the probability of next state %d is %v: must be non-negative", next, p)
	}
	return p, err
}

// addRow checks that the entries of a row sum to 1 and adds them to b, by next state.
func (g *game) addRow(fn *starlark.Function, at site, es []entry, b *mfg.MDPBuilder) error {
	if len(es) > 1 {
		slices.SortFunc(es, func(x, y entry) int { return x.next - y.next })
	}
	var sum float64
	for _, e := range es {
		sum += e.p
	}
	if math.Abs(sum-1) > tolerance {
		return errAt(fn.Position(), at.String(), "the probabilities sum to %.12g, want 1 (within %g)", sum, tolerance)
	}
	for _, e := range es {
		if e.p != 0 {
			b.Add(e.next, e.p)
		}
	}
	b.EndRow()
	return nil
}

// stagePair calls stage(p, t, mf) and returns its two tables: the rewards and the rows.
func (g *game) stagePair(th *starlark.Thread, t int, mf *meanFieldValue) ([2]starlark.Value, error) {
	fn := g.sp.stage
	v, err := g.call(th, fn, site{g, "stage", t, -1, -1}, g.p, starlark.MakeInt(t), mf)
	if err != nil {
		return [2]starlark.Value{}, err
	}
	pair, ok := v.(starlark.Tuple)
	if !ok || len(pair) != 2 {
		return [2]starlark.Value{}, errAt(fn.Position(), site{g, "stage", t, -1, -1}.String(), "returned %s: want a pair (reward table, transition rows)", describe(v))
	}
	return [2]starlark.Value{pair[0], pair[1]}, nil
}
