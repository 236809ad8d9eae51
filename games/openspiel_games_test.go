package games_test

// Checks shared by the games ported from OpenSpiel's mean-field games (garnet, lin-quad,
// periodic-aversion, normal-form).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/finite"
	"meanfield/games"
)

// openSpielGames are the games of this file.
var openSpielGames = []string{"garnet", "lin-quad", "periodic-aversion", "normal-form"}

// osCase is one case of games/testdata/openspiel_mfg.json: the uniform policy's NashConv,
// best-response value and value, computed by games/testdata/openspiel_mfg.py, a pure-Python
// re-implementation of OpenSpiel's game nodes and of its evaluation (breadth-first distribution
// merged by string, depth-first values cached by string). It shares no code or model with the Go
// games: the previous-action caching quirk comes out of its string cache, the rounding out of
// Python's own round and %.
type osCase struct {
	Game   string         `json:"game"`
	Params map[string]any `json:"openspiel_params"`
	Nash   float64        `json:"nash_conv"`
	Best   float64        `json:"best_response_value"`
	Value  float64        `json:"policy_value"`
}

func loadOpenSpielCases(t *testing.T) []osCase {
	t.Helper()
	b, err := os.ReadFile("testdata/openspiel_mfg.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases []osCase `json:"cases"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&ref); err != nil {
		t.Fatal(err)
	}
	return ref.Cases
}

// ourParams renames OpenSpiel's parameters (num_chance_action) to ours (num-chance-action); a
// number written without a fraction or exponent (Python's int) becomes an int, the others float64.
func ourParams(t *testing.T, p map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range p {
		if n, ok := v.(json.Number); ok {
			if i, err := n.Int64(); err == nil && !strings.ContainsAny(n.String(), ".eE") {
				v = int(i)
			} else if v, err = n.Float64(); err != nil {
				t.Fatal(err)
			}
		}
		out[strings.ReplaceAll(k, "_", "-")] = v
	}
	return out
}

// withOpenSpielCosts are the games of this file with the openspiel-costs switch.
var withOpenSpielCosts = map[string]bool{"garnet": true, "lin-quad": true, "periodic-aversion": true}

// With OpenSpiel's accounting (openspiel-costs: true), the uniform policy's exploitability,
// best-response value and value equal the re-implementation's NashConv, BR value and policy value
// to 1e-12 relative (they differ in summation orders and in Φ, about 1e-14).
func TestOpenSpielGamesMatchReference(t *testing.T) {
	cases := loadOpenSpielCases(t)
	if len(cases) < 11 {
		t.Fatalf("%d reference cases, want the 11 of openspiel_mfg.py", len(cases))
	}
	for _, c := range cases {
		params := ourParams(t, c.Params)
		if withOpenSpielCosts[c.Game] {
			params["openspiel-costs"] = true
		}
		g, err := games.NewFinite(c.Game, params)
		if err != nil {
			t.Fatalf("%s %v: %v", c.Game, c.Params, err)
		}
		checkUniformValues(t, g, fmt.Sprint(c.Game, " ", c.Params), "OpenSpiel's", c.Nash, c.Best, c.Value)
	}
}

// The default is the clean game (openspiel-costs: false, each move or action charged its own
// reward): at every reference case the uniform policy's exploitability at the default equals the
// one with openspiel-costs: false set, and differs from OpenSpiel's.
func TestOpenSpielGamesDefaultIsClean(t *testing.T) {
	for _, c := range loadOpenSpielCases(t) {
		if !withOpenSpielCosts[c.Game] {
			continue
		}
		params := ourParams(t, c.Params)
		def, err := games.NewFinite(c.Game, params)
		if err != nil {
			t.Fatal(err)
		}
		params["openspiel-costs"] = false
		plain, err := games.NewFinite(c.Game, params)
		if err != nil {
			t.Fatal(err)
		}
		e, _ := finite.Exploitability(def, finite.Uniform(def))
		ep, _ := finite.Exploitability(plain, finite.Uniform(plain))
		if e != ep || math.Abs(e-c.Nash) < 1e-6 {
			t.Errorf("%s %v: exploitability %v at the default, %v with openspiel-costs false, OpenSpiel's %v", c.Game, c.Params, e, ep, c.Nash)
		}
	}
}

