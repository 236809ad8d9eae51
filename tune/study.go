package tune

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"strings"

	"go.yaml.in/yaml/v3"

	"meanfield/experiment"
	"meanfield/internal/memory"
	"meanfield/internal/oneline"
	"meanfield/internal/params"
	"meanfield/seeds"
	"meanfield/sweep"
)

// File is a study file.
//
//	name: omd-evacuation
//	seed: 0
//	trials: 30
//	batch: 1                 # trials proposed from the same history (see Study.History)
//	sampler: tpe             # tpe (default), random or grid
//	base:                    # the YAML of mfg solve
//	  game: building-evacuation
//	  params: {n-floor: 3, floor-l: 5, floor-w: 5}
//	  algorithm: online-mirror-descent
//	  iterations: 600
//	games:                   # optional: several games, each merged over base
//	  - {game: beach-bar}
//	params:                  # the tuned parameters (params.NAME: a game's parameter)
//	  alpha: {type: float, low: 1e-5, high: 1e5, log: true}
//	objective: {stat: min, aggregate: geometric-mean, shift: 0}
//	prune: {rule: median}    # optional: median or successive-halving
type File struct {
	Name      string              `yaml:"name"`
	Seed      uint64              `yaml:"seed"`
	Trials    int                 `yaml:"trials"`
	Batch     int                 `yaml:"batch"`
	Sampler   string              `yaml:"sampler"`
	TPE       *TPEOptions         `yaml:"tpe"`
	Base      map[string]any      `yaml:"base"`
	Games     []map[string]any    `yaml:"games"`
	Params    map[string]rawParam `yaml:"params"`
	Objective rawObjective        `yaml:"objective"`
	Prune     *PruneOptions       `yaml:"prune"`
}

// TPEOptions are the TPE sampler's settings; a zero field takes Optuna's default.
type TPEOptions struct {
	StartupTrials int     `yaml:"startup-trials"`
	EICandidates  int     `yaml:"ei-candidates"`
	PriorWeight   float64 `yaml:"prior-weight"`
}

// Study is a parsed and checked study file.
type Study struct {
	File      File
	Space     Space
	Objective Objective
	Sampler   Sampler
	Pruner    Pruner // nil: no pruning
	// Configs are the games' configurations: base merged with each entry of games (base alone
	// when there is none).
	Configs []map[string]any
	// Iterations is each game's budget, resolved.
	Iterations []int
	// Fingerprint identifies what decides the trials' results (everything but the number of
	// trials, which may grow): a study folder belongs to one fingerprint.
	Fingerprint string
	MaxMemory   int64
	// largest is the memory estimate of the largest solve among the points checkPoints resolves.
	largest experiment.Estimate
	// gameFiles are the SHA-256 of each game's game file ("" for a built-in game).
	gameFiles []string
}

// maxTrials bounds the number of trials of a study.
const maxTrials = 1_000_000

// recordFormat is the version of the trial records' layout, part of the fingerprint.
const recordFormat = 1

// Load reads a study file (at most 16 MiB). A study without a name takes its file's base name
// when that is a valid name (sweep.CheckName).
func Load(path string, maxMemory int64) (*Study, error) {
	data, err := memory.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("study file = %s: %w", path, err)
	}
	s, err := Parse(data, maxMemory)
	if err != nil {
		return nil, fmt.Errorf("study file = %s: %w", path, err)
	}
	if s.File.Name == "" {
		s.File.Name = sweep.NameOfFile(path)
	}
	return s, nil
}

