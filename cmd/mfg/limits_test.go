package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// refusal is a command refused for a limit: its arguments (--out is added) and what its one line
// must name.
type refusal struct {
	name string
	args []string
	want []string
}

// checkRefusals runs each command with --out in a fresh folder that does not exist yet and
// checks exit status 2, one line on stderr naming what it should, nothing on stdout and no --out
// folder created. The runs refused never allocate what they would need: the estimate comes from
// the parameters, before anything is built.
func checkRefusals(t *testing.T, cases []refusal) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := append(append([]string{}, c.args...), "--out", out)
			if c.args[0] != "sweep" || len(c.args) < 2 || (c.args[1] != "merge" && c.args[1] != "summarize") {
				args = append(args, "--no-progress")
			}
			assertRefused(t, args, c.want...)
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("--out %s was created (%v)", out, err)
			}
		})
	}
}

// Runs whose memory, estimated from the product of their sizes, exceeds --max-memory (or the
// default, 3/4 of the machine's memory) are refused before anything is built, naming the product
// and the parameters to lower.
func TestMemoryLimitRefusesLargeRuns(t *testing.T) {
	bigSweep := writeFile(t, "big.yaml", "name: big\nbase: {game: crowd-motion, iterations: 2}\naxes: {params.torus-l: [20, 100000], params.torus-w: [20, 100000]}\n")
	parallel := writeFile(t, "parallel.yaml", "name: parallel\nbase: {game: beach-bar, params: {n: 1000}, iterations: 10}\naxes: {params.T: [10, 20, 30, 40]}\n")
	manyRuns := writeFile(t, "many.yaml", "name: many\nreplicates: 10000000\nbase: {game: left-right}\n")
	checkRefusals(t, []refusal{
		{"solve: crowd-motion on a 100000 × 100000 grid", []string{"solve", "--game", "crowd-motion", "--param", "torus-l=100000", "--param", "torus-w=100000"},
			[]string{"crowd-motion: about", "TiB needed", "states 1e10 × actions 5 × times 4", "over --max-memory", "lower torus-l, torus-w or T"}},
		{"solve: random-linear with n = 5000", []string{"solve", "--game", "random-linear", "--param", "n=5000"},
			[]string{"random-linear: about", "states 5000 × actions 5000", "5000 successors a row", "lower n"}},
		{"solve: the auction over a small limit", []string{"solve", "--game", "auction", "--param", "states=1000", "--param", "actions=1000", "--max-memory", "512MiB"},
			[]string{"auction: about", "states 1000 × actions 1000", "over --max-memory 512 MiB", "states", "actions"}},
		{"solve: iterations kept", []string{"solve", "--game", "beach-bar", "--param", "n=10000", "--iterations", "1000000", "--trace-matrices", "1", "--max-memory", "4GiB"},
			[]string{"beach-bar: about", "1000001 iterations kept", "iterations"}},
		{"sweep: one run too large", []string{"sweep", bigSweep, "--max-memory", "1GiB"},
			[]string{"run 1 (params.torus-l=20 params.torus-w=100000)", "crowd-motion: about", "torus-w"}},
		{"sweep: runs at once", []string{"sweep", parallel, "--workers", "4", "--max-memory", "128MiB"},
			[]string{"sweep parallel: about", "4 runs at once (workers 4)", "for the largest, run ", "params.T=", "lower workers"}},
		{"sweep: the list of runs", []string{"sweep", manyRuns, "--max-memory", "1GiB"},
			[]string{"sweep many: about", "runs 1e7 × about", "lower replicates"}},
		{"sweep merge: within the limit too", []string{"sweep", "merge", bigSweep, "--max-memory", "1GiB"},
			[]string{"crowd-motion: about", "torus-l"}},
		{"compare: a million players", []string{"compare", "--players", "1000000", "--rounds", "20", "--max-memory", "16GiB"},
			[]string{"compare: about", "players 1e6 × about", "a bidder (states 10 × actions 10 × mean-bid-bins 10 of MF-Q)", "jobs at once", "lower players"}},
		{"compare: every bidder a deviator", []string{"compare", "--players", "100000", "--rounds", "20", "--eval-deviators", "0"},
			[]string{"compare: about", "players 100000 × 100003 simulated worlds", "eval-deviators"}},
		{"compare: paths × checkpoints", []string{"compare", "--paths", "1000000000", "--max-memory", "16GiB"},
			[]string{"compare: about", "algorithms 3 × paths 1000000000 × checkpoints 10", "lower paths or checkpoints"}},
	})
}

