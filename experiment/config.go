package experiment

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
	"meanfield/internal/memory"
	"meanfield/internal/oneline"
	"meanfield/internal/params"
	"meanfield/internal/registry"
	"meanfield/mfg"
	"meanfield/mfglib32"
)

// SolveConfig describes one solve, by concern: what to run (Run), what to record beside it
// (Outputs), the game's parameters (Params) and the algorithm's (AlgorithmParams). In YAML (a
// configuration file, config.yaml next to the results) the run and output keys and the
// algorithm's parameters sit at the top level and the game's parameters under params:
//
//	game: auction
//	params: {states: 10, discount: 0.8}   # the game's parameters (mfg games lists them)
//	algorithm: gmf-q
//	temperature: 4                        # the algorithm's parameters (mfg algorithms lists them)
//	iterations: 20
//	seed: 1
//
// A parameter left out keeps its default; Resolve fills every choice in, and the resolved
// configuration is written next to the results.
type SolveConfig struct {
	Run     RunConfig    `yaml:",inline"`
	Outputs OutputConfig `yaml:",inline"`
	// Params are the game's parameters by name.
	Params map[string]any `yaml:"params,omitempty"`
	// AlgorithmParams are the algorithm's parameters by name: every other top-level key.
	AlgorithmParams map[string]any `yaml:",inline"`

	// MaxMemory is the most memory, in bytes, the solve may be estimated to need (Resolve refuses
	// it otherwise); 0 means the default, 3/4 of the machine's memory. It is no part of the
	// configuration's YAML.
	MaxMemory int64 `yaml:"-"`
	// PNG also writes a solve's figures as PNG (at plot.PNGDPI) beside their SVG. Rasterizing
	// them cost several times a small solve, so it is asked for; it is no part of the
	// configuration's YAML (it changes no result).
	PNG bool `yaml:"-"`

	// source and lines say where the configuration's keys were read (LoadYAMLFile), for errors;
	// paramLines where the game's parameters were, with the values read there.
	source     string
	lines      map[string]int
	paramLines map[string]lineValue
	// memory is the estimate Resolve found.
	memory Estimate
	// traceEvery is TraceMatrices resolved (Resolve sets traceResolved): the default made
	// explicit from the game's size.
	traceEvery    int
	traceResolved bool
	// built is the game Resolve built, and builtKey what it was built from (gameKey): Build
	// returns it, rather than building the game again, while the configuration names that game.
	built    mfg.Game
	builtKey string
}

// RunConfig says what to solve and how long.
type RunConfig struct {
	// Game names a registered game (mfg games); with GameFile, the file's game (set by Resolve).
	Game string `yaml:"game"`
	// GameFile, when set, is a game file (package gamefile) whose game replaces the registered
	// one: mfg solve --game-file FILE. The game's parameters are the file's.
	GameFile string `yaml:"game-file,omitempty"`
	// GameFileSHA256 is the SHA-256 of the game file's contents, recorded by Resolve; a
	// configuration that gives it is refused when the file has changed.
	GameFileSHA256 string `yaml:"game-file-sha256,omitempty"`
	// GameSteps is the most Starlark steps one evaluation of the game file may take (running the
	// file, building one stage); 0 means gamefile.DefaultMaxSteps.
	GameSteps uint64 `yaml:"game-steps,omitempty"`
	// Algorithm names a registered algorithm (mfg algorithms); empty means gmf-q for stationary
	// games and fictitious-play for finite-horizon ones.
	Algorithm string `yaml:"algorithm,omitempty"`
	// Iterations is the number of steps K; 0 means the algorithm's default.
	Iterations int `yaml:"iterations,omitempty"`
	// Seed determines every random stream of the solve.
	Seed uint64 `yaml:"seed"`
	// Arithmetic of finite-horizon games: float64 (the default), or mfglib-float32 to reproduce
	// MFGLib 0.3.0's float32 results bit for bit (package mfglib32; MFGLib's ten games and three
	// of its algorithms).
	Arithmetic string `yaml:"arithmetic,omitempty"`
}

// OutputConfig says what to record beside the solve.
type OutputConfig struct {
	// Exploitability records the exploitability of every iteration's policy, where the game's
	// policies can be evaluated.
	Exploitability bool `yaml:"exploitability"`
	// CompareToGMFV also solves a stationary game with a model by GMF-V at the same temperature
	// and records every iteration's distance to its final population.
	CompareToGMFV bool `yaml:"compare-to-gmf-v"`
	// TraceMatrices says which iterations keep their policy, population and Q and write them to
	// trace.json: 0 none (trace.json then holds each iteration's k, exploitability and changes of
	// L), k > 0 every k-th iteration plus the first and the last. Nil is the default, 0: the
	// solve's first and last iterations keep their tables always (result.json holds them), and
	// formatting every iteration's cost more than a small solve itself.
	TraceMatrices *int `yaml:"trace-matrices,omitempty"`
}

