package rl_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"meanfield/rl"
)

// RunContext makes the same updates as Run (its checks draw no random numbers), and a done
// context stops it at once, before any update.
func TestRunContextMatchesRunAndStops(t *testing.T) {
	m := randomMDP(t, rand.New(rand.NewPCG(4, 4)), 5, 3, 0.9)
	for _, explore := range []rl.Exploration{rl.UniformPairs{}, rl.EpsilonGreedy{Epsilon: 0.2}, rl.Boltzmann{C: 2}} {
		a, _ := rl.NewQLearner(5, 3, 0.9, rl.PowerStep{Exponent: 0.87}, explore)
		b, _ := rl.NewQLearner(5, 3, 0.9, rl.PowerStep{Exponent: 0.87}, explore)
		a.Run(mdpSampler{m: m, noise: 0.5}, 50000, rand.New(rand.NewPCG(1, 1)))
		if err := b.RunContext(context.Background(), mdpSampler{m: m, noise: 0.5}, 50000, rand.New(rand.NewPCG(1, 1))); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.Q, b.Q) || !slices.Equal(a.Visits, b.Visits) {
			t.Errorf("%T: RunContext's updates differ from Run's", explore)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		c, _ := rl.NewQLearner(5, 3, 0.9, rl.PowerStep{Exponent: 0.87}, explore)
		err := c.RunContext(ctx, mdpSampler{m: m}, 1<<60, rand.New(rand.NewPCG(1, 1)))
		if !errors.Is(err, context.Canceled) || slices.Max(c.Visits) != 0 {
			t.Errorf("%T: cancelled run returned %v after %d visits of a pair", explore, err, slices.Max(c.Visits))
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, sweeps, err := rl.ValueIterationContext(ctx, m, nil, rl.ValueIterationOptions{}); !errors.Is(err, context.Canceled) || sweeps != 0 {
		t.Errorf("cancelled value iteration: %d sweeps, %v", sweeps, err)
	}
}
