package main

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// interruptCase is a command that would run for minutes, the signal that stops it, and what may
// be left in its output folder.
type interruptCase struct {
	name string
	args []string // after the binary; --out and --no-progress are added
	sig  syscall.Signal
	// check inspects the output folder and the line on stderr.
	check func(t *testing.T, out, line string)
}

// Every long-running command, sent SIGTERM (SIGINT for one) after a random moment in
// [0.2 s, 1.5 s] (seeded), exits with status 130 within 2 s, prints one line saying it was
// interrupted and what it kept, and leaves nothing that looks complete but is not.
func TestSignalStopsEveryCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program and interrupts seven long runs")
	}
	bin := filepath.Join(t.TempDir(), "mfg")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// On two workers: one is held by the first run, which would run for hours, while the other
	// finishes short runs.
	steps := []string{"1000000000000"}
	for s := 2000; s < 2400; s++ {
		steps = append(steps, strconv.Itoa(s))
	}
	sweepFile := writeFile(t, "sweep.yaml", "name: interrupt\nseed: 5\nbase: {game: auction, iterations: 5, compare-to-gmf-v: false}\naxes: {steps: ["+strings.Join(steps, ", ")+"]}\n")
	cases := []interruptCase{
		{"solve --steps 1e12", []string{"solve", "--steps", "1000000000000"}, syscall.SIGTERM, checkSolve},
		{"solve --steps 1e12 (SIGINT)", []string{"solve", "--steps", "1000000000000"}, syscall.SIGINT, checkSolve},
		{"solve sampled --agents 1e12", []string{"solve", "--population-step", "sampled", "--agents", "1000000000000"}, syscall.SIGTERM, checkSolve},
		{"solve gmf-v --sweeps 1e12", []string{"solve", "--algorithm", "gmf-v", "--discount", "0.9999999", "--sweeps", "1000000000000", "--compare-to-gmf-v=false"}, syscall.SIGTERM, checkSolve},
		{"sweep", []string{"sweep", sweepFile, "--workers", "2"}, syscall.SIGTERM, checkSweep},
		{"compare --eval-rollouts 1e12", []string{"compare", "--iterations", "1", "--checkpoints", "1", "--steps", "1000", "--paths", "2",
			"--best-response-rounds", "100", "--eval-rollouts", "1000000000000"}, syscall.SIGTERM, checkCompare},
		{"reproduce", []string{"reproduce"}, syscall.SIGTERM, checkReproduce},
	}
	rng := rand.New(rand.NewPCG(11, 130))
	for _, c := range cases {
		delay := 200*time.Millisecond + time.Duration(rng.IntN(1300))*time.Millisecond
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			line, took := interrupt(t, bin, append(c.args, "--out", out, "--no-progress"), c.sig, delay)
			t.Logf("signal after %v, exit 130 after %v more: %s", delay, took.Round(time.Millisecond), line)
			c.check(t, out, line)
		})
	}
}

// interrupt starts bin with args, sends sig after delay and checks that it exits with status 130
// within 2 s with one line on stderr saying it was interrupted; it returns that line and the time
// from the signal to the exit.
func interrupt(t *testing.T, bin string, args []string, sig syscall.Signal, delay time.Duration) (string, time.Duration) {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(delay)
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatalf("%v: the program ended before the signal: %v", args, err)
	}
	sent := time.Now()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%v: still running 2 s after %v", args, sig)
	}
	took := time.Since(sent)
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Errorf("%v: exit status %d after %v, want 130; stderr:\n%s", args, code, sig, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "mfg: interrupted: ") {
		t.Errorf("%v: stderr is not one line \"mfg: interrupted: ...\":\n%s", args, stderr.String())
	}
	return lines[0], took
}

// checkSolve: result.json is absent (stopped before the first iteration, and the line says
// nothing was written) or says "interrupted", and there is no convergence plot.
func checkSolve(t *testing.T, out, line string) {
	b, err := os.ReadFile(filepath.Join(out, "result.json"))
	if os.IsNotExist(err) {
		if !strings.Contains(line, "nothing written") {
			t.Errorf("no result.json, and the line does not say nothing was written: %s", line)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	var res struct{ Status string }
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if res.Status != "interrupted" || !strings.Contains(line, `marked "interrupted"`) {
		t.Errorf("result.json status %q, line %q; want interrupted", res.Status, line)
	}
	if _, err := os.Stat(filepath.Join(out, "convergence.svg")); err == nil {
		t.Error("an interrupted solve drew its convergence plot")
	}
}

// checkSweep: no Parquet files; the finished runs, as many as the line says, are complete records.
func checkSweep(t *testing.T, out, line string) {
	for _, f := range []string{"runs.parquet", "iterations.parquet"} {
		if _, err := os.Stat(filepath.Join(out, f)); err == nil {
			t.Errorf("an interrupted sweep wrote %s", f)
		}
	}
	m := regexp.MustCompile(`(\d+) finished runs kept`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("the line does not count the finished runs: %s", line)
	}
	names, _ := filepath.Glob(filepath.Join(out, "runs", "*.json"))
	if n, _ := strconv.Atoi(m[1]); n != len(names) {
		t.Errorf("the line says %d runs were kept, runs/ holds %d", n, len(names))
	}
	for _, name := range names {
		var rec struct {
			Status     string
			Iterations int
		}
		b, err := os.ReadFile(name)
		if err != nil || json.Unmarshal(b, &rec) != nil || rec.Status != "ok" || rec.Iterations != 5 {
			t.Errorf("%s is not a finished run: %s", filepath.Base(name), b)
		}
	}
}

// checkCompare: nothing is summarised.
func checkCompare(t *testing.T, out, line string) {
	for _, f := range []string{"summary.csv", "paths.csv", "c_pi.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err == nil {
			t.Errorf("an interrupted comparison wrote %s", f)
		}
	}
	if !strings.Contains(line, "nothing written") {
		t.Errorf("the line does not say nothing was written: %s", line)
	}
}

// checkReproduce: the experiments counted finished have their outcome; the report, if written,
// says where it was interrupted.
func checkReproduce(t *testing.T, out, line string) {
	outcomes, _ := filepath.Glob(filepath.Join(out, "*", "outcome.json"))
	if m := regexp.MustCompile(`(\d+) finished experiments`).FindStringSubmatch(line); m != nil {
		if n, _ := strconv.Atoi(m[1]); n != len(outcomes) {
			t.Errorf("the line says %d experiments were kept, %d have an outcome", n, len(outcomes))
		}
	} else if len(outcomes) > 0 || !strings.Contains(line, "nothing finished") {
		t.Errorf("%d experiments finished, line: %s", len(outcomes), line)
	}
	if b, err := os.ReadFile(filepath.Join(out, "report.md")); err == nil && !strings.Contains(string(b), "Interrupted during") {
		t.Error("report.md does not say the reproduction was interrupted")
	}
}
