package sweep

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"golang.org/x/sync/errgroup"

	"meanfield/experiment"
	"meanfield/internal/atomicfile"
	"meanfield/internal/oneline"
)

// Record is the result of one run, written to runs/<id>.json when the run finishes.
type Record struct {
	ID        string         `json:"id"`
	Index     int            `json:"index"`
	Replicate int            `json:"replicate"`
	Seed      uint64         `json:"seed"`
	Params    map[string]any `json:"params"`
	// Status is "ok" or "failed"; Error says why a run failed.
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
	// Game and Algorithm as resolved.
	Game      string `json:"game,omitempty"`
	Algorithm string `json:"algorithm,omitempty"`
	// Iterations recorded, whether the solve converged, and the final values (absent when not
	// defined for the run's kind of game).
	Iterations     int      `json:"iterations"`
	Converged      bool     `json:"converged"`
	Exploitability *float64 `json:"exploitability,omitempty"`
	L1Change       *float64 `json:"l1_change,omitempty"`
	LInfChange     *float64 `json:"linf_change,omitempty"`
	Trace          []Point  `json:"trace,omitempty"`
}

// Point is one iteration of a run.
type Point struct {
	Iteration      int      `json:"iteration"`
	Exploitability *float64 `json:"exploitability,omitempty"`
	L1Change       *float64 `json:"l1_change,omitempty"`
	LInfChange     *float64 `json:"linf_change,omitempty"`
}

func ptr(x float64) *float64 { return &x }

// Execute runs one solve and returns its record; a failure is recorded, not returned, unless ctx
// was cancelled (then the run is not finished and nothing is recorded).
func Execute(ctx context.Context, s *Sweep, r Run) (*Record, error) {
	rec := &Record{ID: r.ID, Index: r.Index, Replicate: r.Replicate, Seed: r.Seed, Params: r.Params, Status: "ok"}
	err := execute(ctx, s, r, rec)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		rec.Status, rec.Error = "failed", oneline.String(err.Error())
		rec.Trace = nil
	}
	return rec, nil
}

func execute(ctx context.Context, s *Sweep, r Run, rec *Record) error {
	cfg, err := s.Config(r)
	if err != nil {
		return err
	}
	if cfg, err = cfg.Resolve(); err != nil {
		return err
	}
	rec.Game, rec.Algorithm = cfg.Run.Game, cfg.Run.Algorithm
	_, res, err := experiment.Execute(ctx, cfg, nil, nil)
	if err != nil {
		return err
	}
	for _, it := range res.Trace {
		p := Point{Iteration: it.K}
		if it.HasExploitability {
			p.Exploitability = ptr(it.Exploitability)
		}
		if it.HasChange {
			p.L1Change, p.LInfChange = ptr(it.L1Change), ptr(it.LInfChange)
		}
		rec.Trace = append(rec.Trace, p)
	}
	f := res.Final()
	rec.Iterations, rec.Converged = f.K, res.Converged
	if f.HasChange {
		rec.L1Change, rec.LInfChange = ptr(f.L1Change), ptr(f.LInfChange)
	}
	if f.HasExploitability {
		rec.Exploitability = ptr(f.Exploitability)
	}
	return nil
}

// Options of RunSweep.
type Options struct {
	// Shard and Shards select the runs with index ≡ Shard (mod Shards); Shards 0 means all.
	Shard, Shards int
	// Workers is the number of runs in parallel; 0 means all cores (at most 4 × the cores).
	Workers int
	// Progress, when set, is called after every finished run with the numbers done and to do,
	// from one goroutine at a time.
	Progress func(done, total int)
}

// Report says what RunSweep did.
type Report struct {
	// Ran, Skipped and Failed count runs of this invocation: computed now, found finished, and
	// computed now with an error.
	Ran, Skipped, Failed int
}

// ErrOtherSweep marks a results folder that holds another sweep's results.
var ErrOtherSweep = errors.New("the results folder holds another sweep")

