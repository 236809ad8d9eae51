package games_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"meanfield/finite"
	"meanfield/games"
	"meanfield/mfg"
)

// The games whose stages the engine writes into its own memory.
var (
	_ mfg.StageWriter = (*games.BeachBar)(nil)
	_ mfg.StageWriter = (*games.LeftRight)(nil)
	_ mfg.StageWriter = (*games.RockPaperScissors)(nil)
	_ mfg.StageWriter = (*games.EquilibriumPrice)(nil)
	_ mfg.StageWriter = (*games.BuildingEvacuation)(nil)
	_ mfg.StageWriter = (*games.ConservativeTreasureHunting)(nil)
	_ mfg.StageWriter = (*games.SusceptibleInfected)(nil)
	_ mfg.StageWriter = (*games.LinearQuadratic)(nil)
	_ mfg.StageWriter = (*games.RandomLinear)(nil)
)

// TestWriteStageIsStage checks, for every registered game with mfg.StageWriter at its defaults,
// that WriteStage into reused memory full of garbage (NaNs, and the previous stage's fields) gives
// Stage's stage bit for bit at every time of random mean fields.
func TestWriteStageIsStage(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 1))
	writers := 0
	for _, name := range games.Names() {
		g0, err := games.New(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		w, ok := g0.(mfg.StageWriter)
		if !ok {
			continue
		}
		writers++
		S, A := w.States(), w.Actions()
		dst := &mfg.MDP{Reward: make([]float64, S*A)}
		for trial := 0; trial < 3; trial++ {
			L, _, err := finite.MeanFieldOf(w, tkRandomPolicy(rng, w))
			if err != nil {
				t.Fatal(err)
			}
			for tt := range L {
				want, err := w.Stage(tt, L[tt])
				if err != nil {
					t.Fatal(err)
				}
				mem := dst.Reward[:S*A]
				for i := range mem {
					mem[i] = math.NaN()
				}
				dst.Reward = mem
				if err := w.WriteStage(tt, L[tt], dst); err != nil {
					t.Fatalf("%s: WriteStage(%d): %v", name, tt, err)
				}
				if &dst.Reward[0] != &mem[0] {
					t.Errorf("%s t = %d: the rewards are not in the caller's memory", name, tt)
				}
				if !sameStage(want, dst, tt < w.Horizon()) {
					t.Errorf("%s t = %d: WriteStage differs from Stage", name, tt)
				}
			}
		}
	}
	if writers < 9 {
		t.Errorf("%d games write their stages, want at least 9", writers)
	}
}

// sameStage compares two stages bit for bit: sizes, rewards and, when moves, transitions.
func sameStage(a, b *mfg.MDP, moves bool) bool {
	bits := func(x []float64) []uint64 {
		out := make([]uint64, len(x))
		for i, v := range x {
			out[i] = math.Float64bits(v)
		}
		return out
	}
	if a.States != b.States || a.Actions != b.Actions || !slices.Equal(bits(a.Reward), bits(b.Reward)) ||
		math.Float64bits(a.Discount) != math.Float64bits(b.Discount) || !slices.Equal(a.Legal, b.Legal) {
		return false
	}
	return !moves || slices.Equal(a.RowStart, b.RowStart) && slices.Equal(a.Next, b.Next) && slices.Equal(bits(a.Prob), bits(b.Prob))
}
