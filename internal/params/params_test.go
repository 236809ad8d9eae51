package params

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

type example struct {
	N      int       `yaml:"n" help:"a size"`
	Seed   int64     `yaml:"seed" max:"-"`
	Small  int       `yaml:"small" max:"10"`
	Rate   float64   `yaml:"rate"`
	Name   string    `yaml:"name" help:"a name"`
	List   []float64 `yaml:"list"`
	hidden int       //lint:ignore U1000 an unexported field, which Fields must skip
	Skip   int       `yaml:"-"`
}

func TestFieldsNamesAndMap(t *testing.T) {
	p := &example{N: 3, Rate: 0.5, Name: "x", List: []float64{1, 2}}
	fs := Fields(p)
	if len(fs) != 6 || fs[0].Name != "n" || fs[0].Help != "a size" || fs[0].Default != 3 || fs[5].Type.Kind() != reflect.Slice {
		t.Fatalf("Fields = %+v", fs)
	}
	if got := Names(*p); strings.Join(got, ",") != "n,seed,small,rate,name,list" {
		t.Errorf("Names = %v", got)
	}
	m, err := Map(p)
	if err != nil || m["n"] != 3 || m["rate"] != 0.5 || m["name"] != "x" {
		t.Errorf("Map = %v, %v", m, err)
	}
}

func TestDecode(t *testing.T) {
	p := &example{N: 3, Rate: 0.5}
	if err := Decode(p, map[string]any{"n": 7, "rate": 2, "list": []any{1, 2.5}, "name": "y"}); err != nil {
		t.Fatal(err)
	}
	if p.N != 7 || p.Rate != 2 || p.Name != "y" || len(p.List) != 2 || p.List[1] != 2.5 {
		t.Errorf("decoded %+v", p)
	}
	for _, c := range []struct {
		values map[string]any
		want   string
	}{
		{map[string]any{"size": 1}, `parameter "size" is unknown (known: n, seed, small, rate, name, list)`},
		{map[string]any{"small": 11}, "param small = 11: at most 10"},
		{map[string]any{"n": "abc"}, "param n = abc: must be a whole number"},
		{map[string]any{"list": []any{1, "x"}}, "param list = [1, x]: x must be a number"},
		{map[string]any{"n": "\x93"}, `param n = "\x93": must be a whole number`},
		{map[string]any{"n": map[string]any{"a": []any{1, 2}}}, "param n = {a: [1, 2]}: must be a whole number"},
		{map[string]any{"name": []any{"a"}}, "param name = [a]: must be text"},
		{map[string]any{"n": 2.5}, "param n = 2.5: must be a whole number"},
		{map[string]any{"n": MaxInt + 1}, "at most 1000000"},
		{map[string]any{"n": "many"}, "param n = many"},
		{map[string]any{"rate": math.NaN(), "n": 1.5}, "param n = 1.5"}, // alphabetical: n first
	} {
		err := Decode(&example{}, c.values)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: %v, want one line containing %q", c.values, err, c.want)
		}
	}
	if err := Decode(&example{}, map[string]any{"seed": 20240101123}); err != nil {
		t.Errorf("an unbounded integer is refused: %v", err)
	}
	// The first unknown name in alphabetical order, whatever the map's order.
	for range 20 {
		err := Decode(&example{}, map[string]any{"zz": 1, "aa": 2, "mm": 3, "n": 1})
		if err == nil || !strings.Contains(err.Error(), `"aa"`) {
			t.Fatalf("unknown names: %v, want the first in order, aa", err)
		}
	}
	var unknown *UnknownError
	if err := Decode(&example{}, map[string]any{"zz": 1}); !errors.As(err, &unknown) || unknown.Name != "zz" {
		t.Errorf("unknown name: %v", err)
	}
}

// Decoding any values never panics, and every error is one line.
func FuzzDecode(f *testing.F) {
	f.Add("n", "3", "rate", "0.5")
	f.Add("n", "2.5", "list", "[1, x]")
	f.Add("name", "[", "zz", "1")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		values := map[string]any{}
		for _, kv := range [][2]string{{k1, v1}, {k2, v2}} {
			var v any
			if yaml.Unmarshal([]byte(kv[1]), &v) != nil {
				v = kv[1]
			}
			values[kv[0]] = v
		}
		err := Decode(&example{}, values)
		if err == nil {
			return
		}
		if strings.Contains(err.Error(), "\n") {
			t.Fatalf("error spans lines: %q", err)
		}
		for _, f := range []string{"unmarshal", "!!", "strconv", "reflect", "type struct", "%!", "interface {}", "float64"} {
			if strings.Contains(err.Error(), f) && !strings.Contains(k1+v1+k2+v2, f) {
				t.Fatalf("error holds %q, Go's words, not the user's: %v", f, err)
			}
		}
	})
}
