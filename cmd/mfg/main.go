// Command mfg learns mean-field games: it solves the repeated ad auction and other games with
// GMF-V, GMF-Q and the naive algorithm, and writes traces, tables and plots.
//
//	mfg solve                          GMF-Q on the default auction
//	mfg solve --algorithm gmf-v        the full-information solver
//	mfg solve --config run.yaml --seed 7
//	mfg games | mfg algorithms         what exists
//	mfg check-game beach-bar           the conformance kit on a game (--all: every game), a report
//	mfg benchmfg --games skew-rps      Bench-MFG's learners, ours beside its published results
//
// Bad input (flags, configuration) exits with status 2 and a one-line message naming the field
// and value; so does a run estimated to need more memory than --max-memory (naming the product
// of sizes), a configuration or sweep file over 16 MiB, or more --workers than 4 × the cores.
// Other failures exit with status 1. SIGINT or SIGTERM stops any command within about a second:
// it prints one line saying what was kept ("mfg: interrupted: ...") and exits with status 130; a
// second signal ends the program at once.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"meanfield/internal/oneline"
)

// usageError marks bad input: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usage(err error) error {
	if err == nil {
		return nil
	}
	return usageError{err}
}

// interruptedError is the error of a command stopped by an interrupt, with what it kept: exit
// status 130.
type interruptedError struct {
	err  error
	kept string // e.g. "results so far in out/ (marked interrupted)"
}

func (e interruptedError) Error() string { return e.err.Error() }
func (e interruptedError) Unwrap() error { return e.err }

// interrupted returns err with what the command kept when err is a cancellation, err otherwise.
func interrupted(err error, kept string) error {
	if !errors.Is(err, context.Canceled) {
		return err
	}
	return interruptedError{err, kept}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // the signals' default action again: a second one ends the program at once
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the program and returns its exit status. An error after ctx was cancelled (by a
// signal) is an interruption: one line says what was kept, and the status is 130.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ue usageError
	var ie interruptedError
	switch {
	case errors.As(err, &ue), isCobraUsage(err):
		fmt.Fprintln(stderr, "mfg:", oneline.String(err.Error()))
		return 2
	case errors.As(err, &ie):
		fmt.Fprintln(stderr, "mfg: interrupted:", oneline.String(ie.kept))
		return 130
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "mfg: interrupted")
		return 130
	case ctx.Err() != nil: // a failure on the way out of an interrupt
		fmt.Fprintln(stderr, "mfg: interrupted:", oneline.String(err.Error()))
		return 130
	}
	fmt.Fprintln(stderr, "mfg:", oneline.String(err.Error()))
	return 1
}

// isCobraUsage recognises cobra's and pflag's own complaints about the command line.
func isCobraUsage(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "invalid argument", "flag needs an argument", "accepts ", "requires at least", "bad flag syntax"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}
