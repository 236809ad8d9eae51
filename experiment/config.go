package experiment

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
	"meanfield/internal/oneline"
	"meanfield/mfg"
	"meanfield/mfglib32"
)

// SolveConfig describes one solve. Zero values of the optional fields mean "the preset's choice";
// Resolve fills them in, and the resolved configuration is what gets written next to the results.
type SolveConfig struct {
	Game string `yaml:"game"`
	// Algorithm names a preset; empty means gmf-q for stationary games and fictitious-play for
	// finite-horizon ones.
	Algorithm string `yaml:"algorithm"`
	// Iterations is K; 0 means the preset's (300 for gmf-v, which stops at convergence; 20 otherwise).
	Iterations int `yaml:"iterations"`
	// Tolerance stops once ||L_{k+1}-L_k||_1 <= tolerance; negative means the preset's (1e-12 for
	// gmf-v, 0 = never otherwise).
	Tolerance float64 `yaml:"tolerance"`
	Seed      uint64  `yaml:"seed"`

	GameParams games.Params `yaml:",inline"`

	// Parts of the scheme; empty means the preset's.
	Inner          string `yaml:"inner"`           // value-iteration | q-learning
	PolicyMap      string `yaml:"policy-map"`      // softmax | argmax-e
	Projection     string `yaml:"projection"`      // epsilon-net | none
	PopulationStep string `yaml:"population-step"` // exact | sampled

	Temperature   float64 `yaml:"temperature"`    // softmax c
	Sweeps        int     `yaml:"sweeps"`         // value-iteration sweeps per outer iteration
	Steps         int     `yaml:"steps"`          // T_k, Q-learning steps per outer iteration
	StepSchedule  string  `yaml:"step-schedule"`  // power | constant
	StepExponent  float64 `yaml:"step-exponent"`  // h in 1/n^h
	StepConstant  float64 `yaml:"step-constant"`  // β of the constant schedule
	Exploration   string  `yaml:"exploration"`    // uniform | epsilon-greedy | boltzmann
	Epsilon       float64 `yaml:"epsilon"`        // ε of ε-greedy
	BoltzmannC    float64 `yaml:"boltzmann-c"`    // c of Boltzmann exploration
	ColdRestart   bool    `yaml:"cold-restart"`   // reset Q and counts every outer iteration
	EpsilonNet    float64 `yaml:"epsilon-net"`    // ε of the projection
	Agents        int     `yaml:"agents"`         // agents of the sampled population step
	Exploitable   bool    `yaml:"exploitability"` // record exploitability per iteration
	CompareToGMFV bool    `yaml:"compare-to-gmf-v"`

	// Parameters of finite-horizon games (by the game's parameter names; missing ones keep the
	// game's defaults) and of their algorithms.
	Params  map[string]any `yaml:"params"`
	Alpha   float64        `yaml:"alpha"`   // fictitious play (0 = 1/(k+2)) or mirror descent; negative: the algorithm's default
	Eta     float64        `yaml:"eta"`     // prior descent temperature
	NInner  int            `yaml:"n-inner"` // prior descent: the prior is updated every n-inner iterations (0: never)
	Damping float64        `yaml:"damping"` // damped fixed point
	// TieTolerance: fictitious play takes as best responses all actions within it (relative) of
	// the best; 0 is exact equality, as in MFGLib.
	TieTolerance float64 `yaml:"tie-tolerance"`
	// Arithmetic of finite-horizon games: float64 (the default), or mfglib-float32 to reproduce
	// MFGLib 0.3.0's float32 results bit for bit (package mfglib32; MFGLib's ten games and
	// algorithms only).
	Arithmetic string `yaml:"arithmetic"`
}

// Arithmetics are the values of SolveConfig.Arithmetic.
var Arithmetics = []string{ArithmeticFloat64, ArithmeticMFGLib}

const (
	ArithmeticFloat64 = "float64"
	ArithmeticMFGLib  = "mfglib-float32"
)

// DefaultSolveConfig is `mfg solve` with no arguments: GMF-Q on the default auction.
func DefaultSolveConfig() SolveConfig {
	return SolveConfig{
		Game: "auction", Algorithm: "", Iterations: 0, Tolerance: -1, Seed: 1,
		Alpha: -1, Eta: 1, NInner: 0, Damping: 0.5,
		GameParams:  games.DefaultParams(),
		Temperature: algorithms.DefaultTemperature, Sweeps: algorithms.DefaultSweeps, Steps: algorithms.DefaultQSteps,
		StepSchedule: "power", StepExponent: algorithms.DefaultStepExponent, StepConstant: 0.1,
		Exploration: "uniform", Epsilon: 0.1, BoltzmannC: algorithms.DefaultTemperature,
		EpsilonNet: algorithms.DefaultEpsilonNet, Agents: 10000,
		Exploitable: true, CompareToGMFV: true,
	}
}

// LoadYAML decodes YAML over base: keys present replace base's values, unknown keys are errors
// naming the key and line. The error is one line.
func LoadYAML[T any](r io.Reader, base T) (T, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return base, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return base, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	cfg := base
	if err := dec.Decode(&cfg); err != nil {
		return base, fmt.Errorf("%s", oneline.String(err.Error()))
	}
	return cfg, nil
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
	return cfg, nil
}

