package gamefile_test

import (
	"math"
	"strings"
	"testing"

	"meanfield/gamefile"
	"meanfield/games/gamestest"
	"meanfield/mfg"
)

// A stationary game on a 2×3 grid: move right along the second coordinate (wrapping) or stay;
// the reward is minus the density of the cell, a crowd-averse game whose rows and rewards are
// checked against what the formulas give by hand.
const gridGame = `
def reward(p, t, s, a, mf):
    return -mf.mu[s] + 0.1 * mf.alpha[a] + mf.L[s][a]

def transition(p, t, s, a, mf):
    r, c = grid_coords([2, 3], s)
    return {grid_index([2, 3], [r, (c + a) % 3]): 1.0}

game = stationary(discount = 0.9, states = [2, 3], actions = 2, reward = reward, transition = transition)
`

func TestStationaryGrid(t *testing.T) {
	g, err := gamefile.LoadSource("grid.star", []byte(gridGame), nil)
	if err != nil {
		t.Fatal(err)
	}
	st, ok := g.(mfg.ModelBased)
	if !ok || g.States() != 6 || g.Actions() != 2 || st.Discount() != 0.9 {
		t.Fatalf("%T: %d states, %d actions", g, g.States(), g.Actions())
	}
	L := mfg.NewPopulation(6, 2)
	for i := range L.Mass {
		L.Mass[i] = float64(i+1) / 78 // 1 + ... + 12 = 78
	}
	m, err := st.MDP(L)
	if err != nil {
		t.Fatal(err)
	}
	// s = 5 = (1, 2), a = 1: μ(5) = (11+12)/78, α(1) = (2+4+...+12)/78 = 42/78, L = 12/78;
	// next (1, 0) = 3.
	want := -23.0/78 + 0.1*42/78 + 12.0/78
	if r := m.Reward[5*2+1]; r != want {
		t.Errorf("r(5, 1) = %v, want %v", r, want)
	}
	if next, prob := m.Successors(5, 1); len(next) != 1 || next[0] != 3 || prob[0] != 1 {
		t.Errorf("P(·|5, 1) = %v %v, want {3: 1}", next, prob)
	}
	if err := gamestest.Check(g, gamestest.Options{Seed: 1}); err != nil {
		t.Error(err)
	}
}

// TestCacheFollowsPopulation changes L in place between calls: the stage must follow it, not
// be served from the cache of the earlier L.
func TestCacheFollowsPopulation(t *testing.T) {
	g, err := gamefile.LoadSource("grid.star", []byte(gridGame), nil)
	if err != nil {
		t.Fatal(err)
	}
	st := g.(mfg.ModelBased)
	L := mfg.UniformPopulation(6, 2)
	m1, err := st.MDP(L)
	if err != nil {
		t.Fatal(err)
	}
	r1 := m1.Reward[0]
	L.Mass[0], L.Mass[1] = L.Mass[0]+L.Mass[1], 0
	m2, err := st.MDP(L)
	if err != nil {
		t.Fatal(err)
	}
	if want := -1.0/6 + 0.1*(7.0/12) + 1.0/6; math.Abs(m2.Reward[0]-want) > 1e-15 || math.Abs(r1-want) < 1e-3 {
		t.Errorf("r(0, 0) = %v then %v, want %v after the change", r1, m2.Reward[0], want)
	}
}

// TestMemoryBound stops a script that allocates a megabyte per step once it has taken 32 MiB.
func TestMemoryBound(t *testing.T) {
	src := "x = [\"x\" * (1 << 20) for i in range(4096)]\ngame = 1\n"
	_, err := gamefile.Options{MaxMemory: 32 << 20}.LoadSource("big.star", []byte(src), nil)
	if err == nil || !strings.Contains(err.Error(), "big.star:1:") || !strings.Contains(err.Error(), "memory bound of 32 MiB exceeded") {
		t.Errorf("error %v, want the memory bound at big.star:1", err)
	}
}
