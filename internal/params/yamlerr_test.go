package params

import (
	"bytes"
	"errors"
	"testing"

	"go.yaml.in/yaml/v3"
)

// inner is inlined in doc, as a configuration's run keys are.
type inner struct {
	Count int `yaml:"count"`
}

type doc struct {
	Inner  inner              `yaml:",inline"`
	Seed   uint64             `yaml:"seed"`
	On     bool               `yaml:"on"`
	Rate   float64            `yaml:"rate"`
	Name   string             `yaml:"name"`
	Pairs  [][2]int           `yaml:"pairs"`
	Params map[string]any     `yaml:"params"`
	Nested map[string]section `yaml:"nested"`
}

type section struct {
	From float64 `yaml:"from"`
}

// decodeDoc decodes data strictly into a doc and returns YAMLError's message.
func decodeDoc(data string) string {
	var d doc
	dec := yaml.NewDecoder(bytes.NewReader([]byte(data)))
	dec.KnownFields(true)
	err := dec.Decode(&d)
	if err == nil {
		return ""
	}
	return YAMLError(err, []byte(data), d).Error()
}

// Each of the decoder's errors is told with the line, the key (dotted when nested) and the value
// as written, and what is wanted in words.
func TestYAMLError(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{"count: abc\n", "line 1: count = abc: must be a whole number"},
		{"name: x\nseed: -1\n", "line 2: seed = -1: must be a whole number ≥ 0"},
		{"on: maybe\n", "line 1: on = maybe: must be true or false"},
		{"rate: [1, 2]\n", "line 1: rate = [1, 2]: must be a number, not a list"},
		{"name: {a: 1}\n", "line 1: name = {a: 1}: must be text, not a mapping"},
		{"pairs: [[1, 2, 3]]\n", "a list of 2 entries is wanted, not 3"},
		{"pairs: abc\n", "line 1: pairs = abc: must be a list of lists of 2 whole numbers"},
		{"params: [1]\n", "line 1: params = [1]: must be a mapping of keys to values, not a list"},
		{"nested:\n  a:\n    from: abcdefghijklmnop\n", "line 3: nested.a.from = abcdefghijklmnop: must be a number"},
		{"sed: 1\n", "line 1: key sed is unknown (known keys: count, name, nested, on, pairs, params, rate, seed); did you mean seed?"},
		{"seed: 1\nseed: 2\n", "line 2: key seed is given twice (first at line 1)"},
		{"- 1\n- 2\n", "line 1: the document must be a mapping of keys to values (key: value), not a list"},
		{"count: x\nrate: y\n", "line 1: count = x: must be a whole number (and 1 more error)"},
		{"name: {a\n", "line 1: not valid YAML: did not find expected ',' or '}'"},
	} {
		if got := decodeDoc(c.data); got != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.data, got, c.want)
		}
	}
	var de *DecodeError
	if err := YAMLError(&yaml.TypeError{Errors: []string{"line 3: cannot unmarshal !!str `x` into int"}}, []byte("a:\n  b:\n    c: x\n"), nil); !errors.As(err, &de) || de.WithoutLine() != "a.b.c = x: must be a whole number" {
		t.Errorf("WithoutLine: %v", err)
	}
	if plain := errors.New("file not found"); YAMLError(plain, nil, nil) != plain {
		t.Error("an error that is no decoding error is not returned as it is")
	}
}

func TestDescribeGoType(t *testing.T) {
	for typ, want := range map[string]string{
		"int": "a whole number", "*uint64": "a whole number ≥ 0", "float64": "a number", "bool": "true or false",
		"string": "text", "[]float64": "a list of numbers", "[][2]int": "a list of lists of 2 whole numbers",
		"map[string]interface {}": "a mapping of keys to values", "experiment.SolveConfig": "a mapping of keys to values",
		"[]interface {}": "a list of values",
	} {
		if got := DescribeGoType(typ, false); got != want {
			t.Errorf("DescribeGoType(%q) = %q, want %q", typ, got, want)
		}
	}
}

func TestShowValue(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{"abc", "abc"}, {1.5, "1.5"}, {[]any{1, "x"}, "[1, x]"}, {map[string]any{"a": []any{1, 2}}, "{a: [1, 2]}"},
		{"a\nb", `"a\nb"`}, {"\x93", `"\x93"`}, {[]any{}, "[]"},
	} {
		if got := ShowValue(c.v); got != c.want {
			t.Errorf("ShowValue(%#v) = %q, want %q", c.v, got, c.want)
		}
	}
}
