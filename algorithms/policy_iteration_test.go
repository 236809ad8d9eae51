package algorithms_test

import (
	"context"
	"slices"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
	"meanfield/mfg"
	"meanfield/rl"
)

// centerAction is the action the policy of iteration k plays in the center of left-right at t = 0
// (0 left, 1 right; the policies are deterministic).
func centerAction(t *testing.T, pi []mfg.Policy) int {
	t.Helper()
	row := pi[0].Row(0)
	if row[0] == 1 {
		return 0
	}
	if row[1] != 1 {
		t.Fatalf("center row %v is not deterministic", row)
	}
	return 1
}

// On left-right from the center (T = 1: the t = 0 action is the next state; rewards at t = 1 are
// -μ_1(left) on the left, -2 μ_1(right) on the right), by hand: from π_0 uniform, μ_1 = (0, ½, ½)
// makes left the better (-½ against -1); then everyone left makes right better, everyone right
// left again: plain policy iteration plays left, right, left and stops at the cycle. Smoothed with
// λ = 0.4 the averaged μ̄_1(left) runs ½ → 0.7 → 0.42 → 0.652 → 0.7912, so that the actions are
// left (-½ vs -1), right (-0.7 vs -0.6), left (-0.42 vs -1.16), left (-0.652 vs -0.696), right
// (-0.7912 vs -0.4176).
func TestPolicyIterationByHandOnLeftRight(t *testing.T) {
	g, err := games.New("left-right", nil)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := engine.Solve(context.Background(), g, algorithms.PolicyIteration{TieBreak: algorithms.TieLowest}, engine.Options{Iterations: 10, Exploitability: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, it := range plain.Trace[1:] {
		got = append(got, centerAction(t, it.Policy))
	}
	if s := plain.Stop; !slices.Equal(got, []int{0, 1, 0}) || s == nil || s.Reason != engine.StopCycle || s.Period != 2 || s.Start != 1 || plain.Converged {
		t.Errorf("plain: center actions %v, stop %+v, converged %v; want [0 1 0] and a cycle of period 2 from iteration 1", got, s, plain.Converged)
	}
	smooth, err := engine.Solve(context.Background(), g, algorithms.SmoothedPolicyIteration{Smoothing: 0.4}, engine.Options{Iterations: 5})
	if err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for _, it := range smooth.Trace[1:] {
		got = append(got, centerAction(t, it.Policy))
	}
	if !slices.Equal(got, []int{0, 1, 0, 0, 1}) {
		t.Errorf("smoothed (λ = 0.4): center actions %v, want [0 1 0 0 1]", got)
	}
}

// Without interaction (no-interaction: rewards and moves independent of the population) policy
// iteration is Howard's: it ends, converged, on the greedy policy of the optimal Q, computed here
// by value iteration, with exploitability 0.
func TestPolicyIterationWithoutInteractionIsHoward(t *testing.T) {
	g, err := games.New("no-interaction", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Solve(context.Background(), g, algorithms.PolicyIteration{}, engine.Options{Iterations: 50, Exploitability: true})
	if err != nil {
		t.Fatal(err)
	}
	mb := g.(mfg.ModelBased)
	m, err := mb.MDP(mb.InitialPopulation())
	if err != nil {
		t.Fatal(err)
	}
	q, _ := rl.ValueIteration(m, nil, rl.ValueIterationOptions{})
	want := rl.GreedyPolicy(q, g.States(), g.Actions())
	final := res.Final()
	if !res.Converged || !slices.Equal(final.Policy[0].Prob, want.Prob) || final.Exploitability > 1e-12 {
		t.Errorf("converged %v after %d iterations, exploitability %g, policy %v; want converged on %v", res.Converged, len(res.Trace)-1, final.Exploitability, final.Policy[0].Prob, want.Prob)
	}
}

// A cycle of the deterministic policies ends the solve, and the trace shows it: the policies at
// the start of the cycle and a period later are equal. Skew rock-paper-scissors has no
// deterministic equilibrium.
func TestPolicyIterationStopsAtCycles(t *testing.T) {
	g, err := games.New("skew-rps", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Solve(context.Background(), g, algorithms.PolicyIteration{}, engine.Options{Iterations: 100})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Stop
	if s == nil || s.Reason != engine.StopCycle || res.Converged {
		t.Fatalf("stop %+v, converged %v: want a cycle", s, res.Converged)
	}
	k := len(res.Trace) - 1
	if k != s.Start+s.Period || !slices.Equal(res.Trace[s.Start].Policy[0].Prob, res.Trace[k].Policy[0].Prob) {
		t.Errorf("cycle %+v ends at iteration %d: policies %v and %v", s, k, res.Trace[s.Start].Policy[0].Prob, res.Trace[k].Policy[0].Prob)
	}
}

func TestPolicyIterationRejectsBadParameters(t *testing.T) {
	for _, alg := range []engine.Algorithm{
		algorithms.PolicyIteration{TieBreak: "random"},
		algorithms.SmoothedPolicyIteration{Smoothing: -0.1},
		algorithms.SmoothedPolicyIteration{Smoothing: 1.5},
	} {
		if err := alg.Validate(); err == nil {
			t.Errorf("%+v: no error", alg)
		}
	}
}
