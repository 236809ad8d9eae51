package npgame

import (
	"context"
	"fmt"
	"math"
	"testing"

	"meanfield/finite"
	"meanfield/games"
	"meanfield/mfg"
)

// within reports whether x lies within k standard errors of the estimate (or 1e-9 of it).
func within(est, se, x, k float64) bool { return math.Abs(est-x) <= k*se+1e-9 }

// On tiny instances of three finite-horizon games, at N = 2 and 3, the Monte Carlo estimate agrees
// with the enumeration of joint states: the value of π and the gain of the learned deviation σ
// (evaluated exactly) lie within 4 standard errors of their estimates; and the exact gains are
// ordered as their classes are nested: 0 ≤ gain(σ) ≤ own-state best ≤ joint-state best.
func TestEstimateAgreesWithEnumeration(t *testing.T) {
	cases := []struct {
		name   string
		params map[string]any
	}{
		{"left-right", nil},
		{"rock-paper-scissors", nil},
		{"beach-bar", map[string]any{"n": 3, "bar-loc": 1, "T": 1}},
	}
	for _, c := range cases {
		mf, pi := solved(t, c.name, c.params, "fictitious-play", 50)
		for _, n := range []int{2, 3} {
			t.Run(fmt.Sprintf("%s/N=%d", c.name, n), func(t *testing.T) {
				g := nGame(t, mf, n, Others)
				p := Symmetric(pi)
				res, err := EstimateEpsilon(context.Background(), g, p, Options{Seed: 2, Episodes: 3000, TrainEpisodes: 1000})
				if err != nil {
					t.Fatal(err)
				}
				e := res.Epsilon()
				ex, err := NewExact(context.Background(), g, p, nil)
				if err != nil {
					t.Fatal(err)
				}
				exact, err := ex.Epsilon(context.Background(), 0, 0)
				if err != nil {
					t.Fatal(err)
				}
				vs, err := ex.Value(0, e.BestResponse)
				if err != nil {
					t.Fatal(err)
				}
				if !within(e.Value, e.ValueSE, exact.Value, 4) {
					t.Errorf("V(π) estimated %.5f ± %.5f, exact %.5f", e.Value, e.ValueSE, exact.Value)
				}
				if !within(e.Gain, e.GainSE, vs-exact.Value, 4) {
					t.Errorf("gain of σ estimated %.5f ± %.5f, exact %.5f", e.Gain, e.GainSE, vs-exact.Value)
				}
				if !(vs-exact.Value <= exact.OwnGain+1e-12 && exact.OwnGain <= exact.JointGain+1e-12 && exact.OwnGain >= -1e-12) {
					t.Errorf("classes out of order: gain(σ) %.6g, own-state best %.6g, joint-state best %.6g", vs-exact.Value, exact.OwnGain, exact.JointGain)
				}
				if e.Epsilon < 0 || e.Lower < 0 || e.Lower > e.Epsilon || e.Upper < e.Epsilon {
					t.Errorf("ε = %v in [%v, %v]: want 0 ≤ lower ≤ ε ≤ upper", e.Epsilon, e.Lower, e.Upper)
				}
				t.Logf("V(π) %.4f; gains: estimated %.4f ± %.4f, σ exact %.4f, own best %.4f, joint best %.4f",
					exact.Value, e.Gain, e.GainSE, vs-exact.Value, exact.OwnGain, exact.JointGain)
			})
		}
	}
}

