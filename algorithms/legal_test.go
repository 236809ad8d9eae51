package algorithms_test

import (
	"context"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/finite"
	"meanfield/games"
	"meanfield/mfg"
)

// withIllegal is a finite game with one more action than its inner game, inserted at index
// extra and illegal in every state (mfg.LegalActions). Its row is a trap: a large reward and a
// jump to state 0, so that any use of it shows in the results.
type withIllegal struct {
	mfg.Finite
	extra int
	legal []bool
}

func newWithIllegal(g mfg.Finite, extra int) *withIllegal {
	S, A := g.States(), g.Actions()+1
	legal := make([]bool, S*A)
	for i := range legal {
		legal[i] = i%A != extra
	}
	return &withIllegal{Finite: g, extra: extra, legal: legal}
}

func (w *withIllegal) Actions() int       { return w.Finite.Actions() + 1 }
func (w *withIllegal) ActionShape() []int { return []int{w.Actions()} }
func (w *withIllegal) Legal() []bool      { return w.legal }

// inner maps a population over the padded actions to the inner game's (dropping the extra one).
func (w *withIllegal) inner(L mfg.Population) mfg.Population {
	out := mfg.NewPopulation(L.States, L.Actions-1)
	for s := 0; s < L.States; s++ {
		copy(out.Mass[s*out.Actions:], w.drop(L.Mass[s*L.Actions:(s+1)*L.Actions]))
	}
	return out
}

func (w *withIllegal) drop(row []float64) []float64 {
	return append(append([]float64(nil), row[:w.extra]...), row[w.extra+1:]...)
}

func (w *withIllegal) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	st, err := w.Finite.Stage(t, w.inner(L))
	if err != nil {
		return nil, err
	}
	A := w.Actions()
	b := mfg.NewMDPBuilder(st.States, A, 0)
	for s := 0; s < st.States; s++ {
		for a := 0; a < A; a++ {
			if a == w.extra {
				b.MDP.Reward[s*A+a] = 1e3
				b.Add(0, 1)
				b.EndRow()
				continue
			}
			ia := a
			if a > w.extra {
				ia--
			}
			b.MDP.Reward[s*A+a] = st.Reward[s*st.Actions+ia]
			next, prob := st.Successors(s, ia)
			for k, y := range next {
				b.Add(y, prob[k])
			}
			b.EndRow()
		}
	}
	return b.BuildStage()
}

// Every algorithm forming finite-horizon policies, on a game where one action is illegal in every
// state, never puts mass on it and gives the same policies and exploitabilities as on the game
// without that action (an independent formulation: nothing there knows about legality). The game
// is 1-D crowd modelling with each move charged its own cost (rewards that depend on the action);
// the illegal action sits first, in the middle and last, so that the tie rules and the softmaxes
// see it everywhere.
func TestAlgorithmsHonourLegalActions(t *testing.T) {
	p := games.DefaultCrowdModellingParams()
	p.Size, p.Horizon = 6, 5 // openspiel-costs false, the default
	base, err := games.NewCrowdModelling(p)
	if err != nil {
		t.Fatal(err)
	}
	algs := map[string]engine.Algorithm{
		"fictitious-play split":   algorithms.FictitiousPlay{TieBreak: algorithms.TieSplit},
		"fictitious-play lowest":  algorithms.FictitiousPlay{TieBreak: algorithms.TieLowest},
		"fictitious-play T=1":     algorithms.FictitiousPlay{Temperature: 1},
		"fictitious-play tol":     algorithms.FictitiousPlay{TieTolerance: 1e-9},
		"damped-fixed-point":      algorithms.DampedFixedPoint{Damping: 0.5, TieBreak: algorithms.TieLowest},
		"damped-fixed-point T=2":  algorithms.DampedFixedPoint{Damping: 1, Temperature: 2},
		"online-mirror-descent":   algorithms.OnlineMirrorDescent{Alpha: 0.5},
		"prior-descent":           algorithms.PriorDescent{Eta: 1, Inner: 2},
		"boltzmann-policy-iter.":  algorithms.BoltzmannPolicyIteration{Alpha: 0.3},
		"prior-descent no renew ": algorithms.PriorDescent{Eta: 0.5},
	}
	for _, extra := range []int{0, 1, 3} {
		g := newWithIllegal(base, extra)
		for name, alg := range algs {
			want := solveTrace(t, base, alg)
			got := solveTrace(t, g, alg)
			for k := range got.Trace {
				for tt, pi := range got.Trace[k].Policy {
					if s, a, bad := mfg.IllegalMass(pi, g.legal); bad {
						t.Fatalf("%s, extra %d: iteration %d, t = %d: π(%d|%d) = %v on the illegal action", name, extra, k, tt, a, s, pi.Prob[s*pi.Actions+a])
					}
					for s := 0; s < pi.States; s++ {
						if gr, wr := g.drop(pi.Row(s)), want.Trace[k].Policy[tt].Row(s); !equalRows(gr, wr) {
							t.Fatalf("%s, extra %d: iteration %d, t = %d, s = %d: π %v, without the action %v", name, extra, k, tt, s, gr, wr)
						}
					}
				}
				if e, w := got.Trace[k].Exploitability, want.Trace[k].Exploitability; e != w {
					t.Errorf("%s, extra %d: iteration %d: exploitability %.17g, without the action %.17g", name, extra, k, e, w)
				}
			}
		}
	}
}

func solveTrace(t *testing.T, g mfg.Finite, alg engine.Algorithm) *engine.Result {
	t.Helper()
	res, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: 8, Exploitability: true})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func equalRows(a, b []float64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// The uniform policy, the best response and the exploitability's maximum range over the legal
// actions; a policy with mass on an illegal action is refused.
func TestFiniteHonoursLegalActions(t *testing.T) {
	p := games.DefaultCrowdModellingParams()
	p.Size, p.Horizon = 5, 4 // openspiel-costs false, the default
	base, err := games.NewCrowdModelling(p)
	if err != nil {
		t.Fatal(err)
	}
	g := newWithIllegal(base, 2)
	pi := finite.Uniform(g)
	for _, x := range pi[0].Row(0) {
		if x != 1.0/3 && x != 0 {
			t.Fatalf("uniform row %v, want 1/3 on the legal actions", pi[0].Row(0))
		}
	}
	if pi[0].Row(0)[2] != 0 {
		t.Errorf("uniform policy puts %v on the illegal action", pi[0].Row(0)[2])
	}
	if err := finite.ValidateGame(g); err != nil {
		t.Fatal(err)
	}
	bad := finite.Uniform(g)
	bad[1].Prob[3*4+2], bad[1].Prob[3*4+0] = bad[1].Prob[3*4+0], 0
	if err := bad.Validate(g); err == nil {
		t.Error("a policy with mass on an illegal action was accepted")
	}
	if _, err := engine.Solve(context.Background(), g, algorithms.FictitiousPlay{}, engine.Options{Iterations: 1, Initial: bad}); err == nil {
		t.Error("engine.Solve accepted an initial policy with mass on an illegal action")
	}
	e, err := finite.Exploitability(g, pi)
	if err != nil {
		t.Fatal(err)
	}
	eBase, err := finite.Exploitability(base, finite.Uniform(base))
	if err != nil {
		t.Fatal(err)
	}
	if e != eBase {
		t.Errorf("exploitability of the uniform policy %.17g, without the action %.17g", e, eBase)
	}
}