// Arithmetics are the values of RunConfig.Arithmetic.
var Arithmetics = []string{ArithmeticFloat64, ArithmeticMFGLib}

const (
	ArithmeticFloat64 = "float64"
	ArithmeticMFGLib  = "mfglib-float32"
)

// DefaultSolveConfig is `mfg solve` with no arguments: GMF-Q on the default auction.
func DefaultSolveConfig() SolveConfig {
	return SolveConfig{
		Run:     RunConfig{Game: "auction", Seed: 1},
		Outputs: OutputConfig{Exploitability: true, CompareToGMFV: true},
	}
}

// Clone returns a copy that shares no map with c.
func (c SolveConfig) Clone() SolveConfig {
	c.Params, c.AlgorithmParams = cloneMap(c.Params), cloneMap(c.AlgorithmParams)
	return c
}

func cloneMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// LoadYAML decodes YAML over base: keys present replace base's values. A key that no field takes
// is an error naming the key and its line, except in a SolveConfig, whose other top-level keys are
// the algorithm's parameters: Resolve checks those against the algorithm and names the line. A
// stream of more than one document, or of more than 16 MiB, is refused. The error is one line.
func LoadYAML[T any](r io.Reader, base T) (T, error) {
	data, err := memory.ReadAll(r)
	if err != nil {
		return base, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return base, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	cfg := base
	if c, ok := any(base).(SolveConfig); ok { // decoding fills maps in place: not base's
		cfg = any(c.Clone()).(T)
	}
	if err := dec.Decode(&cfg); err != nil {
		err = params.YAMLError(err, data, cfg)
		var de *params.DecodeError
		if errors.As(err, &de) {
			return base, de // one line
		}
		return base, errors.New(oneline.String(err.Error()))
	}
	var more yaml.Node
	if err := dec.Decode(&more); err != io.EOF {
		return base, fmt.Errorf("more than one YAML document (a line ---): give one configuration")
	}
	if err := checkWholeNumbers(data, cfg); err != nil {
		return base, err
	}
	if c, ok := any(&cfg).(*SolveConfig); ok {
		c.lines, c.paramLines = keyLines(data)
	}
	return cfg, nil
}

// DecodeMap is LoadYAML of a configuration given as a map of keys to values, such as a sweep's
// base with a run's axis values: the map has no lines, so neither do its errors (they name the key
// and the value).
func DecodeMap(m map[string]any, base SolveConfig) (SolveConfig, error) {
	raw, err := yaml.Marshal(m)
	if err != nil {
		return base, err
	}
	cfg, err := LoadYAML(bytes.NewReader(raw), base)
	var de *params.DecodeError
	if errors.As(err, &de) {
		return base, errors.New(de.WithoutLine())
	}
	cfg.lines, cfg.paramLines = nil, nil // lines of the document made from the map, not the user's
	return cfg, err
}

// checkWholeNumbers refuses a fraction where a top-level key of cfg (a SolveConfig's run keys) wants
// a whole number (iterations: 2.5), which YAML would truncate. (The game's and the algorithm's
// parameters are checked by their registries.)
func checkWholeNumbers(data []byte, cfg any) error {
	if c, ok := cfg.(SolveConfig); ok {
		return params.CheckWholeYAML(data, c.Run)
	}
	if reflect.TypeOf(cfg).Kind() != reflect.Struct {
		return nil
	}
	return params.CheckWholeYAML(data, cfg)
}

// keyLines maps the top-level keys of a YAML document to their lines, and the keys under its
// params: to their lines and values; both nil when the document is not a mapping.
func keyLines(data []byte) (map[string]int, map[string]lineValue) {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil
	}
	lines, under := map[string]int{}, map[string]lineValue{}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		lines[m.Content[i].Value] = m.Content[i].Line
		if p := m.Content[i+1]; m.Content[i].Value == "params" && p.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(p.Content); j += 2 {
				var v any
				if p.Content[j+1].Decode(&v) == nil {
					under[p.Content[j].Value] = lineValue{p.Content[j].Line, v}
				}
			}
		}
	}
	return lines, under
}

// lineValue is where a game's parameter was given and the value given there.
type lineValue struct {
	line  int
	value any
}

