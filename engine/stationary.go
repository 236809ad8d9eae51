package engine

import (
	"context"
	"fmt"

	"meanfield/exploit"
	"meanfield/mfg"
	"meanfield/rl"
)

// stationaryModel evaluates the policies of a stationary discounted game at the populations they
// sustain.
type stationaryModel struct {
	g   mfg.Stationary
	opt exploit.Options
}

func (m stationaryModel) times() int { return 1 }

func (m stationaryModel) canEvaluate() error {
	if _, ok := m.g.(mfg.ModelBased); !ok {
		return fmt.Errorf("%s has no model (expected rewards and transitions), so its policies cannot be evaluated", m.g.Name())
	}
	return nil
}

// meanField finds L_π from near (or the game's initial population) and the MDP there.
func (m stationaryModel) meanField(ctx context.Context, e *Evaluation) ([]mfg.Population, meanFieldInfo, error) {
	return m.meanFieldNear(ctx, e.Policy, e.near)
}

// meanFieldNear is the population pi sustains, searched from near (nil: the initial population).
func (m stationaryModel) meanFieldNear(ctx context.Context, pi []mfg.Policy, near *mfg.Population) ([]mfg.Population, meanFieldInfo, error) {
	if err := m.canEvaluate(); err != nil {
		return nil, meanFieldInfo{}, err
	}
	if len(pi) != 1 {
		return nil, meanFieldInfo{}, fmt.Errorf("a stationary game's policy has one time step, not %d", len(pi))
	}
	g := m.g.(mfg.ModelBased)
	opt := m.opt
	if near != nil && opt.Start == nil { // a start the caller chose wins
		opt.Start = near
	}
	L, _, residual, err := exploit.MeanField(ctx, g, pi[0], opt)
	if err != nil {
		return nil, meanFieldInfo{}, err
	}
	mdp, err := g.MDP(L)
	if err != nil {
		return nil, meanFieldInfo{}, err
	}
	return []mfg.Population{L}, meanFieldInfo{stages: []*mfg.MDP{mdp}, converged: residual <= exploit.Tolerance(m.opt)}, nil
}

func (m stationaryModel) meanFieldAlone(ctx context.Context, pi []mfg.Policy) ([]mfg.Population, error) {
	L, _, err := m.meanFieldNear(ctx, pi, nil)
	return L, err
}

func (m stationaryModel) optimalQ(e *Evaluation) ([][]float64, error) {
	q, _ := rl.ValueIteration(e.info.stages[0], nil, rl.ValueIterationOptions{})
	return [][]float64{q}, nil
}

func (m stationaryModel) policyQ(e *Evaluation) ([][]float64, error) {
	q, err := rl.PolicyQ(e.info.stages[0], e.Policy[0])
	return [][]float64{q}, err
}

// exploitability is Σ_s μ_π(s) (V*(s) - V^π(s)) in the MDP at L_π.
func (m stationaryModel) exploitability(e *Evaluation) (float64, error) {
	if err := e.Policy[0].Validate(); err != nil {
		return 0, err
	}
	r, err := exploit.AtPopulation(e.info.stages[0], e.L[0], e.Policy[0])
	return r.Value, err
}

func (m stationaryModel) policyQAt(pi []mfg.Policy, L []mfg.Population) ([][]float64, error) {
	if err := m.canEvaluate(); err != nil {
		return nil, err
	}
	mdp, err := m.g.(mfg.ModelBased).MDP(L[0])
	if err != nil {
		return nil, err
	}
	q, err := rl.PolicyQ(mdp, pi[0])
	return [][]float64{q}, err
}
