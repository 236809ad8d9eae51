package benchmfg

import (
	"context"
	"fmt"

	"meanfield/internal/nprand"
	"meanfield/mfg"
)

// Learner is one of Bench-MFG's learners with its hyperparameters. A learner is a plain value;
// Begin starts a run, which holds all of the run's state, and Train drives it:
//
//	run, initial, err := l.Begin(g, setup) // initial: the exploitabilities recorded before iteration 1
//	for k := 1; k <= setup.Options.Iterations; k++ {
//		e, err := run.Step() // iteration k, and the exploitability recorded for it
//	}
//	run.Policy(), run.MeanField() // what the run returns
//
// A new learner (MF-PSO, say) is one file: a type with Name and Begin, a run type with Step,
// Policy and MeanField, and an init function adding its result directory to learnerMakers (how
// its best version's name gives its hyperparameters), which puts it in Compare and mfg benchmfg.
// It gets everything Bench-MFG's train.py hands a solver from Setup: the seed, π0 (which it may
// ignore), μ0, NumPy's global stream positioned after π0's draws, and the options; it measures
// with Exploitability (whose start distribution it chooses) and the other protocol functions. Its Begin returns what it records before the first iteration: PI, OMD and
// the damped fixed point record E(π0; μ_0), so their histories have Iterations+1 entries; MF-PSO
// records nothing before its first iteration, so its history has Iterations.
type Learner interface {
	// Name is the learner and its hyperparameters, e.g. "omd(η=0.05, τ=0.8)".
	Name() string
	// Begin validates the hyperparameters against g and starts a run from setup. It must not
	// modify setup's slices or policy.
	Begin(g mfg.ModelBased, setup Setup) (run Run, initial []float64, err error)
}

// Run is one learner run in progress.
type Run interface {
	// Step runs the next iteration and returns the exploitability the learner records for it.
	Step() (float64, error)
	// Policy is the policy the run reports now (the averaged policy for fictitious play).
	Policy() mfg.Policy
	// MeanField is the run's current state distribution μ_k (for MF-PSO, its start distribution):
	// Compare evaluates Policy from it for the value scale of the run.
	MeanField() []float64
}

// Setup is what a run starts from, as Bench-MFG's train.py hands it to its solver.
type Setup struct {
	// Seed is the run's seed (np.random.seed).
	Seed uint32
	// Initial is π0 = InitialPolicy(S, A, Seed, Options.InitTemperature).
	Initial mfg.Policy
	// Start is μ0, the game's initial state distribution (Bench-MFG's env.stationary_mean_field at
	// the start of the run).
	Start []float64
	// Stream is NumPy's global MT19937 stream after π0's S·A uniforms, where a learner that draws
	// (MF-PSO) continues.
	Stream  *nprand.MT19937
	Options Options
}

// NewSetup returns the setup of a run of g seeded with seed: π0, μ0 = the state marginal of
// g.InitialPopulation() (uniform for every Bench-MFG game), and the stream after π0.
func NewSetup(g mfg.ModelBased, seed uint32, opt Options) (Setup, error) {
	if err := opt.Validate(); err != nil {
		return Setup{}, err
	}
	pi0, rng, err := initialPolicy(g.States(), g.Actions(), seed, opt.InitTemperature)
	if err != nil {
		return Setup{}, err
	}
	start := g.InitialPopulation().StateMarginal(nil)
	if err := checkMeasure("initial distribution", start, g.States()); err != nil {
		return Setup{}, err
	}
	return Setup{Seed: seed, Initial: pi0, Start: start, Stream: rng, Options: opt}, nil
}

// Result is a finished run: the exploitability history (index 0 = π0 for PI, OMD and the damped
// fixed point), the returned policy and the final mean field.
type Result struct {
	History   []float64
	Policy    mfg.Policy
	MeanField []float64
}

// Train runs l on g with seed: NewSetup, Begin, then opt.Iterations steps.
func Train(l Learner, g mfg.ModelBased, seed uint32, opt Options) (Result, error) {
	return TrainContext(context.Background(), l, g, seed, opt)
}

// TrainContext is Train stopped between iterations when ctx is done, with ctx's error.
func TrainContext(ctx context.Context, l Learner, g mfg.ModelBased, seed uint32, opt Options) (Result, error) {
	setup, err := NewSetup(g, seed, opt)
	if err != nil {
		return Result{}, err
	}
	run, initial, err := l.Begin(g, setup)
	if err != nil {
		return Result{}, err
	}
	history := append(make([]float64, 0, len(initial)+opt.Iterations), initial...)
	for k := 1; k <= opt.Iterations; k++ {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		e, err := run.Step()
		if err != nil {
			return Result{}, fmt.Errorf("%s on %s, seed %d, iteration %d: %w", l.Name(), g.Name(), seed, k, err)
		}
		history = append(history, e)
	}
	return Result{History: history, Policy: run.Policy().Clone(), MeanField: append([]float64(nil), run.MeanField()...)}, nil
}

// state is what PI, OMD and the damped fixed point share: the game, the options, the iteration
// counter, the current policy and mean field.
type state struct {
	g   mfg.ModelBased
	opt Options
	k   int
	pi  mfg.Policy
	mu  []float64
}

// begin starts a run the way PI, OMD and the damped fixed point do: π = π0,
// μ_0 = Φ_π0^20(μ0) renormalised, and the recorded E(π0; μ_0).
func begin(g mfg.ModelBased, setup Setup) (*state, []float64, error) {
	opt := setup.Options
	if err := opt.Validate(); err != nil {
		return nil, nil, err
	}
	mu, err := PushForward(g, setup.Initial, setup.Start, opt.LearnerSteps)
	if err != nil {
		return nil, nil, err
	}
	normalise(mu)
	st := &state{g: g, opt: opt, pi: setup.Initial.Clone(), mu: mu}
	e, err := Exploitability(g, st.pi, mu, opt)
	if err != nil {
		return nil, nil, err
	}
	return st, []float64{e}, nil
}

func (st *state) Policy() mfg.Policy   { return st.pi }
func (st *state) MeanField() []float64 { return st.mu }

// normalise divides x by its sum.
func normalise(x []float64) {
	var t float64
	for _, v := range x {
		t += v
	}
	for i := range x {
		x[i] /= t
	}
}

// mix returns (1−λ)·old + λ·new, renormalised.
func mix(old, new []float64, lambda float64) []float64 {
	out := make([]float64, len(old))
	for i := range out {
		out[i] = lambda*new[i] + (1-lambda)*old[i]
	}
	normalise(out)
	return out
}
