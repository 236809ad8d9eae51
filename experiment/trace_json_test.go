package experiment

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"meanfield/engine"
)

// writeTraceJSONReference is trace.json as encoding/json wrote it before writeTraceJSON streamed
// it: the layout the file keeps.
func (r *SolveReport) writeTraceJSONReference(w io.Writer) error {
	every, last := r.Config.TraceEvery(), r.Result.Final().K
	its := make([]iterationJSON, len(r.Result.Trace))
	for i, it := range r.Result.Trace {
		its[i] = iterationJSON{K: it.K}
		if tracesTables(every, it.K, last) {
			its[i].Policy, its[i].Population, its[i].Q = policyTables(it.Policy), populationTables(it.Population), qTables(it.Q, r.Game.Actions())
		} else if it.HasChange {
			its[i].L1Change, its[i].LInfChange = &it.L1Change, &it.LInfChange
		}
		if e := it.Exploitability; it.HasExploitability && !math.IsNaN(e) && !math.IsInf(e, 0) {
			its[i].Exploitability = &e
		}
	}
	return json.NewEncoder(w).Encode(map[string]any{"iterations": its})
}

// sameTraceJSON fails t unless writeTraceJSON writes the bytes of writeTraceJSONReference, or
// fails as it does.
func sameTraceJSON(t *testing.T, name string, rep *SolveReport) {
	t.Helper()
	var got, want bytes.Buffer
	gotErr, wantErr := rep.writeTraceJSON(&got), rep.writeTraceJSONReference(&want)
	if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
		t.Fatalf("%s: error %v, encoding/json's %v", name, gotErr, wantErr)
	}
	if gotErr == nil && !bytes.Equal(got.Bytes(), want.Bytes()) {
		g, w := got.Bytes(), want.Bytes()
		i := 0
		for i < len(g) && i < len(w) && g[i] == w[i] {
			i++
		}
		t.Fatalf("%s: trace.json differs from encoding/json's at byte %d of %d/%d: %.80q against %.80q", name, i, len(g), len(w), g[i:], w[i:])
	}
}

// sameResultJSON fails t unless writeResultJSON writes the bytes json.Encoder with
// SetIndent("", " ") writes for the same ResultJSON.
func sameResultJSON(t *testing.T, name string, rep *SolveReport) {
	t.Helper()
	out, err := rep.resultJSON()
	if err != nil {
		t.Fatal(err)
	}
	var got, want bytes.Buffer
	if err := rep.writeResultJSON(&got); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	enc := json.NewEncoder(&want)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		t.Fatal(err)
	}
	if g, w := got.Bytes(), want.Bytes(); !bytes.Equal(g, w) {
		i := 0
		for i < len(g) && i < len(w) && g[i] == w[i] {
			i++
		}
		t.Fatalf("%s: result.json differs from encoding/json's at byte %d of %d/%d: %.80q against %.80q", name, i, len(g), len(w), g[i:], w[i:])
	}
}

// traceRowReference is a row of trace.csv as it was built for encoding/csv before
// appendTraceRow appended it.
func traceRowReference(it engine.Iteration) []string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	row := make([]string, len(TraceColumns))
	row[0], row[5] = strconv.Itoa(it.K), strconv.FormatInt(it.InnerWork, 10)
	if it.HasExploitability {
		row[1], row[2] = f(it.Exploitability), strconv.FormatBool(it.ExploitabilityConverged)
	}
	if it.HasChange {
		row[3], row[4] = f(it.L1Change), f(it.LInfChange)
	}
	if it.InnerConverged != nil {
		row[6] = strconv.FormatBool(*it.InnerConverged)
	}
	if it.HasReference {
		row[7], row[8] = f(it.ReferenceL1), f(it.ReferenceLInf)
	}
	return row
}

// sameTraceCSV fails t unless writeTraceCSV writes the bytes encoding/csv wrote for the
// header and traceRowReference's rows.
func sameTraceCSV(t *testing.T, name string, rep *SolveReport) {
	t.Helper()
	var got, want bytes.Buffer
	if err := rep.writeTraceCSV(&got); err != nil {
		t.Fatal(err)
	}
	cw := csv.NewWriter(&want)
	cw.Write(TraceColumns)
	for _, it := range rep.Result.Trace {
		cw.Write(traceRowReference(it))
	}
	if cw.Flush(); cw.Error() != nil {
		t.Fatal(cw.Error())
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("%s: trace.csv differs from encoding/csv's:\n%s\nagainst\n%s", name, got.Bytes(), want.Bytes())
	}
}

