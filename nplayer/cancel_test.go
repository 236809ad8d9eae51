package nplayer_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"meanfield/games"
	"meanfield/nplayer"
)

// Training sized to run for hours stops soon after its context is cancelled, with IL and MF-Q.
func TestTrainingStopsOnCancellation(t *testing.T) {
	ng := mustGame(t, games.DefaultAuctionParams(), 20)
	opt := nplayer.TrainOptions{Rounds: 1 << 60, BoltzmannC: 4, StepExponent: 0.87, Bins: 4, Checkpoints: 1, Seed: 1}
	for name, train := range map[string]func(context.Context, *nplayer.Game, nplayer.TrainOptions, nplayer.Checkpoint) error{
		"il": nplayer.TrainIL, "mf-q": nplayer.TrainMFQ,
	} {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- train(ctx, ng, opt, nil) }()
		time.Sleep(20 * time.Millisecond)
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s: got %v, want context.Canceled", name, err)
			}
		case <-time.After(2 * time.Second):
			t.Fatalf("%s: still running 2 s after the cancellation", name)
		}
	}
}
