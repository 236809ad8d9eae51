package experiment

import (
	"context"
	"fmt"
	"meanfield/benchmfg"

	"meanfield/engine"
	"meanfield/finite"
	"meanfield/mfg"
	"meanfield/rl"
)

// The verdicts of runs that did not finish, beside engine's.
const (
	VerdictInterrupted = "interrupted"
	VerdictFailed      = "failed"
)

// Verdict says how the solve ended: engine's verdict (converged, cycling, oscillating, stopped at
// the cap), or interrupted or failed.
func (r *SolveReport) Verdict() engine.Verdict {
	v := r.Result.Verdict()
	K := r.Result.Final().K
	switch {
	case r.Interrupted:
		v.Kind, v.Period, v.Detail = VerdictInterrupted, 0, fmt.Sprintf("interrupted after %d of %d iterations", K, r.Config.Run.Iterations)
	case r.Failed:
		v.Kind, v.Period, v.Detail = VerdictFailed, 0, fmt.Sprintf("failed after %d of %d iterations", K, r.Config.Run.Iterations)
	}
	return v
}

// Smoothing describes the smoothing of the algorithm's policies ("" when none; engine.Smoothed).
// RunSolve records it from the algorithm it built; a report made otherwise builds the algorithm
// (alone, without the game) the first time.
func (r *SolveReport) Smoothing() string {
	if !r.smoothingKnown {
		alg, err := r.Config.BuildAlgorithm()
		if err != nil {
			return ""
		}
		r.smoothing, r.smoothingKnown = smoothingOf(alg), true
	}
	return r.smoothing
}

// smoothingOf describes the smoothing of alg's policies ("" when none).
func smoothingOf(alg engine.Algorithm) string {
	if s, ok := alg.(engine.Smoothed); ok {
		return s.Smoothing()
	}
	return ""
}

// greedyExploitability scores the greedy deployment of the final policy of a smoothed algorithm
// (each state's most likely actions, ties shared equally), in float64, when the exploitability
// is asked for and the game's policies can be evaluated; nil otherwise.
func (r *SolveReport) greedyExploitability(ctx context.Context) (*float64, error) {
	f := r.Result.Final()
	if r.Smoothing() == "" || !f.HasExploitability || r.Interrupted {
		return nil, nil
	}
	p, err := engine.NewProblem(r.Game, engine.EvaluationOptions{})
	if err != nil || p.CanEvaluate() != nil {
		return nil, err
	}
	e, err := p.Evaluate(Greedy(finite.Feasible(f.Policy)), nil).Exploitability(context.WithoutCancel(ctx))
	if err != nil {
		return nil, fmt.Errorf("exploitability of the greedy policy: %w", err)
	}
	return &e, nil
}

// benchMFGExploitability is Bench-MFG's exploitability of the final policy of a stationary game
// with a model (benchmfg.Exploitability from the game's initial population, Bench-MFG's
// defaults), when the exploitability is recorded; nil otherwise.
func (r *SolveReport) benchMFGExploitability() (*float64, error) {
	f := r.Result.Final()
	mb, ok := r.Game.(mfg.ModelBased)
	if !ok || !f.HasExploitability || r.Interrupted || len(f.Policy) != 1 {
		return nil, nil
	}
	e, err := benchmfg.Exploitability(mb, f.Policy[0], mb.InitialPopulation().StateMarginal(nil), benchmfg.DefaultOptions())
	if err != nil {
		return nil, fmt.Errorf("Bench-MFG's exploitability of the final policy: %w", err)
	}
	return &e, nil
}

// Greedy returns the greedy version of pi: in each row, probability 1/m on each of the m actions
// within 1e-12 of the row's largest probability, 0 elsewhere (rl.GreedyPolicyWithin on the rows).
func Greedy(pi []mfg.Policy) []mfg.Policy {
	out := make([]mfg.Policy, len(pi))
	for t, p := range pi {
		out[t] = rl.GreedyPolicyWithin(p.Prob, p.States, p.Actions, 1e-12)
	}
	return out
}
