package gamestest_test

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"meanfield/games"
	"meanfield/internal/params"
)

// Every registered game refuses bad parameters by name: an unknown name; for every integer
// parameter, a fractional value and one beyond the bound (if it has one); for every real parameter, NaN and
// +Inf. Each error names the parameter. A game added to the registry is covered without editing
// this test.
func TestEveryGameRefusesBadParameters(t *testing.T) {
	for _, name := range games.Names() {
		e, _ := games.Lookup(name)
		if _, err := games.New(name, map[string]any{"no-such-parameter": 1}); err == nil || !strings.Contains(err.Error(), "no-such-parameter") {
			t.Errorf("%s: unknown parameter: %v", name, err)
		}
		for _, f := range params.Fields(e.Defaults()) {
			var bad []any
			switch f.Type.Kind() {
			case reflect.Int, reflect.Int64:
				bad = []any{2.5}
				if f.Tag.Get("max") != "-" { // seeds are unbounded
					bad = append(bad, params.MaxInt+1)
				}
			case reflect.Float64:
				bad = []any{math.NaN(), math.Inf(1)}
			}
			for _, v := range bad {
				_, err := games.New(name, map[string]any{f.Name: v})
				if err == nil {
					t.Errorf("%s: %s = %v accepted", name, f.Name, v)
				} else if !strings.Contains(err.Error(), f.Name) {
					t.Errorf("%s: %s = %v: error %q does not name the parameter", name, f.Name, v, err)
				}
			}
		}
	}
}
