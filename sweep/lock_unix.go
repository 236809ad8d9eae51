//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package sweep

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// tryLock takes an exclusive flock(2) on the file at path, created if missing, without waiting:
// nil, nil when another open file holds it. Since release removes the file, a lock taken on a
// file that is no longer (or no longer the one) at path is dropped and taken again on the file
// now there, so that the holders of the lock of path are always one. A file system that does not
// support flock gives an unlocked, no-op lock: runs are then not protected against two
// processes computing them at once (results are the same; the work is done twice).
func tryLock(path string) (*runLock, error) {
	for range 100 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case errors.Is(err, syscall.EWOULDBLOCK):
			f.Close()
			return nil, nil
		case errors.Is(err, syscall.EINTR):
			f.Close()
			continue
		case errors.Is(err, syscall.ENOLCK), errors.Is(err, syscall.ENOTSUP), errors.Is(err, syscall.EOPNOTSUPP), errors.Is(err, syscall.ENOSYS), errors.Is(err, syscall.EINVAL):
			f.Close()
			return &runLock{path: path}, nil
		case err != nil:
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if held, err := f.Stat(); err == nil {
			if now, err := os.Stat(path); err == nil && os.SameFile(held, now) {
				return &runLock{f: f, path: path}, nil
			}
		}
		f.Close() // released and removed by its holder meanwhile: take the new one
	}
	return nil, fmt.Errorf("lock %s: the lock file keeps being replaced", path)
}

// release removes the lock file, then unlocks it. Removing it while holding it is safe: a process
// that locks the removed file sees that it is no longer at path and tries again.
func (l *runLock) release() {
	if l.f == nil {
		return
	}
	os.Remove(l.path)
	l.f.Close()
}
