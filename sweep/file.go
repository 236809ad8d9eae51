package sweep

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"meanfield/experiment"
	"meanfield/internal/memory"
	"meanfield/internal/oneline"
	"meanfield/internal/params"
	"meanfield/seeds"
)

// File is a sweep file.
//
//	name: temperature-study
//	seed: 7
//	replicates: 3
//	base:                  # the YAML of `mfg solve`
//	  game: auction
//	  algorithm: gmf-q
//	  iterations: 20
//	axes:
//	  temperature: [2, 4, 8]                        # a list
//	  steps: {from: 2000, to: 10000, step: 4000}    # a range, both ends included
//	  params.n: [4, 6]                              # a parameter of a finite-horizon game
type File struct {
	Name       string             `yaml:"name"`
	Seed       uint64             `yaml:"seed"`
	Replicates int                `yaml:"replicates"`
	Base       map[string]any     `yaml:"base"`
	Axes       map[string]RawAxis `yaml:"axes"`
}

// RawAxis is an axis as written: a list of values, or a range {from, to, step}.
type RawAxis struct {
	Values []any
	Range  *Range
}

// Range is the values from, from+step, ... up to to (included when reached).
type Range struct {
	From float64 `yaml:"from"`
	To   float64 `yaml:"to"`
	Step float64 `yaml:"step"`
}

// UnmarshalYAML reads a list or a range.
func (a *RawAxis) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.SequenceNode:
		return n.Decode(&a.Values)
	case yaml.MappingNode:
		dec := Range{}
		var keys []string
		for i := 0; i < len(n.Content); i += 2 {
			keys = append(keys, n.Content[i].Value)
		}
		for _, k := range keys {
			if k != "from" && k != "to" && k != "step" {
				return fmt.Errorf("line %d: range key %q is unknown (a range is {from, to, step})", n.Line, k)
			}
		}
		if err := n.Decode(&dec); err != nil {
			return err
		}
		a.Range = &dec
		return nil
	}
	return fmt.Errorf("line %d: an axis is a list of values or a range {from, to, step}", n.Line)
}

// Axis is one expanded axis.
type Axis struct {
	Name   string
	Values []any
}

// Sweep is a parsed, validated and expanded sweep file.
type Sweep struct {
	File File
	// Axes in the order they vary (sorted by name; the last varies fastest).
	Axes []Axis
	Runs []Run
	// Fingerprint identifies the sweep's content: a results folder belongs to one fingerprint.
	Fingerprint string
	// MaxMemory is the most memory, in bytes, a run (and the runs at once, see CheckMemory) may
	// be estimated to need; 0 means the default, 3/4 of the machine's memory.
	MaxMemory int64
	// largest is the estimate of the run needing the most memory, and which run it is.
	largest      experiment.Estimate
	largestWhich string
}

// Run is one solve of the sweep.
type Run struct {
	// Index is the run's position in the sweep (0-based); ID its stable identifier.
	Index int
	ID    string
	// Params are the axis values of the run, by axis name; Replicate counts from 0.
	Params    map[string]any
	Replicate int
	Seed      uint64
}

// Load reads and expands a sweep file (of at most 16 MiB), within the default memory limit. A file
// without a name takes its base name without the extension (sweeps/study.yaml: study) when that is
// a valid name (see CheckName), and stays unnamed otherwise; an explicit name is checked by Parse.
func Load(path string) (*Sweep, error) { return LoadWithin(path, 0) }

// LoadWithin is Load with the memory limit maxMemory in bytes (0: the default), as ParseWithin.
func LoadWithin(path string, maxMemory int64) (*Sweep, error) {
	data, err := memory.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("sweep file = %s: %w", path, err)
	}
	s, err := ParseWithin(data, maxMemory)
	if err != nil {
		return nil, fmt.Errorf("sweep file = %s: %w", path, err)
	}
	if s.File.Name == "" {
		s.File.Name = NameOfFile(path)
	}
	return s, nil
}

