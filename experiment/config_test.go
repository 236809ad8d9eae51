package experiment

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
	"meanfield/mfg"
)

func TestLoadSolveConfigByConcern(t *testing.T) {
	base := DefaultSolveConfig()
	cfg, err := LoadYAML(strings.NewReader("steps: 123\nparams: {fulfillment-values: [0, 3]}\niterations: 4\nexploitability: false\n"), base)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.AlgorithmParams["steps"] != 123 || cfg.Run.Iterations != 4 || cfg.Outputs.Exploitability || cfg.Params["fulfillment-values"] == nil {
		t.Errorf("keys not applied by concern: %+v", cfg)
	}
	if cfg.Run.Game != base.Run.Game || !cfg.Outputs.CompareToGMFV || base.AlgorithmParams != nil || base.Params != nil {
		t.Errorf("unset keys changed, or the base was written into: %+v / %+v", cfg, base)
	}
	for _, bad := range []string{"steps: [1\n", "iterations: many\n", "params: 3\n"} {
		if _, err := LoadYAML(strings.NewReader(bad), base); err == nil {
			t.Errorf("%q accepted", bad)
		} else if strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error spans lines: %q", bad, err)
		}
	}
}

// Resolve makes every choice explicit: the preset's parts, its tolerance and iterations, every
// game parameter; a part swapped out of a preset stays swapped.
func TestResolveFillsPresets(t *testing.T) {
	for alg, want := range map[string][4]string{
		"gmf-v": {"value-iteration", "softmax", "none", "exact"},
		"gmf-q": {"q-learning", "softmax", "epsilon-net", "exact"},
		"naive": {"q-learning", "argmax-e", "none", "exact"},
	} {
		c := DefaultSolveConfig()
		c.Run.Algorithm = alg
		r, err := c.Resolve()
		if err != nil {
			t.Fatal(err)
		}
		a := r.AlgorithmParams
		got := [4]string{a["inner"].(string), a["policy-map"].(string), a["projection"].(string), a["population-step"].(string)}
		if got != want {
			t.Errorf("%s resolved to %v, want %v", alg, got, want)
		}
		if r.Run.Iterations < 1 || a["tolerance"] == nil || r.Params["states"] != 10 || r.Run.Arithmetic != ArithmeticFloat64 {
			t.Errorf("%s: not everything resolved: %+v", alg, r)
		}
	}
	c := DefaultSolveConfig()
	c.AlgorithmParams = map[string]any{"policy-map": "argmax-e"}
	if r, err := c.Resolve(); err != nil || r.AlgorithmParams["policy-map"] != "argmax-e" {
		t.Errorf("override lost: %v %v", r.AlgorithmParams["policy-map"], err)
	}
	if c.AlgorithmParams["inner"] != nil {
		t.Errorf("Resolve wrote into the configuration it was called on: %v", c.AlgorithmParams)
	}
}

// A key that is no parameter of the algorithm is refused with the algorithm's parameters listed.
func TestResolveRefusesWhatDoesNotApply(t *testing.T) {
	c := DefaultSolveConfig()
	c.Run.Game, c.AlgorithmParams = "beach-bar", map[string]any{"sweeps": 3}
	_, err := c.Resolve()
	var na *NotApplicableError
	if !errors.As(err, &na) || na.Key != "sweeps" || na.Algorithm != "fictitious-play" || !strings.Contains(err.Error(), "alpha, tie-tolerance, br-temperature, tie-break") {
		t.Errorf("sweeps on fictitious play: %v", err)
	}
	c = DefaultSolveConfig()
	c.Params = map[string]any{"n": 4}
	if _, err := c.Resolve(); err == nil || !strings.Contains(err.Error(), `auction: parameter "n" is unknown`) {
		t.Errorf("a beach-bar parameter on the auction: %v", err)
	}
	c = DefaultSolveConfig()
	c.Run.Game, c.Run.Algorithm = "beach-bar", "gmf-q"
	if _, err := c.Resolve(); err == nil || !strings.Contains(err.Error(), "finite-horizon game") {
		t.Errorf("gmf-q on beach-bar: %v", err)
	}
}

// The run's keys are reserved: no algorithm parameter can take one (they share the top level of a
// configuration and the command line's flags).
func TestRunKeysAreReservedForAlgorithms(t *testing.T) {
	for _, k := range append(RunKeys(), "params") {
		if !slices.Contains(algorithms.Reserved, k) {
			t.Errorf("run key %q is not in algorithms.Reserved", k)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("an algorithm with a parameter named seed was registered")
		}
	}()
	algorithms.Register("test-reserved", "", "", 1, func() *seeded { return &seeded{} },
		func(*seeded) (engine.Algorithm, error) { return nil, nil })
}

