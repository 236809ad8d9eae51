package engine

import (
	"context"

	"meanfield/finite"
	"meanfield/mfg"
)

// finiteModel evaluates the policies of a finite-horizon game: the mean field forward from μ0,
// the Q-functions backward from T.
type finiteModel struct {
	g mfg.Finite
	// blocks are the populations of a multi-population game (mfg.MultiPopulation), else nil.
	blocks []mfg.PopulationBlock
}

// newFiniteModel reads μ0 once: a game returns a fresh copy at every call.
func newFiniteModel(g mfg.Finite) *finiteModel {
	fs := &fixedStart{Finite: g, mu0: g.InitialStates(), legal: mfg.LegalMask(g), horizon: g.Horizon(), states: g.States(), actions: g.Actions()}
	var blocks []mfg.PopulationBlock
	if mp, ok := g.(mfg.MultiPopulation); ok {
		blocks = mp.Populations()
	}
	if fm, ok := g.(mfg.FixedMoves); ok {
		return &finiteModel{fixedStartMoves{fs, fm}, blocks}
	}
	return &finiteModel{fs, blocks}
}

// fixedStart is a game whose InitialStates is read once and shared, for the mean fields and
// exploitabilities of the engine, which only read it; so are its sizes, which a game may compute
// at every call (from its shapes) and the mean field reads at every evaluation.
type fixedStart struct {
	mfg.Finite
	mu0                      []float64
	legal                    []bool
	horizon, states, actions int
}

func (g *fixedStart) InitialStates() []float64 { return g.mu0 }
func (g *fixedStart) Horizon() int             { return g.horizon }
func (g *fixedStart) States() int              { return g.states }
func (g *fixedStart) Actions() int             { return g.actions }

// Legal keeps the game's mask of legal actions, which the embedding would hide.
func (g *fixedStart) Legal() []bool { return g.legal }

// fixedStartMoves is a fixedStart that keeps the game's mfg.FixedMoves.
type fixedStartMoves struct {
	*fixedStart
	mfg.FixedMoves
}

func (m *finiteModel) times() int         { return m.g.Horizon() + 1 }
func (m *finiteModel) canEvaluate() error { return nil }

func (m *finiteModel) meanField(_ context.Context, e *Evaluation) ([]mfg.Population, meanFieldInfo, error) {
	if e.mem == nil {
		e.mem = e.p.memory()
	}
	L, stages, err := e.mem.MeanField(m.g, e.Policy)
	return L, meanFieldInfo{stages: stages, converged: true}, err
}

// meanFieldAlone skips stage T, which only the Q-functions read.
func (m *finiteModel) meanFieldAlone(_ context.Context, pi []mfg.Policy) ([]mfg.Population, error) {
	return finite.MeanFieldAlone(m.g, pi)
}

func (m *finiteModel) optimalQ(e *Evaluation) ([][]float64, error) {
	if e.mem != nil {
		return e.mem.OptimalQ(e.info.stages), nil // where the exploitability would keep Q*
	}
	return finite.OptimalQ(e.info.stages), nil
}

func (m *finiteModel) policyQ(e *Evaluation) ([][]float64, error) {
	return finite.PolicyQ(e.info.stages, e.Policy), nil
}

// exploitability computes Q* and Q^π together (one backward pass reading each transition once, or
// two on two cores on large games) unless a step computed one already, and keeps them for the
// next step. They live in the evaluation's memory. On a multi-population game it is OpenSpiel's
// NashConv, the sum of the populations' exploitabilities, which it keeps too.
//
// Where no step reads Q^π (Problem.qp0Only), the pass keeps Q^π_0 alone, all the exploitability
// reads, and the evaluation holds Q* only: Q^π, if asked for after all, is computed anew.
func (m *finiteModel) exploitability(e *Evaluation) (float64, error) {
	var qp0 []float64
	switch {
	case !e.hasQs && !e.hasQp && e.p.qp0Only:
		var qs [][]float64
		qs, qp0 = e.mem.OptimalQAndFirstPolicyQ(e.info.stages, e.Policy)
		e.setQ(qs, nil)
	case !e.hasQs && !e.hasQp:
		e.setQ(e.mem.QFunctions(e.info.stages, e.Policy))
	}
	if !e.hasQs {
		qs, _ := m.optimalQ(e)
		e.setQ(qs, nil)
	}
	if qp0 == nil {
		if !e.hasQp {
			e.setQ(nil, finite.PolicyQ(e.info.stages, e.Policy))
		}
		qp0 = e.qp[0]
	}
	if m.blocks != nil {
		e.popScores = finite.PopulationExploitabilitiesFromQ(m.blocks, m.g.InitialStates(), e.Policy[0], e.qs[0], qp0)
		return finite.SumPopulations(e.popScores), nil
	}
	return finite.ExploitabilityFromQ(m.g.InitialStates(), e.Policy[0], e.qs[0], qp0), nil
}

func (m *finiteModel) policyQAt(pi []mfg.Policy, L []mfg.Population) ([][]float64, error) {
	stages, err := finite.StagesAt(m.g, L)
	if err != nil {
		return nil, err
	}
	return finite.PolicyQ(stages, pi), nil
}