// Each game runs with each of the four MFGLib-style algorithms (what mfg solve --game G
// --algorithm A does), with finite exploitabilities ≥ 0; fictitious play and online mirror
// descent end below the uniform policy's (prior descent at η = 1 and the damped fixed point
// need not converge: on garnet they end above it).
func TestOpenSpielGamesSolve(t *testing.T) {
	for _, name := range openSpielGames {
		g, err := games.NewFinite(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, an := range []string{"fictitious-play", "online-mirror-descent", "prior-descent", "damped-fixed-point"} {
			alg, err := algorithms.New(an)
			if err != nil {
				t.Fatal(err)
			}
			res, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: 20, Exploitability: true})
			if err != nil {
				t.Fatalf("%s %s: %v", name, an, err)
			}
			ex := res.Exploitabilities()
			for k, e := range ex {
				if math.IsNaN(e) || math.IsInf(e, 0) || e < -1e-9 {
					t.Errorf("%s %s: exploitability %v at iteration %d", name, an, e, k)
				}
			}
			if (an == "fictitious-play" || an == "online-mirror-descent") && ex[len(ex)-1] >= ex[0] {
				t.Errorf("%s %s: exploitability %v after 20 iterations, the uniform policy's %v", name, an, ex[len(ex)-1], ex[0])
			}
		}
	}
}

func TestOpenSpielGamesRejectBadParameters(t *testing.T) {
	tkCheckBadParams(t, "garnet", []tkBadParams{
		{map[string]any{"size": 0}, []string{"size = 0"}},
		{map[string]any{"horizon": 0}, []string{"horizon = 0"}},
		{map[string]any{"seed": int64(1) << 31}, []string{"seed = 2147483648", "C++ int"}},
		{map[string]any{"num-action": 0}, []string{"num-action = 0"}},
		{map[string]any{"num-chance-action": 0}, []string{"num-chance-action = 0"}},
		{map[string]any{"eta": math.Inf(1)}, []string{"eta"}},
	})
	tkCheckBadParams(t, "lin-quad", []tkBadParams{
		{map[string]any{"size": 0}, []string{"size = 0"}},
		{map[string]any{"dt": 0.0}, []string{"dt = 0"}},
		{map[string]any{"dt": 1e-6}, []string{"dt = 1e-06", "decisions"}},
		{map[string]any{"n-actions-per-side": -1}, []string{"n-actions-per-side = -1"}},
		{map[string]any{"volatility": 0.0}, []string{"volatility = 0"}},
		{map[string]any{"mean-revert": 0.5, "openspiel-costs": true}, []string{"mean-revert = 0.5", "openspiel-costs"}},
		{map[string]any{"kappa": math.NaN()}, []string{"kappa = NaN"}},
	})
	tkCheckBadParams(t, "periodic-aversion", []tkBadParams{
		{map[string]any{"size": 1}, []string{"size = 1"}},
		{map[string]any{"dt": -0.5}, []string{"dt = -0.5"}},
		{map[string]any{"xmax": 0.0}, []string{"xmax = 0", "xmin = 0"}},
		{map[string]any{"volatility": -1.0}, []string{"volatility = -1"}},
		{map[string]any{"coef-aversion": math.Inf(-1)}, []string{"coef-aversion = -Inf"}},
	})
	tkCheckBadParams(t, "normal-form", []tkBadParams{
		{map[string]any{"num-actions": 10}, []string{"num-actions = 10", "0, 1, 2"}},
		{map[string]any{"reward-function": "rps"}, []string{`reward-function = "rps"`, "coop"}},
	})
	for _, p := range []map[string]any{{"mean-revert": 0.5, "openspiel-costs": false}, {"mean-revert": 0.5}} {
		if _, err := games.NewFinite("lin-quad", p); err != nil {
			t.Errorf("mean reversion without OpenSpiel's accounting (%v): %v", p, err)
		}
	}
}

// checkUniformValues checks the uniform policy's exploitability, best-response value and policy
// value on g against a reference's (named by source), to 1e-12 relative.
func checkUniformValues(t *testing.T, g finite.Game, label, source string, nash, best, value float64) {
	t.Helper()
	pi := finite.Uniform(g)
	e, err := finite.Exploitability(g, pi)
	if err != nil {
		t.Fatal(err)
	}
	_, stages, err := finite.MeanFieldOf(g, pi)
	if err != nil {
		t.Fatal(err)
	}
	gotBest, own := rootValues(g, finite.OptimalQ(stages), finite.PolicyQ(stages, pi), pi)
	for _, v := range []struct {
		what      string
		got, want float64
	}{{"exploitability", e, nash}, {"best-response value", gotBest, best}, {"policy value", own, value}} {
		if math.Abs(v.got-v.want) > 1e-12*math.Max(1, math.Abs(v.want)) {
			t.Errorf("%s: %s %.17g, %s %.17g", label, v.what, v.got, source, v.want)
		}
	}
}
