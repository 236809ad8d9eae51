package engine

import (
	"context"
	"fmt"
	"unsafe"

	"meanfield/exploit"
	"meanfield/finite"
	"meanfield/mfg"
)

// Problem is a game as the algorithms see it, whatever its horizon.
type Problem struct {
	game  mfg.Game
	model model
	// legal is the game's mask of legal actions (nil: all legal; see mfg.LegalActions).
	legal []bool
	// evals holds released evaluations, whose structs the next ones reuse.
	evals []*Evaluation
	// once holds the mean field of MeanFieldOnce.
	once *finite.Memory
	// chunks hold the mean fields of the evaluations, for all their memories.
	chunks finite.Chunks
	// qp0Only records that no one reads the Q^π of the evaluations (the solve's run is a
	// PolicyQUnread): their exploitabilities keep Q^π_0 alone.
	qp0Only bool
}

// memory returns new memory for the stages and Q-functions of an evaluation of a finite-horizon
// game: a released evaluation keeps its memory for the policy it is reused for (see release).
func (p *Problem) memory() *finite.Memory {
	return finite.NewMemory(p.game.(mfg.Finite), &p.chunks) // the game, not the model's wrapper: its mfg.StageWriter
}

// release takes back an evaluation that no one reads any more, with its memory, for the next
// Evaluate. Pointers are written only where they change (the slot of p.evals usually holds e
// already, as the evaluations alternate): each write costs a barrier while the collector marks.
func (p *Problem) release(e *Evaluation) {
	if e == nil {
		return
	}
	if n := len(p.evals); n < cap(p.evals) && p.evals[:n+1][n] == e {
		p.evals = p.evals[:n+1]
	} else {
		p.evals = append(p.evals, e)
	}
}

// model is what differs between the horizons.
type model interface {
	times() int
	// canEvaluate reports why policies cannot be evaluated (a stationary game without a model).
	canEvaluate() error
	// meanField of a finite-horizon game keeps its stages in e's memory.
	meanField(ctx context.Context, e *Evaluation) ([]mfg.Population, meanFieldInfo, error)
	// meanFieldAlone is meanField without what the Q-functions need, where that saves work.
	meanFieldAlone(ctx context.Context, pi []mfg.Policy) ([]mfg.Population, error)
	optimalQ(e *Evaluation) ([][]float64, error)
	policyQ(e *Evaluation) ([][]float64, error)
	// exploitability may keep in e the Q-functions it computes.
	exploitability(e *Evaluation) (float64, error)
	// policyQAt is Q^π at the mean field L, whatever produced it.
	policyQAt(pi []mfg.Policy, L []mfg.Population) ([][]float64, error)
}

// meanFieldInfo is what the mean field's computation leaves for the Q-functions: the stages of a
// finite-horizon game, the MDP at L_π and whether the search for L_π converged.
type meanFieldInfo struct {
	stages    []*mfg.MDP
	converged bool
}

// EvaluationOptions control the evaluation of policies on stationary games.
type EvaluationOptions = exploit.Options

// NewProblem presents g to the algorithms. opt controls, on stationary games, the search for the
// population a policy sustains.
func NewProblem(g mfg.Game, opt EvaluationOptions) (*Problem, error) {
	switch g := g.(type) {
	case mfg.Finite:
		if err := mfg.CheckPopulations(g); err != nil {
			return nil, err
		}
		legal := mfg.LegalMask(g)
		if err := mfg.CheckLegalMask(legal, g.States(), g.Actions()); err != nil {
			return nil, fmt.Errorf("%s: %w", g.Name(), err)
		}
		return &Problem{game: g, model: newFiniteModel(g), legal: legal}, nil
	case mfg.Stationary:
		if mfg.LegalMask(g) != nil {
			return nil, fmt.Errorf("game %s: legal actions (mfg.LegalActions) are honoured on finite-horizon games only", g.Name())
		}
		return &Problem{game: g, model: stationaryModel{g: g, opt: opt}}, nil
	}
	return nil, fmt.Errorf("game %s is neither finite-horizon (mfg.Finite) nor stationary (mfg.Stationary)", g.Name())
}

