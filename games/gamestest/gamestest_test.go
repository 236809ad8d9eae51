package gamestest_test

import (
	"strings"
	"testing"
	"time"

	"meanfield/games"
	"meanfield/games/gamestest"
	"meanfield/mfg"
)

// TestBuiltinGames runs the kit on every registered game at its defaults.
func TestBuiltinGames(t *testing.T) {
	names := games.Names()
	if len(names) == 0 {
		t.Fatal("no registered game")
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			g, err := games.New(name, nil)
			if err != nil {
				t.Fatalf("games.New(%q, nil): %v", name, err)
			}
			start := time.Now()
			if err := gamestest.Check(g, gamestest.Options{Seed: 1}); err != nil {
				t.Errorf("Check(%s):\n%v", name, err)
			}
			t.Logf("%s: %v", name, time.Since(start))
		})
	}
}

// TestHealthyFakes checks that the fakes pass with their knobs at zero, so that each failure
// below comes from its knob.
func TestHealthyFakes(t *testing.T) {
	for _, g := range []mfg.Game{&fakeFinite{}, &fakeMoves{}, &fakeStationary{}, &fakeStationaryMoves{}} {
		if err := gamestest.Check(g, gamestest.Options{Seed: 1}); err != nil {
			t.Errorf("Check(%s) on the healthy fake:\n%v", g.Name(), err)
		}
	}
}

// TestBrokenGames checks that the kit catches each deliberately broken fake, naming the game, the
// check and the values.
func TestBrokenGames(t *testing.T) {
	for _, tc := range brokenGames() {
		t.Run(tc.name, func(t *testing.T) {
			err := gamestest.Check(tc.game, gamestest.Options{Seed: 1})
			if err == nil {
				t.Fatalf("Check passed a game with a %s", tc.name)
			}
			t.Logf("Check:\n%v", err)
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("the error does not mention %q:\n%v", w, err)
				}
			}
		})
	}
}

// brokenGame is a fake with one defect and what Check must say about it.
type brokenGame struct {
	name string
	game mfg.Game
	want []string
}