// manifest is DIR/sweep.json: which sweep a results folder belongs to.
type manifest struct {
	Name        string `json:"name"`
	Fingerprint string `json:"fingerprint"`
	Runs        int    `json:"runs"`
}

// Prepare makes dir a results folder of s, or checks that it already is one. It never touches a
// folder that belongs to another sweep.
func Prepare(s *Sweep, dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, "runs"), 0o755); err != nil {
		return fmt.Errorf("out = %s: %w", dir, err)
	}
	path := filepath.Join(dir, "sweep.json")
	if b, err := os.ReadFile(path); err == nil {
		var m manifest
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("out = %s: sweep.json is unreadable (%v): %w", dir, err, ErrOtherSweep)
		}
		if m.Fingerprint != s.Fingerprint {
			return fmt.Errorf("out = %s: it holds results of sweep %q (fingerprint %s), not of this one (fingerprint %s): %w; choose another folder", dir, m.Name, m.Fingerprint, s.Fingerprint, ErrOtherSweep)
		}
		return nil
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		return json.NewEncoder(w).Encode(manifest{Name: s.File.Name, Fingerprint: s.Fingerprint, Runs: len(s.Runs)})
	})
}

// Check reports whether dir is a results folder of s, without creating or changing anything.
func Check(s *Sweep, dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, "sweep.json"))
	if err != nil {
		return fmt.Errorf("out = %s: no results of a sweep here (%v)", dir, err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil || m.Fingerprint != s.Fingerprint {
		return fmt.Errorf("out = %s: it holds results of sweep %q (fingerprint %s), not of this one (fingerprint %s): %w", dir, m.Name, m.Fingerprint, s.Fingerprint, ErrOtherSweep)
	}
	return nil
}

func recordPath(dir, id string) string { return filepath.Join(dir, "runs", id+".json") }

// ReadRecord reads a finished run's record.
func ReadRecord(dir, id string) (*Record, error) {
	b, err := os.ReadFile(recordPath(dir, id))
	if err != nil {
		return nil, err
	}
	var r Record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("runs/%s.json: %w", id, err)
	}
	return &r, nil
}

// RunSweep runs the selected runs of s that are not finished in dir, in parallel, writing each
// record atomically as it finishes. A cancelled ctx stops it, losing only the runs in progress.
// More workers than 4 × the cores, or runs at once estimated to need more than s.MaxMemory, are
// refused (CheckMemory) before dir is touched.
func RunSweep(ctx context.Context, s *Sweep, dir string, opt Options) (*Report, error) {
	runs := s.Runs
	if opt.Shards > 0 {
		runs = s.Shard(opt.Shard, opt.Shards)
	}
	if err := s.CheckMemory(opt.Workers, len(runs)); err != nil {
		return nil, err
	}
	if err := Prepare(s, dir); err != nil {
		return nil, err
	}
	rep := &Report{}
	var todo []Run
	for _, r := range runs {
		if _, err := os.Stat(recordPath(dir, r.ID)); err == nil {
			rep.Skipped++
			continue
		}
		todo = append(todo, r)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// An error (cancellation, or a record that cannot be written) does not stop the runs already
	// started, nor the handing out of the others unless ctx is cancelled: the first error is
	// returned once all are done.
	var mu sync.Mutex
	var g errgroup.Group
	g.SetLimit(workers)
	for _, r := range todo {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if ctx.Err() != nil { // cancelled while waiting for a worker: not started
				return nil
			}
			rec, err := Execute(ctx, s, r)
			if err == nil {
				err = atomicfile.Write(recordPath(dir, r.ID), func(w io.Writer) error {
					return json.NewEncoder(w).Encode(rec)
				})
			}
			if err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			rep.Ran++
			if rec.Status != "ok" {
				rep.Failed++
			}
			if opt.Progress != nil {
				opt.Progress(rep.Ran, len(todo)) // under the lock: one caller at a time, in order
			}
			return nil
		})
	}
	firstErr := g.Wait()
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	return rep, firstErr
}
