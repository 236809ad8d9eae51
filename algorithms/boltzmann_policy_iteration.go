package algorithms

import (
	"context"
	"fmt"
	"math"

	"meanfield/engine"
	"meanfield/finite"
	"meanfield/mfg"
	"meanfield/rl"
)

func init() {
	Register("boltzmann-policy-iteration",
		"Boltzmann policy iteration: softmax of alpha times the last policy's own Q-function (no sum over iterations)",
		"OpenSpiel boltzmann_policy_iteration.py (alpha = lr)", 100,
		func() *BoltzmannPolicyIteration { return &BoltzmannPolicyIteration{Alpha: 0.01} },
		func(b *BoltzmannPolicyIteration) (engine.Algorithm, error) { return *b, nil })
}

// BoltzmannPolicyIteration is OpenSpiel's BoltzmannPolicyIteration: with Q^π the Q-function of
// π_{k-1} at its own mean field,
//
//	π_k(·|t,s) = softmax(Alpha Q^{π_{k-1}}(t, s, ·)),
//
// online mirror descent with only the last Q-function instead of their sum. Alpha (OpenSpiel's lr,
// default 0.01) is an inverse temperature: small values keep the policies near uniform.
// (OpenSpiel's logits are Alpha·(r(s) + V(after the move)); r(s) does not depend on the action,
// so the softmax is the same.)
type BoltzmannPolicyIteration struct {
	Alpha float64 `yaml:"alpha" help:"inverse temperature α of the softmax (OpenSpiel's lr)"`
}

// Name is "boltzmann-policy-iteration".
func (BoltzmannPolicyIteration) Name() string { return "boltzmann-policy-iteration" }

// Validate checks Alpha > 0 and finite.
func (b BoltzmannPolicyIteration) Validate() error {
	if !(b.Alpha > 0) || math.IsInf(b.Alpha, 0) {
		return fmt.Errorf("alpha = %v: must be positive and finite", b.Alpha)
	}
	return nil
}

// Applies accepts every game whose policies can be evaluated.
func (b BoltzmannPolicyIteration) Applies(g mfg.Game) error { return needsModel(b.Name(), g) }

// Begin starts a solve: the iteration keeps nothing but the current policy.
func (b BoltzmannPolicyIteration) Begin(_ context.Context, s engine.Start) (engine.Run, engine.Iterate, error) {
	g := s.Problem.Game()
	return &bpiRun{alpha: b.Alpha, S: g.States(), A: g.Actions(), legal: s.Problem.Legal()}, engine.Iterate{Policy: s.Policy}, nil
}

type bpiRun struct {
	alpha float64
	S, A  int
	legal []bool
	// chunks hold the policies of the steps, which the engine's trace keeps.
	chunks finite.Chunks
}

// ReleasesEvaluations tells the engine that the run keeps nothing of an evaluation after Step.
func (*bpiRun) ReleasesEvaluations() {}

// Recycle takes back a policy of the run's chunks for a later step: the run keeps no reference to
// its past policies.
func (r *bpiRun) Recycle(pi []mfg.Policy) { r.chunks.Recycle(pi) }

func (r *bpiRun) Step(ctx context.Context, _ int, prev *engine.Evaluation) (engine.Iterate, error) {
	q, err := prev.PolicyQ(ctx) // computed for the exploitability already
	if err != nil {
		return engine.Iterate{}, err
	}
	q = legalQ(q, r.legal)
	S, A := r.S, r.A
	next := r.chunks.Policy(len(q), S, A)
	forEachRow(len(q), S, func(t, s int) {
		rl.Softmax(next[t].Prob[s*A:(s+1)*A], q[t][s*A:(s+1)*A], r.alpha)
	})
	return engine.Iterate{Policy: next}, nil
}

// String describes the step.
func (b BoltzmannPolicyIteration) String() string {
	return fmt.Sprintf("inverse temperature alpha=%g", b.Alpha)
}

// Smoothing: a fixed point π = softmax(α Q^π) is an equilibrium of the smoothed game.
func (b BoltzmannPolicyIteration) Smoothing() string {
	return fmt.Sprintf("softmax of α Q^π with α = %g", b.Alpha)
}
