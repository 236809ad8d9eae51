package main

import (
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// progress shows a bar on a terminal; elsewhere (a log file, CI) it logs a line at every tenth of
// the work, at most one a second.
type progress struct {
	mu      sync.Mutex // Step may be called from several goroutines
	total   int
	p       *mpb.Progress
	bar     *mpb.Bar
	log     *slog.Logger
	nextLog int
	lastLog time.Time
	name    string
}

func newProgress(w io.Writer, name string, total int) *progress {
	pr := &progress{total: total, name: name}
	if isTerminal(w) {
		pr.p = mpb.New(mpb.WithOutput(w), mpb.WithWidth(40))
		pr.bar = pr.p.AddBar(int64(total),
			mpb.PrependDecorators(decor.Name(name+" "), decor.CountersNoUnit("%d/%d")),
			mpb.AppendDecorators(decor.Percentage(), decor.Name(" "), decor.Elapsed(decor.ET_STYLE_GO)),
		)
	} else {
		pr.log = slog.New(slog.NewTextHandler(w, nil))
		pr.nextLog = max(total/10, 1)
		pr.lastLog = time.Now()
	}
	return pr
}

// Step reports that done units are finished; on a nil progress (none asked for) it does nothing.
func (pr *progress) Step(done int, detail string) {
	if pr == nil {
		return
	}
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.bar != nil {
		pr.bar.SetCurrent(int64(done))
		return
	}
	if done >= pr.nextLog {
		pr.nextLog = done + max(pr.total/10, 1)
		if time.Since(pr.lastLog) >= time.Second {
			pr.lastLog = time.Now()
			pr.log.Info("progress", "task", pr.name, "done", done, "total", pr.total, "detail", detail)
		}
	}
}

// Done completes the bar (a solve may stop early at convergence); nil does nothing.
func (pr *progress) Done() {
	if pr != nil && pr.bar != nil {
		pr.bar.SetTotal(-1, true)
		pr.p.Wait()
	}
}
