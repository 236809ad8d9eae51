package mfglib32

import (
	"context"
	"math"
	"strings"
	"testing"

	"meanfield/finite"
	"meanfield/games"
)

// TestNewBuildsEveryMFGLibGame builds each game by name and checks it against the float64 game of
// the same name: same sizes and horizon, and a uniform-policy exploitability within float32
// rounding (relative 1e-5 of the game's value scale) of the float64 one.
func TestNewBuildsEveryMFGLibGame(t *testing.T) {
	for _, name := range strings.Split(Games(), ", ") {
		g, err := New(name, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if g.Name() != name {
			t.Errorf("New(%q) built %q", name, g.Name())
		}
		g64, err := games.NewFinite(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		S, A := finite.Dims(g64)
		if g.States() != S || g.Actions() != A || g.Horizon() != g64.Horizon() {
			t.Errorf("%s: %d states, %d actions, T = %d; float64 game %d, %d, %d", name, g.States(), g.Actions(), g.Horizon(), S, A, g64.Horizon())
		}
		e32 := float64(Exploitability(g, Uniform(g)))
		e64, err := finite.Exploitability(g64, finite.Uniform(g64))
		if err != nil {
			t.Fatal(err)
		}
		L, P := MeanField(g, Uniform(g))
		scale := 0.0
		for _, q := range OptimalQ(g, L, P)[0] {
			scale = math.Max(scale, math.Abs(float64(q)))
		}
		if d := math.Abs(e32 - e64); !(d <= 1e-5*math.Max(scale, 1)) {
			t.Errorf("%s: uniform exploitability %.9g in float32, %.9g in float64 (difference %.2g, value scale %.3g)", name, e32, e64, d, scale)
		}
	}
}

func TestNewRefusesWhatItCannotReproduce(t *testing.T) {
	for _, c := range []struct {
		name   string
		params map[string]any
		want   string
	}{
		{"crowd-modelling", nil, "not one of MFGLib 0.3.0's games"},
		{"no-such-game", nil, "unknown game"},
		{"beach-bar", map[string]any{"bar-loc": 9}, "bar-loc = 9"},
		{"beach-bar", map[string]any{"colour": 1}, `parameter "colour" is unknown`},
		{"equilibrium-price", map[string]any{"sigma": 3}, "sigma = 3"},
		{"building-evacuation", map[string]any{"T": -1}, "T = -1"},
	} {
		_, err := New(c.name, c.params)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%q, %v) = %v, want an error containing %q", c.name, c.params, err, c.want)
		}
	}
}

func TestSolveRefusesWhatMFGLibLacks(t *testing.T) {
	g, err := New("beach-bar", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, alg := range []finite.Algorithm{finite.DampedFixedPoint{Damping: 0.5}, finite.FictitiousPlay{TieTolerance: 1e-9}} {
		if _, err := Solve(context.Background(), g, alg, 3, nil); err == nil {
			t.Errorf("%#v was accepted", alg)
		}
	}
	if _, err := Solve(context.Background(), g, finite.PriorDescent{Eta: 1}, -1, nil); err == nil {
		t.Error("-1 iterations were accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Solve(ctx, g, finite.PriorDescent{Eta: 1}, 5, nil)
	if err == nil || res == nil || len(res.Trace) != 1 {
		t.Errorf("a cancelled solve returned %v and %d iterations, want the error and π_0 only", err, len(res.Trace))
	}
}
