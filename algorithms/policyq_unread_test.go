package algorithms_test

import (
	"context"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
	"meanfield/mfg"
)

// The runs that read Q^π of the evaluation they step from (Evaluation.PolicyQ) do not tell the
// engine they read none (engine.PolicyQUnread), which would make it compute Q^π a second time
// for them; prior descent, fictitious play and the damped fixed point, which read Q*, do, and so
// do the runs that read nothing of it (MF-OMO, MF-PSO, the occupation-measure inclusion, the
// fixed-point schemes of stationary games, OpenSpiel's live read). Every registered algorithm is
// listed: a new one must say which it is.
func TestPolicyQUnreadMarksTheRunsThatReadNone(t *testing.T) {
	game := func(name string, params map[string]any) mfg.Game {
		g, err := games.New(name, params)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	finite, stationary := game("left-right", nil), game("congestion", nil)
	unread := map[string]bool{
		"prior-descent": true, "fictitious-play": true, "damped-fixed-point": true,
		"mf-omo": true, "mf-pso": true, "occupation-measure-inclusion": true,
		"gmf-q": true, "gmf-v": true, "naive": true,
		"online-mirror-descent": false, "boltzmann-policy-iteration": false, "policy-iteration": false, "smoothed-policy-iteration": false,
	}
	check := func(name string, alg engine.Algorithm, g mfg.Game, want bool) {
		t.Helper()
		p, err := engine.NewProblem(g, engine.EvaluationOptions{})
		if err != nil {
			t.Fatal(err)
		}
		run, _, err := alg.Begin(context.Background(), engine.Start{Problem: p, Policy: p.Uniform()})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, ok := run.(engine.PolicyQUnread); ok != want {
			t.Errorf("%s: the run is a PolicyQUnread: %v, want %v", name, ok, want)
		}
	}
	for _, name := range algorithms.Names() {
		want, ok := unread[name]
		if !ok {
			t.Errorf("%s: not listed: does its step read Q^π?", name)
			continue
		}
		alg, err := algorithms.New(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		g := finite
		if alg.Applies(g) != nil {
			g = stationary
		}
		if err := alg.Applies(g); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		check(name, alg, g, want)
	}
	live := algorithms.OnlineMirrorDescent{Alpha: 1, OpenSpielLiveRead: true} // OpenSpiel's tree, read as it is written
	check("online-mirror-descent (openspiel-live-read)", live, game("crowd-modelling", map[string]any{"openspiel-costs": true}), true)
}
