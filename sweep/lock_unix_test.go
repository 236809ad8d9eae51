//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package sweep

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"testing"
	"time"

	"meanfield/internal/atomicfile"
)

// The lock of a run excludes other holders, also within one process; a lock file left by a
// killed process (present, unlocked) is taken; waiting honours the context; releasing removes the
// file and frees the lock for exactly one next holder.
func TestRunLockExcludesAndRecovers(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(dir+"/runs", 0o755); err != nil {
		t.Fatal(err)
	}
	path := lockPath(dir, "r1")
	if err := os.WriteFile(path, nil, 0o644); err != nil { // stale: nobody holds it
		t.Fatal(err)
	}
	l, err := tryLock(path)
	if err != nil || l == nil {
		t.Fatalf("stale lock file not taken: %v %v", l, err)
	}
	if l2, err := tryLock(path); err != nil || l2 != nil {
		t.Fatalf("a held lock was taken again: %v %v", l2, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*lockPoll)
	defer cancel()
	if _, err := lockRun(ctx, dir, "r1", true); err != context.DeadlineExceeded {
		t.Fatalf("waiting on a held lock returned %v, want the context's deadline", err)
	}
	l.release()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("release left the lock file: %v", err)
	}
	l3, err := tryLock(path)
	if err != nil || l3 == nil {
		t.Fatalf("lock not taken after release: %v", err)
	}
	defer l3.release()
	if l4, err := tryLock(path); l4 != nil || err != nil {
		t.Fatalf("the lock was taken twice after a release: %v", err)
	}
}

// A run whose lock another process holds is left to it and waited for: when the holder writes
// the record, this invocation counts it as found; when the holder stops without a record
// (interrupted), this invocation computes it. Either way it returns with every run recorded.
func TestHeldRunIsWaitedForThenTakenOver(t *testing.T) {
	s := mustLoad(t, small)
	for _, holderFinishes := range []bool{true, false} {
		dir := t.TempDir()
		if err := Prepare(s, dir); err != nil {
			t.Fatal(err)
		}
		held := s.Runs[3]
		l, err := tryLock(lockPath(dir, held.ID))
		if err != nil || l == nil {
			t.Fatal("could not take the lock", err)
		}
		type result struct {
			rep *Report
			err error
		}
		done := make(chan result, 1)
		go func() {
			rep, err := RunSweep(context.Background(), s, dir, Options{Workers: 2})
			done <- result{rep, err}
		}()
		deadline := time.Now().Add(30 * time.Second)
		for !allRecordedBut(dir, s, held.ID) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		select {
		case r := <-done:
			t.Fatalf("returned while a run was held: %+v %v", r.rep, r.err)
		case <-time.After(3 * lockPoll):
		}
		if _, err := os.Stat(recordPath(dir, held.ID)); err == nil {
			t.Fatal("the held run was computed by another holder")
		}
		if holderFinishes {
			rec, err := Execute(context.Background(), s, held)
			if err == nil {
				err = atomicfile.Write(recordPath(dir, held.ID), func(w io.Writer) error { return json.NewEncoder(w).Encode(rec) })
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		l.release()
		r := <-done
		wantRan := len(s.Runs) - 1
		if !holderFinishes {
			wantRan = len(s.Runs)
		}
		if r.err != nil || r.rep.Ran != wantRan || r.rep.Ran+r.rep.Skipped != len(s.Runs) {
			t.Errorf("holder finishes %v: %+v %v; want %d ran", holderFinishes, r.rep, r.err, wantRan)
		}
		if rep, err := Merge(s, dir); err != nil || len(rep.Missing) > 0 {
			t.Errorf("merge: %v", err)
		}
		noLockFiles(t, dir)
	}
}

// allRecordedBut reports whether every run of s but the one with id except has a record in dir.
func allRecordedBut(dir string, s *Sweep, except string) bool {
	for _, r := range s.Runs {
		if _, err := os.Stat(recordPath(dir, r.ID)); r.ID != except && err != nil {
			return false
		}
	}
	return true
}
