package npgame

import (
	"context"
	"fmt"
	"math"
	"testing"

	"meanfield/exploit"
	"meanfield/mfg"
	"meanfield/rl"
	"meanfield/seeds"
)

// On a small auction (3 budgets, 3 bids), a stationary game, at N = 2 and 3: the estimated value of
// the GMF-V policy and the gain of the learned deviation agree with the enumeration over the
// truncated horizon, and the joint-state best response gains at least as much as the learned one.
func TestStationaryEstimateAgreesWithEnumeration(t *testing.T) {
	mf, pi := solved(t, "auction", map[string]any{"states": 3, "actions": 3}, "gmf-v", 300)
	for _, n := range []int{2, 3} {
		t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
			g, err := New(mf, n, Others, 1e-4)
			if err != nil {
				t.Fatal(err)
			}
			p := Symmetric(pi)
			res, err := EstimateEpsilon(context.Background(), g, p, Options{Seed: 7, Episodes: 2000})
			if err != nil {
				t.Fatal(err)
			}
			e := res.Epsilon()
			ex, err := NewExact(context.Background(), g, p, nil)
			if err != nil {
				t.Fatal(err)
			}
			v, _ := ex.Value(0, nil)
			vs, _ := ex.Value(0, e.BestResponse)
			joint, err := ex.JointBest(0)
			if err != nil {
				t.Fatal(err)
			}
			if !within(e.Value, e.ValueSE, v, 4) || !within(e.Gain, e.GainSE, vs-v, 4) {
				t.Errorf("value %.4f ± %.4f (exact %.4f), gain %.4f ± %.4f (exact %.4f)", e.Value, e.ValueSE, v, e.Gain, e.GainSE, vs-v)
			}
			if joint < vs-1e-12 {
				t.Errorf("joint-state best %.6f below the learned deviation's %.6f", joint, vs)
			}
			t.Logf("V(π) %.4f; gain: estimated %.4f ± %.4f, learned σ exact %.4f, joint-state best %.4f", v, e.Gain, e.GainSE, vs-v, joint-v)
		})
	}
}

// For large N a stationary game's N-player value approaches the mean-field one: on the SIS
// epidemic, the mean over 20000 agents of the return of the mean-field policy, started from the
// population it sustains, is within 4 standard errors (and 1%) of Σ_s μ_π(s) V^π(s) in the MDP at
// L_π (less the γ^H tail the truncation drops, at most 1e-6 of the values' scale). (At N = 2000 it
// is still 10% off: −2.78 ± 0.08 against −3.09, the epidemic's fluctuations at that size.)
func TestStationaryLargeNApproachesMeanField(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 20000 agents")
	}
	mf, pi := solved(t, "sis-epidemic", nil, "fictitious-play", 200)
	L, _, _, err := exploit.MeanField(context.Background(), mf.(mfg.ModelBased), pi[0], exploit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := mf.(mfg.ModelBased).MDP(L)
	if err != nil {
		t.Fatal(err)
	}
	vpi, err := rl.PolicyValues(m, pi[0])
	if err != nil {
		t.Fatal(err)
	}
	var want float64
	for s, x := range L.StateMarginal(nil) {
		want += x * vpi[s]
	}
	g := nGame(t, mf, 20000, Others)
	init, err := DefaultInitial(context.Background(), g, pi)
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWorld(g, init)
	if err != nil {
		t.Fatal(err)
	}
	returns := make([]float64, g.N)
	const episodes = 20
	var sum, sumSq float64
	for k := 0; k < episodes; k++ {
		if err := w.Play(Symmetric(pi), seeds.New(11, uint64(k)), returns); err != nil {
			t.Fatal(err)
		}
		var mean float64
		for _, r := range returns {
			mean += r
		}
		mean /= float64(g.N)
		sum, sumSq = sum+mean, sumSq+mean*mean
	}
	mean := sum / episodes
	se := math.Sqrt(max(sumSq/episodes-mean*mean, 0) / (episodes - 1))
	if d := math.Abs(mean - want); d > 4*se+1e-6*math.Abs(want) || d > 0.01*math.Abs(want) {
		t.Errorf("N = %d: value %.5f ± %.5f, mean field %.5f", g.N, mean, se, want)
	}
	t.Logf("mean field %.5f; N = %d: %.5f ± %.5f (H = %d)", want, g.N, mean, se, g.Times())
}
