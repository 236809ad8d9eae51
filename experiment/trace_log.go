package experiment

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"meanfield/engine"
	"meanfield/internal/atomicfile"
)

// traceLog takes a solve's records one at a time, as the engine makes them (a streamed solve,
// engine.Options.Stream) or from a whole trace, and keeps what the outputs need of them: the
// text of trace.csv and trace.json goes out as the records arrive, through a buffer reused, and
// of each record only the numbers read at the end (result.json's exploitabilities, the
// convergence plot's curves, the summary's) are kept, in arrays of numbers: a long solve's
// memory no longer grows by a record of 192 bytes and its text an iteration, whose fresh pages
// cost more than the iteration itself on the small games.
//
// Where trace-matrices asks for tables, a record is written out when the next one arrives (or at
// finish, as the last): trace.json holds the tables of the last iteration, and a streamed solve
// does not know which is the last until then.
type traceLog struct {
	r           *SolveReport
	csv, json   textOut
	every, pops int
	// lastK is the last record's K when the whole trace is known (records of a trace edited by
	// hand may repeat it), else -1: a streamed solve's K are 0, 1, ... and its last has none of
	// the earlier ones'.
	lastK int
	// cache formats the numbers of the tables of trace.json and result.json.
	cache *numberCache
	// cols hold the last form of the exploitability and of the changes of L in l1 and l∞: a run
	// that settles repeats its values for thousands of iterations, copied rather than formatted.
	cols    [3]cachedNumber // the last form of each column
	scratch []byte
	// pending is the record not written out yet; pendingPops and pendingInner own its
	// populations' exploitabilities and its inner convergence, which the engine may reuse.
	pending      engine.Iteration
	hasPending   bool
	pendingPops  []float64
	pendingInner bool
	finished     bool

	// n records were written out. Of record i: ks[i] = K, expl[i] its exploitability (recorded
	// or not), l1[i] and linf[i] its changes of L, ref[i] its l1 distance to the reference (ref
	// nil until one is recorded), flags[i] which are recorded (hasE, hasChange, hasRef),
	// popEx[i·pops + p] its populations' exploitabilities (0 where not recorded), exForms its
	// exploitability's form (empty where not recorded). first is record 0 (its tables as kept),
	// bestE the lowest exploitability recorded (below record 0's value) and bestI its record;
	// innerStopped of innerKnown records say their inner solver stopped before converging.
	n                        int
	ks, expl, l1, linf, ref  []float64
	flags                    []uint8
	popEx                    []float64
	exForms                  formChunks
	first                    engine.Iteration
	bestE                    float64
	bestI                    int
	innerStopped, innerKnown int
}

// The flags of a record in traceLog.flags.
const (
	hasE = 1 << iota
	hasChange
	hasRef
)

// newTraceLog returns the log of r's solve (r.Game and r.Config set), whose trace.csv and
// trace.json go to csv and json (nil: files in dir, put in place by textOut.commit).
func (r *SolveReport) newTraceLog(dir string, csv, json io.Writer) *traceLog {
	l := &traceLog{r: r, every: r.Config.TraceEvery(), pops: len(r.populationBlocks()), lastK: -1, cache: new(numberCache)}
	// Written out once past 64 KiB: the room beyond holds the row that crosses it, which would
	// otherwise grow the buffer to 128 KiB of fresh memory.
	l.csv = textOut{w: csv, path: filepath.Join(dir, "trace.csv"), b: make([]byte, 0, 1<<16+1<<12)}
	l.json = textOut{w: json, path: filepath.Join(dir, "trace.json"), b: make([]byte, 0, 1<<16+1<<12)}
	l.csv.b = append(l.csv.b, strings.Join(append(TraceColumns[:len(TraceColumns):len(TraceColumns)], r.populationColumns()...), ",")...)
	l.csv.b = append(l.csv.b, '\n')
	l.json.b = append(l.json.b, `{"iterations":[`...)
	// Room for the iterations asked, up to 2¹⁶ (beyond, the arrays grow by append): memory never
	// touched costs no page fault.
	room := min(max(r.Config.Run.Iterations, 0), 1<<16) + 1
	l.ks, l.expl = make([]float64, 0, room), make([]float64, 0, room)
	l.l1, l.linf, l.flags = make([]float64, 0, room), make([]float64, 0, room), make([]uint8, 0, room)
	l.exForms.lens = make([]uint8, 0, room)
	return l
}

// logOf returns the log of a whole trace, its text written to csv and json (nil: discarded).
func (r *SolveReport) logOf(trace []engine.Iteration, csv, json io.Writer) *traceLog {
	l := r.newTraceLog("", orDiscard(csv), orDiscard(json))
	l.observeAll(trace)
	l.finish()
	return l
}