// brokenGames lists the deliberately broken fakes.
func brokenGames() []brokenGame {
	calls := 0
	return []brokenGame{
		{"transitions sum to 0.9", &fakeFinite{rowDeficit: 0.1},
			[]string{"fake-finite: stage t = 0 at the mean field of the uniform policy: P(·|s=0, a=0) sums to 0.9, want 1",
				"P(·|s=2, a=0) sums to 0.9, want 1", "and 1 more problem(s), not listed"}},
		{"NaN reward at t = T", &fakeFinite{nanAtT: true},
			[]string{"fake-finite: stage t = 2 at the mean field of the uniform policy: r(s=0, a=0) = NaN: must be finite",
				"fake-finite: 6 more failures repeat the ones above at other times or populations"}},
		{"mu0 sums to 2", &fakeFinite{mu0: []float64{1, 0.5, 0.5}},
			[]string{"fake-finite: InitialStates() sums to 2, want 1"}},
		{"Stage mutates L", &fakeFinite{mutate: true},
			[]string{"fake-finite: stage t = 0 at the mean field of the uniform policy: Stage(0, L) modified L: L(s=0, a=0) was 0.1666"}},
		{"non-deterministic Stage", &fakeFinite{calls: &calls},
			[]string{"fake-finite: stage t = 0 at the mean field of the uniform policy: Stage(0, L) called twice gives different results: r(s=0, a=0) = "}},
		{"state shape does not match States", &fakeFinite{stateShape: []int{2}},
			[]string{"fake-finite: StateShape() = [2] has 2 elements, but States() = 3"}},
		{"next state out of range", &fakeFinite{badNext: true},
			[]string{"P(·|s=2, a=1) lists next state 3, out of range [0, 3)"}},
		{"Stage panics", &fakeFinite{panics: true},
			[]string{"fake-finite: stage t = 1 at the mean field of the uniform policy: Stage(1, L): panic: runtime error: index out of range"}},
		{"Moves differ from the stages' transitions", &fakeMoves{skew: 0.25},
			[]string{"fake-finite: stage t = 0 at the mean field of the uniform policy: Moves(0) differs from the stage's transitions (mfg.FixedMoves): Prob"}},
		{"StationaryMoves differ from the MDP's transitions", &fakeStationaryMoves{skew: 0.25},
			[]string{"fake-stationary: at the initial population: StationaryMoves() differs from MDP(L)'s transitions (mfg.FixedStationaryMoves): Prob"}},
		{"Stage reuses one MDP for every t", &fakeFinite{sharedStage: mfg.NewMDPBuilder(3, 2, 0).MDP},
			[]string{"fake-finite: stage t = 0 at random mean field 1 of 3: the stage changed after Stage was called for later times"}},
		{"name with a space", &fakeFinite{name: "fake finite"},
			[]string{`fake finite: Name() = "fake finite" contains white space`}},
		{"both kinds", &bothKinds{}, []string{"both mfg.Stationary and mfg.Finite"}},
		{"neither kind", neitherKind{}, []string{"neither: the game is neither mfg.Stationary nor mfg.Finite"}},
		{"discount 1", &fakeStationary{discount: 1},
			[]string{"fake-stationary: Discount() = 1: must be in (0, 1)"}},
		{"MDP discount differs from the game's", &fakeStationary{mdpDiscount: 0.5},
			[]string{"fake-stationary: at the initial population: MDP(L).Discount = 0.5, want the game's Discount() = 0.9"}},
		{"sampler disagrees with the model's transitions", &fakeStationary{skew: 0.2},
			[]string{"fake-stationary: simulator against model at the initial population: (s=0, a=1): next state 1 drawn with frequency 0.6",
				"but the model gives P(1|s=0, a=1) = 0.5"}},
		{"sampler disagrees with the model's rewards", &fakeStationary{rewardBias: 0.1},
			[]string{"fake-stationary: simulator against model at the initial population: (s=0, a=0): mean sampled reward",
				"but the model gives r(s=0, a=0) = -0.5 "}},
		{"sampler with randomness of its own", &fakeStationary{ownRandom: true},
			[]string{"fake-stationary: at the initial population: the same sampler replayed, fed an equal random stream, draws differently"}},
	}
}

// TestEveryFailureListed checks that Check lists failures of different checks together.
func TestEveryFailureListed(t *testing.T) {
	err := gamestest.Check(&fakeFinite{nanAtT: true, mu0: []float64{1, 0.5, 0.5}, stateShape: []int{2}}, gamestest.Options{Seed: 1})
	if err == nil {
		t.Fatal("Check passed a game with three defects")
	}
	for _, w := range []string{"r(s=0, a=0) = NaN", "InitialStates() sums to 2", "StateShape() = [2]"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("the error does not mention %q:\n%v", w, err)
		}
	}
}

// TestDeterministic checks that Check gives the same verdict, word for word, for the same seed.
func TestDeterministic(t *testing.T) {
	g := &fakeStationary{skew: 0.1, rewardBias: 0.1}
	first := gamestest.Check(g, gamestest.Options{Seed: 7})
	second := gamestest.Check(g, gamestest.Options{Seed: 7})
	if first == nil || second == nil {
		t.Fatalf("Check passed a sampler that disagrees with its model: %v, %v", first, second)
	}
	if first.Error() != second.Error() {
		t.Errorf("two runs with seed 7 differ:\n%v\n---\n%v", first, second)
	}
}

// TestNegativeSamplesSkipsAgreement checks that Samples < 0 skips the simulator-against-model check
// (and only it).
func TestNegativeSamplesSkipsAgreement(t *testing.T) {
	if err := gamestest.Check(&fakeStationary{skew: 0.2}, gamestest.Options{Seed: 1, Samples: -1}); err != nil {
		t.Errorf("Check with Samples = -1 ran the agreement check:\n%v", err)
	}
	if err := gamestest.Check(&fakeStationary{skew: 0.2, discount: 1}, gamestest.Options{Seed: 1, Samples: -1}); err == nil {
		t.Error("Check with Samples = -1 skipped the other checks")
	}
}
