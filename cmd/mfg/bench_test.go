package main

import (
	"context"
	"io"
	"testing"
)

// benchmarkSolve runs mfg solve in-process with args, writing into a temporary folder, and fails
// the benchmark on a non-zero exit status. One op is the whole command: flags, configuration,
// build, solve, summary and every output file.
func benchmarkSolve(b *testing.B, args ...string) {
	dir := b.TempDir()
	args = append([]string{"solve", "--out", dir, "--no-progress", "--force"}, args...)
	for b.Loop() {
		if code := run(context.Background(), args, io.Discard, io.Discard); code != 0 {
			b.Fatalf("mfg %v: exit status %d", args, code)
		}
	}
}

// BenchmarkSolveSmall is the start-up and outputs of a small solve: one iteration on the beach
// bar (a finite-horizon game on a line, with its population figure).
func BenchmarkSolveSmall(b *testing.B) {
	benchmarkSolve(b, "--game", "beach-bar", "--iterations", "1")
}

// BenchmarkSolveAuctionSmall is one GMF-Q iteration on the default auction, with its GMF-V
// reference and the exploitability: mostly start-up and outputs.
func BenchmarkSolveAuctionSmall(b *testing.B) {
	benchmarkSolve(b, "--iterations", "1")
}

// BenchmarkSolveEvacuation is 50 iterations of fictitious play on building evacuation with every
// output by default (trace.json holds no iteration's tables since issue 12).
func BenchmarkSolveEvacuation(b *testing.B) {
	benchmarkSolve(b, "--game", "building-evacuation", "--iterations", "50")
}

// BenchmarkSolveLeftRight10010 is 10010 iterations of prior descent on left right with every
// output (trace-matrices 0): the whole command whose marginal cost an iteration issue 12 measures.
func BenchmarkSolveLeftRight10010(b *testing.B) {
	benchmarkSolve(b, "--game", "left-right", "--algorithm", "prior-descent", "--iterations", "10010", "--trace-matrices", "0")
}
