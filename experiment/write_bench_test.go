package experiment

import (
	"context"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// BenchmarkSolveReportWrite is the writing of every output of a solve (SolveReport.write) of left
// right with prior descent, whose numbers settle (most are found in the number cache), and of
// beach bar with online mirror descent, whose numbers keep changing, trace-matrices 0 as the
// MFGLib comparison runs them, at 10 and 10010 iterations: the difference over 10⁴ is what the
// outputs cost an iteration (issue 12).
func BenchmarkSolveReportWrite(b *testing.B) {
	for _, c := range []struct{ game, alg string }{{"left-right", "prior-descent"}, {"left-right", "fictitious-play"}, {"beach-bar", "online-mirror-descent"}} {
		for _, n := range []int{10, 10010} {
			b.Run(c.game+"/"+strconv.Itoa(n), func(b *testing.B) { benchmarkSolveReportWrite(b, c.game, c.alg, n) })
		}
	}
}

// benchmarkSolveReportWrite writes the outputs of alg's solve of game for n iterations, b.N times.
func benchmarkSolveReportWrite(b *testing.B, game, alg string, n int) {
	cfg, none := DefaultSolveConfig(), 0
	cfg.Run.Game, cfg.Run.Algorithm, cfg.Run.Iterations = game, alg, n
	cfg.Outputs.TraceMatrices = &none
	dir := b.TempDir()
	rep, err := RunSolve(context.Background(), cfg, dir, nil)
	if err != nil {
		b.Fatal(err)
	}
	user0, sys0 := processCPU(b)
	for b.Loop() {
		rep.Files = rep.Files[:0]
		if err := rep.write(dir); err != nil {
			b.Fatal(err)
		}
	}
	// The CPU time, not the wall time: each file is synced to disk, whose wait varies by
	// milliseconds. The system's time (writes into the page cache, syncs) apart: it is the
	// noisier.
	user, sys := processCPU(b)
	b.ReportMetric(float64(user-user0)/float64(b.N), "user-ns/op")
	b.ReportMetric(float64(sys-sys0)/float64(b.N), "sys-ns/op")
}

// processCPU is the CPU time, user and system, the process has used so far.
func processCPU(b *testing.B) (user, sys time.Duration) {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		b.Fatal(err)
	}
	return time.Duration(u.Utime.Nano()), time.Duration(u.Stime.Nano())
}
