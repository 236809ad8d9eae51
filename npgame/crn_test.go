package npgame

import (
	"fmt"
	"testing"

	"meanfield/games"
	"meanfield/internal/stats"
	"meanfield/mfg"
)

// Common random numbers: on games whose moves do not depend on L (the beach bar, left-right),
// the play of a profile and the play in which agent d deviates, on one stream, give every other
// agent the same states and actions at every round: the deviator's other action and other moves
// do not shift anyone else's draws.
func TestDeviationLeavesTheOthersDrawsAlone(t *testing.T) {
	for _, name := range []string{"beach-bar", "left-right", "periodic-aversion"} {
		mf, err := games.New(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		fin := mf.(mfg.Finite)
		if _, ok := mf.(mfg.FixedMoves); !ok {
			t.Fatalf("%s: moves depend on L", name)
		}
		for _, d := range []int{0, 2} {
			t.Run(fmt.Sprintf("%s/d=%d", name, d), func(t *testing.T) {
				g := nGame(t, mf, 5, Others)
				base, baseOf := compileProfile(g, Symmetric(randomPolicy(fin, 1)))
				dev := append(append([]cumulative(nil), base...), compile(randomPolicy(fin, 2), g.times, g.A))
				devOf := make([]int32, g.N)
				devOf[d] = 1
				w0, _ := NewWorld(g, nil)
				w1, _ := NewWorld(g, nil)
				differs := false
				for m := uint64(0); m < 50; m++ {
					s0, s1 := stream(9, m), stream(9, m)
					w0.reset(s0)
					w1.reset(s1)
					for !w0.Done() {
						w0.act(base, baseOf, s0)
						w1.act(dev, devOf, s1)
						for i := 0; i < g.N; i++ {
							same := w0.state[i] == w1.state[i] && w0.action[i] == w1.action[i]
							if i != d && !same {
								t.Fatalf("episode %d round %d: agent %d at (%d, %d) and (%d, %d)", m, w0.t, i, w0.state[i], w0.action[i], w1.state[i], w1.action[i])
							}
							differs = differs || !same
						}
						if err := w0.advance(nil); err != nil {
							t.Fatal(err)
						}
						if err := w1.advance(nil); err != nil {
							t.Fatal(err)
						}
					}
				}
				if !differs {
					t.Error("the deviator never played differently: the test says nothing")
				}
			})
		}
	}
}

// The control variate has mean zero whatever its Q and V: with random tables (Q near the action's
// index, V near the state's), on a finite game
// whose moves depend on L (crowd modelling) and a stationary one (SIS), the mean over 1500
// episodes of C = return − (return less C), on the same stream, is within 4 standard errors of 0,
// while C itself varies (so the check can fail).
func TestControlVariateHasMeanZero(t *testing.T) {
	for _, name := range []string{"crowd-modelling", "sis-epidemic"} {
		mf, err := games.New(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		g := nGame(t, mf, 4, Others)
		pi := randomStationary(g.S, g.A, 3)
		if fin, ok := mf.(mfg.Finite); ok {
			pi = randomPolicy(fin, 3)
		}
		rng := stream(4, 4)
		cv := &control{pol: pi}
		for t := 0; t <= g.times; t++ {
			q, v := make([]float64, g.S*g.A), make([]float64, g.S)
			for k := range q { // a, plus noise: a policy other than the agent's would show
				q[k] = float64(k%g.A) + float64(rng.Uint64()>>11)/(1<<53) - 0.5
			}
			for s := range v {
				v[s] = float64(s) + float64(rng.Uint64()>>11)/(1<<53) - 0.5
			}
			cv.q, cv.v = append(cv.q, q), append(cv.v, v)
		}
		pols, of := compileProfile(g, Symmetric(pi))
		w, _ := NewWorld(g, nil)
		cs := make([]float64, 1500)
		for m := range cs {
			plain, err := w.returnOf(t.Context(), 1, pols, of, stream(5, uint64(m)), nil)
			if err != nil {
				t.Fatal(err)
			}
			less, err := w.returnOf(t.Context(), 1, pols, of, stream(5, uint64(m)), cv)
			if err != nil {
				t.Fatal(err)
			}
			cs[m] = plain - less
		}
		mean, se := stats.MeanStdErr(cs)
		if se == 0 || !within(mean, se, 0, 4) {
			t.Errorf("%s: the control variate's mean %v ± %v, want 0", name, mean, se)
		}
	}
}
