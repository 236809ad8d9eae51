package cancel

import (
	"context"
	"errors"
	"testing"
)

// A ticker checks at the first call and then every Work/cost calls; a cancelled context is
// reported at the next check and not before.
func TestTickerChecksAtBoundedIntervals(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	tk := Every(ctx, 4)
	if tk.n != Work/4 {
		t.Fatalf("interval %d, want %d", tk.n, Work/4)
	}
	if err := tk.Tick(); err != nil {
		t.Fatal(err)
	}
	stop()
	calls := 1
	for tk.Tick() == nil {
		calls++
		if calls > Work {
			t.Fatal("cancellation never reported")
		}
	}
	if calls != Work/4 {
		t.Errorf("reported at call %d, want %d", calls+1, Work/4+1)
	}
	expensive := Every(ctx, 1<<30)
	for i := 0; i < 3; i++ {
		if err := expensive.Tick(); !errors.Is(err, context.Canceled) {
			t.Errorf("an expensive iteration is not checked every time (call %d: %v)", i, err)
		}
	}
}