// observeAll takes the records of a whole trace, whose last K it knows from the start.
func (l *traceLog) observeAll(trace []engine.Iteration) {
	if len(trace) > 0 {
		l.lastK = trace[len(trace)-1].K
	}
	for i := range trace {
		l.observe(&trace[i])
	}
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

// stats returns the log of the solve: the streamed solve's, else one made from Result.Trace
// (which the tests edit: made anew at each call).
func (r *SolveReport) stats() *traceLog {
	if r.log != nil {
		return r.log
	}
	return r.logOf(r.Result.Trace, nil, nil)
}

// observe takes the next record: the one pending is written out, it is not the last. Without
// tables in trace.json (trace-matrices 0) no record waits for the next: it is written out now.
func (l *traceLog) observe(it *engine.Iteration) {
	if l.every <= 0 {
		l.emit(it, false)
		return
	}
	if l.hasPending {
		l.emit(&l.pending, false)
	}
	l.pending, l.hasPending = *it, true
	if p := it.PopulationExploitabilities; p != nil {
		l.pendingPops = append(l.pendingPops[:0], p...)
		l.pending.PopulationExploitabilities = l.pendingPops
	}
	if it.InnerConverged != nil {
		l.pendingInner = *it.InnerConverged
		l.pending.InnerConverged = &l.pendingInner
	}
}

// observing returns the function that takes each record, then hands it to then (when set).
func (l *traceLog) observing(then func(engine.Iteration)) func(engine.Iteration) {
	return func(it engine.Iteration) {
		l.observe(&it)
		if then != nil {
			then(it)
		}
	}
}

// abort removes the temporary files of the outputs not put in place.
func (l *traceLog) abort() {
	l.csv.abort()
	l.json.abort()
}

// finish writes out the record pending as the last and closes trace.json's text; it does
// nothing the second time.
func (l *traceLog) finish() {
	if l.finished {
		return
	}
	l.finished = true
	if l.hasPending {
		l.emit(&l.pending, true)
		l.hasPending = false
	}
	l.json.b = append(l.json.b, "]}\n"...)
	l.csv.flush(0)
	l.json.flush(0)
}

// emit writes out record it, the last one when last, and keeps its numbers.
func (l *traceLog) emit(it *engine.Iteration, last bool) {
	f := l.scratch[:0]
	if it.HasExploitability {
		f = l.cols[0].append(f, it.Exploitability)
	}
	ne := len(f)
	if it.HasChange {
		f = l.cols[1].append(f, it.L1Change)
	}
	n1 := len(f)
	if it.HasChange {
		f = l.cols[2].append(f, it.LInfChange)
	}
	l.scratch = f
	e, l1, linf := f[:ne:ne], f[ne:n1:n1], f[n1:]
	if l.csv.err == nil {
		l.csv.b = appendPopulationCells(appendTraceRow(l.csv.b, it, e, l1, linf), it, l.pops)
		l.csv.flush(1 << 16)
	}
	if l.json.err == nil {
		if l.n > 0 {
			l.json.b = append(l.json.b, ',')
		}
		lastK := l.lastK
		if last {
			lastK = it.K
		}
		var err error
		if l.json.b, err = l.r.appendIterationJSON(l.json.b, it, tracesTables(l.every, it.K, lastK), l.cache, e, l1, linf); err != nil {
			l.json.err = err
		}
		l.json.flush(1 << 16)
	}
	l.keep(it, e)
}

// keep keeps the numbers of record it, e its exploitability's form.
func (l *traceLog) keep(it *engine.Iteration, e []byte) {
	if l.n == 0 {
		l.first = *it
		l.first.PopulationExploitabilities = append([]float64(nil), it.PopulationExploitabilities...)
		l.first.InnerConverged = nil
		l.bestE = it.Exploitability
	}
	var fl uint8
	if it.HasExploitability {
		fl |= hasE
		if it.Exploitability < l.bestE {
			l.bestE, l.bestI = it.Exploitability, l.n
		}
	}
	if it.HasChange {
		fl |= hasChange
	}
	if it.HasReference {
		fl |= hasRef
		if l.ref == nil {
			l.ref = make([]float64, l.n, cap(l.ks))
		}
	}
	if l.ref != nil {
		l.ref = append(l.ref, it.ReferenceL1)
	}
	l.ks, l.expl, l.flags = append(l.ks, float64(it.K)), append(l.expl, it.Exploitability), append(l.flags, fl)
	l.l1, l.linf = append(l.l1, it.L1Change), append(l.linf, it.LInfChange)
	l.exForms.add(e)
	if l.pops > 0 {
		for p := range l.pops {
			x := 0.0
			if len(it.PopulationExploitabilities) == l.pops {
				x = it.PopulationExploitabilities[p]
			}
			l.popEx = append(l.popEx, x)
		}
	}
	if it.InnerConverged != nil {
		l.innerKnown++
		if !*it.InnerConverged {
			l.innerStopped++
		}
	}
	l.n++
}

// series returns the ks and values of the records whose flag is set: sub-slices of the log's
// arrays when those records are consecutive (every record, or all but the first), else copies.
func (l *traceLog) series(flag uint8, values []float64) (x, y []float64) {
	from, to, count := -1, -1, 0
	for i, f := range l.flags {
		if f&flag != 0 {
			if from < 0 {
				from = i
			}
			to, count = i+1, count+1
		}
	}
	if count == 0 {
		return nil, nil
	}
	if count == to-from {
		return l.ks[from:to:to], values[from:to:to]
	}
	x, y = make([]float64, 0, count), make([]float64, 0, count)
	for i, f := range l.flags {
		if f&flag != 0 {
			x, y = append(x, l.ks[i]), append(y, values[i])
		}
	}
	return x, y
}

// formChunks holds forms one after another in chunks of 64 KiB, none split across two (a
// buffer grown by append would copy them all at each growth, and leave each old array to the
// collector); lens[i] is the i-th's length.
type formChunks struct {
	chunks [][]byte
	lens   []uint8
}

// add appends form f, at most 24 bytes.
func (c *formChunks) add(f []byte) {
	if n := len(c.chunks); n == 0 || len(c.chunks[n-1])+len(f) > cap(c.chunks[n-1]) {
		c.chunks = append(c.chunks, make([]byte, 0, 1<<16))
	}
	last := &c.chunks[len(c.chunks)-1]
	*last = append(*last, f...)
	c.lens = append(c.lens, uint8(len(f)))
}

// reader returns the forms in order as a formedList's form: the i-th call returns the i-th.
func (c *formChunks) reader() func(i int) []byte {
	chunk, pos := 0, 0
	return func(i int) []byte {
		n := int(c.lens[i])
		if n == 0 {
			return nil
		}
		if pos+n > len(c.chunks[chunk]) {
			chunk, pos = chunk+1, 0
		}
		s := c.chunks[chunk][pos : pos+n : pos+n]
		pos += n
		return s
	}
}

// textOut is the text of one output going out as it is appended: to w, or else to a temporary
// file beside path, made at the first write, which commit puts in place. err is the first
// error (of a write, or of a value the format cannot hold), after which nothing more is written.
type textOut struct {
	b    []byte
	w    io.Writer
	path string
	file *atomicfile.File
	err  error
	// wrapped says that err reads "write PATH: ..." already.
	wrapped bool
}

// flush writes the text out once it reaches at least bytes.
func (o *textOut) flush(bytes int) {
	if o.err != nil || len(o.b) < bytes || len(o.b) == 0 {
		return
	}
	if o.w == nil {
		if o.file == nil && bytes == 0 {
			return // the whole text is at hand: commit writes it at once
		}
		if o.file == nil {
			if o.err = os.MkdirAll(filepath.Dir(o.path), 0o755); o.err != nil {
				return
			}
			if o.file, o.err = atomicfile.Create(o.path); o.err != nil {
				o.wrapped = true
				return
			}
		}
		o.w = o.file
	}
	if _, err := o.w.Write(o.b); err != nil {
		o.err = err
	}
	o.b = o.b[:0]
}

// commit puts the file in place at path: the text at hand written at once, or the temporary
// file committed. A failing write removes the temporary file, and the error reads
// "write PATH: ...".
func (o *textOut) commit() error {
	switch {
	case o.file == nil && o.err == nil:
		return atomicfile.WriteBytes(o.path, o.b)
	case o.err != nil:
		o.abort()
		if o.wrapped {
			return o.err
		}
		return fmt.Errorf("write %s: %w", o.path, o.err)
	}
	if o.flush(1); o.err != nil {
		return o.commit()
	}
	o.b = nil
	err := o.file.Commit()
	o.file = nil
	return err
}

// abort removes the temporary file, when there is one.
func (o *textOut) abort() {
	if o.file != nil {
		o.file.Abort()
		o.file = nil
	}
}

// Records is the number of iterations recorded, K+1 (0 before the first).
func (r *SolveReport) Records() int { return r.stats().n }

// ExploitabilityAt returns the exploitability of iteration i (0 ≤ i < Records; the field's
// value, 0 where not computed) and whether it was recorded.
func (r *SolveReport) ExploitabilityAt(i int) (float64, bool) {
	l := r.stats()
	return l.expl[i], l.flags[i]&hasE != 0
}

// LowestExploitability returns the lowest exploitability recorded, and its iteration: iteration
// 0's value and 0 when none is below it.
func (r *SolveReport) LowestExploitability() (e float64, k int) {
	l := r.stats()
	return l.bestE, l.bestI
}

// InnerConvergence returns the number of iterations whose inner solver stopped at its cap before
// converging, of the number of those whose inner solver can tell.
func (r *SolveReport) InnerConvergence() (stopped, of int) {
	l := r.stats()
	return l.innerStopped, l.innerKnown
}

// FirstIteration is the record of iteration 0, its tables as the solve kept them (its
// population always).
func (r *SolveReport) FirstIteration() engine.Iteration { return r.stats().first }
