package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// The command line never panics, whatever its arguments: every run ends with exit status 0, 1, 2
// or 130, and a refused input (2) says why in one line, without Go's words (type names,
// strconv). Runs are cut short after 200 ms (the deadline cancels them) and write into a
// temporary folder.
func FuzzArgs(f *testing.F) {
	for _, seed := range []string{
		"solve --game left-right --iterations 2",
		"solve --game beach-bar --param n=5 --algorithm prior-descent --eta 0.5",
		"solve --states 4 --actions 3 --algorithm gmf-v --temperature 2",
		"solve --game auction --param states=abc",
		"solve --alpha 2 --game left-right",
		"games",
		"algorithms",
		"solve --iterations -1",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		for _, a := range args {
			if a == "--out" || strings.HasPrefix(a, "--out=") || a == "--config" || strings.HasPrefix(a, "--config=") || a == "--force" {
				t.Skip() // the fuzzer writes only into its temporary folder, and reads no files
			}
		}
		if len(args) > 0 && args[0] != "solve" && args[0] != "games" && args[0] != "algorithms" {
			t.Skip() // sweep, compare and reproduce write or run at length by design
		}
		if len(args) > 0 && args[0] == "solve" {
			args = append(args, "--out", t.TempDir(), "--no-progress", "--max-memory", "256MiB")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		var out, errb bytes.Buffer
		code := run(ctx, args, &out, &errb)
		switch code {
		case 0, 1, 130:
		case 2:
			msg := strings.TrimSpace(errb.String())
			if strings.Contains(msg, "\n") && !strings.Contains(msg, "Usage:") {
				t.Fatalf("%q: exit 2 with more than one line: %q", line, msg)
			}
			for _, f := range []string{"unmarshal", "!!", "experiment.", "main.", "strconv", "reflect", "type struct", "%!"} {
				if strings.Contains(msg, f) && !strings.Contains(line, f) {
					t.Fatalf("%q: message holds %q, Go's words, not the user's: %q", line, f, msg)
				}
			}
		default:
			t.Fatalf("%q: exit %d", line, code)
		}
	})
}
