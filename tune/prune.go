package tune

import (
	"fmt"
	"math"
	"sort"
)

// PruneOptions are the pruner's settings in a study file:
//
//	prune: {rule: median, startup-trials: 5, warmup: 0, interval: 1}
//	prune: {rule: successive-halving, min-resource: 6, reduction-factor: 4, min-early-stopping-rate: 0}
//
// A zero setting takes Optuna's default (min-resource: the budget / 100, at least 1, as Optuna's
// "auto" finds it from a finished trial).
type PruneOptions struct {
	Rule                 string `yaml:"rule"`
	StartupTrials        int    `yaml:"startup-trials"`
	Warmup               int    `yaml:"warmup"`
	Interval             int    `yaml:"interval"`
	MinResource          int    `yaml:"min-resource"`
	ReductionFactor      int    `yaml:"reduction-factor"`
	MinEarlyStoppingRate int    `yaml:"min-early-stopping-rate"`
}

// Pruner decides whether a game of a trial stops at iteration (step) k. Each game of a trial is
// judged against the same game in the trials of its history: its intermediate value at step k is
// the objective's statistic of its trace cut at k (Objective.GameStat), and a trial is pruned
// when one of its games is (its other games are then not run).
type Pruner interface {
	// Prune reports whether a game whose intermediate values at steps 0..k are own stops at k;
	// others are the same game's intermediate values in the history's trials (each as long as
	// that trial ran it), and complete says which of those trials are complete.
	Prune(k int, own []float64, others [][]float64, complete []bool) bool
}

// Median is Optuna's MedianPruner: from step Warmup on, every Interval steps, once StartupTrials
// trials of the history are complete, a game stops at step k when the best of its intermediate
// values so far is worse than the median of the complete trials' values at step k (of those that
// reached k; none: no pruning).
type Median struct{ StartupTrials, Warmup, Interval int }

// Prune applies the median rule.
func (m Median) Prune(k int, own []float64, others [][]float64, complete []bool) bool {
	if k < m.Warmup || (k-m.Warmup)%m.Interval != 0 {
		return false
	}
	var at []float64
	n := 0
	for i, o := range others {
		if !complete[i] {
			continue
		}
		n++
		if k < len(o) && !math.IsNaN(o[k]) {
			at = append(at, o[k])
		}
	}
	if n < m.StartupTrials || len(at) == 0 {
		return false
	}
	best := math.Inf(1)
	for _, v := range own[:k+1] {
		best = min(best, v)
	}
	return best > percentile(at, 50)
}

// percentile is NumPy's linear-interpolation percentile.
func percentile(xs []float64, p float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	pos := p / 100 * float64(len(s)-1)
	i := int(math.Floor(pos))
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (pos-float64(i))*(s[i+1]-s[i])
}

// SuccessiveHalving is Optuna's SuccessiveHalvingPruner (asynchronous successive halving, Li et
// al. 2020): rung r is step MinResource·ReductionFactor^(MinEarlyStoppingRate + r); at a rung a
// game goes on only when its value there is among the best ⌊n/ReductionFactor⌋ (at least the
// best one) of the n values at that rung: its own and those of the history's trials that
// reached it, pruned or complete.
type SuccessiveHalving struct{ MinResource, ReductionFactor, MinEarlyStoppingRate int }

// Prune applies the rule at the rungs.
func (h SuccessiveHalving) Prune(k int, own []float64, others [][]float64, _ []bool) bool {
	if !h.isRung(k) {
		return false
	}
	competing := []float64{own[k]}
	for _, o := range others {
		if k < len(o) {
			competing = append(competing, o[k])
		}
	}
	sort.Float64s(competing)
	idx := max(len(competing)/h.ReductionFactor-1, 0)
	return own[k] > competing[idx]
}

// isRung reports whether step k is a rung.
func (h SuccessiveHalving) isRung(k int) bool {
	step := h.MinResource
	for range h.MinEarlyStoppingRate {
		if step > math.MaxInt/h.ReductionFactor {
			return false // the first rung is beyond any step
		}
		step *= h.ReductionFactor
	}
	for step <= k {
		if step == k {
			return true
		}
		if step > math.MaxInt/h.ReductionFactor {
			return false
		}
		step *= h.ReductionFactor
	}
	return false
}

// newPruner builds the pruner of the options, with Optuna's defaults for zero settings; budget is
// the least number of iterations of the study's games.
func newPruner(o PruneOptions, budget int) (Pruner, error) {
	neg := func(name string, v int) error {
		if v < 0 {
			return fmt.Errorf("prune: %s = %d: must be ≥ 0 (0: Optuna's default)", name, v)
		}
		return nil
	}
	for _, c := range []struct {
		n string
		v int
	}{{"startup-trials", o.StartupTrials}, {"warmup", o.Warmup}, {"interval", o.Interval}, {"min-resource", o.MinResource},
		{"reduction-factor", o.ReductionFactor}, {"min-early-stopping-rate", o.MinEarlyStoppingRate}} {
		if err := neg(c.n, c.v); err != nil {
			return nil, err
		}
	}
	switch o.Rule {
	case "median":
		if o.MinResource != 0 || o.ReductionFactor != 0 || o.MinEarlyStoppingRate != 0 {
			return nil, fmt.Errorf("prune: min-resource, reduction-factor and min-early-stopping-rate are settings of rule successive-halving, not median")
		}
		m := Median{StartupTrials: 5, Warmup: o.Warmup, Interval: 1}
		if o.StartupTrials > 0 {
			m.StartupTrials = o.StartupTrials
		}
		if o.Interval > 0 {
			m.Interval = o.Interval
		}
		return m, nil
	case "successive-halving":
		if o.StartupTrials != 0 || o.Warmup != 0 || o.Interval != 0 {
			return nil, fmt.Errorf("prune: startup-trials, warmup and interval are settings of rule median, not successive-halving")
		}
		h := SuccessiveHalving{MinResource: max(budget/100, 1), ReductionFactor: 4, MinEarlyStoppingRate: o.MinEarlyStoppingRate}
		if o.MinResource > 0 {
			h.MinResource = o.MinResource
		}
		if o.ReductionFactor > 0 {
			h.ReductionFactor = o.ReductionFactor
		}
		if h.ReductionFactor < 2 {
			return nil, fmt.Errorf("prune: reduction-factor = %d: must be ≥ 2", h.ReductionFactor)
		}
		return h, nil
	}
	return nil, fmt.Errorf("prune: rule = %q: want median or successive-halving", o.Rule)
}
