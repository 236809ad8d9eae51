package gamefile

import (
	"fmt"
	"math"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// spec is what finite(...) and stationary(...) return: the game's description, not yet checked
// against its parameters.
type spec struct {
	stationary bool
	pos        syntax.Position // the call of finite or stationary
	name       string
	horizon    int
	discount   float64
	rMax       float64        // r_max, 0 when not given
	moves      starlark.Value // moves=, nil or None when not given
	states     starlark.Value // an int or a list of dimensions
	actions    starlark.Value
	initial    starlark.Value // mu0 or initial_population: a list, a function of p, or None
	reward     *starlark.Function
	transition *starlark.Function
	// rewardTable and transitionRows are the whole-stage forms.
	rewardTable    *starlark.Function
	transitionRows *starlark.Function
	// stage returns both tables at once: (reward_table, transition_rows).
	stage *starlark.Function
	// outcomes and settle are a stationary game's simulator (sampler.go); nil when not given.
	outcomes, settle *starlark.Function
}

func (sp *spec) String() string {
	if sp.stationary {
		return "stationary(...)"
	}
	return "finite(...)"
}
func (sp *spec) Type() string          { return "game" }
func (sp *spec) Freeze()               {}
func (sp *spec) Truth() starlark.Bool  { return true }
func (sp *spec) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: game") }

// callerPos is the position in the file of the call of the builtin running on th.
func callerPos(th *starlark.Thread) syntax.Position { return th.CallFrame(1).Pos }

func finiteBuiltin(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	sp := &spec{pos: callerPos(th), initial: starlark.None}
	var name starlark.String
	var rw, tr, rt, trs, st, rMax starlark.Value = starlark.None, starlark.None, starlark.None, starlark.None, starlark.None, starlark.None
	var outcomes, settle starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs,
		"horizon", &sp.horizon, "states", &sp.states, "actions", &sp.actions,
		"name?", &name, "mu0?", &sp.initial, "reward?", &rw, "transition?", &tr,
		"reward_table?", &rt, "transition_rows?", &trs, "stage?", &st, "r_max?", &rMax, "moves?", &sp.moves,
		"outcomes?", &outcomes, "settle?", &settle); err != nil {
		return nil, err
	}
	if outcomes != nil || settle != nil {
		return nil, fmt.Errorf("finite: outcomes and settle (a simulator) are for stationary games: the model-free algorithms (GMF-Q) solve stationary games only")
	}
	var ok bool
	if sp.rMax, ok = starlark.AsFloat(rMax); !ok && rMax != starlark.None {
		return nil, fmt.Errorf("finite: r_max is a %s, want a number", rMax.Type())
	}
	sp.name = string(name)
	if sp.rMax < 0 || math.IsNaN(sp.rMax) || math.IsInf(sp.rMax, 0) {
		return nil, fmt.Errorf("finite: r_max = %v: must be positive and finite (or left out)", sp.rMax)
	}
	if sp.horizon < 0 {
		return nil, fmt.Errorf("finite: horizon = %d: must be at least 0 (time steps t = 0..horizon)", sp.horizon)
	}
	return sp, sp.functions(rw, tr, rt, trs, st)
}

func stationaryBuiltin(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	sp := &spec{stationary: true, pos: callerPos(th), initial: starlark.None}
	var name starlark.String
	var rw, tr, rt, trs, st starlark.Value = starlark.None, starlark.None, starlark.None, starlark.None, starlark.None
	var discount starlark.Value
	outcomes, settle := starlark.Value(starlark.None), starlark.Value(starlark.None)
	if err := starlark.UnpackArgs(b.Name(), args, kwargs,
		"discount", &discount, "states", &sp.states, "actions", &sp.actions,
		"name?", &name, "initial_population?", &sp.initial, "reward?", &rw, "transition?", &tr,
		"reward_table?", &rt, "transition_rows?", &trs, "stage?", &st,
		"outcomes?", &outcomes, "settle?", &settle); err != nil {
		return nil, err
	}
	if err := sp.simulator(outcomes, settle); err != nil {
		return nil, err
	}
	sp.name = string(name)
	sp.discount, _ = starlark.AsFloat(discount)
	if !(sp.discount > 0 && sp.discount < 1) {
		return nil, fmt.Errorf("stationary: discount = %v: must be in (0, 1)", sp.discount)
	}
	return sp, sp.functions(rw, tr, rt, trs, st)
}

