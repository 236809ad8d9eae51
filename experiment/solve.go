package experiment

import (
	"context"
	"errors"
	"fmt"
	"os"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/mfg"
	"meanfield/mfglib32"
)

// SolveReport is what RunSolve did: the configuration, the game, the solve, the GMF-V reference
// solve when one was made, and the files written.
type SolveReport struct {
	// Given is the configuration as given (before the algorithm's presets are filled in); Config
	// the resolved one.
	Given, Config SolveConfig
	Game          mfg.Game
	Result        *engine.Result
	// Reference is GMF-V's solve of the same stationary game at the same temperature, whose final
	// population every iteration is compared with (compare-to-gmf-v).
	Reference *engine.Result
	// Interrupted reports that the solve was cancelled before its last iteration; Failed that a
	// step failed (Err says why). Either way the iterations done are in Result.
	Interrupted, Failed bool
	Err                 error
	Files               []string
	// Greedy is the exploitability of the greedy deployment of the final policy of a smoothed
	// algorithm (engine.Smoothed), when the exploitability is recorded.
	Greedy *float64
	// BenchMFG is Bench-MFG's exploitability of the final policy of a stationary game with a model,
	// when the exploitability is recorded: from the game's initial population, 50 population steps
	// and 99 Bellman backups (benchmfg.Exploitability), beside this project's exact one.
	BenchMFG *float64
	// log is a streamed solve's (RunSolveStreamed): its trace's text and numbers, which
	// Result.Trace does not hold.
	log *traceLog
	// finalPopulation caches FinalPopulation.
	finalPopulation []mfg.Population
	// smoothing is Smoothing's answer once smoothingKnown.
	smoothing      string
	smoothingKnown bool
}

// Execute solves a resolved configuration: every solve of the program (mfg solve, sweeps) goes
// through it. reference, when set, is the population every iteration's population is compared
// with. The result holds the iterations done when the solve stops early with an error.
func Execute(ctx context.Context, cfg SolveConfig, reference []mfg.Population, onIteration func(engine.Iteration)) (mfg.Game, *engine.Result, error) {
	g, alg, err := cfg.Build()
	if err != nil {
		return nil, nil, err
	}
	res, err := execute(ctx, cfg, g, alg, reference, onIteration, false)
	return g, res, err
}

// execute is Execute on the game and algorithm the configuration built.
// With stream, the engine keeps the last record only (engine.Options.Stream).
func execute(ctx context.Context, cfg SolveConfig, g mfg.Game, alg engine.Algorithm, reference []mfg.Population, onIteration func(engine.Iteration), stream bool) (*engine.Result, error) {
	if cfg.Run.Arithmetic == ArithmeticMFGLib {
		g32, err := mfglib32.New(cfg.Run.Game, cfg.Params)
		if err != nil {
			return nil, err
		}
		// MFGLib records the exploitability of every iteration, and so does this backend; it is
		// left out of the results when not asked for.
		keep := func(it *engine.Iteration) { it.HasExploitability = it.HasExploitability && cfg.Outputs.Exploitability }
		res, err := mfglib32.Solve(ctx, g32, alg, cfg.Run.Iterations, func(it engine.Iteration) {
			if keep(&it); onIteration != nil {
				onIteration(it)
			}
		})
		if res != nil {
			for i := range res.Trace {
				keep(&res.Trace[i])
			}
			dropTables(res.Trace, cfg.keepTables())
		}
		return res, err
	}
	return engine.Solve(ctx, g, alg, engine.Options{
		Iterations: cfg.Run.Iterations, Seed: cfg.Run.Seed, Exploitability: cfg.Outputs.Exploitability,
		Reference: reference, OnIteration: onIteration, KeepTables: cfg.keepTables(), Stream: stream,
	})
}

// Temperature is the algorithm's softmax parameter c when it has one ("temperature"), else the
// presets' default: the temperature of the GMF-V solve that compare-to-gmf-v compares with.
func (c SolveConfig) Temperature() float64 {
	if t, ok := c.AlgorithmParams["temperature"].(float64); ok {
		return t
	}
	if t, ok := c.AlgorithmParams["temperature"].(int); ok {
		return float64(t)
	}
	return algorithms.DefaultTemperature
}

// gmfvReference solves g with GMF-V at temperature c, without exploitability: the yardstick of
// the other algorithms where the model is known. Only its final iteration's tables are kept.
func gmfvReference(ctx context.Context, g mfg.Game, c float64) (*engine.Result, error) {
	f := algorithms.GMFV(c)
	// A cycling reference stops, as the gmf-v preset does, and is not called L*.
	f.CycleTolerance, f.MaxPeriod = algorithms.DefaultCycleTolerance, algorithms.DefaultMaxPeriod
	f.CycleRatio, f.CycleWindow = algorithms.DefaultCycleRatio, algorithms.DefaultCycleWindow
	res, err := engine.Solve(ctx, g, f, engine.Options{Iterations: 1000, FinalOnly: true})
	if err != nil {
		return nil, fmt.Errorf("GMF-V reference: %w", err)
	}
	return res, nil
}

