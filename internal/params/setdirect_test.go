package params

import (
	"bytes"
	"math"
	"reflect"
	"testing"

	"go.yaml.in/yaml/v3"
)

type direct struct {
	N    int       `yaml:"n"`
	Seed int64     `yaml:"seed" max:"-"`
	Rate float64   `yaml:"rate"`
	On   bool      `yaml:"on"`
	Name string    `yaml:"name"`
	List []float64 `yaml:"list"`
	Temp celsius   `yaml:"temp"`
}

type celsius float64

// viaYAML sets key to v the way decodeOne did before setDirect: through YAML.
func viaYAML(t *testing.T, p *direct, key string, v any) {
	t.Helper()
	raw, err := yaml.Marshal(map[string]any{key: v})
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(p); err != nil {
		t.Fatalf("%s = %v: %v", key, v, err)
	}
}

// Decode sets every value as YAML would, bit for bit, whether setDirect takes it or leaves it to
// YAML; setDirect takes the plain ints (for int and float64 fields), bools, finite floats but -0
// and printable ASCII strings.
func TestSetDirectAsYAML(t *testing.T) {
	cases := []struct {
		key    string
		v      any
		direct bool
	}{
		{"n", 7, true}, {"n", -3, true}, {"n", 4.0, false},
		{"seed", 12, false}, // an int for an int64 field: YAML converts
		{"rate", 0.1, true}, {"rate", 1e300, true}, {"rate", -2.5e-310, true}, {"rate", 3.0, true},
		{"rate", 2, true}, {"rate", 0, true}, {"rate", -7, true}, {"rate", math.MaxInt, true}, {"rate", math.MinInt, true},
		{"rate", 1<<53 + 1, true}, {"rate", int64(5), false}, {"rate", 0.0, true}, {"rate", math.Copysign(0, -1), false},
		{"rate", math.Inf(1), false}, {"rate", math.NaN(), false},
		{"on", true, true}, {"on", false, true},
		{"name", "x: y", true}, {"name", "a\nb", false}, {"name", "é", false}, {"name", "tab\t", false},
		{"list", []any{1, 0.5}, false}, {"temp", 21.5, false},
	}
	// Strings YAML would read otherwise unquoted: it quotes them, and they read back the same.
	for _, s := range []string{"", "uniform", "yes", "No", "null", "~", "true", " lead", "trail ", "#c", "a #c",
		"- a", "? a", "0x10", "1e3", ".inf", "'q'", `"d"`, `a\b`, "[1]", "{a: 1}", "&anchor", "*ref",
		"!tag", "%x", "@x", "`x", "|", ">", "---", "...", "<<", "=", "0o7", "1_000", "2001-12-14"} {
		cases = append(cases, struct {
			key    string
			v      any
			direct bool
		}{"name", s, true})
	}
	for _, c := range cases {
		var got, want direct
		if d := setDirect(&got, c.key, c.v); d != c.direct {
			t.Errorf("setDirect(%s = %v) = %v, want %v", c.key, c.v, d, c.direct)
		}
		got = direct{}
		if err := Decode(&got, map[string]any{c.key: c.v}); err != nil {
			t.Fatalf("Decode(%s = %v): %v", c.key, c.v, err)
		}
		viaYAML(t, &want, c.key, c.v)
		if !reflect.DeepEqual(got, want) && !(math.IsNaN(got.Rate) && math.IsNaN(want.Rate)) ||
			math.Float64bits(got.Rate) != math.Float64bits(want.Rate) && !math.IsNaN(want.Rate) {
			t.Errorf("%s = %v: Decode sets %+v, YAML %+v", c.key, c.v, got, want)
		}
	}
}
