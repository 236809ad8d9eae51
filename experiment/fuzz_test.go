package experiment

import (
	"strings"
	"testing"

	"meanfield/internal/yamlsize"
)

// A configuration file never makes loading or resolving panic, and every error is one line in the
// user's words.
func FuzzSolveConfig(f *testing.F) {
	for _, seed := range []string{
		"game: auction\nparams: {states: 4, actions: 3}\nalgorithm: gmf-v\ntemperature: 2\n",
		"game: beach-bar\nparams: {n: 5}\nalgorithm: prior-descent\neta: 0.5\n",
		"game: left-right\nalgorithm: fictitious-play\nalpha: 0.3\narithmetic: mfglib-float32\n",
		"game: congestion\nparams: {locations: 3}\nsteps: 10\n",
		"iterations: -3\nseed: x\n",
		"params: [1, 2]\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !yamlsize.Within(data, 64, 64) { // parser bugs, not games too large to build
			t.Skip()
		}
		cfg, err := LoadYAML(strings.NewReader(string(data)), DefaultSolveConfig())
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error spans lines: %q", err)
			}
			checkUsersWords(t, string(data), err)
			return
		}
		if _, err := cfg.Resolve(); err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error spans lines: %q", err)
			}
			checkUsersWords(t, string(data), err)
		}
	})
}

// goFragments are Go's and the YAML decoder's words, which an error must not show the user.
var goFragments = []string{"unmarshal", "!!", "experiment.", "main.", "strconv", "reflect", "type struct", "%!"}

// checkUsersWords fails when err holds one of goFragments that the input does not (a value the
// user wrote is quoted back as written).
func checkUsersWords(t *testing.T, input string, err error) {
	t.Helper()
	for _, f := range goFragments {
		if strings.Contains(err.Error(), f) && !strings.Contains(input, f) {
			t.Fatalf("error holds %q: %v", f, err)
		}
	}
}
