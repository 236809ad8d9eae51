package tune

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"meanfield/internal/params"
)

// Kind is the type of a tuned parameter.
type Kind string

// The kinds of parameter.
const (
	Float       Kind = "float"
	Int         Kind = "int"
	Categorical Kind = "categorical"
)

// Param is one tuned parameter, as written in a study file:
//
//	alpha: {type: float, low: 1e-5, high: 1e5, log: true}
//	n-inner: {type: int, low: 0, high: 10}
//	tie-break: {type: categorical, choices: [lowest, split]}
//
// A float is drawn from [Low, High] (uniformly in log x when Log), an integer from Low..High (in
// log x when Log, which needs Low ≥ 1), a categorical from Choices. Grid lists the values the
// grid sampler takes (optional: an integer's grid is every integer, at most maxGrid; a float's
// is Points values evenly spaced, in log x when Log).
type Param struct {
	Name      string
	Type      Kind
	Low, High float64
	Log       bool
	Choices   []any
	Grid      []any
	Points    int
	// hasLow, hasHigh say whether low and high were given.
	hasLow, hasHigh bool
}

// rawParam is Param as decoded, with low and high optional so that a missing bound is an error.
type rawParam struct {
	Type    Kind     `yaml:"type"`
	Low     *float64 `yaml:"low"`
	High    *float64 `yaml:"high"`
	Log     bool     `yaml:"log"`
	Choices []any    `yaml:"choices"`
	Grid    []any    `yaml:"grid"`
	Points  int      `yaml:"points"`
}

// maxGrid bounds the values of one parameter on a grid.
const maxGrid = 10_000

// check validates the parameter; its errors name the parameter and the value.
func (p *Param) check() error {
	at := "params: " + p.Name
	switch p.Type {
	case Float, Int:
		if len(p.Choices) > 0 {
			return fmt.Errorf("%s: choices are for type categorical, not %s", at, p.Type)
		}
		if !p.hasLow || !p.hasHigh {
			return fmt.Errorf("%s: a %s needs low and high", at, p.Type)
		}
		if math.IsNaN(p.Low) || math.IsNaN(p.High) || math.IsInf(p.Low, 0) || math.IsInf(p.High, 0) || !(p.Low < p.High) {
			return fmt.Errorf("%s: low = %v, high = %v: want finite low < high", at, p.Low, p.High)
		}
		if p.Type == Int && (p.Low != math.Trunc(p.Low) || p.High != math.Trunc(p.High)) {
			return fmt.Errorf("%s: low = %v, high = %v: an int's bounds are whole numbers", at, p.Low, p.High)
		}
		if p.Type == Int && (math.Abs(p.Low) > 1<<53 || math.Abs(p.High) > 1<<53) {
			return fmt.Errorf("%s: low = %v, high = %v: an int's bounds are at most 2^53 in absolute value", at, p.Low, p.High)
		}
		if p.Log && p.Low <= 0 || p.Log && p.Type == Int && p.Low < 1 {
			return fmt.Errorf("%s: low = %v: log: true needs low > 0 (≥ 1 for an int)", at, p.Low)
		}
		if p.Points < 0 || p.Points == 1 || p.Points > maxGrid {
			return fmt.Errorf("%s: points = %d: want 2 to %d values for the grid", at, p.Points, maxGrid)
		}
	case Categorical:
		if len(p.Choices) == 0 {
			return fmt.Errorf("%s: a categorical needs choices: [...]", at)
		}
		if p.hasLow || p.hasHigh || p.Log || p.Points != 0 {
			return fmt.Errorf("%s: low, high, log and points are for float and int, not categorical", at)
		}
		seen := map[string]bool{}
		for _, c := range p.Choices {
			k := choiceKey(c)
			if seen[k] {
				return fmt.Errorf("%s: choice %v repeats", at, c)
			}
			seen[k] = true
		}
	default:
		return fmt.Errorf("%s: type = %q: want float, int or categorical", at, p.Type)
	}
	return nil
}

// checkFinite refuses a grid value or choice that is a number but not a finite one (JSON, the
// records' and the fingerprint's format, has no NaN or ±Inf).
func (p *Param) checkFinite() error {
	for _, list := range []struct {
		name string
		vals []any
	}{{"grid", p.Grid}, {"choices", p.Choices}} {
		for _, v := range list.vals {
			if x, ok := params.Number(v); ok && (math.IsNaN(x) || math.IsInf(x, 0)) {
				return fmt.Errorf("params: %s: %s value %v: want finite numbers", p.Name, list.name, x)
			}
		}
	}
	return nil
}

// span is the interval the samplers draw from: [Low, High] for a float, [Low-1/2, High+1/2] for
// an int (a value is the nearest integer), in log x when Log.
func (p *Param) span() (lo, hi float64) {
	lo, hi = p.Low, p.High
	if p.Type == Int {
		lo, hi = lo-0.5, hi+0.5
	}
	if p.Log {
		lo, hi = math.Log(lo), math.Log(hi)
	}
	return lo, hi
}