// atParam adds to an error about a game's parameter where the parameter was given, when it was
// read from a configuration's line and still holds the value read there (a --param flag may
// have replaced it).
func (c SolveConfig) atParam(err error) error {
	var unknown *params.UnknownError
	var value *params.ValueError
	name := ""
	switch {
	case errors.As(err, &unknown):
		name = unknown.Name
	case errors.As(err, &value):
		name = value.Name
	}
	at, ok := c.paramLines[name]
	if !ok || !reflect.DeepEqual(at.value, c.Params[name]) {
		return err
	}
	if c.source == "" {
		return fmt.Errorf("line %d: %w", at.line, err)
	}
	return fmt.Errorf("%s, line %d: %w", c.source, at.line, err)
}

// where says where a top-level key was given: the file and line, when it came from one.
func (c SolveConfig) where(key string) string {
	line, ok := c.lines[key]
	switch {
	case !ok:
		return ""
	case c.source == "":
		return fmt.Sprintf("line %d", line)
	}
	return fmt.Sprintf("%s, line %d", c.source, line)
}

// LoadYAMLFile is LoadYAML on a file, with the path in errors.
func LoadYAMLFile[T any](path string, base T) (T, error) {
	f, err := os.Open(path)
	if err != nil {
		return base, fmt.Errorf("config = %s: %w", path, err)
	}
	defer f.Close()
	cfg, err := LoadYAML(f, base)
	if err != nil {
		return base, fmt.Errorf("config = %s: %w", path, err)
	}
	if c, ok := any(&cfg).(*SolveConfig); ok {
		c.source = path
	}
	return cfg, nil
}

// Resolve returns the configuration with every choice made explicit (the algorithm, the number of
// iterations, the arithmetic, every parameter of the game and of the algorithm), or an error
// naming the first bad value. A solve whose estimated memory exceeds MaxMemory is refused with a
// *MemoryError before its game is built (when the game's parameters report its size).
func (c SolveConfig) Resolve() (SolveConfig, error) {
	c = c.Clone()
	if err := c.resolveGameFile(); err != nil {
		return c, err
	}
	ge, gp, size, kind, err := c.gameSize()
	if err != nil {
		return c, err
	}
	if c.Run.Algorithm == "" {
		if c.Run.Algorithm, err = algorithms.DefaultFor(kind); err != nil {
			return c, err
		}
	}
	entry, ap, err := c.algorithmParams()
	if err != nil {
		var na *NotApplicableError
		if errors.As(err, &na) {
			names := c.gameParamNames(gp)
			if slices.Contains(names, na.Key) {
				na.GameParam = c.Run.Game
			}
			na.Game, na.GameParams = c.Run.Game, names
		}
		return c, err
	}
	alg, err := entry.Build(ap)
	if err != nil {
		return c, err
	}
	// The game at its default parameters stands for its kind; an error that depends on the
	// parameters (online-mirror-descent's openspiel-live-read on crowd-modelling, whose default
	// openspiel-costs is false) is left to the check of the game built from them, below.
	if err := alg.Applies(kind); err != nil {
		var pe *algorithms.GameParametersError
		if !errors.As(err, &pe) {
			return c, fmt.Errorf("%w (algorithms for %s: %s)", err, c.Run.Game, strings.Join(algorithms.Applicable(kind), ", "))
		}
	}
	if c.Run.Iterations == 0 {
		c.Run.Iterations = entry.Iterations
	}
	if c.Run.Iterations < 1 {
		return c, fmt.Errorf("iterations = %d: must be positive (0: the algorithm's default, %d)", c.Run.Iterations, entry.Iterations)
	}
	tables := 2 // every iteration's policy and population; the fixed-point scheme's Q too
	if c.IsFixedPoint() {
		tables = 3
	}
	if c.traceEvery, err = traceEvery(c.Outputs.TraceMatrices); err != nil {
		return c, err
	}
	c.traceResolved = true
	_, model := kind.(mfg.ModelBased)
	c.memory = solveMemory(c.Run.Game, size, c.Run.Iterations, c.traceEvery, tables, c.Outputs.CompareToGMFV && model)
	if err := c.memory.Check(c.MaxMemory); err != nil {
		return c, err
	}
	g, err := gameOf(ge, gp, kind, c.Run.GameFile != "")
	if err != nil {
		return c, err
	}
	// The kind's check above holds for every game of the kind, but a parameter of the game may
	// still rule the algorithm out (online-mirror-descent's openspiel-live-read needs
	// crowd-modelling's openspiel-costs: true).
	if err := alg.Applies(g); err != nil {
		return c, err
	}
	if c.Run.GameFile == "" {
		if c.Params, err = params.Map(gp); err != nil {
			return c, err
		}
	}
	if c.AlgorithmParams, err = params.Map(ap); err != nil {
		return c, err
	}
	c.built, c.builtKey = g, c.gameKey()
	return c.resolveArithmetic(g, alg)
}