// nameRE is the form of a sweep name: it is used in the default results path out/sweep-NAME,
// so it cannot hold a path separator or start with a dot.
var nameRE = compiled(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// NameOfFile is the name a file without one takes: its base name without the extension
// (sweeps/study.yaml: study) when that is a valid name (CheckName), else "" (unnamed).
func NameOfFile(path string) string {
	base := filepath.Base(path)
	if name := strings.TrimSuffix(base, filepath.Ext(base)); CheckName(name) == nil {
		return name
	}
	return ""
}

// CheckName returns nil when name can name a sweep: 1 to 64 letters, digits, '.', '_' or '-',
// starting with a letter or a digit, without "..". Such a name is one path component that is
// neither "." nor "..", so out/sweep-NAME stays inside out. The error names the value.
func CheckName(name string) error {
	if !nameRE().MatchString(name) || strings.Contains(name, "..") {
		return fmt.Errorf("name = %q: a sweep name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit, without \"..\"", name)
	}
	return nil
}

// decodeFile reads the one YAML document of a sweep file. An empty file (or one of comments, a
// null or an empty mapping), a file of more than one document, an unknown key and an explicit
// empty or invalid name are errors; an absent name leaves File.Name empty.
func decodeFile(data []byte) (File, error) {
	var f File
	var doc, more yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	err := dec.Decode(&doc)
	if err != nil && err != io.EOF {
		return f, errors.New(oneline.String(params.YAMLError(err, data, f).Error()))
	}
	if err == io.EOF || len(doc.Content) == 0 || doc.Content[0].Tag == "!!null" ||
		(doc.Content[0].Kind == yaml.MappingNode && len(doc.Content[0].Content) == 0) {
		return f, fmt.Errorf("the sweep file is empty: give at least base, the configuration of mfg solve")
	}
	if err := dec.Decode(&more); err != io.EOF {
		return f, fmt.Errorf("more than one YAML document (a line ---): a sweep file holds one sweep")
	}
	strict := yaml.NewDecoder(bytes.NewReader(data))
	strict.KnownFields(true)
	if err := strict.Decode(&f); err != nil {
		return f, errors.New(oneline.String(params.YAMLError(err, data, f).Error()))
	}
	if err := params.CheckWholeYAML(data, f); err != nil {
		return f, err
	}
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "name" {
			if err := CheckName(f.Name); err != nil {
				return f, err
			}
		}
	}
	return f, nil
}

// Parse parses and expands a sweep file's content within the default memory limit. Unknown keys,
// unknown parameters, empty axes, bad ranges, an invalid name, an empty file and a file of several
// YAML documents are errors naming them.
func Parse(data []byte) (*Sweep, error) { return ParseWithin(data, 0) }

// ParseWithin is Parse with the memory limit maxMemory in bytes (0: the default): a sweep whose
// list of runs, or one of whose runs, is estimated to need more is refused with a
// *experiment.MemoryError before it is built.
func ParseWithin(data []byte, maxMemory int64) (*Sweep, error) {
	f, err := decodeFile(data)
	if err != nil {
		return nil, err
	}
	if f.Replicates == 0 {
		f.Replicates = 1
	}
	if f.Replicates < 0 || f.Replicates > maxRuns {
		return nil, fmt.Errorf("replicates = %d: must be between 1 and %d", f.Replicates, maxRuns)
	}
	if _, ok := f.Base["seed"]; ok {
		return nil, fmt.Errorf("base: seed: each run's seed is derived from the sweep's seed; set seed at the top level")
	}
	s := &Sweep{File: f, MaxMemory: maxMemory}
	names := make([]string, 0, len(f.Axes))
	for n := range f.Axes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if n == "seed" {
			return nil, fmt.Errorf("axes: seed: use replicates (each replicate gets its own derived seed)")
		}
		if n == "params" {
			return nil, fmt.Errorf("axes: params: vary one game parameter per axis, as params.NAME")
		}
		if reservedColumns[columnName(n)] {
			return nil, fmt.Errorf("axes: %s: its column would clash with a result column of the same name; it cannot be an axis", n)
		}
		vals, err := expand(n, f.Axes[n])
		if err != nil {
			return nil, err
		}
		s.Axes = append(s.Axes, Axis{Name: n, Values: vals})
	}
	total := f.Replicates
	for _, a := range s.Axes {
		if total > maxRuns/len(a.Values) {
			return nil, fmt.Errorf("axes: %s: the sweep would have more than %d runs", a.Name, maxRuns)
		}
		total *= len(a.Values)
	}
	if err := s.runsMemory(total).Check(maxMemory); err != nil {
		return nil, err
	}
	s.expandRuns()
	seen := map[string]int{}
	for _, r := range s.Runs {
		if prev, ok := seen[r.ID]; ok {
			return nil, fmt.Errorf("axes: runs %d and %d have the same parameters %v (replicate %d): an axis repeats a value", prev, r.Index, r.Params, r.Replicate)
		}
		seen[r.ID] = r.Index
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	s.Fingerprint = fingerprint(s)
	return s, nil
}

