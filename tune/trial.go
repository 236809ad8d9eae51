package tune

import (
	"context"
	"fmt"
	"math"

	"meanfield/engine"
	"meanfield/experiment"
	"meanfield/internal/oneline"
	"meanfield/seeds"
)

// Record is a finished trial, written to trials/<k>.json when it ends.
type Record struct {
	// Fingerprint and StudySeed are those of the study that wrote the record.
	Fingerprint string         `json:"study_fingerprint"`
	StudySeed   uint64         `json:"study_seed"`
	Trial       int            `json:"trial"`
	Params      map[string]any `json:"params"`
	// State is complete, pruned or failed; Value the objective of a complete trial, or for a
	// pruned one its pruned game's statistic at Step, where it stopped.
	State string   `json:"state"`
	Value *float64 `json:"value,omitempty"`
	Step  int      `json:"step,omitempty"`
	Error string   `json:"error,omitempty"`
	Games []Game   `json:"games"`
}

// Game is one game's solve in a trial.
type Game struct {
	Game      string `json:"game"`
	Algorithm string `json:"algorithm"`
	// Stat is the objective's statistic of the trace (of the part run, when pruned).
	Stat      *float64 `json:"stat,omitempty"`
	Converged bool     `json:"converged"`
	Pruned    bool     `json:"pruned,omitempty"`
	// Diverged is set when an exploitability was not a finite number; the trace stops before it
	// and there is no statistic.
	Diverged bool      `json:"diverged,omitempty"`
	Trace    []float64 `json:"exploitability"`
}

// observation is the record as the samplers see it.
func (r *Record) observation() Observation {
	o := Observation{Index: r.Trial, Params: r.Params, State: r.State, Value: math.NaN(), Step: r.Step}
	if r.Value != nil {
		o.Value = *r.Value
	}
	if r.State == Pruned {
		o.Game = len(r.Games) - 1
	}
	return o
}

// intermediate is game g's intermediate values at steps 0..len(trace)-1 (Objective.GameStat of
// the trace cut at each step).
func (o Objective) intermediate(trace []float64) []float64 {
	out := make([]float64, 0, len(trace))
	for _, e := range trace {
		out = append(out, o.next(out, e))
	}
	return out
}

// next is the intermediate value at step k = len(prev) of a trace whose value there is e, given
// the intermediate values prev at the steps before.
func (o Objective) next(prev []float64, e float64) float64 {
	k := len(prev)
	switch {
	case o.Stat == "min" && k > 0:
		return min(prev[k-1], e)
	case o.Stat == "at" && k > o.Iteration:
		return prev[o.Iteration]
	}
	return e
}

// Execute runs trial k of s given the records of its history (trials 0..History(k)-1, in order):
// it proposes the trial's values and solves every game with them, stopping a game when the
// pruner says so. A failed solve is recorded, not returned; ctx's cancellation is returned (the
// trial is then not finished).
func Execute(ctx context.Context, s *Study, k int, history []*Record) (*Record, error) {
	obs := make([]Observation, len(history))
	for i, r := range history {
		obs[i] = r.observation()
	}
	values, err := s.Sampler.Propose(k, obs, seeds.New(s.File.Seed, purposePropose, uint64(k)))
	if err != nil {
		return nil, err
	}
	rec := &Record{Fingerprint: s.Fingerprint, StudySeed: s.File.Seed, Trial: k, Params: values, State: Complete}
	stats := make([]float64, 0, len(s.Configs))
	for g := range s.Configs {
		gr, err := s.solve(ctx, g, values, history)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if gr != nil {
			rec.Games = append(rec.Games, *gr)
		}
		if err != nil && gr != nil && gr.Diverged && s.Objective.Aggregate == "failure-rate" {
			stats = append(stats, math.Inf(1)) // not below any threshold: one of the games that fail
			continue
		}
		if err != nil {
			rec.State, rec.Error = Failed, oneline.String(fmt.Sprintf("%s: %v", s.where(g), err))
			return rec, nil
		}
		if gr.Pruned {
			rec.State, rec.Value, rec.Step = Pruned, gr.Stat, len(gr.Trace)-1
			return rec, nil
		}
		stats = append(stats, *gr.Stat)
	}
	v := s.Objective.Combine(stats)
	if math.IsNaN(v) || math.IsInf(v, 0) { // a mean that overflows: no objective (JSON has no ±Inf)
		rec.State, rec.Error = Failed, fmt.Sprintf("objective = %v: the %s of the games' statistics is not a finite number", v, s.Objective.Aggregate)
		return rec, nil
	}
	rec.Value = &v
	return rec, nil
}

// solve runs game g with the trial's values. The pruner's cancellation of the solve is not an
// error: the game is returned with Pruned and the trace up to the step where it stopped.
func (s *Study) solve(ctx context.Context, g int, values map[string]any, history []*Record) (*Game, error) {
	cfg, err := s.resolve(g, values)
	if err != nil {
		return nil, err
	}
	gr := &Game{Game: cfg.Run.Game, Algorithm: cfg.Run.Algorithm}
	var others [][]float64
	var complete []bool
	if s.Pruner != nil {
		for _, r := range history {
			if g < len(r.Games) && r.State != Failed {
				others = append(others, s.Objective.intermediate(r.Games[g].Trace))
				complete = append(complete, r.State == Complete)
			}
		}
	}
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	var own []float64
	var bad error
	onIteration := func(it engine.Iteration) {
		if gr.Pruned || bad != nil {
			return // cancelled: the iterations after the stop are not the trial's
		}
		if !it.HasExploitability || math.IsNaN(it.Exploitability) || math.IsInf(it.Exploitability, 0) {
			bad = fmt.Errorf("iteration %d: exploitability %v is not a finite number", it.K, it.Exploitability)
			stop()
			return
		}
		gr.Trace = append(gr.Trace, it.Exploitability)
		own = append(own, s.Objective.next(own, it.Exploitability))
		if s.Pruner != nil && s.Pruner.Prune(len(own)-1, own, others, complete) {
			gr.Pruned = true
			stop()
		}
	}
	_, res, err := experiment.Execute(sctx, cfg, nil, onIteration)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if bad != nil {
		gr.Diverged = true
		return gr, bad
	}
	if !gr.Pruned && err != nil {
		return gr, err
	}
	stat := s.Objective.GameStat(gr.Trace)
	gr.Stat = &stat
	if res != nil && !gr.Pruned {
		gr.Converged = res.Converged
	}
	return gr, nil
}
