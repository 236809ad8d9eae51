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
	if times*states < 2*rowsPerWorker || runtime.GOMAXPROCS(0) == 1 { // parallel.For would run it inline
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

// forEachRowOf is forEachRow with the row's data passed as x rather than captured: a closure
// given to forEachRow escapes (other cores may run it), so that its captures cost an allocation
// at every call, which the steps of small games notice. Here only the split over cores copies x
// to the heap.
func forEachRowOf[X any](times, states int, x X, row func(x X, t, s int)) {
	if times*states < 2*rowsPerWorker || runtime.GOMAXPROCS(0) == 1 { // as forEachRow decides
		for t := 0; t < times; t++ {
			for s := 0; s < states; s++ {
				row(x, t, s)
			}
		}
		return
	}
	y, f := x, row // declared here, so that only this branch allocates them
	forEachRow(times, states, func(t, s int) { f(y, t, s) })
}
