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
	return lockFile(ctx, lockPath(dir, id), wait)
}

// lockFile takes the lock of the file at path, as lockRun does for a run's.
func lockFile(ctx context.Context, path string, wait bool) (*runLock, error) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		l, err := tryLock(path)
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

// Lock is a held lock on a file, taken by LockFile: the lock of one unit of work (a run of a
// sweep, a trial of a study) that several processes sharing a folder may try to compute at once.
type Lock struct{ l *runLock }

// LockFile takes an exclusive advisory lock (flock(2)) on the file at path, created if missing,
// as a sweep locks its runs (see the package's doc): without wait it returns nil, nil when
// another holder has it; with wait it tries again every 100 ms until it gets it or ctx is done.
// The kernel releases the lock of a process that dies. Release removes the file.
func LockFile(ctx context.Context, path string, wait bool) (*Lock, error) {
	l, err := lockFile(ctx, path, wait)
	if l == nil || err != nil {
		return nil, err
	}
	return &Lock{l}, nil
}

// Release removes the lock file and releases the lock.
func (l *Lock) Release() { l.l.release() }