// Worker returns a problem over the same game, with the same evaluation options, that shares no
// memory with p: one for each goroutine of a parallel evaluation, since a problem reuses the
// memory of its evaluations and is not safe for concurrent use. The game and the model are only
// read, so workers' evaluations of one policy agree bit for bit with p's.
func (p *Problem) Worker() *Problem { return &Problem{game: p.game, model: p.model, legal: p.legal} }

// Game is the game solved.
func (p *Problem) Game() mfg.Game { return p.game }

// Times is the number of time steps of a policy: T+1 on a finite-horizon game, 1 on a stationary
// one.
func (p *Problem) Times() int { return p.model.times() }

// CanEvaluate reports why policies of this game cannot be evaluated (nil when they can): a
// stationary game without a model has no exploitability.
func (p *Problem) CanEvaluate() error { return p.model.canEvaluate() }

// Uniform returns the policy that plays every legal action with the same probability at every
// time.
func (p *Problem) Uniform() []mfg.Policy {
	pi := make([]mfg.Policy, p.Times())
	for t := range pi {
		pi[t] = mfg.UniformLegalPolicy(p.game.States(), p.game.Actions(), p.legal)
	}
	return pi
}

// Legal is the game's mask of legal actions, flat S×A (nil when every action is legal; see
// mfg.LegalActions). Algorithms forming policies from Q^π give the illegal actions no mass; Q*
// is -Inf there already.
func (p *Problem) Legal() []bool { return p.legal }

// Evaluate returns the evaluation of pi, whose parts are computed when first read. near, on a
// stationary game, is where the search for the population pi sustains starts (nil: the game's
// initial population).
func (p *Problem) Evaluate(pi []mfg.Policy, near *mfg.Population) *Evaluation {
	if n := len(p.evals); n > 0 {
		e := p.evals[n-1]
		p.evals = p.evals[:n-1]
		e.reset(pi, p, near)
		return e
	}
	return &Evaluation{Policy: pi, p: p, near: near}
}

// reset makes a released evaluation that of pi, as new but for its memory (mem, which the next
// computations overwrite): field by field, as a struct assignment would move the whole struct
// under the collector's bulk write barrier, which walks its type's pointers (a few percent of an
// iteration of a small game). A test holds the fields listed here to the struct's.
func (e *Evaluation) reset(pi []mfg.Policy, p *Problem, near *mfg.Population) {
	// Each pointer is written only when it changes: every write costs a barrier while the
	// collector marks. The mean field, its stages and the Q-functions are kept but marked as not
	// computed (hasL, hasQs, hasQp): the next computations give most of them the same memory.
	e.Policy = pi
	if e.p != p {
		e.p = p
	}
	if e.near != near {
		e.near = near
	}
	if e.popScores != nil {
		e.popScores = nil
	}
	e.hasL, e.info.converged, e.hasQs, e.hasQp, e.score, e.hasScore = false, false, false, false, 0, false
}

// MeanField returns the mean field of pi (on a stationary game, the population it sustains).
func (p *Problem) MeanField(ctx context.Context, pi []mfg.Policy) ([]mfg.Population, error) {
	return p.model.meanFieldAlone(ctx, pi)
}

// MeanFieldOnce is MeanField in memory that the next call of MeanFieldOnce reuses (on a
// finite-horizon game; new memory on a stationary one): for an algorithm that reads the mean
// field within its step only, as fictitious play reads its best response's.
func (p *Problem) MeanFieldOnce(ctx context.Context, pi []mfg.Policy) ([]mfg.Population, error) {
	fm, ok := p.model.(*finiteModel)
	if !ok {
		return p.model.meanFieldAlone(ctx, pi)
	}
	if p.once == nil {
		p.once = p.memory()
	}
	return p.once.MeanFieldAlone(fm.g, pi)
}

// PolicyQAt returns Q^π at the mean field L (L_0..L_T on a finite-horizon game, one population on
// a stationary one), which need not be π's own: an algorithm that carries a population of its own
// (smoothed policy iteration) evaluates policies there.
func (p *Problem) PolicyQAt(pi []mfg.Policy, L []mfg.Population) ([][]float64, error) {
	if len(pi) != p.Times() || len(L) != p.Times() {
		return nil, fmt.Errorf("policy of %d and mean field of %d time steps, want %d", len(pi), len(L), p.Times())
	}
	return p.model.policyQAt(pi, L)
}

