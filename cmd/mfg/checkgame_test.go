package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meanfield/games"
	"meanfield/games/gamestest"
	"meanfield/mfg"
)

// mfg check-game on a built-in game passes, exits 0 and names every group of checks, each PASS or
// n/a as the game's kind says: beach-bar is finite with fixed moves, and has no sampler.
func TestCheckGameBuiltin(t *testing.T) {
	code, stdout, stderr := runMFG(t, "check-game", "beach-bar", "--param", "n=6", "--populations", "1")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, stdout)
	}
	joined := strings.Join(strings.Fields(stdout), " ") // the wrapped lines joined
	for _, want := range []string{"beach-bar: finite horizon, 6 states, 3 actions",
		"PASS  declaration", "PASS  initial distribution", "PASS  shapes", "PASS  distributions",
		"PASS  rewards", "PASS  extreme mean fields", "PASS  determinism", "PASS  fixed moves",
		"n/a   sampler", "n/a   simulator vs model", "all the mass on state 0, 2, 3 or 5",
		"and 1 random ones", "PASS beach-bar: 8 of 8 check groups pass, 0 fail"} {
		if !strings.Contains(joined, strings.Join(strings.Fields(want), " ")) {
			t.Errorf("the report lacks %q:\n%s", want, stdout)
		}
	}
}

// brokenGame is a finite game of 3 states, 2 actions and T = 1 with two defects: the row of
// (s=1, a=1) sums to 0.8, and r(t, s, a) = μ_t(s) log μ_t(s) is NaN (0 · -Inf) at an empty state.
type brokenGame struct{}

func (brokenGame) Name() string             { return "broken" }
func (brokenGame) States() int              { return 3 }
func (brokenGame) Actions() int             { return 2 }
func (brokenGame) Horizon() int             { return 1 }
func (brokenGame) StateShape() []int        { return []int{3} }
func (brokenGame) ActionShape() []int       { return []int{2} }
func (brokenGame) InitialStates() []float64 { return []float64{0.5, 0.25, 0.25} }
func (brokenGame) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	mu := L.StateMarginal(nil)
	b := mfg.NewMDPBuilder(3, 2, 0)
	for s := range 3 {
		for a := range 2 {
			b.MDP.Reward[s*2+a] = mu[s] * math.Log(mu[s])
			if t < 1 {
				p := 1.0
				if s == 1 && a == 1 {
					p = 0.8
				}
				b.Add((s+a)%3, p)
			}
			b.EndRow()
		}
	}
	return b.MDP, nil
}

// The command's core reports each defect of a broken game under its group, naming t, s and a, and
// fails with an error that is no bad input (exit status 1, not 2).
func TestCheckGameBroken(t *testing.T) {
	var out strings.Builder
	err := checkGame(&out, brokenGame{}, gamestest.Options{Seed: 1})
	if err == nil {
		t.Fatalf("checkGame passed a broken game:\n%s", out.String())
	}
	var ue usageError
	if errors.As(err, &ue) || !strings.Contains(err.Error(), "broken fails distributions, extreme mean fields") {
		t.Errorf("error %v: want a failure (exit 1) naming the groups", err)
	}
	report := out.String()
	// With all the mass on state 0 at t = 0, states 1 and 2 are empty: r(s=1, a=0) is the first NaN.
	for _, want := range []string{
		"FAIL  distributions",
		"- stage t = 0 at the mean field of the uniform policy: P(·|s=1, a=1) sums to 0.8, want 1",
		"FAIL  extreme mean fields",
		"- stage t = 0 at all mass on state 0: r(s=1, a=0) = NaN: must be finite",
		"- stage t = 0 at all mass on state 1: r(s=0, a=0) = NaN: must be finite",
		"PASS  rewards", "PASS  determinism",
		"FAIL broken: 5 of 7 check groups pass, 2 fail",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q:\n%s", want, report)
		}
	}
}

// Bad input exits 2 with one line naming the argument: an unknown game (with the nearest name), a
// bad parameter, a negative count, --all with a name or a parameter, no name.
func TestCheckGameBadInput(t *testing.T) {
	assertRefused(t, []string{"check-game", "beach-baar"}, `game = "beach-baar": unknown game`, "did you mean beach-bar?")
	assertRefused(t, []string{"check-game", "beach-bar", "--param", "nn=3"}, `parameter "nn" is unknown`, "did you mean n?")
	assertRefused(t, []string{"check-game", "beach-bar", "--param", "n=0"}, "n = 0")
	assertRefused(t, []string{"check-game", "beach-bar", "--populations", "-1"}, "--populations = -1: must be 0 or more")
	assertRefused(t, []string{"check-game", "beach-bar", "--samples", "x"}, `--samples = "x": must be a whole number`)
	assertRefused(t, []string{"check-game", "--all", "beach-bar"}, "--all checks every game: give no game name")
	assertRefused(t, []string{"check-game", "--all", "--param", "n=3"}, "--param n=3 applies to one game")
	assertRefused(t, []string{"check-game"}, "give one game name")
}

