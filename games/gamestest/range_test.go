package gamestest_test

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"meanfield/games"
	"meanfield/internal/params"
)

// bound is one side of a parameter's allowed values as its range tag writes it: "1 ≤ n" (or
// "n ≥ 1") is {value: 1, below: true}, "discount < 1" is {value: 1, strict: true}.
type bound struct {
	value  float64
	below  bool // a lower bound
	strict bool
}

// parseRange reads the bounds of a range tag's first clause, an inequality chain on the
// parameter's name such as "0 ≤ p-still ≤ 1", "log-eps > 0" or "0 ≤ bar-loc ≤ n-1" (a bound that is
// no number, n-1, is skipped), and whether the tag says nothing else but "finite" (pure). ok is
// false when the first clause is no inequality on name.
func parseRange(name, tag string) (bounds []bound, finite, pure, ok bool) {
	clauses := strings.Split(tag, ", ")
	for _, c := range clauses[1:] {
		finite = finite || c == "finite"
	}
	pure = len(clauses) == 1 || len(clauses) == 2 && finite
	if clauses[0] == "finite" {
		return nil, true, len(clauses) == 1, true
	}
	tokens := strings.Fields(clauses[0])
	at := -1
	for i, tok := range tokens {
		if tok == name {
			at = i
		}
	}
	if at < 0 || len(tokens)%2 == 0 {
		return nil, finite, pure, false
	}
	for i := 1; i < len(tokens); i += 2 {
		op, left, right := tokens[i], tokens[i-1], tokens[i+1]
		number, other := right, left
		if right == name {
			number, other = left, right
		}
		if other != name {
			return nil, finite, pure, false // a chain a ≤ name ≤ b compares name on each side
		}
		x, err := strconv.ParseFloat(number, 64)
		if err != nil {
			continue
		}
		// Read as "name op number": a number on the left flips the operator.
		if number == left {
			op = map[string]string{"≤": "≥", "<": ">", "≥": "≤", ">": "<"}[op]
		}
		switch op {
		case "≥", ">":
			bounds = append(bounds, bound{x, true, op == ">"})
		case "≤", "<":
			bounds = append(bounds, bound{x, false, op == "<"})
		default:
			return nil, finite, pure, false
		}
	}
	return bounds, finite, pure, true
}

// outside is the nearest value of a parameter of kind k beyond the bound; inside the one on its
// edge within it.
func (b bound) outside(k reflect.Kind) any {
	dir := 1.0
	if b.below {
		dir = -1
	}
	if k != reflect.Float64 {
		if b.strict {
			return int(b.value)
		}
		return int(b.value + dir)
	}
	if b.strict {
		return b.value
	}
	return math.Nextafter(b.value, dir*math.Inf(1))
}

func (b bound) inside(k reflect.Kind) any {
	dir := -1.0
	if b.below {
		dir = 1
	}
	if k != reflect.Float64 {
		if b.strict {
			return int(b.value + dir)
		}
		return int(b.value)
	}
	if b.strict {
		return math.Nextafter(b.value, dir*math.Inf(1))
	}
	return b.value
}

// check decodes one parameter over the game's defaults and validates them, without building the
// game (a parameter at its bound can make it large).
func check(game string, values map[string]any) error {
	p, err := games.Params(game, values)
	if err != nil {
		return err
	}
	return p.(games.Parameters).Validate()
}

// Every parameter of every game says which values it allows (mfg games NAME shows it), and the
// registry holds to what it says: a value just beyond a numeric bound is refused, with an error
// naming the parameter; +Inf and NaN are refused where the range says finite; and where the range
// is the inequality alone, a value on each bound is accepted with the other parameters at their
// defaults.
func TestEveryGameParameterRangeHolds(t *testing.T) {
	for _, name := range games.Names() {
		e, _ := games.Lookup(name)
		for _, f := range params.Fields(e.Defaults()) {
			if f.Help == "" || f.Range == "" {
				t.Errorf("%s: parameter %s lacks a help or range tag", name, f.Name)
				continue
			}
			bounds, finite, pure, ok := parseRange(f.Name, f.Range)
			if !ok {
				continue // a range in words: "empty (uniform), or n probabilities summing to 1"
			}
			kind := f.Type.Kind()
			for _, b := range bounds {
				v := b.outside(kind)
				if err := check(name, map[string]any{f.Name: v}); err == nil || !strings.Contains(err.Error(), f.Name) {
					t.Errorf("%s: %s = %v, outside %q: error %v", name, f.Name, v, f.Range, err)
				}
				if pure {
					v := b.inside(kind)
					if err := check(name, map[string]any{f.Name: v}); err != nil {
						t.Errorf("%s: %s = %v, within %q: %v", name, f.Name, v, f.Range, err)
					}
				}
			}
			if finite {
				for _, v := range []float64{math.Inf(1), math.NaN()} {
					if err := check(name, map[string]any{f.Name: v}); err == nil || !strings.Contains(err.Error(), f.Name) {
						t.Errorf("%s: %s = %v, not finite: error %v", name, f.Name, v, err)
					}
				}
			}
		}
	}
}

// parseRange reads the tags' forms.
func TestParseRange(t *testing.T) {
	for _, c := range []struct {
		name, tag          string
		bounds             []bound
		finite, pure, isOK bool
	}{
		{"p", "0 ≤ p ≤ 1", []bound{{0, true, false}, {1, false, false}}, false, true, true},
		{"d", "0 < d < 1", []bound{{0, true, true}, {1, false, true}}, false, true, true},
		{"e", "e > 0, finite", []bound{{0, true, true}}, true, true, true},
		{"e", "e ≤ -2", []bound{{-2, false, false}}, false, true, true},
		{"b", "0 ≤ b ≤ n-1", []bound{{0, true, false}}, false, true, true},
		{"T", "0 ≤ T ≤ 9, equal to the length of c", []bound{{0, true, false}, {9, false, false}}, false, false, true},
		{"k", "finite", nil, true, true, true},
		{"mu0", "3 probabilities summing to 1", nil, false, true, false},
		{"x", "0 ≤ y ≤ 1", nil, false, true, false},
	} {
		b, finite, pure, ok := parseRange(c.name, c.tag)
		if !reflect.DeepEqual(b, c.bounds) || finite != c.finite || pure != c.pure || ok != c.isOK {
			t.Errorf("parseRange(%q, %q) = %v, %v, %v, %v; want %v, %v, %v, %v", c.name, c.tag, b, finite, pure, ok, c.bounds, c.finite, c.pure, c.isOK)
		}
	}
}