// Evaluation is a policy with what is computed from it, each part once and on demand.
type Evaluation struct {
	Policy []mfg.Policy

	p    *Problem
	near *mfg.Population
	// L, info, qs and qp are read only when computed (hasL, hasQs, hasQp): a reused evaluation
	// keeps the last ones, whose memory the next computations reuse.
	L                  []mfg.Population
	info               meanFieldInfo
	qs                 [][]float64
	qp                 [][]float64
	hasL, hasQs, hasQp bool
	score              float64
	hasScore           bool
	// popScores are the populations' exploitabilities of a multi-population game, once score is.
	popScores []float64
	// mem, on a finite-horizon game, holds the stages and the Q-functions of the exploitability;
	// once the engine releases this evaluation, for the next policy it evaluates in it.
	mem *finite.Memory
}

// MeanField returns the mean field of the policy: L_0..L_T on a finite-horizon game, the
// population L_π it sustains on a stationary one.
func (e *Evaluation) MeanField(ctx context.Context) ([]mfg.Population, error) {
	if !e.hasL {
		L, info, err := e.p.model.meanField(ctx, e)
		if err != nil {
			return nil, err
		}
		e.L, e.hasL, e.info.converged = L, true, info.converged
		if !sameSlice(e.info.stages, info.stages) { // the memory's list of stages, usually
			e.info.stages = info.stages
		}
	}
	return e.L, nil
}

// sameSlice reports whether a and b are the same slice of the same memory.
func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && cap(a) == cap(b) && unsafe.SliceData(a) == unsafe.SliceData(b)
}

// MeanFieldConverged reports, on a stationary game, whether the search for L_π reached its
// tolerance (always true on finite-horizon games, once the mean field is computed).
func (e *Evaluation) MeanFieldConverged() bool { return e.hasL && e.info.converged }

// OptimalQ returns Q* at the policy's mean field, one flat S×A table per time step.
func (e *Evaluation) OptimalQ(ctx context.Context) ([][]float64, error) {
	if !e.hasQs {
		if _, err := e.MeanField(ctx); err != nil {
			return nil, err
		}
		qs, err := e.p.model.optimalQ(e)
		if err != nil {
			return nil, err
		}
		e.setQ(qs, nil)
	}
	return e.qs, nil
}

// PolicyQ returns Q^π at the policy's mean field, one flat S×A table per time step.
func (e *Evaluation) PolicyQ(ctx context.Context) ([][]float64, error) {
	if !e.hasQp {
		if _, err := e.MeanField(ctx); err != nil {
			return nil, err
		}
		qp, err := e.p.model.policyQ(e)
		if err != nil {
			return nil, err
		}
		e.setQ(nil, qp)
	}
	return e.qp, nil
}

// setQ records Q* and Q^π as computed, those not nil, writing each pointer only when it changes
// (the memory's tables, usually).
func (e *Evaluation) setQ(qs, qp [][]float64) {
	if qs != nil {
		if !sameSlice(e.qs, qs) {
			e.qs = qs
		}
		e.hasQs = true
	}
	if qp != nil {
		if !sameSlice(e.qp, qp) {
			e.qp = qp
		}
		e.hasQp = true
	}
}

// Exploitability returns the exploitability of the policy, which must be feasible (see the
// package documentation).
func (e *Evaluation) Exploitability(ctx context.Context) (float64, error) {
	if e.hasScore {
		return e.score, nil
	}
	if _, err := e.MeanField(ctx); err != nil {
		return 0, err
	}
	v, err := e.p.model.exploitability(e)
	if err != nil {
		return 0, err
	}
	e.score, e.hasScore = v, true
	return v, nil
}

// PopulationExploitabilities returns the exploitability of each population of a multi-population
// game (mfg.MultiPopulation; see finite.PopulationExploitabilitiesFromQ), whose sum, in
// population order, is Exploitability; nil for another game.
func (e *Evaluation) PopulationExploitabilities(ctx context.Context) ([]float64, error) {
	if _, err := e.Exploitability(ctx); err != nil {
		return nil, err
	}
	return e.popScores, nil
}
