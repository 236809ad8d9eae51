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
