package algorithms

import (
	"runtime"

	"meanfield/internal/parallel"
)

// rowsPerWorker is the least number of policy rows (softmaxes over the actions of one state at
// one time) worth handing to another goroutine: waking one costs tens of microseconds on a
// virtual machine, as much as a few thousand rows.
var rowsPerWorker = 8192

// forEachRow calls row(t, s) for every time t < times and state s < states, split over cores
// when there are many rows. Each row must be independent of the others.
func forEachRow(times, states int, row func(t, s int)) {
	if serialRows(times, states) {
		for t := 0; t < times; t++ {
			for s := 0; s < states; s++ {
				row(t, s)
			}
		}
		return
	}
	parallel.For(times*states, rowsPerWorker, func(lo, hi int) {
		t, s := lo/states, lo%states
		for r := lo; r < hi; r++ {
			row(t, s)
			if s++; s == states {
				t, s = t+1, 0
			}
		}
	})
}

// serialRows reports whether forEachRow and forEachBlockOf go over times × states rows in the
// calling goroutine: when they are few or there is one core.
func serialRows(times, states int) bool {
	return times*states < 2*rowsPerWorker || runtime.GOMAXPROCS(0) == 1 // parallel.For would run it inline
}

// forEachBlockOf calls block(x, t, s0, s1) on blocks of rows that together cover every time
// t < times and state s < states once: one block per time step, or, when there are many rows and
// several cores, blocks of about rowsPerWorker rows split over the cores, each within one time
// step. Rows must be independent of one another; a block lets a step take all its rows'
// exponentials in one call (rl.SoftmaxRows). The row's data is passed as x rather than captured:
// a closure given to parallel.For escapes, so that its captures cost an allocation at every call,
// which the steps of small games notice; only the split over cores copies x to the heap.
func forEachBlockOf[X any](times, states int, x X, block func(x X, t, s0, s1 int)) {
	if serialRows(times, states) {
		for t := 0; t < times; t++ {
			block(x, t, 0, states)
		}
		return
	}
	y, f := x, block // declared here, so that only this branch allocates them
	parallel.For(times*states, rowsPerWorker, func(lo, hi int) {
		for lo < hi {
			t, s0 := lo/states, lo%states
			s1 := min(states, s0+hi-lo)
			f(y, t, s0, s1)
			lo += s1 - s0
		}
	})
}
