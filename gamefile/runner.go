package gamefile

import (
	"fmt"
	"runtime/metrics"
	"time"

	"go.starlark.net/starlark"
)

// runner runs a file's Starlark code under its limits.
type runner struct {
	opt  Options
	file string
}

// run calls f on a fresh thread that stops after opt.MaxSteps steps, or when the heap grows by
// more than opt.MaxMemory while f runs (a watchdog samples it every millisecond; one Starlark
// allocation is at most 1 GiB, Starlark's own bound). print writes nowhere: a solve's output is
// the program's. where names the evaluation in errors.
func (r *runner) run(where string, f func(*starlark.Thread) error) error {
	th := &starlark.Thread{Name: r.file, Print: func(*starlark.Thread, string) {}}
	th.SetMaxExecutionSteps(r.opt.MaxSteps)
	th.OnMaxSteps = func(th *starlark.Thread) {
		th.Cancel(fmt.Sprintf("step limit of %d Starlark steps exceeded (a loop too long for the limit?): raise it with --game-steps", r.opt.MaxSteps))
	}
	done := make(chan struct{})
	defer close(done)
	go watchMemory(th, r.opt.MaxMemory, done)
	if err := f(th); err != nil {
		return fromStarlark(err, r.file, where)
	}
	return nil
}

// watchMemory cancels th when the heap's objects exceed their size at the start by more than
// limit, until done is closed.
func watchMemory(th *starlark.Thread, limit uint64, done chan struct{}) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	start := sample[0].Value.Uint64()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			metrics.Read(sample)
			if sample[0].Value.Uint64() > start+limit {
				th.Cancel(fmt.Sprintf("memory bound of %d MiB exceeded (a table or string too large?)", limit>>20))
				return
			}
		}
	}
}