// trace.json streamed is byte for byte what encoding/json wrote, for stationary and
// finite-horizon games, every setting of trace-matrices, MFGLib's arithmetic, numbers JSON cannot
// hold (null in tables, an exploitability left out) and changes of L encoding/json refuses.
func TestTraceJSONAsEncodingJSON(t *testing.T) {
	three, zero := 3, 0
	cases := []struct {
		name string
		edit func(*SolveConfig)
	}{
		{"gmf-q on the auction", func(c *SolveConfig) { c.Run.Iterations = 3 }},
		{"gmf-v, every 3rd", func(c *SolveConfig) {
			c.Run.Algorithm, c.Run.Iterations, c.Outputs.TraceMatrices = "gmf-v", 7, &three
		}},
		{"naive, none", func(c *SolveConfig) {
			c.Run.Algorithm, c.Run.Iterations, c.Outputs.TraceMatrices = "naive", 4, &zero
		}},
		{"beach bar", func(c *SolveConfig) { c.Run.Game, c.Run.Iterations = "beach-bar", 3 }},
		{"building evacuation", func(c *SolveConfig) { c.Run.Game, c.Run.Iterations = "building-evacuation", 2 }},
		{"crowd motion, MFGLib's arithmetic", func(c *SolveConfig) {
			c.Run.Game, c.Run.Iterations, c.Run.Arithmetic = "crowd-motion", 2, ArithmeticMFGLib
		}},
		// Files longer than a buffer of 64 KiB: written out in pieces (result.json's list of
		// exploitabilities among them).
		{"left-right, prior descent, 4000 iterations", func(c *SolveConfig) {
			c.Run.Game, c.Run.Algorithm, c.Run.Iterations, c.Outputs.TraceMatrices = "left-right", "prior-descent", 4000, &zero
		}},
	}
	for _, c := range cases {
		cfg := DefaultSolveConfig()
		c.edit(&cfg)
		rep, err := RunSolve(context.Background(), cfg, t.TempDir(), nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		sameTraceJSON(t, c.name, rep)
		sameResultJSON(t, c.name, rep)
		sameTraceCSV(t, c.name, rep)
		tr := rep.Result.Trace
		// Numbers encoding/json writes otherwise than strconv's 'g' does: 0.00001 (not 1e-05),
		// 1.5e-7 (not 1.5e-07), 1e+21, 123456789 (not 1.23456789e+08).
		for i, x := range []float64{1e-5, 1.5e-7, 1e21, 123456789, -2.5e-6, 1e-6, -9.99e-7, 1e20, math.Copysign(0, -1), 5e-324, -1e300} {
			if i < len(tr) {
				tr[i].Exploitability, tr[i].HasExploitability = x, true
				tr[len(tr)-1-i].L1Change = x
			}
		}
		sameTraceJSON(t, c.name+", numbers of every size", rep)
		sameResultJSON(t, c.name+", numbers of every size", rep)
		sameTraceCSV(t, c.name+", numbers of every size", rep)
		// An iteration that records no exploitability among those that do: result.json's list
		// gives its value (formatted there, having no form in trace.csv).
		if len(tr) > 2 && tr[len(tr)-1].HasExploitability {
			tr[1].Exploitability, tr[1].HasExploitability = 0.375, false
			sameResultJSON(t, c.name+", one exploitability not recorded", rep)
			tr[1].HasExploitability = true
		}
		tr[0].Exploitability = math.NaN()
		if tr[len(tr)-1].Policy != nil {
			tr[len(tr)-1].Policy[0].Prob[0] = math.Inf(1)
		}
		sameTraceJSON(t, c.name+", with NaN and Inf", rep)
		rep.Err, rep.Failed = errors.New(`a step failed: <"x"> & 'y'`), true // escaped as encoding/json does
		sameResultJSON(t, c.name+", with NaN and Inf, failed", rep)
		sameTraceCSV(t, c.name+", with NaN and Inf", rep)
		for i := range tr {
			if tr[i].HasChange && tr[i].Policy == nil {
				tr[i].L1Change = math.NaN()
				sameTraceJSON(t, c.name+", a change of L NaN", rep)
				break
			}
		}
	}
}

// numberCache formats every number as strconv does, whether it finds it or not: numbers repeated,
// colliding in their slots, of every size, the longest forms among them.
func TestNumberCacheFormatsAsStrconv(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	special := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1.0 / 3, 1e21, 1e-7, 5e-324, -2.2250738585072014e-308, math.MaxFloat64, -math.SmallestNonzeroFloat64}
	var c numberCache
	var got []byte
	var want []byte
	for i := range 200_000 {
		var x float64
		switch i % 4 {
		case 0:
			x = special[r.IntN(len(special))]
		case 1:
			x = math.Float64frombits(r.Uint64())
		case 2:
			x = float64(r.IntN(50)) / 7 // few values, found again
		default:
			x = r.NormFloat64() * math.Pow(10, float64(r.IntN(40)-20))
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		got = c.append(got[:0], x)
		want = strconv.AppendFloat(want[:0], x, 'g', -1, 64)
		if !bytes.Equal(got, want) {
			t.Fatalf("%v (bits %#x): cache writes %s, strconv %s", x, math.Float64bits(x), got, want)
		}
	}
}

// writeIndentedJSON writes what json.Encoder with SetIndent("", " ") writes for tables, numbers
// and lists of numbers that are nil, empty, hold empty arrays or values JSON cannot hold, beside
// other fields left out or not.
func TestWriteIndentedJSONAsEncodingJSON(t *testing.T) {
	type doc struct {
		Name     string    `json:"name"`
		Skipped  string    `json:"skipped,omitempty"`
		NilTab   Tables    `json:"nil_tables"`
		Empty    Tables    `json:"empty_tables"`
		Hollow   Tables    `json:"hollow"`
		Tab      Tables    `json:"tables,omitempty"`
		Nums     Numbers   `json:"numbers"`
		NilNums  Numbers   `json:"nil_numbers"`
		Lists    []Numbers `json:"lists"`
		NilLists []Numbers `json:"nil_lists"`
		Left     []Numbers `json:"left,omitempty"`
		Ptr      *float64  `json:"ptr"`
		Count    int       `json:"count,omitempty"`
		Nested   struct {
			A []int `json:"a"`
		} `json:"nested"`
		private int
	}
	x := 0.25
	d := doc{
		Name: "<a & b>", Empty: Tables{}, Hollow: Tables{{}, {{}}},
		Tab:  Tables{{{1, math.NaN()}, {math.Inf(-1), 1e-7}}, {{3}}},
		Nums: Numbers{0.1, math.NaN(), 1e21}, Lists: []Numbers{{}, nil, {2, 3}}, Ptr: &x,
	}
	d.Nested.A, d.private = []int{1, 2}, 1
	var got, want bytes.Buffer
	if err := writeIndentedJSON(&got, d); err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(&want)
	enc.SetIndent("", " ")
	if err := enc.Encode(d); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("writeIndentedJSON wrote\n%s\nencoding/json\n%s", got.Bytes(), want.Bytes())
	}
}

