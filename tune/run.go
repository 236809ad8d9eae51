package tune

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"meanfield/internal/atomicfile"
	"meanfield/sweep"
)

// ErrOtherStudy marks a folder that holds another study's trials.
var ErrOtherStudy = errors.New("the folder holds another study")

// ErrForeignRecord marks a trial record that another study wrote.
var ErrForeignRecord = errors.New("a foreign record")

// manifest is DIR/study.json: which study a folder belongs to, created once and never replaced.
type manifest struct {
	Name        string `json:"name"`
	Fingerprint string `json:"fingerprint"`
	Seed        uint64 `json:"seed"`
}

// Prepare makes dir the folder of s, or checks that it is one: of several processes preparing
// one folder at once, for any studies, the first to create study.json owns it (sweep.CreateOnce)
// and the others fail with ErrOtherStudy unless it names their study.
func Prepare(s *Study, dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, "trials"), 0o755); err != nil {
		return fmt.Errorf("out = %s: %w", dir, err)
	}
	b, _ := json.Marshal(manifest{Name: s.File.Name, Fingerprint: s.Fingerprint, Seed: s.File.Seed})
	if err := sweep.CreateOnce(filepath.Join(dir, "study.json"), append(b, '\n')); err != nil {
		return fmt.Errorf("out = %s: %w", dir, err)
	}
	return Check(s, dir)
}

// Check reports whether dir is s's folder, changing nothing.
func Check(s *Study, dir string) error {
	var m manifest
	b, err := os.ReadFile(filepath.Join(dir, "study.json"))
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil {
		return fmt.Errorf("out = %s: no study's folder (study.json: %v)", dir, err)
	}
	if m.Fingerprint != s.Fingerprint {
		return fmt.Errorf("out = %s: it holds study %q (fingerprint %s, seed %d), not this one (fingerprint %s, seed %d): %w; choose another folder", dir, m.Name, m.Fingerprint, m.Seed, s.Fingerprint, s.File.Seed, ErrOtherStudy)
	}
	return nil
}

func recordPath(dir string, k int) string {
	return filepath.Join(dir, "trials", strconv.Itoa(k)+".json")
}

// ReadRecord reads trial k's record in dir: nil, nil when there is none; ErrForeignRecord when
// it is not trial k of s.
func ReadRecord(s *Study, dir string, k int) (*Record, error) {
	b, err := os.ReadFile(recordPath(dir, k))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var r Record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("trials/%d.json: %w", k, err)
	}
	if r.Fingerprint != s.Fingerprint || r.StudySeed != s.File.Seed || r.Trial != k {
		return nil, fmt.Errorf("record %s: %w of study %s (seed %d), trial %d; this study is %s (seed %d): remove it or use another folder",
			recordPath(dir, k), ErrForeignRecord, r.Fingerprint, r.StudySeed, r.Trial, s.Fingerprint, s.File.Seed)
	}
	s.Space.typed(r.Params)
	return &r, nil
}

// Options of Run.
type Options struct {
	// Workers is the number of trials run at once (0: all cores); it does not change the results.
	Workers int
	// Progress, when set, is called after each trial this invocation finishes or finds finished,
	// one call at a time.
	Progress func(done, total int)
}

// Report says what Run did.
type Report struct {
	// Ran counts the trials this invocation computed; Skipped those it found finished.
	Ran, Skipped int
}

// poll is how often a trial waiting for another process's trial looks again.
const poll = 100 * time.Millisecond

// Run runs the trials of s that have no record in dir, Workers at a time, each written
// atomically to trials/<k>.json as it ends, and returns when every trial has a record (or ctx
// is cancelled: only the trials in progress are lost). Trials are handed out in order; trial k
// first waits for the records of its history when it reads them (Study.History), computing any
// of them that no process is computing. Each trial is computed under its lock
// (trials/<k>.lock, sweep.LockFile), so that several processes on one folder compute each trial
// once: a process skips a trial another holds and comes back to it at the end.
func Run(ctx context.Context, s *Study, dir string, opt Options) (*Report, error) {
	if err := Prepare(s, dir); err != nil {
		return nil, err
	}
	rn := &runner{ctx: ctx, s: s, dir: dir, opt: opt, rep: &Report{}, total: s.File.Trials, computed: map[int]bool{}}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	for _, wait := range []bool{false, true} {
		todo := rn.busy
		if !wait {
			todo = make([]int, s.File.Trials)
			for k := range todo {
				todo[k] = k
			}
		}
		rn.busy = nil
		var g errgroup.Group
		g.SetLimit(workers)
		for _, k := range todo {
			if ctx.Err() != nil {
				break
			}
			g.Go(func() error { return rn.ensure(k, wait, true) })
		}
		if err := g.Wait(); err != nil {
			return rn.rep, err
		}
	}
	return rn.rep, ctx.Err()
}

