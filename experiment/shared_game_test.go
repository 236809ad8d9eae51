package experiment

import (
	"context"
	"math"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
)

// resultBits are the bits of every iteration's exploitability and changes, and of the final
// policy and population.
func resultBits(res *engine.Result) []uint64 {
	var out []uint64
	for _, it := range res.Trace {
		out = append(out, uint64(it.K), math.Float64bits(it.Exploitability), math.Float64bits(it.L1Change), math.Float64bits(it.LInfChange))
	}
	f := res.Final()
	out = append(out, flatPolicy(f.Policy)...)
	for _, L := range f.Population {
		for _, v := range L.Mass {
			out = append(out, math.Float64bits(v))
		}
	}
	return out
}

// Every algorithm that applies to a game of default parameters (MF-PSO on the smallest only: its
// swarm evaluates hundreds of policies an iteration), run through RunSolve (its figures and files
// too) twice at once on the shared game (the race detector checks that nothing writes the game),
// and then once more on it, gives the bits of a solve of a game built afresh: no solve leaves the
// shared game changed for the next one in the process (a sweep's, a study's trials).
func TestSharedDefaultGameSurvivesEverySolve(t *testing.T) {
	names := games.Names()
	if testing.Short() { // a few small games, without MF-PSO
		names = []string{"auction", "beach-bar", "random-linear", "sis-epidemic"}
	}
	for _, name := range names {
		if name == "mf-garnet" { // an iteration of its default solve takes tens of seconds
			continue
		}
		ge, _ := games.Lookup(name)
		proto, err := ge.Prototype()
		if err != nil {
			t.Fatal(err)
		}
		for _, alg := range algorithms.Applicable(proto) {
			if size, _ := ge.Size(ge.Defaults()); alg == "mf-pso" && (testing.Short() || size.States*size.Times > 20) {
				continue // its swarm evaluates hundreds of policies an iteration
			}
			cfg := DefaultSolveConfig()
			cfg.Run.Game, cfg.Run.Algorithm, cfg.Run.Iterations = name, alg, 2
			cfg.Outputs.CompareToGMFV = false // GMF-V is one of the algorithms
			start := time.Now()
			var wg sync.WaitGroup
			var errs [2]error
			for i := range errs {
				wg.Go(func() {
					dir, err := os.MkdirTemp(t.TempDir(), "solve")
					if err == nil {
						_, err = RunSolve(context.Background(), cfg, dir, nil)
					}
					errs[i] = err
				})
			}
			wg.Wait()
			if errs[0] != nil || errs[1] != nil {
				t.Errorf("%s, %s: %v; %v", name, alg, errs[0], errs[1])
				continue
			}
			r, err := cfg.Resolve()
			if err != nil {
				t.Fatal(err)
			}
			if r.built != proto {
				t.Fatalf("%s: the resolved game is not the shared one", name)
			}
			_, shared, err := Execute(context.Background(), r, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			fresh, err := ge.Build(ge.Defaults())
			if err != nil {
				t.Fatal(err)
			}
			r.built = fresh
			_, own, err := Execute(context.Background(), r, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(resultBits(shared), resultBits(own)) {
				t.Errorf("%s, %s: a solve of the shared game after others differs from one of a fresh game", name, alg)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Logf("%s, %s: %v", name, alg, d)
			}
		}
	}
}