// Left-right at N = 2 in closed form: from the centre each agent goes left with probability p and
// then pays the other's presence, 1 on the left and 2 on the right:
// V = −p·p − 2(1−p)(1−p); the best own deviation goes to the side of least expected cost,
// min(p, 2(1−p)).
func TestExactLeftRightClosedForm(t *testing.T) {
	mf, err := games.New("left-right", nil)
	if err != nil {
		t.Fatal(err)
	}
	g := nGame(t, mf, 2, Others)
	for _, p := range []float64{0, 0.3, 2.0 / 3, 0.9} {
		pi := finite.Uniform(mf.(mfg.Finite))
		pi[0].Prob[0], pi[0].Prob[1] = p, 1-p // at the centre: action 0 is left
		ex, err := NewExact(context.Background(), g, Symmetric(Policy(pi)), nil)
		if err != nil {
			t.Fatal(err)
		}
		r, err := ex.Epsilon(context.Background(), 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		v := -p*p - 2*(1-p)*(1-p)
		best := -min(p, 2*(1-p))
		if math.Abs(r.Value-v) > 1e-12 || math.Abs(r.OwnBest-best) > 1e-12 || math.Abs(r.JointBest-best) > 1e-12 {
			t.Errorf("p = %v: value %v, own best %v, joint best %v; want %v, %v, %v", p, r.Value, r.OwnBest, r.JointBest, v, best, best)
		}
	}
}

// In the congestion game (r = −α(a), stationary), a policy p that ignores the state costs Σ p_a²
// a round whatever N when agents meet the others, and the best deviation, always to the least
// chosen place, gains (Σ p_a² − min p_a) a round: over the truncated horizon,
// V = −Σ p_a² (1−γ^H)/(1−γ). The estimate at N = 5 and 50 and the enumeration at N = 2 agree with it.
func TestCongestionClosedForm(t *testing.T) {
	mf, err := games.New("congestion", map[string]any{"locations": 3, "discount": 0.5})
	if err != nil {
		t.Fatal(err)
	}
	p := []float64{0.5, 0.3, 0.2}
	pi := mfg.NewPolicy(3, 3)
	for s := 0; s < 3; s++ {
		copy(pi.Row(s), p)
	}
	for _, n := range []int{2, 5, 50} {
		g := nGame(t, mf, n, Others)
		horizon := (1 - math.Pow(0.5, float64(g.Times()))) / (1 - 0.5)
		v, gain := -(0.25+0.09+0.04)*horizon, (0.25+0.09+0.04-0.2)*horizon
		res, err := EstimateEpsilon(context.Background(), g, Symmetric(Policy{pi}), Options{Seed: 4, Episodes: 2000})
		if err != nil {
			t.Fatal(err)
		}
		e := res.Epsilon()
		if !within(e.Value, e.ValueSE, v, 4) || !within(e.Gain, e.GainSE, gain, 4) {
			t.Errorf("N = %d: value %.5f ± %.5f, gain %.5f ± %.5f; want %.5f, %.5f", n, e.Value, e.ValueSE, e.Gain, e.GainSE, v, gain)
		}
		if n > 2 {
			continue
		}
		ex, err := NewExact(context.Background(), g, Symmetric(Policy{pi}), nil)
		if err != nil {
			t.Fatal(err)
		}
		r, err := ex.Epsilon(context.Background(), 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(r.Value-v) > 1e-12 || math.Abs(r.JointGain-gain) > 1e-12 || math.Abs(r.OwnGain-gain) > 1e-12 {
			t.Errorf("N = 2 exact: value %v, joint gain %v, own gain %v; want %v, %v", r.Value, r.JointGain, r.OwnGain, v, gain)
		}
	}
}

// At the exact computation ε ≥ 0 and the joint-state class gains at least the own-state class,
// for random policies (not equilibria) of rock-paper-scissors and the beach bar, at N = 2 and 3,
// agents meeting the others or all.
func TestExactGainsAreOrdered(t *testing.T) {
	for _, c := range []struct {
		name   string
		params map[string]any
	}{{"rock-paper-scissors", nil}, {"beach-bar", map[string]any{"n": 3, "bar-loc": 1, "T": 1}}} {
		mf, err := games.New(c.name, c.params)
		if err != nil {
			t.Fatal(err)
		}
		for seed := uint64(0); seed < 3; seed++ {
			pi := randomPolicy(mf.(mfg.Finite), seed)
			for _, n := range []int{2, 3} {
				for _, meet := range []Meet{Others, All} {
					ex, err := NewExact(context.Background(), nGame(t, mf, n, meet), Symmetric(pi), nil)
					if err != nil {
						t.Fatal(err)
					}
					r, err := ex.Epsilon(context.Background(), 0, 0)
					if err != nil {
						t.Fatal(err)
					}
					if r.OwnGain < -1e-12 || r.JointGain < r.OwnGain-1e-12 {
						t.Errorf("%s seed %d N = %d %s: own gain %v, joint gain %v", c.name, seed, n, meet, r.OwnGain, r.JointGain)
					}
				}
			}
		}
	}
}

// randomPolicy is a time-indexed policy with rows drawn from a seeded stream.
func randomPolicy(g mfg.Finite, seed uint64) Policy {
	pi := finite.Uniform(g)
	x := seed*2654435761 + 1
	for _, q := range pi {
		for s := 0; s < q.States; s++ {
			row := q.Row(s)
			var sum float64
			for a := range row {
				x = x*6364136223846793005 + 1442695040888963407
				row[a] = float64(x>>40) + 1
				sum += row[a]
			}
			for a := range row {
				row[a] /= sum
			}
		}
	}
	return Policy(pi)
}

// Left-right's rewards are linear in the population and its moves do not depend on it, so an agent
// meeting the others faces in expectation the mean field itself whatever N: its exact gain from
// the best own-state deviation is the mean-field exploitability of π (package finite) at N = 2 and
// 3 alike, here for the fictitious-play policy after 10 iterations, far from an equilibrium.
func TestLeftRightEpsilonIsTheMeanFieldExploitability(t *testing.T) {
	mf, pi := solved(t, "left-right", nil, "fictitious-play", 10)
	want, err := finite.Exploitability(mf.(mfg.Finite), finite.Policy(pi))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{2, 3} {
		ex, err := NewExact(context.Background(), nGame(t, mf, n, Others), Symmetric(pi), nil)
		if err != nil {
			t.Fatal(err)
		}
		r, err := ex.Epsilon(context.Background(), 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(r.OwnGain-want) > 1e-12 {
			t.Errorf("N = %d: own-state gain %v, mean-field exploitability %v", n, r.OwnGain, want)
		}
	}
}
