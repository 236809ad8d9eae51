// Package parallel splits loops whose iterations write disjoint outputs over the available cores.
// Results do not depend on the number of cores: every index is computed by the same code, only by
// another goroutine.
package parallel

import (
	"runtime"
	"sync"
)

// For calls fn(lo, hi) over a partition of [0, n) into at most GOMAXPROCS contiguous ranges, on
// separate goroutines, and waits; below minPerWorker indices per range it runs fn(0, n) inline,
// as the hand-off would cost more than it saves.
func For(n, minPerWorker int, fn func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), n/max(minPerWorker, 1))
	if workers <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for lo := chunk; lo < n; lo += chunk {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			fn(lo, hi)
		}(lo, min(lo+chunk, n))
	}
	fn(0, min(chunk, n))
	wg.Wait()
}

// Do runs the functions concurrently when more than one core is available, else one after the
// other, and waits for all.
func Do(fns ...func()) {
	if runtime.GOMAXPROCS(0) == 1 || len(fns) < 2 {
		for _, f := range fns {
			f()
		}
		return
	}
	var wg sync.WaitGroup
	for _, f := range fns[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f()
		}()
	}
	fns[0]()
	wg.Wait()
}
