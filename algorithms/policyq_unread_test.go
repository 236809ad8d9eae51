package algorithms_test

import (
	"context"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
)

// The runs that read Q^π of the evaluation they step from (Evaluation.PolicyQ) do not tell the
// engine they read none (engine.PolicyQUnread), which would make it compute Q^π a second time
// for them; prior descent, fictitious play and the damped fixed point, which read Q*, do.
func TestPolicyQUnreadMarksTheRunsThatReadNone(t *testing.T) {
	g, err := games.New("left-right", nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := engine.NewProblem(g, engine.EvaluationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for name, unread := range map[string]bool{
		"prior-descent": true, "fictitious-play": true, "damped-fixed-point": true,
		"online-mirror-descent": false, "boltzmann-policy-iteration": false, "policy-iteration": false, "smoothed-policy-iteration": false,
	} {
		alg, err := algorithms.New(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		run, _, err := alg.Begin(context.Background(), engine.Start{Problem: p, Policy: p.Uniform()})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, ok := run.(engine.PolicyQUnread); ok != unread {
			t.Errorf("%s: the run is a PolicyQUnread: %v, want %v", name, ok, unread)
		}
	}
}
