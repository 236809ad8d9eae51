package finite_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"meanfield/finite"
	"meanfield/games"
)

// cheapWriter is countingWriter whose stages a Memory does not remember (finite.CheapStages).
type cheapWriter struct{ countingWriter }

func (*cheapWriter) CheapStages() {}

// A Memory writes every stage of a game with finite.CheapStages at every pass, even at a
// population it wrote that stage at just before, and its mean fields, stages and Q-functions are
// MeanFieldOf's and QFunctions', bit for bit; crowd motion is such a game.
func TestMemoryWritesCheapStagesAnew(t *testing.T) {
	var _ finite.CheapStages = (*games.CrowdMotion)(nil)
	rl, err := games.NewRandomLinear(games.DefaultRandomLinearParams())
	if err != nil {
		t.Fatal(err)
	}
	g := &cheapWriter{countingWriter{RandomLinear: rl}}
	rng := rand.New(rand.NewPCG(7, 12))
	a, b := randomPolicy(rng, g), randomPolicy(rng, g)
	mem := finite.NewMemory(g, nil)
	for i, pi := range []finite.Policy{a, a, b, a, a} {
		g.writes = 0
		L, stages, err := mem.MeanField(g, pi)
		if err != nil {
			t.Fatal(err)
		}
		if want := g.Horizon() + 1; g.writes != want {
			t.Errorf("evaluation %d: %d stages written, want %d", i, g.writes, want)
		}
		wantL, want, err := finite.MeanFieldOf(g, pi)
		if err != nil {
			t.Fatal(err)
		}
		if !sameBits(flatL(L), flatL(wantL)) {
			t.Errorf("evaluation %d: the mean field differs from MeanFieldOf's", i)
		}
		for tt := range want {
			if !sameBits(stages[tt].Reward, want[tt].Reward) || !sameBits(stages[tt].Prob, want[tt].Prob) {
				t.Errorf("evaluation %d: stage %d differs from MeanFieldOf's", i, tt)
			}
		}
		qs, qp := mem.QFunctions(stages, pi)
		wantQs, wantQp := finite.QFunctions(want, pi)
		if !sameBits(slices.Concat(qs...), slices.Concat(wantQs...)) || !sameBits(slices.Concat(qp...), slices.Concat(wantQp...)) {
			t.Errorf("evaluation %d: the Q-functions differ", i)
		}
	}
}
