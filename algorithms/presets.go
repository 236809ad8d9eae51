package algorithms

import (
	"fmt"
	"strings"

	"meanfield/engine"
	"meanfield/rl"
)

// The defaults of the presets, from the project's specification.
const (
	DefaultTemperature  = 4     // softmax c
	DefaultStepExponent = 0.87  // h in β_n = 1/n^h
	DefaultEpsilonNet   = 1e-4  // ε of the projection
	DefaultQSteps       = 10000 // T_k of GMF-Q
	DefaultSweeps       = 5000  // value-iteration sweeps per outer iteration of GMF-V
	// The cycle detection of the gmf-v preset (FixedPointParams): ||L_k - L_j||_1 <= 1e-10 for a
	// period k - j of at most 50.
	DefaultCycleTolerance = 1e-10
	DefaultMaxPeriod      = 50
	// The detection of an approach to a cycle of the gmf-v preset: 30 iterations in a row with
	// ||L_k - L_{k-p}||_1 <= 0.2 ||L_k - L_{k-1}||_1 and a step that does not shrink.
	DefaultCycleRatio  = 0.2
	DefaultCycleWindow = 30
)

func init() {
	Register("gmf-v",
		"value iteration on the known model, softmax_c policy, exact population step (full information)",
		"Guo, Hu, Xu, Zhang, Learning Mean-Field Games, NeurIPS 2019 (GMF-V)", 300,
		func() *FixedPointParams {
			p := presetParams("gmf-v", "value-iteration", "softmax", "none", 1e-12)
			p.CycleTolerance, p.MaxPeriod = DefaultCycleTolerance, DefaultMaxPeriod
			p.CycleRatio, p.CycleWindow = DefaultCycleRatio, DefaultCycleWindow
			return p
		},
		(*FixedPointParams).algorithm)
	Register("gmf-q",
		"Q-learning on the simulator, softmax_c policy, projection on an epsilon-net (Algorithm 2 of the talk)",
		"Guo, Hu, Xu, Zhang, Learning Mean-Field Games, NeurIPS 2019 (GMF-Q)", 20,
		func() *FixedPointParams { return presetParams("gmf-q", "q-learning", "softmax", "epsilon-net", 0) },
		(*FixedPointParams).algorithm)
	Register("naive",
		"Q-learning, argmax-e policy, no projection (Algorithm 1; expected to fluctuate)",
		"Guo, Hu, Xu, Zhang, Learning Mean-Field Games, NeurIPS 2019 (Algorithm 1)", 20,
		func() *FixedPointParams { return presetParams("naive", "q-learning", "argmax-e", "none", 0) },
		(*FixedPointParams).algorithm)
}

// GMFV returns GMF-V: value iteration (at most 5000 sweeps, to float64 convergence), softmax_c,
// exact Γ2, no projection, stopping once the l1 change of L is below 1e-12. It detects no cycles,
// as before the detection existed, so that its solves keep their iterations; the registered
// preset "gmf-v" (the command line's) stops at a cycle (DefaultCycleTolerance,
// DefaultMaxPeriod).
func GMFV(c float64) FixedPoint {
	return FixedPoint{
		Preset: "gmf-v", Tolerance: 1e-12,
		Inner:          ValueIteration{MaxSweeps: DefaultSweeps},
		PolicyMap:      Softmax{C: c},
		PopulationStep: ExactStep{},
		Projection:     NoProjection{},
	}
}

// GMFQ returns GMF-Q: steps Q-learning updates per outer iteration on uniformly drawn pairs with
// β_n = 1/n^0.87, Q and counts carried over, softmax_c, exact Γ2, projection on the ε-net.
func GMFQ(steps int, c, epsilon float64) FixedPoint {
	return FixedPoint{
		Preset:         "gmf-q",
		Inner:          QLearning{Steps: steps, Step: rl.PowerStep{Exponent: DefaultStepExponent}, Explore: rl.UniformPairs{}},
		PolicyMap:      Softmax{C: c},
		PopulationStep: ExactStep{},
		Projection:     EpsilonNet{Epsilon: epsilon},
	}
}

// Naive returns the naive algorithm: GMF-Q's Q-learning with argmax-e and no projection.
func Naive(steps int) FixedPoint {
	f := GMFQ(steps, DefaultTemperature, DefaultEpsilonNet)
	f.Preset, f.PolicyMap, f.Projection = "naive", ArgmaxE{}, NoProjection{}
	return f
}

