package npgame

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"meanfield/mfg"
)

// gate is a tiny finite-horizon game in which where an agent can go depends on the others: three
// states, two actions; from state 0 action 0 stays and action 1 leads to state 2 when some other
// agent also plays action 1 in state 0 (L(0, 1) > 0), else to state 1; states 1 and 2 are
// absorbing. The only reward is at t = T in state 2: 1 for action 1, 0 for action 0.
type gate struct{}

func (gate) Name() string             { return "gate" }
func (gate) States() int              { return 3 }
func (gate) Actions() int             { return 2 }
func (gate) Horizon() int             { return 2 }
func (gate) StateShape() []int        { return []int{3} }
func (gate) ActionShape() []int       { return []int{2} }
func (gate) InitialStates() []float64 { return []float64{1, 0, 0} }

func (gate) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	m := &mfg.MDP{States: 3, Actions: 2, Reward: make([]float64, 6), RowStart: []int{0}}
	if t == 2 {
		m.Reward[2*2+1] = 1
	}
	for s := 0; s < 3; s++ {
		for a := 0; a < 2; a++ {
			next := s
			if s == 0 && a == 1 {
				next = 1
				if L.Mass[0*2+1] > 0 {
					next = 2
				}
			}
			m.Next = append(m.Next, next)
			m.Prob = append(m.Prob, 1)
			m.RowStart = append(m.RowStart, len(m.Next))
		}
	}
	return m, nil
}

// deterministic returns the deterministic policy of g's rounds whose action at (t, s) is the
// digit t·S+s of code in base A.
func deterministic(g *Game, code int) Policy {
	pol := make(Policy, g.Times())
	for t := range pol {
		pol[t] = mfg.NewPolicy(g.S, g.A)
		for s := 0; s < g.S; s++ {
			pol[t].Prob[s*g.A+code%g.A] = 1
			code /= g.A
		}
	}
	return pol
}

// OwnBest is the best of every deterministic policy of the own state and round, enumerated here
// over all of them (reachable or not), for every deviator of a per-agent profile: on the gate
// game agent 1 (which plays action 0) reaches state 2 only by deviating while agent 0 plays action
// 1, a state agent 0 cannot reach whatever it does since agent 1 never opens the gate.
func TestOwnBestIsTheBestDeterministicPolicyOfEachDeviator(t *testing.T) {
	always := func(a int) Policy {
		q := mfg.NewPolicy(3, 2)
		for s := 0; s < 3; s++ {
			q.Prob[s*2+a] = 1
		}
		return Policy{q}
	}
	g := nGame(t, gate{}, 2, Others)
	p := Profile{Policies: []Policy{always(1), always(0)}, Of: []int{0, 1}}
	ex, err := NewExact(context.Background(), g, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	for d := 0; d < g.N; d++ {
		brute := math.Inf(-1)
		for code := 0; code < 1<<(g.Times()*g.S); code++ {
			v, err := ex.Value(d, deterministic(g, code))
			if err != nil {
				t.Fatal(err)
			}
			brute = max(brute, v)
		}
		own, _, _, err := ex.OwnBest(context.Background(), d)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(own-brute) > 1e-12 {
			t.Errorf("agent %d: OwnBest %v, best of all deterministic own-state policies %v", d, own, brute)
		}
		if joint, err := ex.JointBest(d); err != nil || joint < brute-1e-12 {
			t.Errorf("agent %d: joint-state best %v (error %v) below the own-state best %v", d, joint, err, brute)
		}
	}
}

// An agent out of range is an error naming it, not a panic.
func TestExactRefusesAnAgentOutOfRange(t *testing.T) {
	g := nGame(t, gate{}, 2, Others)
	ex, err := NewExact(context.Background(), g, Symmetric(deterministic(g, 0)), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []int{-1, 2} {
		if _, _, _, err := ex.OwnBest(context.Background(), d); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("agent %d", d)) {
			t.Errorf("OwnBest(%d): %v, want an error naming the agent", d, err)
		}
		if _, err := ex.JointBest(d); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("agent %d", d)) {
			t.Errorf("JointBest(%d): %v, want an error naming the agent", d, err)
		}
	}
}
