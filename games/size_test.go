package games

import (
	"strings"
	"testing"

	"meanfield/internal/params"
	"meanfield/mfg"
)

// Every game's size, from its parameters or from the game built, agrees with the game at its
// defaults: states, actions, times, and no row of its stages with more successors than said.
func TestSizeAgreesWithTheGame(t *testing.T) {
	for _, name := range Names() {
		e, _ := Lookup(name)
		p := e.Defaults()
		size, err := e.Size(p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		g, err := e.Build(p)
		if err != nil {
			t.Fatal(err)
		}
		times := 1
		if f, ok := g.(mfg.Finite); ok {
			times = f.Horizon() + 1
		}
		if size.States != float64(g.States()) || size.Actions != float64(g.Actions()) || size.Times != float64(times) {
			t.Errorf("%s: size %v × %v × %v, game %d × %d × %d", name, size.States, size.Actions, size.Times, g.States(), g.Actions(), times)
		}
		if size.Successors < 1 || size.Successors > size.States {
			t.Errorf("%s: %v successors a row, want 1..%v", name, size.Successors, size.States)
		}
		for _, m := range stagesOf(t, g) {
			for i := 0; i+1 < len(m.RowStart); i++ {
				if n := m.RowStart[i+1] - m.RowStart[i]; float64(n) > size.Successors {
					t.Fatalf("%s: row %d has %d successors, size says at most %v", name, i, n, size.Successors)
				}
			}
		}
		for _, param := range size.Params {
			if !strings.Contains(strings.Join(params.Names(p), " "), param) {
				t.Errorf("%s: size names %q, not a parameter", name, param)
			}
		}
	}
}

// stagesOf returns the MDPs of a game at the uniform population: every stage but the last of a
// finite-horizon game (whose transitions are not read), the MDP of a stationary one with a model.
func stagesOf(t *testing.T, g mfg.Game) []*mfg.MDP {
	L := mfg.UniformPopulation(g.States(), g.Actions())
	var out []*mfg.MDP
	switch g := g.(type) {
	case mfg.Finite:
		for s := 0; s < g.Horizon(); s++ {
			m, err := g.Stage(s, L)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, m)
		}
	case mfg.ModelBased:
		m, err := g.MDP(L)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// Sizes come from the parameters alone, before the game is built, even for sizes no machine
// holds; products beyond an int do not wrap.
func TestSizeFromParametersWithoutBuilding(t *testing.T) {
	e, _ := Lookup("crowd-motion")
	p, err := Params("crowd-motion", map[string]any{"torus-l": 1000000, "torus-w": 1000000, "T": 1000000})
	if err != nil {
		t.Fatal(err)
	}
	s, err := e.Size(p)
	if err != nil {
		t.Fatal(err)
	}
	if s.Cells() != 1e12*5*1000001 || strings.Join(s.Params, ",") != "torus-l,torus-w,T" {
		t.Errorf("size %+v", s)
	}
	e, _ = Lookup("random-linear")
	p, _ = Params("random-linear", map[string]any{"n": 1000000})
	if s, err = e.Size(p); err != nil || s.Extra < 16e18 {
		t.Errorf("random-linear with n = 1e6: %+v, %v", s, err)
	}
	// A game without GameSize is built (it is small) and its integer parameters named.
	e, _ = Lookup("rock-paper-scissors")
	p, _ = Params("rock-paper-scissors", map[string]any{"T": 7})
	if s, err = e.Size(p); err != nil || s.Times != 8 || s.States != 4 || strings.Join(s.Params, ",") != "T" {
		t.Errorf("rock-paper-scissors: %+v, %v", s, err)
	}
	// Invalid parameters are refused as the game refuses them.
	e, _ = Lookup("crowd-motion")
	p, _ = Params("crowd-motion", map[string]any{"torus-l": -1})
	if _, err := e.Size(p); err == nil || !strings.Contains(err.Error(), "crowd-motion: torus-l = -1") {
		t.Errorf("torus-l = -1: %v", err)
	}
}
