package mfglib32

import (
	"context"
	"math"
	"meanfield/games"
	"strings"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/finite"
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
	for _, alg := range []engine.Algorithm{algorithms.DampedFixedPoint{Damping: 0.5}, algorithms.FictitiousPlay{TieTolerance: 1e-9}} {
		if _, err := Solve(context.Background(), g, alg, 3, nil); err == nil {
			t.Errorf("%#v was accepted", alg)
		}
	}
	if _, err := Solve(context.Background(), g, algorithms.PriorDescent{Eta: 1}, -1, nil); err == nil {
		t.Error("-1 iterations were accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Solve(ctx, g, algorithms.PriorDescent{Eta: 1}, 5, nil)
	if err == nil || res == nil || len(res.Trace) != 1 {
		t.Errorf("a cancelled solve returned %v and %d iterations, want the error and π_0 only", err, len(res.Trace))
	}
}

// Runs MFGLib cannot give a meaningful result for are refused, or stopped, with the reason.
func TestMeaninglessRunsAreRefused(t *testing.T) {
	ep, err := New("equilibrium-price", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Solve(context.Background(), ep, algorithms.FictitiousPlay{}, 3, nil); err == nil || !strings.Contains(err.Error(), "raises on equilibrium-price") {
		t.Errorf("fictitious play on equilibrium price: %v", err)
	}
	if _, err := Solve(context.Background(), ep, algorithms.PriorDescent{Eta: 1}, 3, nil); err != nil {
		t.Errorf("prior descent on equilibrium price: %v", err)
	}
	for _, name := range []string{"beach-bar", "building-evacuation", "crowd-motion"} {
		if _, err := New(name, map[string]any{"log-eps": 1e-50}); err == nil || !strings.Contains(err.Error(), "rounds to 0 in float32") {
			t.Errorf("%s with log-eps 1e-50: %v", name, err)
		}
	}
	// Prior descent at eta = 0.5 on crowd motion: exp(Q*/eta) overflows float32 (Q* reaches 63).
	cm, err := New("crowd-motion", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Solve(context.Background(), cm, algorithms.PriorDescent{Eta: 0.5}, 5, nil)
	if err == nil || !strings.Contains(err.Error(), "overflows float32") {
		t.Fatalf("prior descent at eta 0.5: %v", err)
	}
	// The iteration that overflowed is recorded (scoring makes its NaN rows uniform, as MFGLib's
	// does), and the solve stops there.
	if len(res.Trace) != 2 {
		t.Errorf("%d iterations recorded, want π_0 and the one that overflowed", len(res.Trace))
	}
	for _, it := range res.Trace {
		if math.IsNaN(it.Exploitability) {
			t.Errorf("iteration %d recorded NaN", it.K)
		}
	}
}
