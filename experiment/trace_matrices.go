package experiment

import (
	"fmt"

	"meanfield/engine"
)

// traceEvery resolves trace-matrices: given when set (refused when negative), else 0, no
// iteration's tables (the first and last iterations' are in result.json all the same).
func traceEvery(given *int) (int, error) {
	if given == nil {
		return 0, nil
	}
	if *given < 0 {
		return 0, fmt.Errorf("trace-matrices = %d: must be 0 (no iteration's tables in trace.json) or k > 0 (every k-th iteration, the first and the last)", *given)
	}
	return *given, nil
}

// keptIterations is the number of iterations of a solve of iterations steps that keep their
// tables under trace-matrices every: the first, the last and, when every > 0, every every-th.
func keptIterations(iterations, every int) int {
	if iterations <= 0 {
		return 1
	}
	if every <= 0 {
		return 2
	}
	return (iterations-1)/every + 2 // 0, every, 2·every, ... below iterations, and iterations
}

// keepsTables reports whether iteration k keeps its tables under trace-matrices every (the last
// iteration keeps them too: the engine keeps the last record's always).
func keepsTables(every, k int) bool {
	return k == 0 || every > 0 && k%every == 0
}

// TraceEvery is trace-matrices of a resolved configuration: 0 (no iteration's tables in
// trace.json) or k > 0 (every k-th iteration, the first and the last). A configuration not
// resolved gives 1.
func (c SolveConfig) TraceEvery() int {
	if !c.traceResolved {
		return 1
	}
	return c.traceEvery
}

// keepTables is the engine's KeepTables for the configuration: nil (every iteration) when not
// resolved.
func (c SolveConfig) keepTables() func(k int) bool {
	if !c.traceResolved || c.traceEvery == 1 {
		return nil
	}
	every := c.traceEvery
	return func(k int) bool { return keepsTables(every, k) }
}

// dropTables drops the tables of the records that trace-matrices does not keep, but the last's:
// for a solve whose records all kept them (MFGLib's float32 arithmetic).
func dropTables(trace []engine.Iteration, keep func(k int) bool) {
	for i := range trace {
		if i < len(trace)-1 && keep != nil && !keep(trace[i].K) {
			trace[i].Policy, trace[i].Population, trace[i].Q = nil, nil, nil
		}
	}
}