// RunSolve resolves cfg, solves, and writes the outputs into outDir (created if needed). When
// onIteration is set it is called with every iteration recorded (0 first). Interrupting ctx stops
// the solve; the iterations done so far are still written, marked as interrupted in result.json
// and without the convergence plot, and the error is returned. Interrupted before its first
// iteration (during the GMF-V reference, say), it writes nothing and returns a nil report.
func RunSolve(ctx context.Context, cfg SolveConfig, outDir string, onIteration func(engine.Iteration)) (*SolveReport, error) {
	return runSolve(ctx, cfg, nil, outDir, onIteration, false)
}

// RunSolveStreamed is RunSolve whose memory does not grow with the iterations (mfg solve's):
// trace.csv's and trace.json's text is written as the iterations arrive, to temporary files in
// outDir (created at the first iteration) put in place with the other outputs, and the report's
// Result.Trace holds the last iteration only (engine.Options.Stream); the report's methods
// (Verdict, ExploitabilityAt, ...) answer from the numbers kept, as they do for RunSolve's.
func RunSolveStreamed(ctx context.Context, cfg SolveConfig, outDir string, onIteration func(engine.Iteration)) (*SolveReport, error) {
	return runSolve(ctx, cfg, nil, outDir, onIteration, true)
}

// RunResolvedStreamed is RunSolveStreamed of given whose resolved form, resolved =
// given.Resolve(), the caller already has (mfg solve resolves first to check its flags): it is
// not resolved again, nor its game built again.
func RunResolvedStreamed(ctx context.Context, given, resolved SolveConfig, outDir string, onIteration func(engine.Iteration)) (*SolveReport, error) {
	return runSolve(ctx, given, &resolved, outDir, onIteration, true)
}

// runSolve is RunSolve of given, streamed when stream; resolved, when not nil, is given's
// resolved form.
func runSolve(ctx context.Context, given SolveConfig, resolved *SolveConfig, outDir string, onIteration func(engine.Iteration), stream bool) (*SolveReport, error) {
	var cfg SolveConfig
	var err error
	if resolved != nil && resolved.traceResolved {
		cfg = *resolved
	} else if cfg, err = given.Resolve(); err != nil {
		return nil, err
	}
	g, alg, err := cfg.Build()
	if err != nil {
		return nil, err
	}
	rep := &SolveReport{Given: given, Config: cfg, Game: g, smoothing: smoothingOf(alg), smoothingKnown: true}
	var ref []mfg.Population
	// GMF-V as its preset defines it is its own reference: the comparison would solve it twice.
	self := cfg.Run.Algorithm == "gmf-v" && len(cfg.PresetChanges()) == 0
	if _, ok := g.(mfg.ModelBased); ok && cfg.Outputs.CompareToGMFV && !self {
		if rep.Reference, err = gmfvReference(ctx, g, cfg.Temperature()); err != nil {
			return nil, err
		}
		ref = rep.Reference.Final().Population
	}
	if stream {
		rep.log = rep.newTraceLog(outDir, nil, nil)
		defer rep.log.abort() // the temporary files, when the outputs are not written
		onIteration = rep.log.observing(onIteration)
	}
	res, solveErr := execute(ctx, cfg, g, alg, ref, onIteration, stream)
	if rep.log != nil {
		// The solve is over: the record waiting for the next (trace-matrices k > 0) is the last,
		// which the report's figures count even when the outputs are not written.
		rep.log.finish()
	}
	if res == nil || len(res.Trace) == 0 {
		return nil, solveErr
	}
	rep.Result, rep.Err = res, solveErr
	if solveErr != nil {
		cancelled := errors.Is(solveErr, context.Canceled) || errors.Is(solveErr, context.DeadlineExceeded)
		rep.Interrupted, rep.Failed = cancelled, !cancelled
	}
	if rep.Greedy, err = rep.greedyExploitability(ctx); err != nil {
		return rep, err
	}
	if rep.BenchMFG, err = rep.benchMFGExploitability(); err != nil {
		return rep, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return rep, fmt.Errorf("out = %s: %w", outDir, err)
	}
	if err := rep.write(outDir); err != nil {
		if solveErr != nil {
			return rep, fmt.Errorf("%w; and writing the results: %v", solveErr, err)
		}
		return rep, err
	}
	return rep, solveErr
}