func expand(name string, a RawAxis) ([]any, error) {
	if a.Range == nil {
		if len(a.Values) == 0 {
			return nil, fmt.Errorf("axes: %s is empty: give at least one value", name)
		}
		return a.Values, nil
	}
	r := *a.Range
	if !(r.Step > 0) || math.IsInf(r.Step, 0) || math.IsNaN(r.From) || math.IsNaN(r.To) || math.IsInf(r.From, 0) || math.IsInf(r.To, 0) {
		return nil, fmt.Errorf("axes: %s: range {from: %v, to: %v, step: %v}: step must be positive and the ends finite", name, r.From, r.To, r.Step)
	}
	if r.To < r.From {
		return nil, fmt.Errorf("axes: %s: range {from: %v, to: %v}: empty (to < from)", name, r.From, r.To)
	}
	count := math.Floor((r.To-r.From)/r.Step+1e-9) + 1
	if !(count <= maxRuns) {
		return nil, fmt.Errorf("axes: %s: range {from: %v, to: %v, step: %v} has %.3g values: at most %d", name, r.From, r.To, r.Step, count, maxRuns)
	}
	n := int(count)
	integral := r.From == math.Trunc(r.From) && r.Step == math.Trunc(r.Step)
	// Values are rounded to the decimals of from and step, so 0.1 steps give 0.3, not
	// 0.30000000000000004.
	d := max(decimals(r.From), decimals(r.Step))
	scale := math.Pow10(d)
	vals := make([]any, n)
	for i := range vals {
		v := r.From + float64(i)*r.Step
		switch {
		case integral:
			vals[i] = int(v)
		case d <= 12:
			vals[i] = math.Round(v*scale) / scale
		default: // too fine to round safely
			vals[i] = v
		}
	}
	return vals, nil
}

// reservedColumns are the result columns of the Parquet files that no axis may take (game and
// algorithm may: as axes they fill the columns of the same name).
var reservedColumns = map[string]bool{
	"run_id": true, "run_index": true, "replicate": true, "seed": true, "status": true, "error": true,
	"iterations_run": true, "converged": true, "final_exploitability": true, "final_l1_change": true,
	"final_linf_change": true, "verdict": true, "window_exploitability_mean": true, "iteration": true, "exploitability": true, "l1_change": true, "linf_change": true,
}

// maxRuns bounds the number of runs of a sweep (and of values of a range).
const maxRuns = 10_000_000

// decimals is the number of digits after the decimal point in x's shortest representation.
func decimals(x float64) int {
	t := strconv.FormatFloat(x, 'f', -1, 64)
	if i := strings.IndexByte(t, '.'); i >= 0 {
		return len(t) - i - 1
	}
	return 0
}

// expandRuns lists the cartesian product of the axes (the last axis fastest), each point
// repeated Replicates times.
func (s *Sweep) expandRuns() {
	total := s.File.Replicates
	for _, a := range s.Axes {
		total *= len(a.Values)
	}
	s.Runs = make([]Run, 0, total)
	idx := make([]int, len(s.Axes))
	for {
		params := map[string]any{}
		for k, a := range s.Axes {
			params[a.Name] = a.Values[idx[k]]
		}
		for r := 0; r < s.File.Replicates; r++ {
			id := runID(params, r)
			s.Runs = append(s.Runs, Run{Index: len(s.Runs), ID: id, Params: params, Replicate: r, Seed: seeds.Sub(s.File.Seed, idHash(id))})
		}
		k := len(idx) - 1
		for ; k >= 0; k-- {
			idx[k]++
			if idx[k] < len(s.Axes[k].Values) {
				break
			}
			idx[k] = 0
		}
		if k < 0 {
			return
		}
	}
}

// runID is the first 12 hex digits of the SHA-256 of the run's canonical JSON (sorted keys).
func runID(params map[string]any, replicate int) string {
	b, _ := json.Marshal(map[string]any{"params": params, "replicate": replicate})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:6])
}

func idHash(id string) uint64 {
	var h uint64
	for _, c := range []byte(id) {
		h = h*1099511628211 ^ uint64(c)
	}
	return h
}

// recordFormat is the version of the run records' layout, part of the fingerprint so that a
// folder of records written by an earlier version (iterations numbered from 1, stationary games'
// parameters at the top level) is refused, not merged with new ones. 2: iteration 0 is π_0;
// 3: records carry the sweep's fingerprint and seed.
const recordFormat = 3

func fingerprint(s *Sweep) string {
	b, _ := json.Marshal(map[string]any{"seed": s.File.Seed, "base": s.File.Base, "axes": s.Axes, "replicates": s.File.Replicates, "format": recordFormat})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}