// Resolve returns the configuration with every preset choice made explicit, or an error naming
// the first bad value.
func (c SolveConfig) Resolve() (SolveConfig, error) {
	finiteGame := games.IsFinite(c.Game)
	if !finiteGame {
		if _, ok := games.Lookup(c.Game); !ok {
			_, err := games.New(c.Game, c.GameParams)
			return c, err
		}
		if len(c.Params) > 0 {
			return c, fmt.Errorf("params: %s takes its parameters as flags (--states, --discount, ...), not --param", c.Game)
		}
		if c.Arithmetic != "" && c.Arithmetic != ArithmeticFloat64 {
			return c, fmt.Errorf("arithmetic = %q: only finite-horizon games take another arithmetic than float64, and %s is a stationary game", c.Arithmetic, c.Game)
		}
	}
	if c.Algorithm == "" {
		c.Algorithm = "gmf-q"
		if finiteGame {
			c.Algorithm = "fictitious-play"
		}
	}
	entry, ok := algorithms.Lookup(c.Algorithm)
	if !ok {
		return c, fmt.Errorf("algorithm = %q: unknown algorithm (known: %s)", c.Algorithm, strings.Join(algorithms.Names(), ", "))
	}
	if c.Iterations == 0 {
		c.Iterations = entry.Iterations
	}
	if c.Iterations < 1 {
		return c, fmt.Errorf("iterations = %d: must be at least 1", c.Iterations)
	}
	c, params, err := c.algorithmParams(entry)
	if err != nil {
		return c, err
	}
	g, alg, err := c.build(entry, params)
	if err != nil {
		return c, err
	}
	if err := alg.Applies(g); err != nil {
		return c, err
	}
	return c.resolveArithmetic(alg)
}

// resolveArithmetic checks the arithmetic (float64 by default) and, for MFGLib's float32, that
// MFGLib has the game and the algorithm.
func (c SolveConfig) resolveArithmetic(alg engine.Algorithm) (SolveConfig, error) {
	switch c.Arithmetic {
	case "":
		c.Arithmetic = ArithmeticFloat64
	case ArithmeticFloat64:
	case ArithmeticMFGLib:
		g32, err := mfglib32.New(c.Game, c.Params)
		if err != nil {
			return c, fmt.Errorf("arithmetic = %s: %w", c.Arithmetic, err)
		}
		if err := mfglib32.Supports(g32, alg); err != nil {
			return c, fmt.Errorf("arithmetic = %s: %w", c.Arithmetic, err)
		}
	default:
		return c, fmt.Errorf("arithmetic = %q: must be %s", c.Arithmetic, strings.Join(Arithmetics, " or "))
	}
	return c, nil
}

// algorithmParams decodes the algorithm's parameters from the configuration: every key of the
// algorithm's parameter struct that the configuration sets (not "" and, for alpha and tolerance,
// not negative) overrides the algorithm's default, and the others are filled in from the default,
// so that the resolved configuration shows every choice.
func (c SolveConfig) algorithmParams(entry algorithms.Entry) (SolveConfig, algorithms.Params, error) {
	params := entry.Defaults()
	cfgMap, err := yamlMap(c)
	if err != nil {
		return c, nil, err
	}
	defMap, err := yamlMap(params)
	if err != nil {
		return c, nil, err
	}
	for k, def := range defMap {
		if v, ok := cfgMap[k]; ok && !unset(k, v) {
			defMap[k] = v
		} else {
			cfgMap[k] = def
		}
	}
	if err := decodeMap(defMap, params); err != nil {
		return c, nil, err
	}
	if err := decodeMap(cfgMap, &c); err != nil {
		return c, nil, err
	}
	return c, params, nil
}

// unset reports whether a configuration value means "the algorithm's default".
func unset(key string, v any) bool {
	switch x := v.(type) {
	case string:
		return x == ""
	case float64:
		return (key == "alpha" || key == "tolerance") && x < 0
	case int:
		return (key == "alpha" || key == "tolerance") && x < 0
	}
	return false
}

// yamlMap returns the YAML fields of v as a map.
func yamlMap(v any) (map[string]any, error) {
	raw, err := yaml.Marshal(v)
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	return m, yaml.Unmarshal(raw, &m)
}

// decodeMap decodes m into dst (a pointer), refusing unknown keys.
func decodeMap(m map[string]any, dst any) error {
	raw, err := yaml.Marshal(m)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("%s", oneline.String(err.Error()))
	}
	return nil
}

// build makes the game and the algorithm of a configuration.
func (c SolveConfig) build(entry algorithms.Entry, params algorithms.Params) (mfg.Game, engine.Algorithm, error) {
	var g mfg.Game
	var err error
	if games.IsFinite(c.Game) {
		g, err = games.NewFinite(c.Game, c.Params)
	} else {
		g, err = games.New(c.Game, c.GameParams)
	}
	if err != nil {
		return nil, nil, err
	}
	alg, err := entry.Build(params)
	return g, alg, err
}

// Build makes the game and the algorithm of a resolved configuration.
func (c SolveConfig) Build() (mfg.Game, engine.Algorithm, error) {
	entry, ok := algorithms.Lookup(c.Algorithm)
	if !ok {
		return nil, nil, fmt.Errorf("algorithm = %q: unknown algorithm (known: %s)", c.Algorithm, strings.Join(algorithms.Names(), ", "))
	}
	c, params, err := c.algorithmParams(entry)
	if err != nil {
		return nil, nil, err
	}
	return c.build(entry, params)
}

// IsFixedPoint reports whether a resolved configuration runs the fixed-point scheme (GMF-V, GMF-Q,
// naive), whose options (inner solver, policy map, ...) it uses.
func (c SolveConfig) IsFixedPoint() bool {
	e, ok := algorithms.Lookup(c.Algorithm)
	if !ok {
		return false
	}
	_, fp := e.Defaults().(*algorithms.FixedPointParams)
	return fp
}

// DefaultGame builds the named game with its default parameters.
func DefaultGame(name string) (mfg.Game, error) {
	if games.IsFinite(name) {
		return games.NewFinite(name, nil)
	}
	return games.New(name, games.DefaultParams())
}
