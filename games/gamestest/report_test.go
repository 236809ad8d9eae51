package gamestest_test

import (
	"strings"
	"testing"

	"meanfield/games/gamestest"
)

// A reward log μ(s) is finite wherever every state holds mass (the uniform policy's and the random
// mean fields) and -Inf at an empty state: only the extreme mean fields fail, naming t, s and a.
func TestReportExtremeMeanField(t *testing.T) {
	rep := gamestest.Run(&fakeFinite{logMu: true}, gamestest.Options{Seed: 1})
	if rep.Passed() {
		t.Fatal("the report passed a reward of -Inf at empty states")
	}
	for _, g := range rep.Groups {
		if g.Group != gamestest.Extreme && g.Count > 0 {
			t.Errorf("group %s failed: %v", g.Group, g.Failures)
		}
	}
	ex := rep.Groups[gamestest.Extreme]
	if !ex.Applies || ex.Count == 0 || len(ex.Failures) == 0 {
		t.Fatalf("extreme mean fields: %+v", ex)
	}
	// All mass on state 0: states 1 and 2 are empty, so r(1, 0) is the first -Inf at t = 0.
	want := "fake-finite: stage t = 0 at all mass on state 0: r(s=1, a=0) = -Inf: must be finite"
	if ex.Failures[0] != want {
		t.Errorf("first failure %q, want %q", ex.Failures[0], want)
	}
	if !strings.Contains(ex.Checked, "state 0, 1 or 2") {
		t.Errorf("Checked = %q does not name the states 0, 1 and 2 of a 3-state game", ex.Checked)
	}
	if rep.Failed() != 1 || rep.Err() == nil || !strings.Contains(rep.Err().Error(), want) {
		t.Errorf("Failed() = %d, Err() = %v", rep.Failed(), rep.Err())
	}
}

// Each failure of a deliberately broken fake falls in its group, and Write shows the group as
// FAIL with the failure under it, the others as PASS.
func TestReportGroups(t *testing.T) {
	calls := 0
	for _, c := range []struct {
		game  *fakeFinite
		group gamestest.Group
		want  string
	}{
		{&fakeFinite{rowDeficit: 0.1}, gamestest.Rows, "P(·|s=0, a=0) sums to 0.9, want 1"},
		{&fakeFinite{nanAtT: true}, gamestest.Rewards, "stage t = 2 at the mean field of the uniform policy: r(s=0, a=0) = NaN"},
		{&fakeFinite{mu0: []float64{1, 0.5, 0.5}}, gamestest.Initial, "InitialStates() sums to 2"},
		{&fakeFinite{stateShape: []int{2}}, gamestest.Declaration, "StateShape() = [2]"},
		{&fakeFinite{calls: &calls}, gamestest.Determinism, "called twice gives different results"},
		{&fakeFinite{badNext: true}, gamestest.Rows, "lists next state 3"},
	} {
		rep := gamestest.Run(c.game, gamestest.Options{Seed: 1})
		g := rep.Groups[c.group]
		if g.Count == 0 || !strings.Contains(strings.Join(g.Failures, "\n"), c.want) {
			t.Errorf("group %s: failures %q, want one containing %q", c.group, g.Failures, c.want)
		}
		var b strings.Builder
		if err := rep.Write(&b); err != nil {
			t.Fatal(err)
		}
		text := b.String()
		if !strings.Contains(text, "FAIL  "+c.group.String()) || !strings.Contains(text, c.want) || !strings.Contains(text, "\nFAIL fake-finite: ") {
			t.Errorf("Write does not show group %s failing with %q:\n%s", c.group, c.want, text)
		}
	}
	rep := gamestest.Run(&fakeFinite{}, gamestest.Options{Seed: 1})
	var b strings.Builder
	_ = rep.Write(&b)
	for _, g := range []gamestest.Group{gamestest.Declaration, gamestest.Initial, gamestest.Shapes, gamestest.Rows,
		gamestest.Rewards, gamestest.Extreme, gamestest.Determinism} {
		if !strings.Contains(b.String(), "PASS  "+g.String()) {
			t.Errorf("the healthy fake's report does not pass %s:\n%s", g, b.String())
		}
	}
	if !strings.Contains(b.String(), "n/a   sampler") || !rep.Passed() {
		t.Errorf("the healthy fake's report:\n%s", b.String())
	}
}

// Options.Extremes < 0 probes no extreme population, and the group does not apply.
func TestReportNoExtremes(t *testing.T) {
	rep := gamestest.Run(&fakeFinite{logMu: true}, gamestest.Options{Seed: 1, Extremes: -1})
	if !rep.Passed() || rep.Groups[gamestest.Extreme].Applies {
		t.Errorf("with Extremes = -1: passed %v, extreme %+v", rep.Passed(), rep.Groups[gamestest.Extreme])
	}
}

// A stationary game whose rewards, modelled and sampled, add log μ(s) fails at the extreme
// populations only: the MDP's reward and the sampler's draw at the empty state, both in the
// extreme group; the simulator still agrees with the model at the initial population.
func TestReportExtremeStationary(t *testing.T) {
	rep := gamestest.Run(&fakeStationary{logMu: true}, gamestest.Options{Seed: 1, Samples: 500})
	for _, g := range rep.Groups {
		if g.Group != gamestest.Extreme && g.Count > 0 {
			t.Errorf("group %s failed: %v", g.Group, g.Failures)
		}
	}
	got := strings.Join(rep.Groups[gamestest.Extreme].Failures, "\n")
	for _, want := range []string{
		"fake-stationary: at all mass on state 0: r(s=1, a=0) = -Inf: must be finite",
		"fake-stationary: at all mass on state 0: Sample(1, 0, rng) returned reward -Inf: must be finite",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("extreme failures lack %q:\n%s", want, got)
		}
	}
}
