package sweep

import (
	"context"
	"os"
	"path/filepath"
	"time"
)

// lockPoll is how often a process waiting for a run that another process holds tries again.
const lockPoll = 100 * time.Millisecond

func lockPath(dir, id string) string { return filepath.Join(dir, "runs", id+".lock") }

// runLock is a held lock on a run: while a process holds it, no other process (and no other
// goroutine of this one) holds the same run's lock.
type runLock struct {
	f    *os.File // nil where locking is unsupported
	path string
}

// lockRun takes the lock of run id in dir. Without wait it returns nil, nil when another holder
// has it; with wait it tries again every lockPoll until it gets it or ctx is done (then ctx's
// error). A lock whose holder died (killed, crashed, its node rebooted) is free: the kernel (or
// the file server) releases it with the process.
func lockRun(ctx context.Context, dir, id string, wait bool) (*runLock, error) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		l, err := tryLock(lockPath(dir, id))
		if err != nil || l != nil || !wait {
			return l, err
		}
		t.Reset(lockPoll)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}