type seeded struct {
	Seed int `yaml:"seed"`
}

func (seeded) Validate() error { return nil }

// A configuration file's unknown key names its file and line; a key of the game's names the game.
func TestConfigErrorsSayWhere(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.yaml")
	if err := os.WriteFile(path, []byte("game: auction\nalgorithm: gmf-v\n\nitrations: 2\nstates: 4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadYAMLFile(path, DefaultSolveConfig())
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Resolve()
	if err == nil || !strings.Contains(err.Error(), "itrations ("+path+", line 4) does not apply to algorithm gmf-v") {
		t.Errorf("got %v", err)
	}
	delete(c.AlgorithmParams, "itrations")
	if _, err = c.Resolve(); err == nil || !strings.Contains(err.Error(), "states ("+path+", line 5) is a parameter of the game auction") {
		t.Errorf("got %v", err)
	}
	if _, err := LoadYAML(strings.NewReader("game: auction\n---\ngame: beach-bar\n"), DefaultSolveConfig()); err == nil || !strings.Contains(err.Error(), "more than one YAML document") {
		t.Errorf("two documents: %v", err)
	}
}

// Build hands back the game Resolve built while the configuration still names it, and builds a
// new one once its game or parameters change; the game of default parameters that stands for a
// game's kind is built once and shared.
func TestBuildReusesResolvedGame(t *testing.T) {
	c := DefaultSolveConfig()
	c.Run.Game, c.Run.Algorithm = "beach-bar", "fictitious-play"
	r, err := c.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	if r.built == nil {
		t.Fatal("Resolve kept no game")
	}
	for range 2 {
		g, _, err := r.Build()
		if err != nil {
			t.Fatal(err)
		}
		if g != r.built {
			t.Errorf("Build built the resolved game again")
		}
	}
	changed := r.Clone()
	changed.Params["n"] = 5
	g, _, err := changed.Build()
	if err != nil {
		t.Fatal(err)
	}
	if g == r.built || g.States() != 5 {
		t.Errorf("Build after a parameter changed: %d states, the resolved game's object: %t", g.States(), g == r.built)
	}
	if fresh, _, err := c.Build(); err != nil || fresh == r.built {
		t.Errorf("an unresolved configuration's Build returned the resolved game (err %v)", err)
	}
	ge, _ := games.Lookup("beach-bar")
	p1, err1 := ge.Prototype()
	p2, err2 := ge.Prototype()
	if err1 != nil || err2 != nil || p1 != p2 || p1 != r.built {
		t.Errorf("prototype: %v %v, built once: %t, the resolved default game: %t", err1, err2, p1 == p2, p1 == r.built)
	}
	c.Params = map[string]any{"n": 7}
	if r, err := c.Resolve(); err != nil || r.built == p1 || r.built.States() != 7 {
		t.Errorf("a game of other parameters resolved to the default one (err %v)", err)
	}
}

// A game of default parameters is one object shared by every solve of it in the process
// (games.Entry.Prototype): two solves of each at once (under the race detector in CI) check that
// solving only reads the game, and give the same bits.
func TestSharedDefaultGamesSolveConcurrently(t *testing.T) {
	for _, name := range games.Names() {
		if name == "mf-garnet" { // an iteration of its default solve takes tens of seconds
			continue
		}
		cfg := DefaultSolveConfig()
		cfg.Run.Game, cfg.Run.Iterations = name, 2
		r, err := cfg.Resolve()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		g, alg, err := r.Build()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ge, _ := games.Lookup(name)
		if proto, _ := ge.Prototype(); g != proto {
			t.Fatalf("%s: the solve's game is not the shared game of default parameters", name)
		}
		var res [2]*engine.Result
		var errs [2]error
		var wg sync.WaitGroup
		for i := range res {
			wg.Go(func() {
				res[i], errs[i] = engine.Solve(context.Background(), g, alg, engine.Options{Iterations: 2, Exploitability: true, Seed: 1})
			})
		}
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("%s: %v, %v", name, errs[0], errs[1])
		}
		a, b := res[0].Final(), res[1].Final()
		if math.Float64bits(a.Exploitability) != math.Float64bits(b.Exploitability) || !slices.Equal(flatPolicy(a.Policy), flatPolicy(b.Policy)) {
			t.Errorf("%s: two solves of the shared game differ: exploitability %v and %v", name, a.Exploitability, b.Exploitability)
		}
	}
}

func flatPolicy(pi []mfg.Policy) []uint64 {
	var out []uint64
	for _, p := range pi {
		for _, v := range p.Prob {
			out = append(out, math.Float64bits(v))
		}
	}
	return out
}