// decode reads the one YAML document of a study file, refusing unknown keys.
func decode(data []byte) (File, error) {
	var f File
	var doc, more yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		return f, errors.New(oneline.String(params.YAMLError(err, data, f).Error()))
	} else if err == io.EOF || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode || len(doc.Content[0].Content) == 0 {
		return f, fmt.Errorf("the study file is empty: give at least base (the configuration of mfg solve) and params")
	}
	if err := dec.Decode(&more); err != io.EOF {
		return f, fmt.Errorf("more than one YAML document (a line ---): a study file holds one study")
	}
	strict := yaml.NewDecoder(bytes.NewReader(data))
	strict.KnownFields(true)
	if err := strict.Decode(&f); err != nil {
		return f, errors.New(oneline.String(params.YAMLError(err, data, f).Error()))
	}
	if f.Name != "" {
		if err := sweep.CheckName(f.Name); err != nil {
			return f, err
		}
	}
	return f, nil
}

// Parse reads and checks a study file's content: every game's configuration is resolved with
// the tuned parameters at their lower bounds and upper bounds (each choice of a categorical), so
// that a key that does not apply, or a value out of range for the game or the algorithm, is
// refused before anything runs, naming it.
func Parse(data []byte, maxMemory int64) (*Study, error) {
	f, err := decode(data)
	if err != nil {
		return nil, err
	}
	s := &Study{File: f, MaxMemory: maxMemory}
	if s.Space, err = newSpace(f.Params); err != nil {
		return nil, err
	}
	for _, p := range s.Space {
		switch p.Name {
		case "seed":
			return nil, fmt.Errorf("params: seed: the solves' seeds derive from the study's seed (the same in every trial); it is not tuned")
		case "compare-to-gmf-v":
			return nil, fmt.Errorf("params: compare-to-gmf-v: a trial is scored by its exploitability alone (compare-to-gmf-v is false in every solve); it is not tuned")
		}
	}
	if err := s.setGames(); err != nil {
		return nil, err
	}
	if s.Objective, err = newObjective(f.Objective, slicesMin(s.Iterations)); err != nil {
		return nil, err
	}
	if err := s.setSampler(); err != nil {
		return nil, err
	}
	if f.Batch == 0 {
		s.File.Batch = 1
	}
	if s.File.Batch < 1 || s.File.Batch > maxTrials {
		return nil, fmt.Errorf("batch = %d: want 1 to %d trials proposed from the same history", f.Batch, maxTrials)
	}
	if f.Prune != nil {
		if s.Pruner, err = newPruner(*f.Prune, slicesMin(s.Iterations)); err != nil {
			return nil, err
		}
	}
	if err := s.checkPoints(); err != nil {
		return nil, err
	}
	if s.Fingerprint, err = s.fingerprint(); err != nil {
		return nil, err
	}
	return s, nil
}

func slicesMin(xs []int) int {
	m := math.MaxInt
	for _, x := range xs {
		m = min(m, x)
	}
	return m
}

// setGames merges base with each games entry and resolves them.
func (s *Study) setGames() error {
	f := s.File
	if len(f.Base) == 0 && len(f.Games) == 0 {
		return fmt.Errorf("base: missing: give the configuration of mfg solve that the trials share")
	}
	for _, m := range append([]map[string]any{f.Base}, f.Games...) {
		if _, ok := m["seed"]; ok {
			return fmt.Errorf("seed: the solves' seeds derive from the study's seed; set seed at the top level, not in base or games")
		}
	}
	entries := f.Games
	if len(entries) == 0 {
		entries = []map[string]any{{}}
	}
	for i, e := range entries {
		cfg := merge(f.Base, e)
		s.Configs = append(s.Configs, cfg)
		c, err := s.resolve(i, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", s.where(i), err)
		}
		if !c.Outputs.Exploitability {
			return fmt.Errorf("%s: exploitability = false: a trial is scored by its exploitability", s.where(i))
		}
		s.Iterations = append(s.Iterations, c.Run.Iterations)
		s.gameFiles = append(s.gameFiles, c.Run.GameFileSHA256)
	}
	return nil
}

func (s *Study) where(i int) string {
	if len(s.File.Games) == 0 {
		return "base"
	}
	return fmt.Sprintf("games[%d]", i)
}

