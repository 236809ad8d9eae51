package experiment

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A solve too large for the limit is refused by Resolve with a *MemoryError naming the product and
// the parameters, before its game is built: refusing allocates next to nothing.
func TestResolveRefusesBeforeBuilding(t *testing.T) {
	for _, c := range []struct {
		game   string
		params map[string]any
		limit  int64
		want   []string
	}{
		{"crowd-motion", map[string]any{"torus-l": 100000, "torus-w": 100000}, 0, []string{"crowd-motion: about", "states 1e10 × actions 5 × times 4", "torus-l, torus-w or T"}},
		{"building-evacuation", map[string]any{"n-floor": 1000, "floor-l": 1000, "floor-w": 1000}, 16 << 30, []string{"building-evacuation: about", "states 1e9 × actions 6", "over --max-memory 16 GiB", "n-floor, floor-l, floor-w or T"}},
		{"equilibrium-price", map[string]any{"s-inv": 100000, "Q": 1000, "H": 1000}, 16 << 30, []string{"equilibrium-price: about", "s-inv, Q, H or T"}},
		{"auction", map[string]any{"states": 10, "actions": 100000}, 16 << 30, []string{"auction: about", "the game's tables", "states or actions"}},
		{"congestion", map[string]any{"locations": 1000}, 64 << 20, []string{"congestion: about", "states 1000 × actions 1000", "locations"}},
	} {
		cfg := DefaultSolveConfig()
		cfg.Run.Game, cfg.Params, cfg.MaxMemory = c.game, c.params, c.limit
		var err error
		if n := allocated(func() { _, err = cfg.Resolve() }); n > 16<<20 {
			t.Errorf("%s: refusing allocated %d bytes", c.game, n)
		}
		var me *MemoryError
		if !errors.As(err, &me) {
			t.Fatalf("%s: %v, want a *MemoryError", c.game, err)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not name %q", c.game, err, w)
			}
		}
	}
}

// The estimate counts the iterations kept (every one's tables, trace-matrices 1), the
// fixed-point scheme's Q and GMF-V's reference; a small solve fits the default limit.
func TestSolveEstimate(t *testing.T) {
	resolve := func(game, alg string, iterations int, reference bool) Estimate {
		cfg, one := DefaultSolveConfig(), 1
		cfg.Run.Game, cfg.Run.Algorithm, cfg.Run.Iterations, cfg.Outputs.CompareToGMFV = game, alg, iterations, reference
		cfg.Outputs.TraceMatrices = &one
		r, err := cfg.Resolve()
		if err != nil {
			t.Fatal(err)
		}
		return r.Memory()
	}
	short, long := resolve("beach-bar", "fictitious-play", 10, false), resolve("beach-bar", "fictitious-play", 1000, false)
	if !(long.Bytes() > short.Bytes()) || short.Bytes() <= 0 {
		t.Errorf("1000 iterations: %v bytes, 10: %v", long.Bytes(), short.Bytes())
	}
	plain, fixed := resolve("auction", "fictitious-play", 10, false), resolve("auction", "gmf-v", 10, false)
	if !(fixed.Bytes() > plain.Bytes()) {
		t.Errorf("GMF-V (Q recorded) %v bytes, fictitious play %v", fixed.Bytes(), plain.Bytes())
	}
	if with := resolve("auction", "gmf-v", 10, true); !(with.Bytes() > fixed.Bytes()) {
		t.Errorf("with the reference %v bytes, without %v", with.Bytes(), fixed.Bytes())
	}
}

// Configuration files are read up to 16 MiB.
func TestLoadYAMLFileIsBounded(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(big, append([]byte("game: auction\n#"), make([]byte, 16<<20)...), 0o644); err != nil {
		t.Fatal(err)
	}
	paths := []string{big}
	if _, err := os.Stat("/dev/zero"); err == nil {
		paths = append(paths, "/dev/zero")
	}
	for _, p := range paths {
		_, err := LoadYAMLFile(p, DefaultSolveConfig())
		if err == nil || !strings.Contains(err.Error(), "config = "+p+": larger than 16 MiB") {
			t.Errorf("%s: %v", p, err)
		}
	}
}

// A comparison too large for the limit, or with too many workers, is refused before anything is
// written; too many players for the rounds are named as players.
func TestRunCompareRefusesBeforeWriting(t *testing.T) {
	cases := []struct {
		edit    func(*CompareConfig)
		workers int
		want    []string
	}{
		{func(c *CompareConfig) { c.Players, c.Rounds, c.MaxMemory = 1000000, 20, 16<<30 }, 1, []string{"compare: about", "players 1e6", "lower players"}},
		{func(c *CompareConfig) { c.Players, c.Rounds, c.EvalDeviators, c.MaxMemory = 100000, 20, 0, 16<<30 }, 1, []string{"100003 simulated worlds", "eval-deviators"}},
		{func(c *CompareConfig) { c.Players, c.BestResponseBudgetBins, c.MaxMemory = 20000, 100, 16<<30 }, 1, []string{"best-response-budget-bins² 10000", "best-response tallies"}},
		{func(c *CompareConfig) {}, 1000000, []string{"workers = 1000000: at most"}},
		{func(c *CompareConfig) { c.Players = 10000000 }, 1, []string{"players = 10000000", "fewer than checkpoints"}},
	}
	for _, c := range cases {
		cfg := DefaultCompareConfig()
		c.edit(&cfg)
		dir := filepath.Join(t.TempDir(), "out")
		_, err := RunCompare(context.Background(), cfg, dir, c.workers, nil)
		if err == nil {
			t.Fatalf("%v: accepted", c.want)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q does not name %q", err, w)
			}
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%v: the output folder was created", c.want)
		}
	}
}
