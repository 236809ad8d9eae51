package finite

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"meanfield/mfg"
)

// compareStencilSpecial compares expectBoth and nextStates on m with and without its stencil, bit
// for bit but for NaN's payload, the values special one time in two when special, the inflows'
// destinations filled beforehand (a state the gathers leave out would keep it): the first
// difference, or nil.
func compareStencilSpecial(m *mfg.MDP, rng *rand.Rand, special bool) error {
	plain := *m
	plain.Stencil = nil
	S, A := m.States, m.Actions
	value := func() float64 {
		if special {
			return specialValue(rng)
		}
		return rng.NormFloat64()
	}
	for trial := range 3 {
		m.Reward = make([]float64, S*A)
		for i := range m.Reward {
			m.Reward[i] = value()
		}
		plain.Reward = m.Reward
		v := make([]float64, 2*S)
		for i := range v {
			v[i] = value()
		}
		got0, got1, want0, want1 := make([]float64, S*A), make([]float64, S*A), make([]float64, S*A), make([]float64, S*A)
		expectBoth(m, v, got0, got1)
		expectBoth(&plain, v, want0, want1)
		for i := range got0 {
			if !sameOrNaN(got0[i], want0[i]) || !sameOrNaN(got1[i], want1[i]) {
				return fmt.Errorf("trial %d, row %d: (%v, %v), want (%v, %v)", trial, i, got0[i], got1[i], want0[i], want1[i])
			}
		}
		L := mfg.Population{States: S, Actions: A, Mass: make([]float64, S*A)}
		for i := range L.Mass {
			L.Mass[i] = rng.Float64()
		}
		got, want := make([]float64, S), make([]float64, S)
		for i := range got {
			got[i], want[i] = -7, -7
		}
		nextStates(m, L, got)
		nextStates(&plain, L, want)
		for j := range got {
			if !sameOrNaN(got[j], want[j]) {
				return fmt.Errorf("trial %d, next state %d: %v, want %v", trial, j, got[j], want[j])
			}
		}
	}
	return nil
}

// The stencil's plans (jobs, shifted rows through W, gathers) give the sparse rows' sums on grids
// of 1 to 12 cells a side with 1 to 9 of nine displacements (some of two or three cells) and
// random noises, with W's and byAction's pooled memory left full of other values.
func TestStencilPlansRandomGrids(t *testing.T) {
	rng := rand.New(rand.NewPCG(99, 100))
	all := [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {0, 0}, {2, -1}, {0, 3}, {-3, 2}, {1, 1}}
	for trial := range 300 {
		l, w := 1+rng.IntN(12), 1+rng.IntN(12)
		perm := rng.Perm(len(all))
		acts := make([][2]int, 1+rng.IntN(len(all)))
		for i := range acts {
			acts[i] = all[perm[i]]
		}
		noise := [5]float64{0.125, 0.125, 0.125, 0.125, 0.5}
		if trial%3 > 0 {
			var sum float64
			for k := range 4 {
				if rng.IntN(3) > 0 {
					noise[k] = rng.Float64() / 4
				} else {
					noise[k] = 0
				}
				sum += noise[k]
			}
			noise[4] = 1 - sum
		}
		if trial%5 == 0 { // stale values in the pools' memory
			b, c := make([]float64, 4096), make([]float64, 4096)
			for i := range b {
				b[i], c[i] = 1e300*float64(i%7-3), -3
			}
			wPool.Put(&b)
			byActionPool.Put(&c)
		}
		m := gridMoves(t, l, w, acts, noise)
		if err := compareStencilSpecial(m, rng, trial%2 == 0); err != nil {
			t.Fatalf("%d × %d, moves %v, noise %v: %v", l, w, acts, noise, err)
		}
	}
}

// Stencils made and dropped one after the other (their memory reused once collected), and made
// and used by several goroutines at once, each get their own plan.
func TestStencilPlansReusedAndConcurrent(t *testing.T) {
	moves := [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {0, 0}}
	noise := [5]float64{0.1, 0.2, 0.1, 0.1, 0.5}
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 40 {
		l, w := 2+rng.IntN(9), 2+rng.IntN(9)
		m := gridMoves(t, l, w, moves[:1+rng.IntN(5)], noise)
		if err := compareStencilSpecial(m, rng, false); err != nil {
			t.Fatalf("one after the other %d, %d × %d: %v", trial, l, w, err)
		}
		runtime.GC()
	}
	var wg sync.WaitGroup
	for g := range 4 {
		grids := make([]*mfg.MDP, 20) // made here: gridMoves may call t.Fatal
		for i := range grids {
			grids[i] = gridMoves(t, 3+g+i%4, 5+i%3, moves, noise)
		}
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 7))
			for i, m := range grids {
				if err := compareStencilSpecial(m, rng, i%2 == 0); err != nil {
					t.Errorf("goroutine %d, grid %d: %v", g, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
}