// merge is base with the keys of over (params merged key by key).
func merge(base, over map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	var gp map[string]any
	for _, m := range []map[string]any{base, over} {
		if p, ok := m["params"].(map[string]any); ok {
			if gp == nil {
				gp = map[string]any{}
			}
			for k, v := range p {
				gp[k] = v
			}
		}
	}
	for k, v := range over {
		out[k] = v
	}
	if gp != nil {
		out["params"] = gp
	}
	return out
}

// ConfigMap is game i's configuration with the tuned values (params.NAME sets the game's
// parameter NAME) and the game's seed: the YAML of mfg solve.
func (s *Study) ConfigMap(i int, values map[string]any) map[string]any {
	over := map[string]any{}
	gp := map[string]any{}
	for k, v := range values {
		if name, ok := strings.CutPrefix(k, "params."); ok {
			gp[name] = v
		} else {
			over[k] = v
		}
	}
	if len(gp) > 0 {
		over["params"] = gp
	}
	m := merge(s.Configs[i], over)
	m["seed"] = s.GameSeed(i)
	m["compare-to-gmf-v"] = false // a trial is scored by its exploitability alone
	return m
}

// GameSeed is the seed of game i's solves: the same in every trial (common random numbers), so
// that trials differ by their parameters only.
func (s *Study) GameSeed(i int) uint64 { return seeds.Sub(s.File.Seed, purposeSolve, uint64(i)) }

// Purposes of the study's random streams.
const (
	purposeSolve uint64 = iota + 101
	purposePropose
)

// resolve is game i's resolved configuration with the tuned values.
func (s *Study) resolve(i int, values map[string]any) (experiment.SolveConfig, error) {
	cfg, err := experiment.DecodeMap(s.ConfigMap(i, values), experiment.DefaultSolveConfig())
	if err != nil {
		return cfg, err
	}
	cfg.MaxMemory = s.MaxMemory
	return cfg.Resolve()
}

// checkPoints resolves every game at the ends of the tuned ranges (each categorical choice in
// turn, the others at their first), so that a parameter that does not apply is refused now.
func (s *Study) checkPoints() error {
	var points []map[string]any
	for _, end := range []int{0, 1} {
		pt := map[string]any{}
		for _, p := range s.Space {
			if p.Type == Categorical {
				pt[p.Name] = p.Choices[0]
				continue
			}
			lo, hi := p.span()
			pt[p.Name] = p.external([]float64{lo, hi}[end])
		}
		points = append(points, pt)
	}
	for _, p := range s.Space {
		for _, c := range p.Choices {
			pt := map[string]any{}
			for k, v := range points[0] {
				pt[k] = v
			}
			pt[p.Name] = c
			points = append(points, pt)
		}
	}
	for i := range s.Configs {
		for _, pt := range points {
			c, err := s.resolve(i, pt)
			if err == nil && !c.Outputs.Exploitability {
				err = errors.New("exploitability = false: a trial is scored by its exploitability")
			}
			if err != nil {
				return fmt.Errorf("%s with %s: %w", s.where(i), sweep.DescribeParams(pt), err)
			}
			if m := c.Memory(); m.Bytes() > s.largest.Bytes() {
				s.largest = m
			}
		}
	}
	return nil
}

