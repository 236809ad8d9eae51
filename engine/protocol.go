package engine

import (
	"context"

	"meanfield/mfg"
)

// Algorithm is an iterative solver. Its value holds parameters only: every solve's running state
// lives in the Run that Begin returns.
type Algorithm interface {
	// Validate names the first parameter out of range ("alpha = -1: must be in [0, 1]").
	Validate() error
	// Applies reports why the algorithm cannot solve g (nil when it can): for instance a
	// finite-horizon game given to an algorithm of stationary games, or a game without the model
	// that the algorithm reads.
	Applies(g mfg.Game) error
	// Begin starts a solve from s and returns its state with the initial iterate (iteration 0).
	Begin(ctx context.Context, s Start) (Run, Iterate, error)
	// Name is the name the algorithm is registered under, e.g. "fictitious-play".
	Name() string
}

// Start is what a solve starts from.
type Start struct {
	Problem *Problem
	// Policy is π_0, one entry per time step (Problem.Times()).
	Policy []mfg.Policy
	// Seed determines every random stream of the solve.
	Seed uint64
}

// Run is one solve in progress.
type Run interface {
	// Step performs iteration k (k = 1, 2, ...) from prev, the evaluation of iteration k-1's
	// policy, and returns iteration k. prev computes what is read of it on demand; Step may keep
	// anything it reads.
	Step(ctx context.Context, k int, prev *Evaluation) (Iterate, error)
}

// Iterate is what an algorithm reports of one iteration.
type Iterate struct {
	// Policy is the policy after the iteration: one entry per time step.
	Policy []mfg.Policy
	// Population, when the algorithm carries one (the fixed-point scheme's L_k), is recorded as
	// the iteration's population; nil records the mean field of Policy when it was evaluated.
	Population []mfg.Population
	// Q, when set, is the Q-function the policy was derived from (flat S×A per time step).
	Q [][]float64
	// Near, on stationary games, is a population near the one Policy sustains: where the search
	// for it starts (nil: the game's initial population).
	Near *mfg.Population
	// InnerWork is the work of an inner solver (value-iteration sweeps, Q-learning samples).
	InnerWork int64
	// InnerConverged, when the inner solver can tell, says whether it converged (value iteration
	// before its sweep cap); nil when it cannot (Q-learning) or there is none.
	InnerConverged *bool
	// Converged reports that the algorithm's own stopping rule holds: the solve ends here.
	Converged bool
	// Stop, when set, reports that another stopping rule of the algorithm holds, one that finds
	// no solution (for instance a cycle of its iterates): the solve ends here, not converged.
	Stop *Stop
}

// StopCycle is the Reason of a Stop for a cycle: iterate k revisits iterate j = k - p (within
// the algorithm's tolerance) for a period p >= 2, so that iterates j..k-1 repeat for ever and the
// iteration has no limit.
const StopCycle = "cycle"

// Stop is why an algorithm ended a solve without converging.
type Stop struct {
	// Reason names the rule that held, e.g. StopCycle.
	Reason string
	// Detail says what held, for people: "L cycles with period 4 from iteration 37
	// (||L_k - L_{k-4}||_1 <= 1e-10)".
	Detail string
	// Period and Start, for a cycle, are its period p and its first iteration j = k - p, where k
	// is the iteration that revisited iterate j.
	Period, Start int
}

// Releaser is implemented by runs that keep nothing of the evaluation given to Step once Step
// returns (they copy what they keep, as every algorithm of this project does). The engine then
// reuses that evaluation and the memory of its Q-functions and of its stages (those of the games
// that write them, mfg.StageWriter) for the next iterations, which saves most of the allocations
// of an iteration on small finite-horizon games. A run that does not implement it gets fresh
// memory every iteration: an algorithm's author needs to know nothing of this.
type Releaser interface {
	Run
	// ReleasesEvaluations marks the run; it is never called.
	ReleasesEvaluations()
}

// Recycler is implemented by Releaser runs whose policies come from memory that they can reuse
// (finite.Chunks): once the engine has recorded iteration k+1 and will not keep iteration k's
// tables (Options.KeepTables, FinalOnly), it hands back iteration k's policy (k >= 1, one of
// the run's Iterate.Policy), which neither the engine nor the caller reads any more, for a later
// step to write its policy into. A run that keeps no reference to its past policies once Step
// returns (it copies what it keeps) may implement it; the others need know nothing of it.
type Recycler interface {
	Releaser
	// Recycle takes back pi, the policy of an earlier Iterate, for reuse.
	Recycle(pi []mfg.Policy)
}

// PolicyQUnread is implemented by runs whose Step never reads the Q^π of the evaluation it is
// given (Evaluation.PolicyQ): they read Q* (prior descent, fictitious play), the mean field, or
// nothing. The engine's exploitability, which reads Q^π_0 alone, then computes Q^π_1..Q^π_T in
// turn in one table's memory rather than keeping T+1 tables (on large games, memory traffic an
// iteration saved). A Step that reads Q^π nonetheless gets it computed anew, with the same bits:
// the mark costs only time when wrong.
type PolicyQUnread interface {
	Run
	// ReadsNoPolicyQ marks the run; it is never called.
	ReadsNoPolicyQ()
}
