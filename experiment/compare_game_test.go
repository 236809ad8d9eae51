package experiment

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// smallGameCompare is the comparison on beach-bar at sizes that run in about a second.
func smallGameCompare() GameCompareConfig {
	c := DefaultGameCompareConfig()
	c.Players, c.Paths, c.Episodes, c.Checkpoints = 5, 3, 300, 2
	c.EvalEpisodes, c.EvalTrainEpisodes = 200, 50
	c.Solve.Run.Iterations = 100
	return c
}

// The comparison on beach-bar: the same results whatever the workers; every point's ε is the
// largest of the agents' (at least their mean, equal to it for the symmetric mean-field profile)
// inside its interval, and every summary's mean inside its 90% interval, never below 0; the
// files are written.
func TestGameCompareBeachBar(t *testing.T) {
	cfg, err := smallGameCompare().Resolve()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Solve.Run.Algorithm != "fictitious-play" {
		t.Errorf("beach-bar solved by %s, want fictitious-play (a finite-horizon game)", cfg.Solve.Run.Algorithm)
	}
	run := func(workers int) *GameCompareReport {
		dir := t.TempDir()
		rep, err := RunGameCompare(context.Background(), cfg, dir, workers, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"paths.csv", "summary.csv", "config.yaml", "epsilon.svg"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("%s: %v", f, err)
			}
		}
		rep.Files = nil
		return rep
	}
	one := run(1)
	if two := run(2); !reflect.DeepEqual(one.Points, two.Points) || !reflect.DeepEqual(one.Summary, two.Summary) {
		t.Errorf("workers 1 and 2 differ")
	}
	// One path on 2 workers runs its episodes on both.
	single := cfg
	single.Paths = 1
	a, errA := RunGameCompare(context.Background(), single, t.TempDir(), 1, nil)
	b, errB := RunGameCompare(context.Background(), single, t.TempDir(), 2, nil)
	if errA != nil || errB != nil || !reflect.DeepEqual(a.Points, b.Points) {
		t.Errorf("one path on workers 1 and 2 differs (%v, %v)", errA, errB)
	}
	for _, p := range one.Points {
		if !(0 <= p.Lower && p.Lower <= p.Epsilon && p.Epsilon <= p.Upper) || p.MeanEpsilon > p.Epsilon+1e-12 {
			t.Errorf("%s path %d checkpoint %d: ε %v in [%v, %v], mean over agents %v", p.Method, p.Path, p.Checkpoint, p.Epsilon, p.Lower, p.Upper, p.MeanEpsilon)
		}
		if p.Method == MethodMeanField && (p.MeanEpsilon != p.Epsilon || p.Policies != 1) {
			t.Errorf("mean-field path %d: mean over agents %v ≠ ε %v, or %d policies", p.Path, p.MeanEpsilon, p.Epsilon, p.Policies)
		}
	}
	for _, s := range one.Summary {
		if !(0 <= s.Lower90 && s.Lower90 <= s.Mean && s.Mean <= s.Upper90) {
			t.Errorf("%s checkpoint %d: mean %v outside [%v, %v]", s.Method, s.Checkpoint, s.Mean, s.Lower90, s.Upper90)
		}
	}
	final := one.Final()
	if final[0].Method != MethodMeanField || final[1].Method != MethodIL || final[1].Episodes != cfg.Episodes {
		t.Errorf("final: %+v", final)
	}
	t.Logf("mean-field ε %.4g [%.4g, %.4g]; IL ε %.4g [%.4g, %.4g]", final[0].Mean, final[0].Lower90, final[0].Upper90, final[1].Mean, final[1].Lower90, final[1].Upper90)
}

// Bad configurations are refused naming the field and the value.
func TestGameCompareResolveNamesTheField(t *testing.T) {
	for _, c := range []struct {
		edit func(*GameCompareConfig)
		want string
	}{
		{func(c *GameCompareConfig) { c.Players = 1 }, "players = 1"},
		{func(c *GameCompareConfig) { c.Paths = 0 }, "paths = 0"},
		{func(c *GameCompareConfig) { c.Episodes = 0 }, "episodes = 0"},
		{func(c *GameCompareConfig) { c.Checkpoints = 5000 }, "checkpoints = 5000"},
		{func(c *GameCompareConfig) { c.ExploreStart = 2 }, "explore-start = 2"},
		{func(c *GameCompareConfig) { c.StepExponent = 1.5 }, "step-exponent = 1.5"},
		{func(c *GameCompareConfig) { c.EvalEpisodes = 1 }, "eval-episodes = 1"},
		{func(c *GameCompareConfig) { c.Epsilon0 = math.Inf(1) }, "epsilon0 = +Inf"},
		{func(c *GameCompareConfig) { c.Solve.Run.Game = "predator-prey" }, "multi-population"},
		{func(c *GameCompareConfig) { c.Solve.Run.Game = "nosuchgame" }, "nosuchgame"},
		{func(c *GameCompareConfig) { c.Players = 1 << 19; c.Solve.Run.Game = "crowd-modelling-2d" }, "Q-tables"},
	} {
		cfg := DefaultGameCompareConfig()
		c.edit(&cfg)
		if _, err := cfg.Resolve(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one naming %q", err, c.want)
		}
	}
}

// A cancelled comparison stops and writes nothing.
func TestGameCompareStopsOnCancel(t *testing.T) {
	cfg := smallGameCompare()
	cfg.Episodes = 1 << 30
	cfg, err := cfg.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	stop()
	dir := t.TempDir()
	if _, err := RunGameCompare(ctx, cfg, dir, 1, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d files written", len(entries))
	}
}

// The IL options of a path carry the configured exploration as given: --explore-end 0 means
// none in the last episode, not npgame's default.
func TestGameCompareExplorationZeroIsKept(t *testing.T) {
	c := smallGameCompare()
	c.ExploreStart, c.ExploreEnd = 0.5, 0
	o := c.il(nil, 0)
	if o.ExploreStart != 0.5 || o.ExploreEnd != 0 || !o.ExploreLiteral {
		t.Errorf("IL options %+v: want exploration 0.5 → 0 taken literally", o)
	}
}
