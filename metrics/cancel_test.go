package metrics_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"meanfield/games"
	"meanfield/metrics"
	"meanfield/mfg"
	"meanfield/nplayer"
)

// An estimate sized to run for hours, by its best-response rounds or by its rollouts, stops soon
// after its context is cancelled.
func TestEstimateCStopsOnCancellation(t *testing.T) {
	g, _ := games.NewAuction(games.DefaultAuctionParams())
	ng, _ := nplayer.NewGame(g, 20)
	p := nplayer.Symmetric(mfg.UniformPolicy(10, 10), 20)
	for _, o := range []metrics.Options{{BestResponseRounds: 1 << 60}, {BestResponseRounds: 100, Rollouts: 1 << 60}} {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			_, err := metrics.EstimateC(ctx, ng, p, o)
			done <- err
		}()
		time.Sleep(20 * time.Millisecond)
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%+v: got %v, want context.Canceled", o, err)
			}
		case <-time.After(2 * time.Second):
			t.Fatalf("%+v: still running 2 s after the cancellation", o)
		}
	}
}
