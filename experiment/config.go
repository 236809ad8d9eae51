package experiment

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"meanfield/finite"
	"meanfield/games"
	"meanfield/internal/oneline"
	"meanfield/mfg"
	"meanfield/mfglib32"
	"meanfield/rl"
	"meanfield/solver"
)

// Algorithms lists the solver presets by name: first those of stationary discounted games, then
// those of finite-horizon games.
var Algorithms = []string{"gmf-v", "gmf-q", "naive", "fictitious-play", "online-mirror-descent", "prior-descent", "damped-fixed-point"}

// FiniteAlgorithms are the algorithms of finite-horizon games; on stationary games with a model
// they run as policy methods (solver.SolvePolicies).
var FiniteAlgorithms = []string{"fictitious-play", "online-mirror-descent", "prior-descent", "damped-fixed-point"}

// StationaryAlgorithms are the algorithms of stationary discounted games.
var StationaryAlgorithms = []string{"gmf-v", "gmf-q", "naive"}

// AlgorithmDescriptions gives a one-line description of each preset.
var AlgorithmDescriptions = map[string]string{
	"gmf-v":                 "value iteration on the known model, softmax_c policy, exact population step (full information)",
	"gmf-q":                 "Q-learning on the simulator, softmax_c policy, projection on an epsilon-net (Algorithm 2 of the talk)",
	"naive":                 "Q-learning, argmax-e policy, no projection (Algorithm 1; expected to fluctuate)",
	"fictitious-play":       "fictitious play: average the population with the best response's (MFGLib FictitiousPlay; --alpha 0 = 1/(k+2))",
	"online-mirror-descent": "online mirror descent: softmax of the summed Q-functions of past policies (MFGLib OnlineMirrorDescent; --alpha 1)",
	"prior-descent":         "prior descent: softmax of Q*/eta times a prior policy (MFGLib PriorDescent; --eta 1, --n-inner 0 = fixed prior)",
	"damped-fixed-point":    "fixed-point iteration damped in the space of populations (--damping 0.5; 1 = undamped)",
}

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
		Temperature: solver.DefaultTemperature, Sweeps: solver.DefaultSweeps, Steps: solver.DefaultQSteps,
		StepSchedule: "power", StepExponent: solver.DefaultStepExponent, StepConstant: 0.1,
		Exploration: "uniform", Epsilon: 0.1, BoltzmannC: solver.DefaultTemperature,
		EpsilonNet: solver.DefaultEpsilonNet, Agents: 10000,
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
	if games.IsFinite(c.Game) {
		return c.resolveFinite()
	}
	if c.Arithmetic != "" && c.Arithmetic != ArithmeticFloat64 {
		return c, fmt.Errorf("arithmetic = %q: only finite-horizon games take another arithmetic than float64, and %s is a stationary game", c.Arithmetic, c.Game)
	}
	if _, ok := games.Lookup(c.Game); !ok {
		_, err := games.New(c.Game, c.GameParams)
		return c, err
	}
	if c.Algorithm == "" {
		c.Algorithm = "gmf-q"
	}
	if slices.Contains(FiniteAlgorithms, c.Algorithm) {
		return c.resolvePolicyMethod()
	}
	if len(c.Params) > 0 {
		return c, fmt.Errorf("params: %s takes its parameters as flags (--states, --discount, ...), not --param", c.Game)
	}
	switch c.Algorithm {
	case "gmf-v":
		c.Inner = orDefault(c.Inner, "value-iteration")
		c.PolicyMap = orDefault(c.PolicyMap, "softmax")
		c.Projection = orDefault(c.Projection, "none")
		c.PopulationStep = orDefault(c.PopulationStep, "exact")
		if c.Iterations == 0 {
			c.Iterations = 300
		}
		if c.Tolerance < 0 {
			c.Tolerance = 1e-12
		}
	case "gmf-q", "naive":
		c.Inner = orDefault(c.Inner, "q-learning")
		if c.Algorithm == "naive" {
			c.PolicyMap = orDefault(c.PolicyMap, "argmax-e")
			c.Projection = orDefault(c.Projection, "none")
		} else {
			c.PolicyMap = orDefault(c.PolicyMap, "softmax")
			c.Projection = orDefault(c.Projection, "epsilon-net")
		}
		c.PopulationStep = orDefault(c.PopulationStep, "exact")
		if c.Iterations == 0 {
			c.Iterations = 20
		}
		if c.Tolerance < 0 {
			c.Tolerance = 0
		}
	default:
		return c, fmt.Errorf("algorithm = %q: unknown algorithm (known: %s)", c.Algorithm, strings.Join(Algorithms, ", "))
	}
	if _, err := c.Options(); err != nil {
		return c, err
	}
	return c, nil
}

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