// FixedPointParams are the parameters of the fixed-point presets as configuration files and flags
// name them: the four parts by name, and each part's parameters.
type FixedPointParams struct {
	preset string

	Inner          string  `yaml:"inner" help:"inner solver: value-iteration or q-learning"`
	PolicyMap      string  `yaml:"policy-map" help:"policy map: softmax or argmax-e"`
	Projection     string  `yaml:"projection" help:"projection of the population: epsilon-net or none"`
	PopulationStep string  `yaml:"population-step" help:"population step: exact or sampled"`
	Tolerance      float64 `yaml:"tolerance" help:"stop once ||L_k - L_{k-1}||_1 <= tolerance (0: never)"`
	CycleTolerance float64 `yaml:"cycle-tolerance" help:"stop, with no equilibrium, once ||L_k - L_j||_1 <= cycle-tolerance for a period 2 <= k-j <= max-period (0: never)"`
	MaxPeriod      int     `yaml:"max-period" max:"10000" help:"longest cycle of L looked for, keeping that many populations (0: no cycle detection)"`
	CycleRatio     float64 `yaml:"cycle-ratio" help:"stop, with no equilibrium, when L approaches a cycle: ||L_k - L_{k-p}||_1 <= cycle-ratio × ||L_k - L_{k-1}||_1 for cycle-window iterations, the step not shrinking (0: never)"`
	CycleWindow    int     `yaml:"cycle-window" max:"100000" help:"iterations in a row the approach to a cycle must hold (0: never)"`

	Temperature  float64 `yaml:"temperature" help:"softmax parameter c in softmax_c(x)_i = exp(c x_i)/Σ_j exp(c x_j)"`
	Sweeps       int     `yaml:"sweeps" max:"-" help:"value iteration: at most this many sweeps per outer iteration"`
	Steps        int     `yaml:"steps" max:"-" help:"Q-learning: steps T_k per outer iteration"`
	StepSchedule string  `yaml:"step-schedule" help:"Q-learning step size: power (1/n^h) or constant"`
	StepExponent float64 `yaml:"step-exponent" help:"Q-learning: exponent h of the power schedule"`
	StepConstant float64 `yaml:"step-constant" help:"Q-learning: β of the constant schedule"`
	Exploration  string  `yaml:"exploration" help:"Q-learning: uniform (pairs drawn at random), epsilon-greedy or boltzmann (along a trajectory)"`
	Epsilon      float64 `yaml:"epsilon" help:"Q-learning: ε of epsilon-greedy exploration"`
	BoltzmannC   float64 `yaml:"boltzmann-c" help:"Q-learning: c of Boltzmann exploration"`
	ColdRestart  bool    `yaml:"cold-restart" help:"Q-learning: reset Q and visit counts every outer iteration"`
	EpsilonNet   float64 `yaml:"epsilon-net" help:"projection: ε of the net (1/ε a whole number)"`
	Agents       int     `yaml:"agents" max:"-" help:"sampled population step: number of agents"`
}

// presetParams returns a preset's parameters: its parts and tolerance, and every part's defaults.
func presetParams(preset, inner, policyMap, projection string, tolerance float64) *FixedPointParams {
	return &FixedPointParams{
		preset: preset, Inner: inner, PolicyMap: policyMap, Projection: projection, PopulationStep: "exact",
		Tolerance: tolerance, Temperature: DefaultTemperature, Sweeps: DefaultSweeps, Steps: DefaultQSteps,
		StepSchedule: "power", StepExponent: DefaultStepExponent, StepConstant: 0.1,
		Exploration: "uniform", Epsilon: 0.1, BoltzmannC: DefaultTemperature,
		EpsilonNet: DefaultEpsilonNet, Agents: 10000,
	}
}

// Validate builds the parts and names the first value out of range.
func (p *FixedPointParams) Validate() error {
	_, err := p.FixedPoint()
	return err
}

func (p *FixedPointParams) algorithm() (engine.Algorithm, error) { return p.FixedPoint() }