// runner is one Run invocation's state.
type runner struct {
	ctx   context.Context
	s     *Study
	dir   string
	opt   Options
	mu    sync.Mutex // guards rep, done, busy and the calls of Progress
	rep   *Report
	done  int
	total int
	busy  []int
	// computed are the trials this invocation computed.
	computed map[int]bool
	// wake is closed when this process writes a record (other processes' are polled for).
	wake chan struct{}
}

// changed returns a channel closed when this process next writes a record.
func (rn *runner) changed() <-chan struct{} {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	if rn.wake == nil {
		rn.wake = make(chan struct{})
	}
	return rn.wake
}

// ensure returns once trial k has a record: it finds it, or computes it under its lock. Without
// wait, a trial whose lock another holder has is put aside (busy); with wait, it is waited for,
// and computed here if its holder dies without a record. count says whether k is one of the
// trials this invocation reports (not a history trial computed on the way).
func (rn *runner) ensure(k int, wait, count bool) error {
	var history []*Record
	for first := true; ; first = false {
		if err := rn.ctx.Err(); err != nil {
			return nil // Run returns ctx's error
		}
		rec, err := ReadRecord(rn.s, rn.dir, k)
		if err != nil {
			return err
		}
		if rec != nil {
			if count {
				rn.finished(k, false)
			}
			return nil
		}
		if first {
			if history, err = rn.history(k); err != nil || history == nil && rn.s.waitsFor(k) {
				return err // nil history: cancelled while waiting
			}
		}
		l, err := sweep.LockFile(rn.ctx, filepath.Join(rn.dir, "trials", strconv.Itoa(k)+".lock"), false)
		if err != nil {
			return err
		}
		if l == nil {
			if !wait {
				rn.mu.Lock()
				rn.busy = append(rn.busy, k)
				rn.mu.Unlock()
				return nil
			}
			select {
			case <-rn.ctx.Done():
			case <-time.After(poll):
			case <-rn.changed():
			}
			continue
		}
		ran, err := rn.compute(k, history)
		l.Release()
		if err != nil {
			return err
		}
		if !ran {
			continue // found finished under the lock, or cancelled: look again
		}
		if count {
			rn.finished(k, true)
		}
		return nil
	}
}

// compute runs trial k under its lock, unless its record appeared meanwhile, and writes it.
func (rn *runner) compute(k int, history []*Record) (bool, error) {
	if rec, err := ReadRecord(rn.s, rn.dir, k); rec != nil || err != nil {
		return false, err
	}
	matches, _ := filepath.Glob(filepath.Join(rn.dir, "trials", "."+strconv.Itoa(k)+".json.tmp-*"))
	for _, m := range matches { // a killed process's partial record: under the lock, no one writes it
		os.Remove(m)
	}
	rec, err := Execute(rn.ctx, rn.s, k, history)
	if err != nil {
		if rn.ctx.Err() != nil {
			return false, nil
		}
		return false, err
	}
	err = atomicfile.Write(recordPath(rn.dir, k), func(w io.Writer) error {
		return json.NewEncoder(w).Encode(rec)
	})
	if err == nil {
		rn.mu.Lock()
		rn.computed[k] = true
		if rn.wake != nil {
			close(rn.wake) // wake this process's trials waiting for a lock
			rn.wake = nil
		}
		rn.mu.Unlock()
	}
	return err == nil, err
}

// history returns the records of trial k's history when k reads them (nil otherwise, or when
// ctx is cancelled), ensuring each first.
func (rn *runner) history(k int) ([]*Record, error) {
	if !rn.s.waitsFor(k) {
		return nil, nil
	}
	h := rn.s.History(k)
	out := make([]*Record, h)
	for j := range h {
		if err := rn.ensure(j, true, false); err != nil {
			return nil, err
		}
		rec, err := ReadRecord(rn.s, rn.dir, j)
		if err != nil || rec == nil {
			return nil, err // nil: cancelled
		}
		out[j] = rec
	}
	return out, nil
}

// finished counts trial k as done; a trial this invocation computed (perhaps as another's
// history) counts as ran.
func (rn *runner) finished(k int, ran bool) {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	if ran || rn.computed[k] {
		rn.rep.Ran++
	} else {
		rn.rep.Skipped++
	}
	rn.done++
	if rn.opt.Progress != nil {
		rn.opt.Progress(rn.done, rn.total)
	}
}

// Collect reads every trial's record, in order (nil where missing).
func Collect(s *Study, dir string) ([]*Record, error) {
	if err := Check(s, dir); err != nil {
		return nil, err
	}
	recs := make([]*Record, s.File.Trials)
	for k := range recs {
		r, err := ReadRecord(s, dir, k)
		if err != nil {
			return nil, err
		}
		recs[k] = r
	}
	return recs, nil
}