// mfg check-game --all prints one line per registered game, PASS with every applicable group
// passed, and the time each took.
func TestCheckGameAll(t *testing.T) {
	code, stdout, stderr := runMFG(t, "check-game", "--all", "--populations", "0", "--samples", "100", "--extremes", "1")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, stdout)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	names := games.Names()
	if len(lines) != len(names)+3 || !strings.HasPrefix(lines[0], "game ") {
		t.Fatalf("want a head line, %d games and a summary:\n%s", len(names), stdout)
	}
	for i, name := range names {
		f := strings.Fields(lines[i+1])
		if len(f) != 8 || f[0] != name || f[3] != "PASS" || f[5] != "0" {
			t.Errorf("line of %s: %q", name, lines[i+1])
			continue
		}
		var passed, applied int
		if _, err := fmt.Sscanf(f[4], "%d/%d", &passed, &applied); err != nil || passed != applied || passed < 6 {
			t.Errorf("%s: groups passed %q", name, f[4])
		}
	}
	if !strings.HasPrefix(lines[len(lines)-1], "PASS: all ") {
		t.Errorf("summary %q", lines[len(lines)-1])
	}
}

// The table of several games marks a broken one FAIL with its first failures and fails (exit
// status 1); a cancelled run stops between games as an interruption (exit status 130).
func TestCheckGamesTable(t *testing.T) {
	build := func(name string) (mfg.Game, error) {
		if name == "broken" {
			return brokenGame{}, nil
		}
		return games.New(name, nil)
	}
	var out strings.Builder
	opt := gamestest.Options{Seed: 1, Populations: 1, Samples: -1}
	err := checkGames(context.Background(), &out, opt, []string{"left-right", "broken"}, build)
	var ue usageError
	if err == nil || errors.As(err, &ue) || !strings.Contains(err.Error(), "1 of 2 games fail") {
		t.Errorf("error %v: want a failure naming 1 of 2 games", err)
	}
	text := out.String()
	for _, want := range []string{"\nleft-right ", "\nbroken ", "broken fails:\n",
		"  distributions: stage t = 0 at the mean field of the uniform policy: P(·|s=1, a=1) sums to 0.8",
		"  extreme mean fields: stage t = 0 at all mass on state 0: r(s=1, a=0) = NaN: must be finite",
		"FAIL: 1 of 2 games fail"} {
		if !strings.Contains(text, want) {
			t.Errorf("the table lacks %q:\n%s", want, text)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 8 && (f[0] == "left-right" && f[3] != "PASS" || f[0] == "broken" && (f[3] != "FAIL" || f[4] != "5/7")) {
			t.Errorf("line %q", line)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var ie interruptedError
	if err := checkGames(ctx, io.Discard, opt, []string{"left-right"}, build); !errors.As(err, &ie) {
		t.Errorf("cancelled: error %v, want an interruption", err)
	}
}

// check-game --game-file checks a game file's game: the beach bar file passes; a file whose reward
// is NaN fails (exit 1) with the file, line and column and the (t, s, a) in the report; a file
// that does not exist, or --game-file with a game name, is bad input (exit 2).
func TestCheckGameFile(t *testing.T) {
	code, stdout, stderr := runMFG(t, "check-game", "--game-file", "../../examples/games/beach_bar.star", "--param", "n=6")
	if code != 0 || !strings.Contains(stdout, "PASS beach-bar") {
		t.Fatalf("beach_bar.star: exit %d\n%s%s", code, stdout, stderr)
	}
	bad := filepath.Join(t.TempDir(), "bad.star")
	src := "params = {}\ndef reward(p, t, s, a, mf):\n    return float(\"nan\")\ndef transition(p, t, s, a, mf):\n    return {0: 1.0}\n" +
		"game = finite(horizon = 1, states = 2, actions = 1, reward = reward, transition = transition)\n"
	if err := os.WriteFile(bad, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = runMFG(t, "check-game", "--game-file", bad)
	if want := bad + ":2:1: in reward(t=0, s=0, a=0): the reward is NaN"; code != 1 || !strings.Contains(stdout, want) {
		t.Errorf("bad.star: exit %d, want 1 and a report with %q:\n%s", code, want, stdout)
	}
	for _, args := range [][]string{{"--game-file", filepath.Join(t.TempDir(), "none.star")}, {"beach-bar", "--game-file", bad}} {
		if code, _, stderr := runMFG(t, append([]string{"check-game"}, args...)...); code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", args, code, stderr)
		}
	}
}
