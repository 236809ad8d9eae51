package tune

import (
	"math"
	"testing"
)

// The statistics and aggregates against their definitions on numbers worked by hand.
func TestObjectiveByHand(t *testing.T) {
	trace := []float64{2, 0.5, 0.25, 1}
	for _, c := range []struct {
		o    Objective
		want float64
	}{
		{Objective{Stat: "final"}, 1},
		{Objective{Stat: "min"}, 0.25},
		{Objective{Stat: "at", Iteration: 1}, 0.5},
		{Objective{Stat: "at", Iteration: 9}, 1}, // beyond the trace: its last value
	} {
		if got := c.o.GameStat(trace); got != c.want {
			t.Errorf("%s %d: %v, want %v", c.o.Stat, c.o.Iteration, got, c.want)
		}
	}
	stats := []float64{1, 4}
	for _, c := range []struct {
		o    Objective
		want float64
	}{
		{Objective{Aggregate: "mean"}, 2.5},
		{Objective{Aggregate: "geometric-mean"}, 2},                           // √(1·4)
		{Objective{Aggregate: "geometric-mean", Shift: 1}, math.Sqrt(10) - 1}, // √(2·5) − 1
		{Objective{Aggregate: "failure-rate", Threshold: 2}, 0.5},             // 4 is not below 2
		{Objective{Aggregate: "failure-rate", Threshold: 1}, 1},               // nor is 1 below 1
	} {
		if got := c.o.Combine(stats); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("%s shift %v threshold %v: %v, want %v", c.o.Aggregate, c.o.Shift, c.o.Threshold, got, c.want)
		}
	}
	// MFGLib's GeometricMean of a single game is its statistic; an exact 0 gives 0, not NaN.
	if got := (Objective{Aggregate: "geometric-mean"}).Combine([]float64{3e-4}); got != 3e-4 {
		t.Errorf("one game: %v, want 3e-4", got)
	}
	if got := (Objective{Aggregate: "geometric-mean"}).Combine([]float64{0, 5}); got != 0 {
		t.Errorf("a zero factor: %v, want 0", got)
	}
	// 300 games of 1e-5: the product underflows, the geometric mean does not.
	many := make([]float64, 300)
	for i := range many {
		many[i] = 1e-5
	}
	if got := (Objective{Aggregate: "geometric-mean"}).Combine(many); math.Abs(got-1e-5) > 1e-18 {
		t.Errorf("300 games of 1e-5: %v", got)
	}
}

// The pruners' intermediate values are the statistic of each prefix of the trace.
func TestIntermediateIsTheStatOfEachPrefix(t *testing.T) {
	trace := []float64{3, 1, 2, 0.5, 4, 0.1}
	for _, o := range []Objective{{Stat: "min"}, {Stat: "final"}, {Stat: "at", Iteration: 2}, {Stat: "at", Iteration: 0}} {
		got := o.intermediate(trace)
		for k := range trace {
			if want := o.GameStat(trace[:k+1]); got[k] != want {
				t.Errorf("%s %d, step %d: %v, want %v", o.Stat, o.Iteration, k, got[k], want)
			}
		}
	}
}