// configFor builds a run's solve configuration: the defaults of `mfg solve`, then the base, then
// the axis values (a name params.X sets parameter X of the game; other names are the keys of
// `mfg solve`'s configuration: run keys and the algorithm's parameters).
func configFor(base map[string]any, params map[string]any) (experiment.SolveConfig, error) {
	merged := map[string]any{}
	for k, v := range base {
		merged[k] = v
	}
	var gameParams map[string]any
	if p, ok := merged["params"].(map[string]any); ok {
		gameParams = map[string]any{}
		for k, v := range p {
			gameParams[k] = v
		}
	}
	for k, v := range params {
		if name, ok := strings.CutPrefix(k, "params."); ok {
			if gameParams == nil {
				gameParams = map[string]any{}
			}
			gameParams[name] = v
			continue
		}
		merged[k] = v
	}
	if gameParams != nil {
		merged["params"] = gameParams
	}
	return experiment.DecodeMap(merged, experiment.DefaultSolveConfig())
}

// Config returns the solve configuration of run r, with its derived seed and the sweep's memory
// limit.
func (s *Sweep) Config(r Run) (experiment.SolveConfig, error) {
	cfg, err := configFor(s.File.Base, r.Params)
	cfg.Run.Seed, cfg.MaxMemory = r.Seed, s.MaxMemory
	return cfg, err
}

// maxResolved is the most distinct parameter combinations Parse resolves one by one (about 0.2 ms
// each); a larger sweep has each axis value resolved with the base instead.
const maxResolved = 10_000

// check resolves the configuration of every distinct run (every combination of axis values), so
// that a key that is no parameter of the game or the algorithm, a value out of range or a run too
// large for MaxMemory fails before anything runs, naming the run, and keeps the largest run's
// memory estimate. Beyond maxResolved combinations it resolves each axis value with the base
// (a combination larger than those is then refused when its run starts, recorded as failed).
func (s *Sweep) check() error {
	if err := s.resolve(nil, "base"); err != nil {
		return fmt.Errorf("base: %w", err)
	}
	if len(s.Runs)/s.File.Replicates <= maxResolved {
		for _, r := range s.Runs {
			if r.Replicate != 0 {
				continue
			}
			which := oneline.String(fmt.Sprintf("run %d (%s)", r.Index, DescribeParams(r.Params)))
			if err := s.resolve(r.Params, which); err != nil {
				return fmt.Errorf("%s: %w", which, err)
			}
		}
		return nil
	}
	for _, a := range s.Axes {
		for _, v := range a.Values {
			which := oneline.String(fmt.Sprintf("axes: %s = %v", a.Name, v))
			if err := s.resolve(map[string]any{a.Name: v}, which); err != nil {
				return fmt.Errorf("%s: %w", which, err)
			}
		}
	}
	return nil
}

// resolve resolves the configuration of the base with the given axis values within the sweep's
// memory limit, and keeps its memory estimate when it is the largest so far.
func (s *Sweep) resolve(params map[string]any, which string) error {
	cfg, err := configFor(s.File.Base, params)
	if err != nil {
		return err
	}
	cfg.MaxMemory = s.MaxMemory
	if cfg, err = cfg.Resolve(); err != nil {
		return err
	}
	if m := cfg.Memory(); m.Bytes() > s.largest.Bytes() {
		s.largest, s.largestWhich = m, which
	}
	return nil
}

// DescribeParams writes parameter values (a run's axis values, a trial's point) as name=value,
// in name order.
func DescribeParams(params map[string]any) string {
	names := make([]string, 0, len(params))
	for n := range params {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s=%v", n, params[n])
	}
	return strings.Join(parts, " ")
}

// ParseShard reads "i/n" (0 <= i < n).
func ParseShard(spec string) (i, n int, err error) {
	a, b, ok := strings.Cut(spec, "/")
	if ok {
		var err1, err2 error
		i, err1 = strconv.Atoi(strings.TrimSpace(a))
		n, err2 = strconv.Atoi(strings.TrimSpace(b))
		ok = err1 == nil && err2 == nil
	}
	if !ok || n < 1 || i < 0 || i >= n {
		return 0, 0, fmt.Errorf("shard = %q: write i/n with 0 <= i < n (for example $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT)", spec)
	}
	return i, n, nil
}

// Shard returns the runs of shard i of n: those whose index is i modulo n.
func (s *Sweep) Shard(i, n int) []Run {
	var out []Run
	for _, r := range s.Runs {
		if r.Index%n == i {
			out = append(out, r)
		}
	}
	return out
}

// ParamNames lists the axis names, in order.
func (s *Sweep) ParamNames() []string {
	names := make([]string, len(s.Axes))
	for i, a := range s.Axes {
		names[i] = a.Name
	}
	return names
}

// compiled returns pattern's expression, compiled on first use rather than at start-up, which
// every run of mfg would pay for, errors or not.
func compiled(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}
