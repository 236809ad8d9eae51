package games

import (
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/mfg"
)

// StepPopulation equals NextPopulation on the MDP, to rounding (1e-15 relative to the largest
// entry), on random populations and policies (with zeros, as argmax policies have), at several sizes.
func TestAuctionStepPopulationIsNextPopulation(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{3, 10, 17} {
		p := DefaultAuctionParams()
		p.States, p.Actions = n, n
		g, err := NewAuction(p)
		if err != nil {
			t.Fatal(err)
		}
		for trial := 0; trial < 20; trial++ {
			L := mfg.NewPopulation(n, n)
			pi := mfg.NewPolicy(n, n)
			var total float64
			for i := range L.Mass {
				if rng.IntN(3) > 0 {
					L.Mass[i] = rng.Float64()
					total += L.Mass[i]
				}
			}
			for i := range L.Mass {
				L.Mass[i] /= total
			}
			for s := 0; s < n; s++ {
				row := pi.Prob[s*n : (s+1)*n]
				if trial%2 == 0 {
					row[rng.IntN(n)] = 1 // deterministic, as argmax-e
					continue
				}
				var z float64
				for a := range row {
					row[a] = rng.Float64()
					z += row[a]
				}
				for a := range row {
					row[a] /= z
				}
			}
			m, err := g.MDP(L)
			if err != nil {
				t.Fatal(err)
			}
			want := mfg.NextPopulation(m, L, pi)
			got, err := g.StepPopulation(L, pi)
			if err != nil {
				t.Fatal(err)
			}
			for i := range want.Mass {
				if math.Abs(got.Mass[i]-want.Mass[i]) > 1e-15 {
					t.Fatalf("n = %d, trial %d: entry %d is %v, NextPopulation gives %v", n, trial, i, got.Mass[i], want.Mass[i])
				}
			}
		}
	}
	if _, err := (&Auction{}).StepPopulation(mfg.NewPopulation(2, 2), mfg.NewPolicy(2, 2)); err == nil {
		t.Error("a population of the wrong size was accepted")
	}
}

// successorBound bounds the successors of every row of the auction's MDP, and is within a small
// factor of their number (room reserved and unused is memory cleared for nothing).
func TestAuctionSuccessorBound(t *testing.T) {
	for _, n := range []int{2, 10, 40} {
		p := DefaultAuctionParams()
		p.States, p.Actions = n, n
		g, err := NewAuction(p)
		if err != nil {
			t.Fatal(err)
		}
		m, err := g.MDP(g.InitialPopulation())
		if err != nil {
			t.Fatal(err)
		}
		if used, bound := len(m.Next), g.successorBound(); used > bound || bound > 3*used {
			t.Errorf("n = %d: %d successors, bound %d", n, used, bound)
		}
	}
}
