package games_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/exploit"
	"meanfield/games"
	"meanfield/mfg"
)

// Bench-MFG's rock-paper-scissors: s' = a for sure and r(s, a, μ) = (Kμ)(s) with
// K = [[0,-1,1],[1,0,-1],[-1,1,0]] (BENCHMFG_SPEC §1.1.8); the reward is computed here by the
// matrix product and checked against hand values.
func TestSkewRPS(t *testing.T) {
	g, err := games.NewSkewRPS(games.DefaultSkewRPSParams())
	if err != nil {
		t.Fatal(err)
	}
	if g.Discount() != 0.9 || g.Name() == "rock-paper-scissors" {
		t.Fatalf("γ = %v, name %q", g.Discount(), g.Name())
	}
	K := [3][3]float64{{0, -1, 1}, {1, 0, -1}, {-1, 1, 0}}
	for _, c := range []struct {
		mu   []float64
		want [3]float64 // by hand: rock μ(S)-μ(P), paper μ(R)-μ(S), scissors μ(P)-μ(R)
	}{
		{[]float64{0.5, 0.3, 0.2}, [3]float64{-0.1, 0.3, -0.2}},
		{[]float64{1, 0, 0}, [3]float64{0, 1, -1}},
		{[]float64{1.0 / 3, 1.0 / 3, 1.0 / 3}, [3]float64{0, 0, 0}},
	} {
		m, err := g.MDP(benchPopulation(c.mu, 3))
		if err != nil {
			t.Fatal(err)
		}
		checkBenchRowsAreDistributions(t, m)
		for s := 0; s < 3; s++ {
			Kmu := 0.0
			for j := 0; j < 3; j++ {
				Kmu += K[s][j] * c.mu[j]
			}
			if math.Abs(Kmu-c.want[s]) > 1e-15 {
				t.Fatalf("the test's own hand value for s=%d is wrong: Kμ = %v, by hand %v", s, Kmu, c.want[s])
			}
			for a := 0; a < 3; a++ {
				if got := m.Reward[s*3+a]; math.Abs(got-Kmu) > 1e-15 {
					t.Errorf("μ = %v: r(%d,%d) = %v, want (Kμ)(s) = %v", c.mu, s, a, got, Kmu)
				}
				checkBenchRow(t, m, s, a, map[int]float64{a: 1})
			}
		}
	}
	checkBenchValidation(t, []struct {
		p     games.Parameters
		wants []string
	}{
		{games.SkewRPSParams{Discount: 1}, []string{"discount", "1"}},
		{games.SkewRPSParams{Discount: math.NaN()}, []string{"discount", "NaN"}},
	})
	if got := strings.Join(mfg.StateLabels(g), " "); got != "rock paper scissors" {
		t.Errorf("state labels %q", got)
	}
	info, _ := games.Lookup("skew-rps")
	if !strings.Contains(info.Description, "rock-paper-scissors") || !strings.HasPrefix(info.Reference, "Bench-MFG ") {
		t.Errorf("skew-rps entry %+v should point to MFGLib's rock-paper-scissors and cite Bench-MFG", info)
	}
}

// Exploitability weighs the gap V* - V^π by the population π sustains (as Bench-MFG does). The
// uniform policy keeps μ uniform, where every reward is 0: exploitability 0. "Always rock" sustains
// μ = (1, 0, 0), where rock earns 0, paper 1 and scissors -1 a round: π earns 0 from rock, the best
// response moves to paper and earns γ/(1-γ) = 9 at γ = 0.9.
func TestSkewRPSExploitability(t *testing.T) {
	g, err := games.NewSkewRPS(games.DefaultSkewRPSParams())
	if err != nil {
		t.Fatal(err)
	}
	rock := mfg.NewPolicy(3, 3)
	for s := 0; s < 3; s++ {
		rock.Prob[s*3] = 1
	}
	for _, c := range []struct {
		name string
		pi   mfg.Policy
		want float64
	}{{"uniform", mfg.UniformPolicy(3, 3), 0}, {"always rock", rock, 9}} {
		r, err := exploit.Exploitability(context.Background(), g, c.pi, exploit.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(r.Value-c.want) > 1e-9 {
			t.Errorf("%s: exploitability %v, want %v", c.name, r.Value, c.want)
		}
	}
}

// gmf-v and fictitious play, at their defaults as `mfg solve` runs them, solve each of Bench-MFG's
// stationary games here without error; gmf-v reaches an equilibrium of multiple-equilibria
// (exploitability ≤ 1e-6; `mfg solve` shows 9e-11 after 10 iterations), and fictitious play
// lowers the exploitability of the uniform policy where it is not already 0. (On skew-rps and on
// four-rooms-obstacles the uniform policy is an equilibrium: under it every move and its opposite
// are equally likely, so the chain is doubly stochastic and keeps μ uniform on the free cells,
// where all rewards are equal. Fictitious play's greedy best responses leave it there: 25 after
// 20 iterations on four-rooms-obstacles.)
func TestBenchMFGStationaryGamesSolve(t *testing.T) {
	for _, name := range []string{"no-interaction", "multiple-equilibria", "skew-rps", "four-rooms-obstacles"} {
		if testing.Short() && name == "four-rooms-obstacles" {
			continue
		}
		g, err := games.New(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, alg := range []string{"gmf-v", "fictitious-play"} {
			a, err := algorithms.New(alg)
			if err != nil {
				t.Fatal(err)
			}
			res, err := engine.Solve(context.Background(), g, a, engine.Options{Iterations: 20, Exploitability: true})
			if err != nil {
				t.Fatalf("%s on %s: %v", alg, name, err)
			}
			first, last := res.Trace[0].Exploitability, res.Final().Exploitability
			t.Logf("%s on %s: exploitability %.4g → %.4g", alg, name, first, last)
			switch {
			case !(last >= 0) || math.IsInf(last, 0):
				t.Errorf("%s on %s: final exploitability %v", alg, name, last)
			case alg == "gmf-v" && name == "multiple-equilibria" && last > 1e-6:
				t.Errorf("gmf-v on multiple-equilibria: final exploitability %v, want ≤ 1e-6", last)
			case alg == "fictitious-play" && first > 1e-9 && !(last < first):
				t.Errorf("fictitious play on %s: exploitability %v → %v, no lower", name, first, last)
			}
		}
	}
}
