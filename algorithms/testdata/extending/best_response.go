package algorithms

import (
	"context"

	"meanfield/engine"
	"meanfield/mfg"
	"meanfield/rl"
)

// BestResponse is the undamped fixed-point iteration: π_k is the greedy best response to the
// mean field of π_{k-1} (argmax-e of Q* at that mean field). It may cycle.
type BestResponse struct{}

func init() {
	Register("best-response", "the greedy best response to the previous policy's mean field",
		"the README's Extending section", 100,
		func() *BestResponse { return &BestResponse{} },
		func(b *BestResponse) (engine.Algorithm, error) { return *b, nil })
}

func (BestResponse) Name() string    { return "best-response" }
func (BestResponse) Validate() error { return nil }

// Applies accepts the games whose policies can be evaluated.
func (BestResponse) Applies(g mfg.Game) error {
	p, err := engine.NewProblem(g, engine.EvaluationOptions{})
	if err != nil {
		return err
	}
	return p.CanEvaluate()
}

// Begin starts from π_0; the run keeps no state.
func (BestResponse) Begin(_ context.Context, s engine.Start) (engine.Run, engine.Iterate, error) {
	return bestResponseRun{}, engine.Iterate{Policy: s.Policy}, nil
}

type bestResponseRun struct{}

// Step returns argmax-e of Q* at the mean field of the previous policy, at every time.
func (bestResponseRun) Step(ctx context.Context, _ int, prev *engine.Evaluation) (engine.Iterate, error) {
	q, err := prev.OptimalQ(ctx)
	if err != nil {
		return engine.Iterate{}, err
	}
	S, A := prev.Policy[0].States, prev.Policy[0].Actions
	next := make([]mfg.Policy, len(q))
	for t := range q {
		next[t] = rl.GreedyPolicy(q[t], S, A)
	}
	return engine.Iterate{Policy: next}, nil
}
