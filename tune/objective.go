package tune

import (
	"fmt"
	"math"
	"strings"
)

// Objective is what a study minimises, from each game's exploitability trace e_0..e_K of a trial:
// a statistic per game, then an aggregate over the games.
//
// Statistics (Stat):
//
//	final  e_K, the last iteration's exploitability
//	min    min_k e_k, the lowest over the iterations (MFGLib's stat "expl")
//	at     e_k at k = Iteration (the last one when the trace is shorter)
//
// Aggregates over the games' statistics x_1..x_G (Aggregate):
//
//	mean            (1/G) Σ_g x_g
//	geometric-mean  (Π_g (x_g + Shift))^(1/G) − Shift, MFGLib's GeometricMean (shift 0 by default)
//	failure-rate    (1/G) #{g : x_g ≥ Threshold}, MFGLib's FailureRate: the share of games whose
//	                statistic did not get below Threshold within the budget
type Objective struct {
	Stat      string  `yaml:"stat"`
	Iteration int     `yaml:"iteration"`
	Aggregate string  `yaml:"aggregate"`
	Shift     float64 `yaml:"shift"`
	Threshold float64 `yaml:"threshold"`
	hasThresh bool
}

// rawObjective is Objective as decoded, threshold optional.
type rawObjective struct {
	Stat      string   `yaml:"stat"`
	Iteration int      `yaml:"iteration"`
	Aggregate string   `yaml:"aggregate"`
	Shift     float64  `yaml:"shift"`
	Threshold *float64 `yaml:"threshold"`
}

// newObjective fills in the defaults (stat min, aggregate geometric-mean, MFGLib's choice in its
// tuner test) and checks the objective; errors name the field and the value.
func newObjective(r rawObjective, iterations int) (Objective, error) {
	o := Objective{Stat: r.Stat, Iteration: r.Iteration, Aggregate: r.Aggregate, Shift: r.Shift}
	if o.Stat == "" {
		o.Stat = "min"
	}
	if o.Aggregate == "" {
		o.Aggregate = "geometric-mean"
	}
	if r.Threshold != nil {
		o.Threshold, o.hasThresh = *r.Threshold, true
	}
	switch o.Stat {
	case "final", "min":
		if o.Iteration != 0 {
			return o, fmt.Errorf("objective: iteration = %d: only for stat at", o.Iteration)
		}
	case "at":
		if o.Iteration < 0 || iterations > 0 && o.Iteration > iterations {
			return o, fmt.Errorf("objective: iteration = %d: want 0 ≤ iteration ≤ the runs' iterations %d", o.Iteration, iterations)
		}
	default:
		return o, fmt.Errorf("objective: stat = %q: want final, min or at", o.Stat)
	}
	switch o.Aggregate {
	case "mean":
	case "geometric-mean":
		if !(o.Shift >= 0) || math.IsInf(o.Shift, 0) {
			return o, fmt.Errorf("objective: shift = %v: want a finite shift ≥ 0", o.Shift)
		}
	case "failure-rate":
		if !o.hasThresh {
			return o, fmt.Errorf("objective: failure-rate needs a threshold (a finite number > 0)")
		}
		if !(o.Threshold > 0) || math.IsInf(o.Threshold, 0) {
			return o, fmt.Errorf("objective: threshold = %v: failure-rate needs a finite threshold > 0", o.Threshold)
		}
	default:
		return o, fmt.Errorf("objective: aggregate = %q: want mean, geometric-mean or failure-rate", o.Aggregate)
	}
	if o.Aggregate != "geometric-mean" && o.Shift != 0 {
		return o, fmt.Errorf("objective: shift = %v: only for aggregate geometric-mean", o.Shift)
	}
	if o.Aggregate != "failure-rate" && o.hasThresh {
		return o, fmt.Errorf("objective: threshold = %v: only for aggregate failure-rate", o.Threshold)
	}
	return o, nil
}

// GameStat is the objective's statistic of one game's exploitability trace e_0..e_K (trace[k] =
// e_k). It is the value the pruners compare at step k, on the trace cut at k.
func (o Objective) GameStat(trace []float64) float64 {
	if len(trace) == 0 {
		return math.NaN()
	}
	switch o.Stat {
	case "min":
		m := trace[0]
		for _, e := range trace[1:] {
			m = min(m, e)
		}
		return m
	case "at":
		return trace[min(o.Iteration, len(trace)-1)]
	}
	return trace[len(trace)-1]
}

// Combine is the objective's aggregate of the games' statistics.
func (o Objective) Combine(stats []float64) float64 {
	if len(stats) == 0 {
		return math.NaN()
	}
	n := float64(len(stats))
	switch o.Aggregate {
	case "failure-rate":
		fails := 0
		for _, x := range stats {
			if !(x < o.Threshold) {
				fails++
			}
		}
		return float64(fails) / n
	case "geometric-mean":
		if len(stats) == 1 {
			return stats[0] // (x + s)¹ − s, exactly: one game's objective is its statistic
		}
		// In logs: a product of many small values underflows.
		s := 0.0
		for _, x := range stats {
			if x+o.Shift <= 0 {
				return -o.Shift // a factor 0 (an exploitability exactly 0 at shift 0)
			}
			s += math.Log(x + o.Shift)
		}
		return math.Exp(s/n) - o.Shift
	}
	s := 0.0
	for _, x := range stats {
		s += x
	}
	return s / n
}

// Value is the objective of a trial from its games' traces.
func (o Objective) Value(traces [][]float64) float64 {
	stats := make([]float64, len(traces))
	for i, t := range traces {
		stats[i] = o.GameStat(t)
	}
	return o.Combine(stats)
}

func nan() float64 { return math.NaN() }

// Describe says in words what the objective measures, for labels and summaries.
func (o Objective) Describe(games int) string {
	var stat string
	switch o.Stat {
	case "min":
		stat = "the lowest exploitability over the iterations"
	case "at":
		stat = fmt.Sprintf("the exploitability at iteration %d", o.Iteration)
	default:
		stat = "the final exploitability"
	}
	over := "1 game"
	if games != 1 {
		over = fmt.Sprintf("%d games", games)
	}
	switch o.Aggregate {
	case "failure-rate":
		return fmt.Sprintf("the share of %s whose %s is not below %g", over, strings.TrimPrefix(stat, "the "), o.Threshold)
	case "geometric-mean":
		if games == 1 {
			return stat
		}
		return fmt.Sprintf("the geometric mean (shift %g) over %s of %s", o.Shift, over, stat)
	}
	if games == 1 {
		return stat
	}
	return fmt.Sprintf("the mean over %s of %s", over, stat)
}

// StatName names the statistic of one game: "lowest exploitability", "final exploitability" or
// "exploitability at iteration k".
func (o Objective) StatName() string {
	switch o.Stat {
	case "min":
		return "lowest exploitability"
	case "at":
		return fmt.Sprintf("exploitability at iteration %d", o.Iteration)
	}
	return "final exploitability"
}