// internal is the value v on the samplers' scale (log v when Log); for a categorical, the
// index of its choice.
func (p *Param) internal(v any) (float64, error) {
	if p.Type == Categorical {
		for i, c := range p.Choices {
			if choiceKey(c) == choiceKey(v) {
				return float64(i), nil
			}
		}
		return 0, fmt.Errorf("params: %s: value %v is not one of the choices %v", p.Name, v, p.Choices)
	}
	x, ok := params.Number(v)
	if !ok {
		return 0, fmt.Errorf("params: %s: value %v is not a number", p.Name, v)
	}
	if p.Log {
		x = math.Log(x)
	}
	return x, nil
}

// choiceKey identifies a categorical's value: a number by its value (the int 1000000 of the study
// file and the float64 1e+06 of a trial record read back are one choice), anything else as
// printed.
func choiceKey(v any) string {
	if x, ok := params.Number(v); ok {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

// external is the value of the parameter at x on the samplers' scale (an index for a
// categorical), clamped to its range: a float64, an int or a choice.
func (p *Param) external(x float64) any {
	if p.Type == Categorical {
		return p.Choices[min(max(int(x), 0), len(p.Choices)-1)]
	}
	if p.Log {
		x = math.Exp(x)
	}
	x = min(max(x, p.Low), p.High)
	if p.Type == Int {
		return int(math.Round(x))
	}
	return x
}

// uniform draws a value uniformly on the samplers' scale.
func (p *Param) uniform(r *rand.Rand) any {
	if p.Type == Categorical {
		return p.Choices[r.IntN(len(p.Choices))]
	}
	lo, hi := p.span()
	return p.external(lo + (hi-lo)*r.Float64())
}

// gridValues are the values the grid sampler takes, in order.
func (p *Param) gridValues() ([]any, error) {
	switch {
	case len(p.Grid) > 0:
		for _, v := range p.Grid {
			if _, err := p.internal(v); err != nil {
				return nil, err
			}
			if x, ok := params.Number(v); ok && p.Type != Categorical && (x < p.Low || x > p.High || p.Type == Int && x != math.Trunc(x)) {
				return nil, fmt.Errorf("params: %s: grid value %v: want a %s in [low, high] = [%v, %v]", p.Name, v, p.Type, p.Low, p.High)
			}
		}
		return p.Grid, nil
	case p.Type == Categorical:
		return p.Choices, nil
	case p.Points > 0:
		lo, hi := p.Low, p.High
		if p.Log {
			lo, hi = math.Log(lo), math.Log(hi)
		}
		var vals []any
		for i := range p.Points {
			v := p.external(lo + (hi-lo)*float64(i)/float64(p.Points-1))
			if x, ok := v.(float64); ok { // 10, not 10.000000000000002 from exp(log 100 / 2)
				v, _ = strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
			}
			if len(vals) == 0 || fmt.Sprint(vals[len(vals)-1]) != fmt.Sprint(v) {
				vals = append(vals, v)
			}
		}
		return vals, nil
	case p.Type == Int && p.High-p.Low < maxGrid:
		var vals []any
		for v := int(p.Low); v <= int(p.High); v++ {
			vals = append(vals, v)
		}
		return vals, nil
	}
	return nil, fmt.Errorf("params: %s: the grid sampler needs grid: [values] or points: N for this %s", p.Name, p.Type)
}

// Space is the tuned parameters, sorted by name.
type Space []*Param

// typed gives the values of a trial record read back (JSON: every number a float64) the types
// the samplers propose: an int for an int, the choice itself for a categorical. A value that is
// none of its parameter's is left as it is.
func (s Space) typed(values map[string]any) {
	for _, p := range s {
		v, ok := values[p.Name]
		if !ok {
			continue
		}
		switch p.Type {
		case Categorical:
			if x, err := p.internal(v); err == nil {
				values[p.Name] = p.Choices[int(x)]
			}
		case Int:
			if x, ok := params.Number(v); ok && x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				values[p.Name] = int(x)
			}
		}
	}
}

func newSpace(raw map[string]rawParam) (Space, error) {
	if len(raw) == 0 {
		return nil, fmt.Errorf("params: none given: name at least one parameter to tune, e.g. alpha: {type: float, low: 1e-5, high: 1e5, log: true}")
	}
	var s Space
	for name, r := range raw {
		p := &Param{Name: name, Type: Kind(strings.ToLower(string(r.Type))), Log: r.Log, Choices: r.Choices, Grid: r.Grid, Points: r.Points}
		if r.Low != nil {
			p.Low, p.hasLow = *r.Low, true
		}
		if r.High != nil {
			p.High, p.hasHigh = *r.High, true
		}
		if err := p.check(); err != nil {
			return nil, err
		}
		if err := p.checkFinite(); err != nil {
			return nil, err
		}
		s = append(s, p)
	}
	sort.Slice(s, func(i, j int) bool { return s[i].Name < s[j].Name })
	return s, nil
}