// gameOf is the game a configuration solves: kind itself where it was built at the parameters (a
// game file's, or the shared game of default parameters), else the game built from gp.
func gameOf(ge games.Entry, gp any, kind mfg.Game, file bool) (mfg.Game, error) {
	if file || reflect.DeepEqual(gp, ge.Defaults()) {
		return kind, nil
	}
	return ge.Build(gp)
}

// gameKey identifies the game a configuration builds: its name or file (with the file's hash and
// its step limit, which the file's stages are built under) and its parameters (writeKey).
func (c SolveConfig) gameKey() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q %q %q %d ", c.Run.Game, c.Run.GameFile, c.Run.GameFileSHA256, c.Run.GameSteps)
	writeKey(&b, c.Params)
	return b.String()
}

// writeKey writes v with its type at every level of its maps and lists, so that different values
// write differently: fmt's %v writes both {a: "x b:y", b: "z"} and {a: "x", b: "y b:z"} as
// map[a:x b:y b:z], and the int 1 and the float 1.0 alike, which a game file's Starlark tells
// apart.
func writeKey(b *strings.Builder, v any) {
	switch x := v.(type) {
	case map[string]any:
		b.WriteString("{")
		for _, k := range slices.Sorted(maps.Keys(x)) {
			fmt.Fprintf(b, "%q:", k)
			writeKey(b, x[k])
			b.WriteString(",")
		}
		b.WriteString("}")
	case []any:
		b.WriteString("[")
		for _, e := range x {
			writeKey(b, e)
			b.WriteString(",")
		}
		b.WriteString("]")
	default:
		fmt.Fprintf(b, "%T(%#v)", v, v)
	}
}

// gameSize decodes the game's parameters and finds, without building the game (when its
// parameters report its size), its size and its kind: the game of its default parameters, which
// has the same access (finite or stationary, model, simulator), so the same default algorithm
// and the same applicable ones.
func (c SolveConfig) gameSize() (games.Entry, any, games.Size, mfg.Game, error) {
	if c.Run.GameFile != "" {
		g, _, err := c.loadGameFile()
		if err != nil {
			return games.Entry{}, nil, games.Size{}, nil, err
		}
		return games.Entry{}, nil, fileGameSize(g), g, nil
	}
	gp, err := games.Params(c.Run.Game, c.Params)
	if err != nil {
		return games.Entry{}, nil, games.Size{}, nil, c.atParam(err)
	}
	ge, _ := games.Lookup(c.Run.Game)
	size, err := ge.Size(gp)
	if err != nil {
		return ge, gp, size, nil, err
	}
	kind, err := ge.Prototype()
	return ge, gp, size, kind, err
}

// Memory is the estimated memory of a resolved configuration's solve (zero before Resolve).
func (c SolveConfig) Memory() Estimate { return c.memory }

// resolveArithmetic checks the arithmetic (float64 by default) and, for MFGLib's float32, that
// MFGLib has the game and the algorithm.
func (c SolveConfig) resolveArithmetic(g mfg.Game, alg engine.Algorithm) (SolveConfig, error) {
	if _, ok := g.(mfg.Finite); !ok && c.Run.Arithmetic != "" && c.Run.Arithmetic != ArithmeticFloat64 {
		return c, fmt.Errorf("arithmetic = %q: only finite-horizon games take another arithmetic than float64, and %s is a stationary game", c.Run.Arithmetic, c.Run.Game)
	}
	switch c.Run.Arithmetic {
	case "":
		c.Run.Arithmetic = ArithmeticFloat64
	case ArithmeticFloat64:
	case ArithmeticMFGLib:
		g32, err := mfglib32.New(c.Run.Game, c.Params)
		if err != nil {
			return c, fmt.Errorf("arithmetic = %s: %w", c.Run.Arithmetic, err)
		}
		if err := mfglib32.Supports(g32, alg); err != nil {
			return c, fmt.Errorf("arithmetic = %s: %w", c.Run.Arithmetic, err)
		}
	default:
		return c, fmt.Errorf("arithmetic = %q: must be %s", c.Run.Arithmetic, strings.Join(Arithmetics, " or "))
	}
	return c, nil
}

