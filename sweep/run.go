package sweep

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
	"sort"
	"sync"

	"golang.org/x/sync/errgroup"

	"meanfield/engine"
	"meanfield/experiment"
	"meanfield/internal/atomicfile"
	"meanfield/internal/oneline"
)

// Record is the result of one run, written to runs/<id>.json when the run finishes.
type Record struct {
	// Fingerprint and SweepSeed are those of the sweep that wrote the record: Collect and RunSweep
	// refuse a record whose sweep, id or seeds are not those of its folder's sweep and run.
	Fingerprint string         `json:"sweep_fingerprint"`
	SweepSeed   uint64         `json:"sweep_seed"`
	ID          string         `json:"id"`
	Index       int            `json:"index"`
	Replicate   int            `json:"replicate"`
	Seed        uint64         `json:"seed"`
	Params      map[string]any `json:"params"`
	// Status is "ok" or "failed"; Error says why a run failed.
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
	// Game and Algorithm as resolved.
	Game      string `json:"game,omitempty"`
	Algorithm string `json:"algorithm,omitempty"`
	// Iterations recorded, whether the solve converged, and the final values (absent when not
	// defined for the run's kind of game).
	Iterations int  `json:"iterations"`
	Converged  bool `json:"converged"`
	// CyclePeriod is the period of the cycle of L at which the algorithm stopped (no
	// equilibrium), 0 when it did not stop at one. The merged Parquet files do not carry it.
	CyclePeriod    int      `json:"cycle_period,omitempty"`
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
	rec := &Record{Fingerprint: s.Fingerprint, SweepSeed: s.File.Seed, ID: r.ID, Index: r.Index, Replicate: r.Replicate, Seed: r.Seed, Params: r.Params, Status: "ok"}
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
	if res.Stop != nil && res.Stop.Reason == engine.StopCycle {
		rec.CyclePeriod = res.Stop.Period
	}
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
	// Progress, when set, is called after every run this invocation computes, or finds finished
	// by another process while it runs, with the numbers done and to do, from one goroutine at a
	// time.
	Progress func(done, total int)
}

// Report says what RunSweep did.
type Report struct {
	// Ran and Failed count the runs this invocation computed, and those of them that failed;
	// Skipped the runs it found finished, before it started or, by another process running the
	// same sweep in the same folder, while it ran.
	Ran, Skipped, Failed int
}

func recordPath(dir, id string) string { return filepath.Join(dir, "runs", id+".json") }

// removeStaleTemps removes the temporary files of run id's record that a killed process left
// (runs/.<id>.json.tmp-*). Only the holder of the run's lock writes them, so the caller must hold it.
func removeStaleTemps(dir, id string) {
	matches, _ := filepath.Glob(filepath.Join(dir, "runs", "."+id+".json.tmp-*"))
	for _, m := range matches {
		os.Remove(m)
	}
}

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

// finished reports whether run r of s has a record in dir, and refuses (ErrForeignRecord) a record
// that is not r's.
func (s *Sweep) finished(dir string, r Run) (bool, error) {
	rec, err := ReadRecord(dir, r.ID)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("out = %s: %w", dir, err)
	}
	return true, s.belongs(rec, r, recordPath(dir, r.ID))
}

// RunSweep runs the selected runs of s that are not finished in dir, in parallel, writing each
// record atomically as it finishes, and returns once every selected run has a record (or ctx is
// cancelled: then only the runs in progress are lost). A record that is not its run's is refused
// (ErrForeignRecord) and left as it is. Each run is computed under its lock (runs/<id>.lock, see
// the package's doc), so that processes running the same sweep, or shards of it, on one folder at
// once compute every run once: a run another process holds is left for later and then waited for.
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
	rn := &runner{ctx: ctx, s: s, dir: dir, opt: opt, rep: &Report{}}
	var todo []Run
	for _, r := range runs {
		done, err := s.finished(dir, r)
		if err != nil {
			return rn.rep, err
		}
		if done {
			rn.rep.Skipped++
			continue
		}
		todo = append(todo, r)
	}
	rn.total = len(todo)
	firstErr := rn.pass(todo, false)
	sort.Slice(rn.busy, func(i, j int) bool { return rn.busy[i].Index < rn.busy[j].Index })
	if err := rn.pass(rn.busy, true); firstErr == nil {
		firstErr = err
	}
	if err := ctx.Err(); err != nil {
		return rn.rep, err
	}
	return rn.rep, firstErr
}

