package gamefile_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"meanfield/gamefile"
	"meanfield/mfg"
)

// FuzzLoad loads arbitrary sources under small limits and evaluates the game's first stages: a
// malformed or hostile file (an endless loop, a huge allocation, recursion, wrong values) must
// end with a *gamefile.Error, never a panic, a hang or another kind of error. The seed corpus is
// in testdata/fuzz/FuzzLoad.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(source("", "")), "")
	f.Add([]byte(tables("", "")), "")
	f.Add([]byte(gridGame), "")
	f.Add([]byte(source("", "")), "n")
	f.Add([]byte(simulatedSource("", "")), "")
	opt := gamefile.Options{MaxSteps: 200000, MaxEntries: 1 << 12, MaxMemory: 64 << 20}
	f.Fuzz(func(t *testing.T, src []byte, param string) {
		var params map[string]any
		if param != "" {
			params = map[string]any{param: 1}
		}
		// A hang becomes a crash with the input (the fuzzer has no timeout of its own per input):
		// the limits end any input within a second here.
		tm := time.AfterFunc(20*time.Second, func() { panic(fmt.Sprintf("gamefile: input still running after 20 s: %q", src)) })
		defer tm.Stop()
		g, err := opt.LoadSource("fuzz.star", src, params)
		if err == nil {
			err = firstStages(g)
		}
		var fe *gamefile.Error
		if err != nil && !errors.As(err, &fe) {
			t.Fatalf("%T %v, want a *gamefile.Error", err, err)
		}
	})
}

// firstStages builds the stages t = 0, 1 (or the stationary MDP) at the uniform population, and
// the simulator of a stationary game that has one, with a draw of every pair.
func firstStages(g mfg.Game) error {
	L := mfg.UniformPopulation(g.States(), g.Actions())
	if mf, ok := g.(mfg.ModelFree); ok {
		sm, err := mf.Sampler(L)
		if err != nil {
			return err
		}
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range g.States() * g.Actions() {
			sm.Sample(i/g.Actions(), i%g.Actions(), rng)
		}
	}
	switch g := g.(type) {
	case mfg.Finite:
		for t := 0; t <= min(g.Horizon(), 1); t++ {
			if _, err := g.Stage(t, L); err != nil {
				return err
			}
		}
	case mfg.ModelBased:
		_, err := g.MDP(g.InitialPopulation())
		return err
	}
	return nil
}