// failingWriter fails the write that goes past its first n bytes, and that one only: an error
// not kept would go unseen.
type failingWriter struct {
	n      int
	failed bool
}

var errWriteFailed = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if !w.failed && len(p) > w.n {
		w.failed = true
		return w.n, errWriteFailed
	}
	w.n -= len(p)
	return len(p), nil
}

// A write that fails while result.json, trace.csv or trace.json is written out in pieces is the
// error returned.
func TestTraceWriteErrorReturned(t *testing.T) {
	cfg, zero := DefaultSolveConfig(), 0
	cfg.Run.Game, cfg.Run.Algorithm, cfg.Run.Iterations, cfg.Outputs.TraceMatrices = "left-right", "prior-descent", 4000, &zero
	rep, err := RunSolve(context.Background(), cfg, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, write := range map[string]func(io.Writer) error{"result.json": rep.writeResultJSON, "trace.csv": rep.writeTraceCSV, "trace.json": rep.writeTraceJSON} {
		for _, n := range []int{0, 100, 70000} {
			if err := write(&failingWriter{n: n}); !errors.Is(err, errWriteFailed) {
				t.Errorf("%s, failing after %d bytes: error %v, want %v", name, n, err, errWriteFailed)
			}
		}
	}
}

// A solve's outputs (SolveReport.write, from a whole trace) know the trace's last K from the
// start, as writeTraceJSON does: a record of a trace edited to repeat the last K gets the last
// iteration's treatment in trace.json (its tables where it holds some), as encoding/json's
// reference gives it.
func TestWriteKnowsTheLastK(t *testing.T) {
	three := 3
	cfg := DefaultSolveConfig()
	cfg.Run.Algorithm, cfg.Run.Iterations, cfg.Outputs.TraceMatrices = "gmf-v", 7, &three
	rep, err := RunSolve(context.Background(), cfg, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	tr := rep.Result.Trace
	tr[2].K = tr[len(tr)-1].K
	tr[2].Policy, tr[2].Population = tr[3].Policy, tr[3].Population
	dir := t.TempDir()
	if err := rep.write(dir); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "trace.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := rep.writeTraceJSONReference(&want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("trace.json of a trace repeating the last K: %d bytes, encoding/json's %d", len(got), want.Len())
	}
}