// runner is one RunSweep invocation's state.
type runner struct {
	ctx  context.Context
	s    *Sweep
	dir  string
	opt  Options
	busy []Run // runs whose lock another process held in the first pass
	// mu guards rep, done and busy (and serialises opt.Progress); total is fixed.
	mu          sync.Mutex
	rep         *Report
	done, total int
}

// pass hands runs to the workers. An error (a record that cannot be written, a foreign record)
// does not stop the runs already started, nor the handing out of the others unless ctx is
// cancelled: the first error is returned once all are done. Without wait, a run that another
// process holds is added to busy; with wait, it is waited for.
func (rn *runner) pass(runs []Run, wait bool) error {
	workers := rn.opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var g errgroup.Group
	g.SetLimit(workers)
	for _, r := range runs {
		if rn.ctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if rn.ctx.Err() != nil { // cancelled while waiting for a worker: not started
				return nil
			}
			return rn.one(r, wait)
		})
	}
	return g.Wait()
}

// one takes run r's lock and, unless r turns out to be finished meanwhile, computes it and writes
// its record before releasing the lock.
func (rn *runner) one(r Run, wait bool) error {
	l, err := lockRun(rn.ctx, rn.dir, r.ID, wait)
	if err != nil {
		return err
	}
	if l == nil {
		rn.mu.Lock()
		rn.busy = append(rn.busy, r)
		rn.mu.Unlock()
		return nil
	}
	defer l.release()
	removeStaleTemps(rn.dir, r.ID) // a killed process's partial record: under the lock, no one writes it
	done, err := rn.s.finished(rn.dir, r)
	if err != nil {
		return err
	}
	var rec *Record
	if !done {
		if rec, err = Execute(rn.ctx, rn.s, r); err != nil {
			return err
		}
		err = atomicfile.Write(recordPath(rn.dir, r.ID), func(w io.Writer) error {
			return json.NewEncoder(w).Encode(rec)
		})
		if err != nil {
			return err
		}
	}
	rn.mu.Lock()
	defer rn.mu.Unlock()
	if done {
		rn.rep.Skipped++
	} else {
		rn.rep.Ran++
		if rec.Status != "ok" {
			rn.rep.Failed++
		}
	}
	rn.done++
	if rn.opt.Progress != nil {
		rn.opt.Progress(rn.done, rn.total) // under the lock: one caller at a time, in order
	}
	return nil
}

// Verdict is the run's verdict (engine.Result.Verdict), from its record: converged, cycling,
// oscillating or stopped at the cap; "" for a failed run.
func (rec *Record) Verdict() engine.Verdict {
	if rec.Status != "ok" || len(rec.Trace) == 0 {
		return engine.Verdict{}
	}
	res := &engine.Result{Converged: rec.Converged, Trace: make([]engine.Iteration, len(rec.Trace))}
	if rec.CyclePeriod > 0 {
		res.Stop = &engine.Stop{Reason: engine.StopCycle, Period: rec.CyclePeriod, Start: rec.Iterations - rec.CyclePeriod,
			Detail: fmt.Sprintf("L cycles with period %d", rec.CyclePeriod)}
	}
	for i, p := range rec.Trace {
		it := &res.Trace[i]
		it.K = p.Iteration
		if p.Exploitability != nil {
			it.Exploitability, it.HasExploitability = *p.Exploitability, true
		}
		if p.L1Change != nil {
			it.L1Change, it.LInfChange, it.HasChange = *p.L1Change, *p.LInfChange, true
		}
	}
	return res.Verdict()
}
