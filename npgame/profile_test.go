package npgame

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
)

// A profile of two policies (agents 0 and 2 play one, agent 1 the other) and agents meeting
// everyone: the estimator evaluates one deviator per policy, and each one's value and the gain of
// its learned deviation agree with the enumeration within 4 standard errors.
func TestPerAgentProfileAndMeetAllAgreeWithEnumeration(t *testing.T) {
	for _, name := range []string{"left-right", "rock-paper-scissors"} {
		mf, err := games.New(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		p := Profile{Policies: []Policy{randomPolicy(mf.(mfg.Finite), 1), randomPolicy(mf.(mfg.Finite), 2)}, Of: []int{0, 1, 0}}
		for _, meet := range []Meet{Others, All} {
			t.Run(fmt.Sprintf("%s/%s", name, meet), func(t *testing.T) {
				g := nGame(t, mf, 3, meet)
				res, err := EstimateEpsilon(context.Background(), g, p, Options{Seed: 3, Episodes: 3000, TrainEpisodes: 500})
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Estimates) != 2 || res.Estimates[0].Deviator != 0 || res.Estimates[1].Deviator != 1 {
					t.Fatalf("deviators %+v, want agents 0 and 1", res.Estimates)
				}
				ex, err := NewExact(context.Background(), g, p, nil)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range res.Estimates {
					v, _ := ex.Value(e.Deviator, nil)
					vs, _ := ex.Value(e.Deviator, e.BestResponse)
					if !within(e.Value, e.ValueSE, v, 4) || !within(e.Gain, e.GainSE, vs-v, 4) {
						t.Errorf("agent %d: value %.4f ± %.4f (exact %.4f), gain %.4f ± %.4f (exact %.4f)", e.Deviator, e.Value, e.ValueSE, v, e.Gain, e.GainSE, vs-v)
					}
				}
			})
		}
	}
}

// A cancelled context stops the estimate with its error.
func TestEstimateStopsOnCancel(t *testing.T) {
	mf, pi := solved(t, "beach-bar", nil, "fictitious-play", 5)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := EstimateEpsilon(ctx, nGame(t, mf, 1000, Others), Symmetric(pi), Options{Seed: 1})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}
