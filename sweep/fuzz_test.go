package sweep

import (
	"strings"
	"testing"

	"meanfield/internal/yamlsize"
)

// A sweep file never makes Parse panic; every error is one line, without Go's words; a parsed sweep has runs with
// distinct ids, each with a configuration.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"name: a\nseed: 1\nbase: {game: auction, iterations: 2, steps: 10, compare-to-gmf-v: false}\naxes: {temperature: [1, 2]}\n",
		"name: b\nbase: {game: beach-bar, algorithm: prior-descent}\naxes: {eta: {from: 1, to: 3, step: 1}, params.n: [4, 5]}\nreplicates: 2\n",
		"base: {game: auction}\naxes: {algorithm: [gmf-q, gmf-v]}\n",
		"axes: {seed: [1]}\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !yamlsize.Within(data, 64, 16) { // parser bugs, not games too large to build
			t.Skip()
		}
		s, err := Parse(data)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error spans lines: %q", err)
			}
			for _, f := range []string{"unmarshal", "!!", "experiment.", "sweep.", "strconv", "reflect", "type struct", "%!"} {
				if strings.Contains(err.Error(), f) && !strings.Contains(string(data), f) {
					t.Fatalf("error holds %q, Go's words, not the user's: %v", f, err)
				}
			}
			return
		}
		seen := map[string]bool{}
		for _, r := range s.Runs {
			if seen[r.ID] {
				t.Fatalf("two runs with id %s", r.ID)
			}
			seen[r.ID] = true
			if _, err := s.Config(r); err != nil {
				t.Fatalf("run %s: %v", r.ID, err)
			}
		}
	})
}
