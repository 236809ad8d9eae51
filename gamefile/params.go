package gamefile

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// params merges the overrides into the file's params dict (its defaults) and returns the frozen
// result. An override must name a default and have its type: an int for an int, a number for a
// float, a bool, a string, a list of numbers for a list.
func (r *runner) params(globals starlark.StringDict, src []byte, overrides map[string]any) (*starlark.Dict, error) {
	at := paramPos(r.file, src, "")
	p := starlark.NewDict(0)
	if v, ok := globals["params"]; ok {
		d, ok := v.(*starlark.Dict)
		if !ok {
			return nil, errAt(at, "", "params is a %s, want a dict of parameter names to default values", v.Type())
		}
		for _, kv := range d.Items() {
			if _, ok := kv[0].(starlark.String); !ok {
				return nil, errAt(at, "", "params has the key %s, want string names", kv[0])
			}
			_ = p.SetKey(kv[0], kv[1])
		}
	}
	names := make([]string, 0, len(overrides))
	for k := range overrides {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		def, found, _ := p.Get(starlark.String(k))
		if !found {
			return nil, errAt(at, "", "unknown parameter %s (the file's parameters: %s)", k, known(p))
		}
		v, err := convert(overrides[k], def)
		if err != nil {
			return nil, errAt(paramPos(r.file, src, k), "", "parameter %s = %v: %v", k, overrides[k], err)
		}
		_ = p.SetKey(starlark.String(k), v)
	}
	p.Freeze()
	return p, nil
}

func known(p *starlark.Dict) string {
	var ks []string
	for _, k := range p.Keys() {
		ks = append(ks, string(k.(starlark.String)))
	}
	if len(ks) == 0 {
		return "none"
	}
	slices.Sort(ks)
	return strings.Join(ks, ", ")
}

// convert turns a parameter value (as YAML decodes it) into a Starlark value of def's type.
func convert(v any, def starlark.Value) (starlark.Value, error) {
	switch def.(type) {
	case starlark.Int:
		switch x := v.(type) {
		case int:
			return starlark.MakeInt(x), nil
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				return starlark.MakeInt64(int64(x)), nil
			}
		}
		return nil, fmt.Errorf("want an integer (the default is %s)", def)
	case starlark.Float:
		if f, ok := number(v); ok {
			return starlark.Float(f), nil
		}
		return nil, fmt.Errorf("want a number (the default is %s)", def)
	case starlark.Bool:
		if b, ok := v.(bool); ok {
			return starlark.Bool(b), nil
		}
		return nil, fmt.Errorf("want true or false (the default is %s)", def)
	case starlark.String:
		if s, ok := v.(string); ok {
			return starlark.String(s), nil
		}
		return nil, fmt.Errorf("want a string (the default is %s)", def)
	case *starlark.List:
		return convertList(v, def)
	}
	return nil, fmt.Errorf("the default is a %s, which --param cannot set", def.Type())
}

func convertList(v any, def starlark.Value) (starlark.Value, error) {
	xs, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list of numbers such as [0.5, 0.5] (the default is %s)", def)
	}
	out := make([]starlark.Value, len(xs))
	for i, x := range xs {
		switch x := x.(type) {
		case int:
			out[i] = starlark.MakeInt(x)
		case float64:
			out[i] = starlark.Float(x)
		default:
			return nil, fmt.Errorf("entry %d is %v: want a number", i, x)
		}
	}
	return starlark.NewList(out), nil
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// paramPos is where the file gives the default of the parameter name (its key in the dict
// literal params = {...}), else where params is assigned, else the file's start.
func paramPos(file string, src []byte, name string) syntax.Position {
	at := syntax.MakePosition(&file, 1, 1)
	f, err := fileOptions.Parse(file, src, 0)
	if err != nil {
		return at
	}
	for _, st := range f.Stmts {
		as, ok := st.(*syntax.AssignStmt)
		if !ok {
			continue
		}
		if id, ok := as.LHS.(*syntax.Ident); !ok || id.Name != "params" {
			continue
		}
		at, _ = as.Span()
		d, ok := as.RHS.(*syntax.DictExpr)
		if !ok {
			continue
		}
		for _, e := range d.List {
			k, _ := e.(*syntax.DictEntry).Key.(*syntax.Literal)
			if k != nil && k.Value == name {
				at = k.TokenPos
			}
		}
	}
	return at
}

// Parameters returns the parameters a file's game was built with (the file's defaults under the
// overrides) by name, as Go values: int, float64, bool, string, []any of numbers. Parameters of
// other types (which no override can set) are left out. It returns nil for a game not read
// from a file.
func Parameters(g any) map[string]any {
	fg, ok := g.(interface{ base() *game })
	if !ok {
		return nil
	}
	p := fg.base().p
	out := map[string]any{}
	for _, kv := range p.Items() {
		if v, ok := goValue(kv[1]); ok {
			out[string(kv[0].(starlark.String))] = v
		}
	}
	return out
}

func goValue(v starlark.Value) (any, bool) {
	switch v := v.(type) {
	case starlark.Int:
		i, ok := v.Int64()
		return int(i), ok
	case starlark.Float:
		return float64(v), true
	case starlark.Bool:
		return bool(v), true
	case starlark.String:
		return string(v), true
	case *starlark.List:
		out := make([]any, v.Len())
		for i := range out {
			x, ok := goValue(v.Index(i))
			switch x.(type) {
			case int, float64:
			default:
				ok = false
			}
			if !ok {
				return nil, false
			}
			out[i] = x
		}
		return out, true
	}
	return nil, false
}
