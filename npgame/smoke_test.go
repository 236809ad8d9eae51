package npgame

import (
	"context"
	"testing"
)

func TestSmoke(t *testing.T) {
	for _, name := range []string{"left-right", "rock-paper-scissors", "beach-bar"} {
		params := map[string]any(nil)
		if name == "beach-bar" {
			params = map[string]any{"n": 3, "bar-loc": 1, "T": 1}
		}
		mf, pi := solved(t, name, params, "fictitious-play", 100)
		for _, n := range []int{2, 3} {
			g := nGame(t, mf, n, Others)
			res, err := EstimateEpsilon(context.Background(), g, Symmetric(pi), Options{Seed: 1, Episodes: 4000})
			if err != nil {
				t.Fatal(err)
			}
			ex, err := NewExact(context.Background(), g, Symmetric(pi), nil)
			if err != nil {
				t.Fatal(err)
			}
			ee, err := ex.Epsilon(context.Background(), 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			e := res.Epsilon()
			vs, _ := ex.Value(0, e.BestResponse)
			t.Logf("%s N=%d: est value %.4f±%.4f gain %.4f±%.4f | exact value %.4f, learned σ gain %.4f, own best gain %.4f, joint gain %.4f", name, n, e.Value, e.ValueSE, e.Gain, e.GainSE, ee.Value, vs-ee.Value, ee.OwnGain, ee.JointGain)
		}
	}
}