// Options builds the solver options of a resolved configuration.
func (c SolveConfig) Options() (solver.Options, error) {
	o := solver.Options{Algorithm: c.Algorithm, Iterations: c.Iterations, Tolerance: c.Tolerance, Seed: c.Seed, Exploitability: c.Exploitable}
	if c.Iterations < 1 {
		return o, fmt.Errorf("iterations = %d: must be at least 1", c.Iterations)
	}
	if !(c.Tolerance >= 0) || math.IsInf(c.Tolerance, 0) {
		return o, fmt.Errorf("tolerance = %v: must be non-negative and finite", c.Tolerance)
	}
	switch c.Inner {
	case "value-iteration":
		o.Inner = solver.ValueIteration{MaxSweeps: c.Sweeps}
	case "q-learning":
		var step rl.StepSize
		switch c.StepSchedule {
		case "power":
			step = rl.PowerStep{Exponent: c.StepExponent}
		case "constant":
			if !(c.StepConstant > 0 && c.StepConstant <= 1) {
				return o, fmt.Errorf("step-constant = %v: must be in (0, 1]", c.StepConstant)
			}
			step = rl.ConstantStep{Beta: c.StepConstant}
		default:
			return o, fmt.Errorf("step-schedule = %q: must be power or constant", c.StepSchedule)
		}
		var explore rl.Exploration
		switch c.Exploration {
		case "uniform":
			explore = rl.UniformPairs{}
		case "epsilon-greedy":
			explore = rl.EpsilonGreedy{Epsilon: c.Epsilon}
		case "boltzmann":
			explore = rl.Boltzmann{C: c.BoltzmannC}
		default:
			return o, fmt.Errorf("exploration = %q: must be uniform, epsilon-greedy or boltzmann", c.Exploration)
		}
		o.Inner = solver.QLearning{Steps: c.Steps, Step: step, Explore: explore, Cold: c.ColdRestart}
	default:
		return o, fmt.Errorf("inner = %q: must be value-iteration or q-learning", c.Inner)
	}
	switch c.PolicyMap {
	case "softmax":
		o.PolicyMap = solver.Softmax{C: c.Temperature}
	case "argmax-e":
		o.PolicyMap = solver.ArgmaxE{}
	default:
		return o, fmt.Errorf("policy-map = %q: must be softmax or argmax-e", c.PolicyMap)
	}
	switch c.Projection {
	case "epsilon-net":
		o.Projection = solver.EpsilonNet{Epsilon: c.EpsilonNet}
	case "none":
		o.Projection = solver.NoProjection{}
	default:
		return o, fmt.Errorf("projection = %q: must be epsilon-net or none", c.Projection)
	}
	switch c.PopulationStep {
	case "exact":
		o.PopulationStep = solver.ExactStep{}
	case "sampled":
		o.PopulationStep = solver.SampledStep{Agents: c.Agents}
	default:
		return o, fmt.Errorf("population-step = %q: must be exact or sampled", c.PopulationStep)
	}
	return o, o.Validate()
}

