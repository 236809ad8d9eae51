package engine

import (
	"context"
	"fmt"
	"math"
	"testing"

	"meanfield/finite"
	"meanfield/games"
	"meanfield/mfg"
)

// probe is an algorithm whose steps check what Solve made of their mark: a run that declares it
// reads no Q^π (PolicyQUnread) steps from evaluations scored with Q^π_0 alone, and one that does
// not, from evaluations that keep every Q^π_t. The declared run then asks for Q^π all the same:
// computed anew, it and the Q* the evaluation holds have the bits of the separate passes.
type probe struct{ declared bool }

func (probe) Validate() error        { return nil }
func (probe) Applies(mfg.Game) error { return nil }
func (p probe) Name() string         { return fmt.Sprintf("probe(declared = %v)", p.declared) }
func (p probe) Begin(_ context.Context, s Start) (Run, Iterate, error) {
	r := &probeRun{declared: p.declared}
	if p.declared {
		return &declaredProbeRun{r}, Iterate{Policy: s.Policy}, nil
	}
	return r, Iterate{Policy: s.Policy}, nil
}

type probeRun struct{ declared bool }

// ReleasesEvaluations: the evaluations and their memory are reused, as for the project's runs.
func (*probeRun) ReleasesEvaluations() {}

func (r *probeRun) Step(ctx context.Context, k int, prev *Evaluation) (Iterate, error) {
	if prev.p.qp0Only != r.declared {
		return Iterate{}, fmt.Errorf("step %d: the problem keeps Q^π_0 alone: %v, want %v", k, prev.p.qp0Only, r.declared)
	}
	if !prev.hasScore || prev.hasQp == r.declared {
		return Iterate{}, fmt.Errorf("step %d: scored %v, Q^π held after the exploitability: %v", k, prev.hasScore, prev.hasQp)
	}
	qs, err := prev.OptimalQ(ctx)
	if err != nil {
		return Iterate{}, err
	}
	qp, err := prev.PolicyQ(ctx)
	if err != nil {
		return Iterate{}, err
	}
	ws, wp := finite.OptimalQ(prev.info.stages), finite.PolicyQ(prev.info.stages, prev.Policy)
	for t := range ws {
		for i := range ws[t] {
			if math.Float64bits(qs[t][i]) != math.Float64bits(ws[t][i]) || math.Float64bits(qp[t][i]) != math.Float64bits(wp[t][i]) {
				return Iterate{}, fmt.Errorf("step %d, t = %d, entry %d: Q* %v, Q^π %v; separate passes %v, %v", k, t, i, qs[t][i], qp[t][i], ws[t][i], wp[t][i])
			}
		}
	}
	next := make([]mfg.Policy, len(prev.Policy)) // π_{k-1} mixed with the greedy policy of Q*
	for t, p := range prev.Policy {
		next[t] = p.Clone()
		for s := range p.States {
			row, q := next[t].Row(s), qs[t][s*p.Actions:(s+1)*p.Actions]
			best := 0
			for a := range q {
				if q[a] > q[best] {
					best = a
				}
			}
			for a := range row {
				row[a] *= 0.5
			}
			row[best] += 0.5
		}
	}
	return Iterate{Policy: next}, nil
}

// declaredProbeRun is a probeRun that declares it reads no Q^π.
type declaredProbeRun struct{ *probeRun }

func (*declaredProbeRun) ReadsNoPolicyQ() {}

// Solve tells the problem whether its run reads Q^π (Problem.qp0Only) from the run's mark alone,
// on a game of one population and on one of several (predator-prey, whose exploitability sums
// the populations'); the exploitabilities of the two runs' iterations, the same policies, agree
// bit for bit.
func TestSolveKeepsQp0AloneForRunsThatReadNone(t *testing.T) {
	for _, name := range []string{"beach-bar", "predator-prey"} {
		g, err := games.New(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		var scores [2][]float64
		for i, declared := range []bool{false, true} {
			res, err := Solve(context.Background(), g, probe{declared}, Options{Iterations: 4, Exploitability: true})
			if err != nil {
				t.Fatalf("%s, declared = %v: %v", name, declared, err)
			}
			scores[i] = res.Exploitabilities()
		}
		for k := range scores[0] {
			if math.Float64bits(scores[0][k]) != math.Float64bits(scores[1][k]) {
				t.Errorf("%s, iteration %d: exploitability %v keeping Q^π_0 alone, %v keeping Q^π", name, k, scores[1][k], scores[0][k])
			}
		}
	}
}
