package npgame

import (
	"math"
	"strings"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
	"meanfield/seeds"
)

// In the congestion game r(s, a, L) = −α(a): in the N-player game an agent that chose a earns
// minus the share of the others (Others) or of all (All) that chose a, counted by hand here.
func TestStepRewardsAreTheEmpiricalCongestion(t *testing.T) {
	mf, err := games.New("congestion", map[string]any{"locations": 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, meet := range []Meet{Others, All} {
		g := nGame(t, mf, 7, meet)
		w, err := NewWorld(g, nil)
		if err != nil {
			t.Fatal(err)
		}
		rng := seeds.New(3)
		w.Reset(rng)
		actions := []int{0, 0, 1, 2, 2, 2, 1}
		rewards := make([]float64, 7)
		if err := w.Step(actions, rewards, rng); err != nil {
			t.Fatal(err)
		}
		for i, a := range actions {
			same := 0
			for _, b := range actions {
				if b == a {
					same++
				}
			}
			want := -float64(same-1) / 6
			if meet == All {
				want = -float64(same) / 7
			}
			if math.Abs(rewards[i]-want) > 1e-15 {
				t.Errorf("%s: agent %d (action %d) earns %v, want %v", meet, i, a, rewards[i], want)
			}
			if w.State(i) != a { // congestion moves to the chosen place for sure
				t.Errorf("%s: agent %d at %d after choosing %d", meet, i, w.State(i), a)
			}
		}
	}
}

// The cache builds the model once per occupied pair and round, and not at all when the counts
// repeat: everyone going to place 0 for ever needs the pairs of round 0, then one pair, then none.
func TestWorldBuildsOncePerPairAndReusesUnchangedRounds(t *testing.T) {
	mf, err := games.New("congestion", map[string]any{"locations": 4})
	if err != nil {
		t.Fatal(err)
	}
	g := nGame(t, mf, 50, Others)
	w, err := NewWorld(g, nil)
	if err != nil {
		t.Fatal(err)
	}
	rng := seeds.New(1)
	w.Reset(rng)
	states := map[int]bool{}
	for i := 0; i < g.N; i++ {
		states[w.State(i)] = true
	}
	actions, rewards := make([]int, g.N), make([]float64, g.N)
	for round := 0; round < 5; round++ {
		if err := w.Step(actions, rewards, rng); err != nil {
			t.Fatal(err)
		}
	}
	if want := int64(len(states) + 1); w.Builds() != want {
		t.Errorf("%d builds over 5 rounds, want %d (the %d pairs of round 0, one at round 1, none after)", w.Builds(), want, len(states))
	}
	for i, r := range rewards {
		if r != -1 {
			t.Fatalf("agent %d earns %v with everyone at place 0, want -1", i, r)
		}
	}
}

// Bad input is refused with the field and the value.
func TestErrorsNameTheValue(t *testing.T) {
	lr, err := games.New("left-right", nil)
	if err != nil {
		t.Fatal(err)
	}
	pp, err := games.New("predator-prey", nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		g    mfg.Game
		n    int
		meet Meet
		want string
	}{
		{lr, 1, Others, "players = 1"},
		{lr, 0, All, "players = 0"},
		{pp, 3, Others, "multi-population"},
		{lr, 3, Meet(7), "meet = 7"},
	}
	for _, c := range cases {
		if _, err := New(c.g, c.n, c.meet, 0); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%s, %d, %d): %v, want an error naming %q", c.g.Name(), c.n, c.meet, err, c.want)
		}
	}
	g := nGame(t, lr, 3, Others)
	w, err := NewWorld(g, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Step([]int{0, 0, 0}, make([]float64, 3), seeds.New(1)); err == nil || !strings.Contains(err.Error(), "step before Reset") {
		t.Errorf("a step before Reset: %v", err)
	}
	w.Reset(seeds.New(1))
	if err := w.Step([]int{0, 5, 0}, make([]float64, 3), seeds.New(1)); err == nil || !strings.Contains(err.Error(), "agent 1's action = 5") {
		t.Errorf("a bad action: %v", err)
	}
	if _, err := NewWorld(g, []float64{0.5, 0.6, 0}); err == nil || !strings.Contains(err.Error(), "sum") {
		t.Errorf("a bad start distribution: %v", err)
	}
}
