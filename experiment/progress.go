package experiment

import "sync"

// progressTicker returns the function that work units call as each ends, from any goroutine: it
// counts them and calls progress (when not nil) with the count and total, one caller at a time,
// in order.
func progressTicker(progress func(done, total int), total int) func() {
	var mu sync.Mutex
	done := 0
	return func() {
		mu.Lock()
		defer mu.Unlock()
		done++
		if progress != nil {
			progress(done, total)
		}
	}
}