// FixedPoint builds the algorithm the parameters describe.
func (p *FixedPointParams) FixedPoint() (FixedPoint, error) {
	f := FixedPoint{Preset: p.preset, Tolerance: p.Tolerance, CycleTolerance: p.CycleTolerance, MaxPeriod: p.MaxPeriod,
		CycleRatio: p.CycleRatio, CycleWindow: p.CycleWindow}
	var err error
	if f.Inner, err = p.inner(); err != nil {
		return f, err
	}
	switch p.PolicyMap {
	case "softmax":
		f.PolicyMap = Softmax{C: p.Temperature}
	case "argmax-e":
		f.PolicyMap = ArgmaxE{}
	default:
		return f, fmt.Errorf("policy-map = %q: must be softmax or argmax-e", p.PolicyMap)
	}
	switch p.Projection {
	case "epsilon-net":
		f.Projection = EpsilonNet{Epsilon: p.EpsilonNet}
	case "none":
		f.Projection = NoProjection{}
	default:
		return f, fmt.Errorf("projection = %q: must be epsilon-net or none", p.Projection)
	}
	switch p.PopulationStep {
	case "exact":
		f.PopulationStep = ExactStep{}
	case "sampled":
		f.PopulationStep = SampledStep{Agents: p.Agents}
	default:
		return f, fmt.Errorf("population-step = %q: must be exact or sampled", p.PopulationStep)
	}
	return f, f.Validate()
}

// inner builds the inner solver.
func (p *FixedPointParams) inner() (InnerSolver, error) {
	switch p.Inner {
	case "value-iteration":
		return ValueIteration{MaxSweeps: p.Sweeps}, nil
	case "q-learning":
	default:
		return nil, fmt.Errorf("inner = %q: must be value-iteration or q-learning", p.Inner)
	}
	var step rl.StepSize
	switch p.StepSchedule {
	case "power":
		step = rl.PowerStep{Exponent: p.StepExponent}
	case "constant":
		if !(p.StepConstant > 0 && p.StepConstant <= 1) {
			return nil, fmt.Errorf("step-constant = %v: must be in (0, 1]", p.StepConstant)
		}
		step = rl.ConstantStep{Beta: p.StepConstant}
	default:
		return nil, fmt.Errorf("step-schedule = %q: must be power or constant", p.StepSchedule)
	}
	var explore rl.Exploration
	switch p.Exploration {
	case "uniform":
		explore = rl.UniformPairs{}
	case "epsilon-greedy":
		explore = rl.EpsilonGreedy{Epsilon: p.Epsilon}
	case "boltzmann":
		explore = rl.Boltzmann{C: p.BoltzmannC}
	default:
		return nil, fmt.Errorf("exploration = %q: must be uniform, epsilon-greedy or boltzmann", p.Exploration)
	}
	return QLearning{Steps: p.Steps, Step: step, Explore: explore, Cold: p.ColdRestart}, nil
}

// String describes the scheme's parts, e.g. "Q-learning 10000 steps/iteration (uniform), softmax
// c=4, ε-net 0.0001".
func (f FixedPoint) String() string {
	var parts []string
	switch in := f.Inner.(type) {
	case QLearning:
		parts = append(parts, fmt.Sprintf("Q-learning %d steps/iteration (%s)", in.Steps, explorationName(in.Explore)))
	case ValueIteration:
		parts = append(parts, fmt.Sprintf("value iteration ≤ %d sweeps/iteration", in.MaxSweeps))
	}
	switch pm := f.PolicyMap.(type) {
	case Softmax:
		parts = append(parts, fmt.Sprintf("softmax c=%g", pm.C))
	case ArgmaxE:
		parts = append(parts, "argmax-e")
	}
	if p, ok := f.Projection.(EpsilonNet); ok {
		parts = append(parts, fmt.Sprintf("ε-net %g", p.Epsilon))
	}
	if s, ok := f.PopulationStep.(SampledStep); ok {
		parts = append(parts, fmt.Sprintf("%d sampled agents", s.Agents))
	}
	if f.Tolerance > 0 {
		parts = append(parts, fmt.Sprintf("stop at ||ΔL||_1 <= %g", f.Tolerance))
	}
	if f.detects() && f.CycleTolerance > 0 {
		parts = append(parts, fmt.Sprintf("stop at a cycle of L of period <= %d (||L_k - L_j||_1 <= %g)", f.MaxPeriod, f.CycleTolerance))
	}
	if f.approaches() {
		parts = append(parts, fmt.Sprintf("or on its approach (||L_k - L_{k-p}||_1 <= %g × the step for %d iterations)", f.CycleRatio, f.CycleWindow))
	}
	return strings.Join(parts, ", ")
}

func explorationName(e rl.Exploration) string {
	switch e.(type) {
	case rl.EpsilonGreedy:
		return "epsilon-greedy"
	case rl.Boltzmann:
		return "boltzmann"
	}
	return "uniform"
}
