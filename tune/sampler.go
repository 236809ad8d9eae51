package tune

import (
	"fmt"
	"math/rand/v2"
)

// Trial states.
const (
	Complete = "complete" // every game ran to its budget
	Pruned   = "pruned"   // stopped early by the pruner
	Failed   = "failed"   // a solve failed: no objective
)

// Observation is a finished trial as the samplers and pruners see it.
type Observation struct {
	Index  int
	Params map[string]any
	State  string
	// Value is the objective of a complete trial; for a pruned trial, the statistic of the game
	// it was pruned in (Game, the last it ran) at the step where it was pruned (Step).
	Value float64
	Game  int
	Step  int
}

// Sampler proposes the parameters of a trial.
type Sampler interface {
	// Propose returns the values of trial k, by parameter name, from the finished trials of its
	// history (see Study.History) and the trial's own random stream.
	Propose(k int, history []Observation, r *rand.Rand) (map[string]any, error)
	// ReadsHistory reports whether trial k's proposal reads its history of h trials: a trial
	// that does not is proposed without waiting for them.
	ReadsHistory(k, h int) bool
}

// Random draws every parameter independently: a float uniformly on [low, high] (log-uniformly
// when log), an int uniformly on low..high (its log when log: each integer has the share of
// [low-1/2, high+1/2] in log scale that rounds to it), a categorical uniformly among its choices.
type Random struct{ Space Space }

// Propose draws trial k's values.
func (s Random) Propose(_ int, _ []Observation, r *rand.Rand) (map[string]any, error) {
	out := map[string]any{}
	for _, p := range s.Space {
		out[p.Name] = p.uniform(r)
	}
	return out, nil
}

// ReadsHistory is false: random trials depend on their seed alone.
func (Random) ReadsHistory(int, int) bool { return false }

// Grid walks the cartesian product of the parameters' grid values (see Param), the last
// parameter by name fastest: trial k is the k-th point. (Optuna's GridSampler visits its points
// in a random order; here the order is fixed, so that a study of fewer trials than points is a
// prefix of a longer one.)
type Grid struct {
	Space  Space
	values [][]any
}

// newGrid lists each parameter's grid values.
func newGrid(space Space) (*Grid, error) {
	g := &Grid{Space: space}
	for _, p := range space {
		v, err := p.gridValues()
		if err != nil {
			return nil, err
		}
		g.values = append(g.values, v)
	}
	return g, nil
}

// Size is the number of points of the grid (capped at maxTrials+1).
func (g *Grid) Size() int {
	n := 1
	for _, v := range g.values {
		n *= len(v)
		if n > maxTrials {
			return maxTrials + 1
		}
	}
	return n
}

// Propose returns the k-th point.
func (g *Grid) Propose(k int, _ []Observation, _ *rand.Rand) (map[string]any, error) {
	if k >= g.Size() {
		return nil, fmt.Errorf("trial %d: the grid has %d points", k, g.Size())
	}
	out := map[string]any{}
	for i := len(g.values) - 1; i >= 0; i-- {
		n := len(g.values[i])
		out[g.Space[i].Name] = g.values[i][k%n]
		k /= n
	}
	return out, nil
}

// ReadsHistory is false: the grid's order is fixed.
func (*Grid) ReadsHistory(int, int) bool { return false }