// algorithmParams decodes the algorithm's parameters over its defaults. A key that is not one of
// its parameters is a *NotApplicableError.
func (c SolveConfig) algorithmParams() (algorithms.Entry, algorithms.Params, error) {
	entry, ok := algorithms.Lookup(c.Run.Algorithm)
	if !ok {
		return entry, nil, fmt.Errorf("algorithm = %q: unknown algorithm (known: %s)%s", c.Run.Algorithm, strings.Join(algorithms.Names(), ", "), registry.DidYouMean(c.Run.Algorithm, algorithms.Names()))
	}
	p := entry.Defaults()
	if err := params.Decode(p, c.AlgorithmParams); err != nil {
		var unknown *params.UnknownError
		if errors.As(err, &unknown) {
			return entry, nil, &NotApplicableError{Key: unknown.Name, Algorithm: entry.Name, Known: unknown.Known, Where: c.where(unknown.Name)}
		}
		return entry, nil, fmt.Errorf("%s: %w", entry.Name, err)
	}
	return entry, p, nil
}

// NotApplicableError is a configuration key that is no parameter of the chosen algorithm.
type NotApplicableError struct {
	Key, Algorithm string
	// Known are the algorithm's parameters.
	Known []string
	// GameParam, when set, names the game that has a parameter Key.
	GameParam string
	// Where says where the key was given ("run.yaml, line 3"), when known.
	Where string
	// Game and GameParams name the game and its parameters, for a suggestion when Key is a
	// misspelt game parameter (overbid_penalty for overbid-penalty).
	Game       string
	GameParams []string
}

func (e *NotApplicableError) Error() string {
	key := e.Key
	if e.Where != "" {
		key += " (" + e.Where + ")"
	}
	if e.GameParam != "" {
		return oneline.String(fmt.Sprintf("%s is a parameter of the game %s, not of algorithm %s: give it under params: or as --param %s=VALUE", key, e.GameParam, e.Algorithm, e.Key))
	}
	known := "it has no parameters"
	if len(e.Known) > 0 {
		known = "its parameters: " + strings.Join(e.Known, ", ")
	}
	suggestion := registry.DidYouMean(e.Key, append(append([]string(nil), e.Known...), RunKeys()...))
	if g := registry.Closest(e.Key, append(append(append([]string(nil), e.Known...), RunKeys()...), e.GameParams...)); g != "" && slices.Contains(e.GameParams, g) && !slices.Contains(e.Known, g) {
		suggestion = fmt.Sprintf("; did you mean the parameter %s of the game %s (under params: or --param %s=VALUE)?", g, e.Game, g)
	}
	return oneline.String(fmt.Sprintf("%s does not apply to algorithm %s (%s; the game's parameters go under params: or --param; run keys: %s)%s", key, e.Algorithm, known, strings.Join(RunKeys(), ", "), suggestion))
}

// RunKeys are the top-level keys of a configuration that are not the algorithm's parameters.
func RunKeys() []string {
	return append(params.Names(RunConfig{}), params.Names(OutputConfig{})...)
}

// gameParamNames are the names of the game's parameters: gp's, or the game file's.
func (c SolveConfig) gameParamNames(gp any) []string {
	if c.Run.GameFile == "" {
		return params.Names(gp)
	}
	names := slices.Sorted(maps.Keys(c.Params))
	return names
}

// Build makes the game and the algorithm of a configuration.
func (c SolveConfig) Build() (mfg.Game, engine.Algorithm, error) {
	var g mfg.Game
	var err error
	switch {
	case c.built != nil && c.builtKey == c.gameKey(): // Resolve's; games are only read once built
		g = c.built
	case c.Run.GameFile != "":
		g, _, err = c.loadGameFile()
	default:
		g, err = games.New(c.Run.Game, c.Params)
	}
	if err != nil {
		return nil, nil, err
	}
	alg, err := c.BuildAlgorithm()
	if err != nil {
		return nil, nil, err
	}
	return g, alg, nil
}

// BuildAlgorithm builds the configuration's algorithm alone (Build builds the game too).
func (c SolveConfig) BuildAlgorithm() (engine.Algorithm, error) {
	entry, params, err := c.algorithmParams()
	if err != nil {
		return nil, err
	}
	return entry.Build(params)
}

// IsFixedPoint reports whether a configuration runs the fixed-point scheme (GMF-V, GMF-Q, naive).
func (c SolveConfig) IsFixedPoint() bool {
	e, ok := algorithms.Lookup(c.Run.Algorithm)
	if !ok {
		return false
	}
	_, fp := e.Defaults().(*algorithms.FixedPointParams)
	return fp
}
