package sweep

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meanfield/internal/mfglibref"
)

// Sweeping over algorithms (and games) merges: the axis fills the result column of its name.
func TestAlgorithmAxisMerges(t *testing.T) {
	s, err := Parse([]byte("name: algs\nbase: {game: auction, iterations: 3, compare-to-gmf-v: false}\naxes: {algorithm: [gmf-q, prior-descent, online-mirror-descent]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rep, err := RunSweep(context.Background(), s, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 0 {
		for _, r := range s.Runs {
			rec, _ := ReadRecord(dir, r.ID)
			t.Logf("%v: %s %s", r.Params, rec.Status, rec.Error)
		}
		t.Fatalf("%d runs failed; policy methods must run on the auction", rep.Failed)
	}
	mrep, err := Merge(s, dir)
	if err != nil || len(mrep.Files) != 2 {
		t.Fatalf("merge: %v %+v", err, mrep)
	}
	tbl := readArrow(t, filepath.Join(dir, "runs.parquet"))
	if tbl.NumRows() != 3 {
		t.Fatalf("%d rows", tbl.NumRows())
	}
	for i, r := range s.Runs {
		rec, _ := ReadRecord(dir, r.ID)
		if rec.Exploitability == nil || len(rec.Trace) == 0 {
			t.Errorf("run %d (%v) recorded no exploitability", i, r.Params)
		}
	}
}

func TestParseRejectsDuplicatesHugeAndClashingAxes(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"base: {game: auction}\naxes: {temperature: [2, 2.0, 4]}\n", "repeats a value"},
		{"base: {game: auction}\naxes: {steps: {from: 0, to: 1e300, step: 1}}\n", "at most"},
		{"base: {game: auction}\nreplicates: 1000000000\n", "replicates = 1000000000"},
		{"base: {game: auction}\naxes: {steps: {from: 1, to: 5000, step: 1}, temperature: {from: 1, to: 5000, step: 1}}\n", "more than"},
		{"base: {game: beach-bar}\naxes: {params: [{n: 4}]}\n", "params.NAME"},
		{"base: {game: auction}\naxes: {exploitability: [true, false]}\n", "clash"},
	} {
		if _, err := Parse([]byte(c.text)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want an error containing %q", c.text, err, c.want)
		}
	}
	for _, spec := range []string{"1/2x", "0x/4", "1 /2 3"} {
		if _, _, err := ParseShard(spec); err == nil {
			t.Errorf("shard %q accepted", spec)
		}
	}
	if i, n, err := ParseShard(" 1/4 "); err != nil || i != 1 || n != 4 {
		t.Errorf("shard \" 1/4 \": %d %d %v", i, n, err)
	}
	s, err := Parse([]byte("base: {game: auction}\naxes: {temperature: {from: 0.1, to: 0.3, step: 0.1}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Axes[0].Values; len(got) != 3 || got[2] != 0.3 {
		t.Errorf("range 0.1..0.3 by 0.1 gave %v, want [0.1 0.2 0.3]", got)
	}
}

// Summarize and merge only read a folder of the same sweep, and never create one.
func TestSummarizeAndMergeCheckTheFolder(t *testing.T) {
	a, err := Parse([]byte("name: a\nbase: {game: auction, iterations: 2, steps: 200, compare-to-gmf-v: false}\naxes: {temperature: [2, 4]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse([]byte("name: b\nbase: {game: auction, iterations: 3, steps: 200, compare-to-gmf-v: false}\naxes: {temperature: [2, 4]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := RunSweep(context.Background(), a, dir, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Summarize(b, dir, []string{"temperature"}, "exploitability"); !errors.Is(err, ErrOtherSweep) {
		t.Errorf("summarize of another sweep's folder: %v", err)
	}
	missing := filepath.Join(t.TempDir(), "nothing-here")
	if _, err := Merge(a, missing); err == nil {
		t.Error("merge of a missing folder succeeded")
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Error("merge created the folder it was asked to check")
	}
}

// An arithmetic axis runs each value: mfglib-float32 records MFGLib's own exploitabilities (the
// reference of finite/testdata), float64 its own.
func TestArithmeticAxisSolvesInEachArithmetic(t *testing.T) {
	ref, err := mfglibref.Load()
	if err != nil {
		t.Fatal(err)
	}
	want := ref.Games["conservative_treasure_hunting"]["fictitious_play"]
	s, err := Parse([]byte("name: arith\nbase: {game: conservative-treasure-hunting, algorithm: fictitious-play, iterations: 10}\naxes: {arithmetic: [float64, mfglib-float32]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if rep, err := RunSweep(context.Background(), s, dir, Options{}); err != nil || rep.Failed != 0 {
		t.Fatalf("sweep: %v, %+v", err, rep)
	}
	traces := map[string][]float64{}
	for _, r := range s.Runs {
		rec, err := ReadRecord(dir, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range rec.Trace {
			traces[fmt.Sprint(r.Params["arithmetic"])] = append(traces[fmt.Sprint(r.Params["arithmetic"])], *p.Exploitability)
		}
	}
	got := traces["mfglib-float32"]
	if len(got) != len(want) {
		t.Fatalf("mfglib-float32 run recorded %d exploitabilities, want %d", len(got), len(want))
	}
	for k := range want {
		if got[k] != want[k] {
			t.Errorf("mfglib-float32, iteration %d: %v, MFGLib %v", k, got[k], want[k])
		}
	}
	if f64 := traces["float64"]; len(f64) != len(want) || f64[len(f64)-1] == got[len(got)-1] {
		t.Errorf("the float64 run recorded %v, which should differ from MFGLib's float32 trace at the end", f64)
	}
}