// resolveFinite fills the defaults of a finite-horizon game's solve and validates it.
func (c SolveConfig) resolveFinite() (SolveConfig, error) {
	if c.Algorithm == "" {
		c.Algorithm = "fictitious-play"
	}
	if !slices.Contains(FiniteAlgorithms, c.Algorithm) {
		if slices.Contains(StationaryAlgorithms, c.Algorithm) {
			return c, fmt.Errorf("algorithm = %q solves stationary discounted games, and %s is a finite-horizon game: use %s", c.Algorithm, c.Game, strings.Join(FiniteAlgorithms, ", "))
		}
		return c, fmt.Errorf("algorithm = %q: unknown algorithm (known: %s)", c.Algorithm, strings.Join(Algorithms, ", "))
	}
	if c.Iterations == 0 {
		c.Iterations = 100 // MFGLib's default max_iter
	}
	if c.Alpha < 0 {
		c.Alpha = map[string]float64{"fictitious-play": 0, "online-mirror-descent": 1}[c.Algorithm]
	}
	if _, err := games.NewFinite(c.Game, c.Params); err != nil {
		return c, err
	}
	alg, err := c.FiniteAlgorithm()
	if err != nil {
		return c, err
	}
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

// FiniteAlgorithm builds the finite-horizon algorithm of a resolved configuration.
func (c SolveConfig) FiniteAlgorithm() (finite.Algorithm, error) {
	var a finite.Algorithm
	switch c.Algorithm {
	case "fictitious-play":
		a = finite.FictitiousPlay{Alpha: c.Alpha, TieTolerance: c.TieTolerance}
	case "online-mirror-descent":
		a = finite.OnlineMirrorDescent{Alpha: c.Alpha}
	case "prior-descent":
		a = finite.PriorDescent{Eta: c.Eta, Inner: c.NInner}
	case "damped-fixed-point":
		a = finite.DampedFixedPoint{Damping: c.Damping}
	default:
		return nil, fmt.Errorf("algorithm = %q: not a finite-horizon algorithm", c.Algorithm)
	}
	if c.Iterations < 1 {
		return nil, fmt.Errorf("iterations = %d: must be at least 1", c.Iterations)
	}
	return a, a.Validate()
}

// resolvePolicyMethod fills the defaults of a policy method (fictitious play, mirror descent, prior
// descent, damped fixed point) on a stationary game, which needs the game's model.
func (c SolveConfig) resolvePolicyMethod() (SolveConfig, error) {
	g, err := games.New(c.Game, c.GameParams)
	if err != nil {
		return c, err
	}
	if _, ok := g.(mfg.ModelBased); !ok {
		return c, fmt.Errorf("algorithm = %q evaluates policies with the game's model, and %s has none: use gmf-q", c.Algorithm, c.Game)
	}
	if len(c.Params) > 0 {
		return c, fmt.Errorf("params: %s takes its parameters as flags (--states, --discount, ...), not --param", c.Game)
	}
	if c.Iterations == 0 {
		c.Iterations = 100
	}
	if c.Alpha < 0 {
		c.Alpha = map[string]float64{"fictitious-play": 0, "online-mirror-descent": 1}[c.Algorithm]
	}
	_, err = c.PolicyMethod()
	return c, err
}

// PolicyMethod builds the stationary policy method of a resolved configuration.
func (c SolveConfig) PolicyMethod() (solver.PolicyMethod, error) {
	var m solver.PolicyMethod
	switch c.Algorithm {
	case "fictitious-play":
		m = solver.StationaryFictitiousPlay{Alpha: c.Alpha, TieTolerance: c.TieTolerance}
	case "online-mirror-descent":
		m = &solver.StationaryOnlineMirrorDescent{Alpha: c.Alpha}
	case "prior-descent":
		m = &solver.StationaryPriorDescent{Eta: c.Eta, Inner: c.NInner}
	case "damped-fixed-point":
		if !(c.Damping > 0 && c.Damping <= 1) {
			return nil, fmt.Errorf("damping = %v: must be in (0, 1]", c.Damping)
		}
		m = solver.StationaryFictitiousPlay{Alpha: c.Damping}
	default:
		return nil, fmt.Errorf("algorithm = %q: not a policy method", c.Algorithm)
	}
	if c.Iterations < 1 {
		return nil, fmt.Errorf("iterations = %d: must be at least 1", c.Iterations)
	}
	return m, m.Validate()
}

// IsPolicyMethod reports whether a resolved configuration runs a policy method on a stationary game.
func (c SolveConfig) IsPolicyMethod() bool {
	return !games.IsFinite(c.Game) && slices.Contains(FiniteAlgorithms, c.Algorithm)
}
