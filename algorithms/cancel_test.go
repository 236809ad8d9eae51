package algorithms_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"meanfield/algorithms"
	"meanfield/games"
	"meanfield/mfg"
	"meanfield/rl"
)

// stopsSoon runs f with a context cancelled after 20 ms and fails unless f returns
// context.Canceled within 2 s.
func stopsSoon(t *testing.T, what string, f func(ctx context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- f(ctx) }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: got %v, want context.Canceled", what, err)
		}
	case <-time.After(2 * time.Second):
		t.Fatalf("%s: still running 2 s after the cancellation", what)
	}
}

// The parts of the fixed-point scheme whose work a user sizes (Q-learning steps, value-iteration
// sweeps, sampled agents) stop soon after their context is cancelled, however large that size.
func TestInnerPartsStopOnCancellation(t *testing.T) {
	g := defaultAuction(t)
	L := g.InitialPopulation()
	rng := rand.New(rand.NewPCG(1, 2))
	ql, err := algorithms.QLearning{Steps: 1 << 60, Step: rl.PowerStep{Exponent: 0.87}}.Begin(g)
	if err != nil {
		t.Fatal(err)
	}
	stopsSoon(t, "q-learning", func(ctx context.Context) error {
		_, _, err := ql.Improve(ctx, L, rng)
		return err
	})
	slow := games.DefaultAuctionParams()
	slow.Discount = 0.9999999 // value iteration takes about 10^8 sweeps to converge
	sg, err := games.NewAuction(slow)
	if err != nil {
		t.Fatal(err)
	}
	vi, err := algorithms.ValueIteration{MaxSweeps: 1 << 60}.Begin(sg)
	if err != nil {
		t.Fatal(err)
	}
	stopsSoon(t, "value iteration", func(ctx context.Context) error {
		_, _, err := vi.Improve(ctx, sg.InitialPopulation(), nil)
		return err
	})
	pi := mfg.UniformPolicy(g.States(), g.Actions())
	stopsSoon(t, "sampled population step", func(ctx context.Context) error {
		_, err := algorithms.SampledStep{Agents: 1 << 60}.Next(ctx, g, L, pi, rng)
		return err
	})
}
