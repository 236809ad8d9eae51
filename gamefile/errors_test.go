package gamefile_test

import (
	"errors"
	"strings"
	"testing"

	"meanfield/gamefile"
	"meanfield/mfg"
)

// base is a valid two-state game; each case replaces one of its lines (by their keys) to break
// it in one way.
const base = `params = {"n": 2, "x": 0.5}
def reward(p, t, s, a, mf):
    return REWARD
def transition(p, t, s, a, mf):
    return TRANSITION
game = finite(horizon = 1, states = p_states, actions = 2, reward = reward, transition = transition)
`

func source(reward, transition string) string {
	if reward == "" {
		reward = "mf.mu[s] - a"
	}
	if transition == "" {
		transition = "{(s + a) % 2: 1.0}"
	}
	s := strings.Replace(base, "REWARD", reward, 1)
	s = strings.Replace(s, "TRANSITION", transition, 1)
	return strings.Replace(s, "p_states", "2", 1)
}

func tables(reward, rows string) string {
	if reward == "" {
		reward = "[[0, 1], [mf.mu[1], 0]]"
	}
	if rows == "" {
		rows = "[[{0: 1}, {1: 1}], [{1: 1}, {0: 1}]]"
	}
	return "params = {}\ndef rt(p, t, mf):\n    return " + reward + "\ndef tr(p, t, mf):\n    return " + rows +
		"\ngame = finite(horizon = 1, states = 2, actions = 2, reward_table = rt, transition_rows = tr)\n"
}

// TestErrorsNameTheirPlace breaks a game in each way the loader checks and requires the error
// to name the file's line and column and the (t, s, a) of the evaluation, read off the source.
func TestErrorsNameTheirPlace(t *testing.T) {
	cases := []struct {
		name, src string
		params    map[string]any
		want      string
	}{
		{"sum", source("", "{0: 0.5, 1: 0.4}"), nil, "g.star:4:1: in transition(t=0, s=0, a=0): the probabilities sum to 0.9, want 1 (within 1e-09)"},
		{"negative", source("", "{0: 1.5, 1: -0.5}"), nil, "g.star:4:1: in transition(t=0, s=0, a=0): the probability of next state 1 is -0.5: must be non-negative"},
		{"range", source("", "{s + a: 1.0}"), nil, "g.star:4:1: in transition(t=0, s=1, a=1): next state 2 out of range [0, 2)"},
		{"nan", source(`float("nan") if s == 1 else 0`, ""), nil, "g.star:2:1: in reward(t=0, s=1, a=0): the reward is NaN: must be finite"},
		{"inf", source(`math.log(mf.mu[s] * a)`, ""), nil, "g.star:2:1: in reward(t=0, s=0, a=0): the reward is -Inf: must be finite"},
		{"string", source(`"high"`, ""), nil, `g.star:2:1: in reward(t=0, s=0, a=0): the reward is "high" (a string): want a number`},
		{"undefined", source("mf.mu[s] + undefined_name", ""), nil, "g.star:3:23: undefined: undefined_name"},
		{"index", source("mf.mu[s + 1]", ""), nil, "g.star:3:17: in reward(t=0, s=1, a=0): list index 2 out of range"},
		{"field", source("mf.nu[s]", ""), nil, "g.star:3:14: in reward(t=0, s=0, a=0): mean_field has no .nu field or method"},
		{"missing", strings.Replace(source("", ""), ", transition = transition", "", 1), nil, "g.star:6:14: finite(...): give exactly one of transition (per entry)"},
		{"no game", "x = 1\n", nil, "g.star:1:1: no game"},
		{"syntax", "def f(:\n", nil, "g.star:1:8: got ':', want ')'"},
		{"unknown param", source("", ""), map[string]any{"m": 3}, "g.star:1:1: unknown parameter m (the file's parameters: n, x)"},
		{"param type", source("", ""), map[string]any{"n": 2.5}, "g.star:1:11: parameter n = 2.5: want an integer"},
		{"steps", source("len([i for i in range(100000000)])", ""), nil, "g.star:3:19: in reward(t=0, s=0, a=0): Starlark computation cancelled: step limit of 100000 Starlark steps exceeded"},
		{"recursion", "def f(n):\n    return f(n)\ngame = f(1)\n", nil, "g.star:2:12: function f called recursively"},
		{"while", "def f():\n    while True:\n        pass\n", nil, "g.star:2:5: this Starlark dialect does not support while loops"},
		{"table rows", tables("[[0, 0]] * 3", ""), nil, "g.star:2:1: in reward_table(t=0): returned a list of 3 entries: want a list of 2 rows (one per state) of 2 entries (one per action)"},
		{"table row", tables("[[0, 0], [0]]", ""), nil, "g.star:2:1: in reward_table(t=0, s=1): row 1 is a list of 1 entries: want a list of 2 entries"},
		{"table entry", tables("[[0, 0], [0, None]]", ""), nil, "g.star:2:1: in reward_table(t=0, s=1, a=1): the reward is None (a NoneType): want a number"},
		{"rows", tables("", "[[{0: 1}, {0: 1}], [{1: 1}, {1: 0.5}]]"), nil, "g.star:4:1: in transition_rows(t=0, s=1, a=1): the probabilities sum to 0.5"},
		{"rows type", tables("", "[[{0: 1}, {0: 1}], [{1: 1}, 7]]"), nil, "g.star:4:1: in transition_rows(t=0, s=1, a=1): returned 7 (a int): want a dict"},
		{"stage pair", strings.Replace(tables("", ""), "reward_table = rt, transition_rows = tr", "stage = rt", 1), nil, "g.star:2:1: in stage(t=0): returned a list of 2 entries: want a pair (reward table, transition rows)"},
		{"stage and reward", strings.Replace(tables("", ""), "transition_rows = tr", "stage = tr", 1), nil, "g.star:6:14: finite(...): stage gives the rewards and the transitions"},
		{"states", strings.Replace(source("", ""), "states = 2", "states = [2, 0]", 1), nil, "g.star:6:14: finite(...): states: dimension 1 is 0"},
	}
	opt := gamefile.Options{MaxSteps: 100000}
	for _, c := range cases {
		_, err := load(opt, c.src, c.params)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v\nwant it to contain %q", c.name, err, c.want)
		}
		var fe *gamefile.Error
		if err != nil && !errors.As(err, &fe) {
			t.Errorf("%s: %T, want *gamefile.Error", c.name, err)
		}
	}
}

// load loads src and builds every stage at the uniform mean field.
func load(opt gamefile.Options, src string, params map[string]any) (mfg.Game, error) {
	g, err := opt.LoadSource("g.star", []byte(src), params)
	if err != nil {
		return nil, err
	}
	if f, ok := g.(mfg.Finite); ok {
		for t := 0; t <= f.Horizon(); t++ {
			if _, err := f.Stage(t, mfg.UniformPopulation(g.States(), g.Actions())); err != nil {
				return nil, err
			}
		}
	}
	return g, nil
}