// Configuration and sweep files are read up to 16 MiB: /dev/zero and a larger file fail at
// once, naming the file.
func TestFileSizeLimit(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.yaml")
	content := "# " + strings.Repeat("x", 16<<20) + "\ngame: auction\n"
	if err := os.WriteFile(big, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []refusal{
		{"solve --config big file", []string{"solve", "--config", big}, []string{"config = " + big, "larger than 16 MiB"}},
		{"compare --config big file", []string{"compare", "--config", big}, []string{"config = " + big, "larger than 16 MiB"}},
		{"sweep big file", []string{"sweep", big}, []string{"sweep file = " + big, "larger than 16 MiB"}},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		cases = append(cases,
			refusal{"solve --config /dev/zero", []string{"solve", "--config", "/dev/zero"}, []string{"config = /dev/zero", "larger than 16 MiB"}},
			refusal{"compare --config /dev/zero", []string{"compare", "--config", "/dev/zero"}, []string{"config = /dev/zero", "larger than 16 MiB"}},
			refusal{"sweep /dev/zero", []string{"sweep", "/dev/zero"}, []string{"sweep file = /dev/zero", "larger than 16 MiB"}},
		)
	}
	checkRefusals(t, cases)
}

// --workers is capped at 4 × the cores; --max-memory takes sizes; a comparison with too many
// players for its rounds names players.
func TestWorkersAndFlagLimits(t *testing.T) {
	good := writeFile(t, "ok.yaml", "name: ok\nbase: {game: auction, iterations: 2, steps: 200, compare-to-gmf-v: false}\naxes: {temperature: [2, 4]}\n")
	checkRefusals(t, []refusal{
		{"compare --workers 1000000", []string{"compare", "--workers", "1000000"}, []string{"workers = 1000000", "at most", "× the", "cores"}},
		{"sweep --workers 1000000", []string{"sweep", good, "--workers", "1000000"}, []string{"workers = 1000000", "at most", "cores"}},
		{"sweep --workers -1", []string{"sweep", good, "--workers", "-1"}, []string{"workers = -1"}},
		{"compare --players 10000000", []string{"compare", "--players", "10000000"}, []string{"players = 10000000", "lower players"}},
		{"compare --players 1000000", []string{"compare", "--players", "1000000"}, []string{"players = 1000000", "fewer than checkpoints = 10"}},
		{"solve --max-memory nonsense", []string{"solve", "--max-memory", "lots"}, []string{"--max-memory", `"lots" is not a size`}},
		{"solve --max-memory 0", []string{"solve", "--max-memory", "0"}, []string{"--max-memory", "at least 1 byte"}},
	})
}

// A run within --max-memory runs as before, with the Go runtime's soft memory limit set to it.
func TestMemoryLimitAdmitsSmallRuns(t *testing.T) {
	if os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOMEMLIMIT is set: the runtime's limit is left alone")
	}
	prev := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(prev) }) // not 64 MiB for the tests that follow
	out := t.TempDir()
	code, _, stderr := runMFG(t, "solve", "--game", "beach-bar", "--iterations", "3", "--max-memory", "64MiB", "--no-progress", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "result.json")); err != nil {
		t.Error(err)
	}
	if got := debug.SetMemoryLimit(-1); got != 64<<20 {
		t.Errorf("the runtime's memory limit is %d, want 64 MiB", got)
	}
}
