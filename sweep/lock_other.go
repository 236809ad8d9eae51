//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package sweep

// tryLock is a no-op lock on systems without flock(2): two processes running one sweep on one
// folder at once may compute a run twice (each writes the same record).
func tryLock(path string) (*runLock, error) { return &runLock{path: path}, nil }

func (l *runLock) release() {}
