package experiment

import (
	"os"
	"path/filepath"
	"testing"
)

// twoTextsGame is a game file whose parameters a and b are texts and whose number of states is
// len(a) + n; its stages take a thousand Starlark steps or so.
const twoTextsGame = `params = {"a": "x b:y", "b": "z", "n": 1}

def reward(p, t, s, a, mf):
    x = 0
    for i in range(300):
        x += i
    return -mf.mu[s] * p["n"]

def transition(p, t, s, a, mf):
    return {s: 1.0}

def game(p):
    return finite(horizon = 1, states = len(p["a"]) + p["n"], actions = 2, reward = reward, transition = transition)
`

// Build returns the game Resolve built only while the configuration still describes it: not once
// a parameter changes to a value that fmt's %v writes as it wrote the old ones (texts holding
// " b:", an int for a float, which Starlark tells apart), nor once the step limit the file's
// stages are built under changes.
func TestBuildRebuildsWhatTheKeyMustTellApart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "texts.star")
	if err := os.WriteFile(path, []byte(twoTextsGame), 0o644); err != nil {
		t.Fatal(err)
	}
	c := DefaultSolveConfig()
	c.Run.GameFile, c.Run.Algorithm = path, "fictitious-play"
	c.Outputs.CompareToGMFV = false
	r, err := c.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	if r.built == nil || r.built.States() != 6 {
		t.Fatalf("resolved game: %v", r.built)
	}
	texts := r.Clone()
	texts.Params["a"], texts.Params["b"] = "x", "y b:z"
	if g, _, err := texts.Build(); err != nil || g.States() != 2 {
		t.Errorf("a = %q, b = %q: Build gave %d states (err %v), want 2", texts.Params["a"], texts.Params["b"], g.States(), err)
	}
	float := r.Clone()
	float.Params["n"] = 1.0
	if g, _, err := float.Build(); err == nil && g == r.built {
		t.Errorf("n = 1.0 (a float, n = 1 resolved): Build returned the game built for the int 1")
	}
	steps := r.Clone()
	steps.Run.GameSteps = 50
	if g, _, err := steps.Build(); err == nil && g == r.built {
		t.Errorf("game-steps = 50: Build returned the game built with the default limit")
	}
	if g, _, err := r.Clone().Build(); err != nil || g != r.built {
		t.Errorf("the resolved configuration, unchanged: Build built again (err %v)", err)
	}
}