// setSampler builds the sampler and fills in the number of trials.
func (s *Study) setSampler() error {
	f := &s.File
	if f.TPE != nil && f.Sampler != "" && f.Sampler != "tpe" {
		return fmt.Errorf("tpe: settings of the TPE sampler, but sampler = %q", f.Sampler)
	}
	if f.Sampler != "grid" {
		// A grid given to another sampler would be ignored: say so rather than search elsewhere.
		for _, p := range s.Space {
			if len(p.Grid) > 0 || p.Points > 0 {
				return fmt.Errorf("params: %s: grid and points are for sampler = grid, not %q", p.Name, cmp.Or(f.Sampler, "tpe"))
			}
		}
	}
	switch f.Sampler {
	case "", "tpe":
		f.Sampler = "tpe"
		t := NewTPE(s.Space)
		if o := f.TPE; o != nil {
			if o.StartupTrials < 0 || o.EICandidates < 0 || o.PriorWeight < 0 || math.IsNaN(o.PriorWeight) || math.IsInf(o.PriorWeight, 0) {
				return fmt.Errorf("tpe: startup-trials = %d, ei-candidates = %d, prior-weight = %v: want non-negative values (0: Optuna's default)", o.StartupTrials, o.EICandidates, o.PriorWeight)
			}
			if o.StartupTrials > 0 {
				t.StartupTrials = o.StartupTrials
			}
			if o.EICandidates > 0 {
				t.EICandidates = o.EICandidates
			}
			if o.PriorWeight > 0 {
				t.PriorWeight = o.PriorWeight
			}
		}
		s.Sampler = t
	case "random":
		s.Sampler = Random{Space: s.Space}
	case "grid":
		g, err := newGrid(s.Space)
		if err != nil {
			return err
		}
		if f.Trials == 0 {
			f.Trials = min(g.Size(), maxTrials)
		}
		if f.Trials > g.Size() {
			return fmt.Errorf("trials = %d: the grid has only %d points", f.Trials, g.Size())
		}
		s.Sampler = g
	default:
		return fmt.Errorf("sampler = %q: want tpe, random or grid", f.Sampler)
	}
	if f.Trials < 1 || f.Trials > maxTrials {
		return fmt.Errorf("trials = %d: want 1 to %d", f.Trials, maxTrials)
	}
	return nil
}

// fingerprint hashes what decides the trials' results.
func (s *Study) fingerprint() (string, error) {
	m := map[string]any{
		"seed": s.File.Seed, "batch": s.File.Batch, "sampler": s.File.Sampler, "tpe": s.Sampler,
		"configs": s.Configs, "params": s.File.Params, "objective": s.Objective, "prune": s.File.Prune, "format": recordFormat,
	}
	for _, h := range s.gameFiles {
		if h != "" { // a game file's contents, not only its path (absent for built-in games: their fingerprints as before)
			m["game-files"] = s.gameFiles
		}
	}
	b, err := json.Marshal(m)
	if err != nil { // a value JSON cannot hold: no fingerprint, rather than that of nothing
		return "", fmt.Errorf("the study cannot be identified: %w", err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8]), nil
}

// History is the number h of trials whose results trial k may read: those of the batches
// before its own, h = batch·⌊k/batch⌋. Trial k's proposal and pruning depend only on the study
// (its seed) and on the records of trials 0..h-1, never on which trials happen to be finished
// when it starts: so the same study file gives the same trials whatever the number of workers
// or processes, and a trial waits for the trials of its history only when its sampler or the
// pruner reads them.
func (s *Study) History(k int) int { return s.File.Batch * (k / s.File.Batch) }

// waitsFor reports whether trial k needs its history's records before it starts.
func (s *Study) waitsFor(k int) bool {
	h := s.History(k)
	return h > 0 && (s.Pruner != nil || s.Sampler.ReadsHistory(k, h))
}

// CheckMemory refuses more workers than 4 × the cores, and workers (0: all cores) solves at once
// when that is estimated to need more than MaxMemory: the largest solve, among the games at the
// ends of the tuned ranges, times the trials at once.
func (s *Study) CheckMemory(workers int) error {
	if err := experiment.CheckWorkers(workers); err != nil {
		return err
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	at := max(min(workers, s.File.Trials), 1)
	products, lower := s.largest.Bulk()
	if at > 1 {
		lower = append([]string{"workers"}, lower...)
	}
	return experiment.Estimate{What: "study " + s.File.Name, Terms: []experiment.Term{{
		Bytes: float64(at) * s.largest.Bytes(), Lower: lower,
		Product: fmt.Sprintf("%d trials at once (workers %d) × about %s for the largest solve: %s",
			at, workers, memory.FormatSize(s.largest.Bytes()), strings.Join(products, " + ")),
	}}}.Check(s.MaxMemory)
}
