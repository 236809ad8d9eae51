package experiment

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
)

func TestParallelForRunsEveryIndex(t *testing.T) {
	t.Parallel()
	const n = 100
	out := make([]int, n)
	if err := parallelFor(context.Background(), n, func(i int) error {
		out[i] = i * i
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i, v := range out {
		if v != i*i {
			t.Fatalf("out[%d] = %d, want %d", i, v, i*i)
		}
	}
	if err := parallelFor(context.Background(), 0, func(int) error { panic("called") }); err != nil {
		t.Errorf("n = 0: %v", err)
	}
}

// After a failure no further index is started; the errors come joined in the order of the indices.
func TestParallelForStopsAtFirstError(t *testing.T) {
	t.Parallel()
	const n = 1000
	var calls atomic.Int64
	err := parallelFor(context.Background(), n, func(i int) error {
		calls.Add(1)
		return fmt.Errorf("item %d failed", i)
	})
	started := int(calls.Load())
	if started == 0 || started > maxWorkers()+1 {
		t.Fatalf("%d items started after the first failure, want between 1 and %d", started, maxWorkers()+1)
	}
	var want []string
	for i := range started { // the items started are always the first ones
		want = append(want, fmt.Sprintf("item %d failed", i))
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("error %q, want %q", err, strings.Join(want, "\n"))
	}
}

func TestParallelForCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := parallelFor(ctx, 10, func(int) error { panic("an item started after cancellation") })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want %v", err, context.Canceled)
	}
}