// functions checks that the reward and the transitions are each given once, per entry, whole, or
// both whole by stage, as functions defined in the file.
func (sp *spec) functions(rw, tr, rt, trs, st starlark.Value) error {
	var err error
	get := func(key string, v starlark.Value) *starlark.Function {
		if v == starlark.None || err != nil {
			return nil
		}
		fn, ok := v.(*starlark.Function)
		if !ok {
			err = fmt.Errorf("%s: %s is a %s, want a function defined with def", sp, key, v.Type())
		}
		return fn
	}
	sp.reward, sp.transition = get("reward", rw), get("transition", tr)
	sp.rewardTable, sp.transitionRows = get("reward_table", rt), get("transition_rows", trs)
	sp.stage = get("stage", st)
	switch {
	case err != nil:
		return err
	case sp.stage != nil && (sp.reward != nil || sp.rewardTable != nil || sp.transition != nil || sp.transitionRows != nil):
		return fmt.Errorf("%s: stage gives the rewards and the transitions: give none of reward, reward_table, transition, transition_rows with it", sp)
	case sp.stage != nil:
		return nil
	case (sp.reward == nil) == (sp.rewardTable == nil):
		return fmt.Errorf("%s: give exactly one of reward (per entry) and reward_table (whole stage)", sp)
	case (sp.transition == nil) == (sp.transitionRows == nil):
		return fmt.Errorf("%s: give exactly one of transition (per entry) and transition_rows (whole stage)", sp)
	}
	return nil
}

// simulator reads outcomes= and settle=: both functions, or neither.
func (sp *spec) simulator(outcomes, settle starlark.Value) error {
	if (outcomes == starlark.None) != (settle == starlark.None) {
		return fmt.Errorf("%s: give both outcomes and settle (a simulator), or neither", sp)
	}
	if outcomes == starlark.None {
		return nil
	}
	var ok bool
	if sp.outcomes, ok = outcomes.(*starlark.Function); !ok {
		return fmt.Errorf("%s: outcomes is a %s, want a function defined with def", sp, outcomes.Type())
	}
	if sp.settle, ok = settle.(*starlark.Function); !ok {
		return fmt.Errorf("%s: settle is a %s, want a function defined with def", sp, settle.Type())
	}
	return nil
}

// gridIndex is grid_index(shape, coords): the row-major flat index of the coordinates.
func gridIndex(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var shape, coords *starlark.List
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &shape, &coords); err != nil {
		return nil, err
	}
	sh, err := ints(b.Name()+": shape", shape)
	if err != nil {
		return nil, err
	}
	cs, err := ints(b.Name()+": coords", coords)
	if err != nil {
		return nil, err
	}
	if len(cs) != len(sh) {
		return nil, fmt.Errorf("%s: %d coordinates for the %d-dimensional shape %v", b.Name(), len(cs), len(sh), sh)
	}
	i := 0
	for k, c := range cs {
		if c < 0 || c >= sh[k] {
			return nil, fmt.Errorf("%s: coordinate %d = %d out of range [0, %d)", b.Name(), k, c, sh[k])
		}
		i = i*sh[k] + c
	}
	return starlark.MakeInt(i), nil
}

// gridCoords is grid_coords(shape, i): the coordinates of flat index i, as a list.
func gridCoords(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var shape *starlark.List
	var i int
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &shape, &i); err != nil {
		return nil, err
	}
	sh, err := ints(b.Name()+": shape", shape)
	if err != nil {
		return nil, err
	}
	n := 1
	for _, d := range sh {
		n *= d
	}
	if i < 0 || i >= n {
		return nil, fmt.Errorf("%s: index %d out of range [0, %d) of shape %v", b.Name(), i, n, sh)
	}
	out := make([]starlark.Value, len(sh))
	for k := len(sh) - 1; k >= 0; k-- {
		out[k] = starlark.MakeInt(i % sh[k])
		i /= sh[k]
	}
	return starlark.NewList(out), nil
}

// ints reads a list of positive ints (a shape; coordinates are checked by the caller).
func ints(what string, l *starlark.List) ([]int, error) {
	if l.Len() > 32 {
		return nil, fmt.Errorf("%s has %d entries: at most 32 dimensions", what, l.Len())
	}
	out := make([]int, l.Len())
	for k := range out {
		x, err := starlark.AsInt32(l.Index(k))
		if err != nil {
			return nil, fmt.Errorf("%s: entry %d is %s: want an integer", what, k, l.Index(k))
		}
		out[k] = x
	}
	return out, nil
}
