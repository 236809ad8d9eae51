package mfg_test

import (
	"fmt"
	"log"

	"meanfield/mfg"
)

// ExamplePopulation builds a state-action distribution L on 2 states × 2 actions by hand, reads
// its marginals, checks it is a distribution, and measures its l1 distance to the uniform
// population; a mass that does not sum to 1 is refused by Validate.
func ExamplePopulation() {
	L := mfg.Population{States: 2, Actions: 2, Mass: []float64{
		0.1, 0.3, // L(s=0, a=0), L(s=0, a=1)
		0.4, 0.2, // L(s=1, a=0), L(s=1, a=1)
	}}
	fmt.Printf("state marginal mu:     %.4f\n", L.StateMarginal(nil))
	fmt.Printf("action marginal alpha: %.4f\n", L.ActionMarginal(nil))
	fmt.Println("valid:", L.Validate())
	fmt.Printf("l1 distance to uniform: %.4f\n", mfg.L1Distance(L.Mass, mfg.UniformPopulation(2, 2).Mass))

	bad := mfg.Population{States: 2, Actions: 2, Mass: []float64{0.5, 0.5, 0.5, 0.5}}
	fmt.Println(bad.Validate())
	// Output:
	// state marginal mu:     [0.4000 0.6000]
	// action marginal alpha: [0.5000 0.5000]
	// valid: <nil>
	// l1 distance to uniform: 0.4000
	// population: entries sum to 2, want 1
}

// ExampleNextPopulation applies one step of the population map Γ2 on a 2-state, 2-action toy
// MDP built with NewMDPBuilder: action 0 stays put, action 1 moves to the other state with
// probability 0.8. The policy is written by hand and checked row by row.
func ExampleNextPopulation() {
	b := mfg.NewMDPBuilder(2, 2, 0.9)
	for s := 0; s < 2; s++ {
		b.Add(s, 1) // a = 0: stay
		b.EndRow()
		b.Add(1-s, 0.8) // a = 1: move with probability 0.8
		b.Add(s, 0.2)
		b.EndRow()
	}
	b.MDP.Reward = []float64{1, 0, 0, 1}
	m, err := b.Build()
	if err != nil {
		log.Fatal(err)
	}

	pi := mfg.Policy{States: 2, Actions: 2, Prob: []float64{
		0.25, 0.75, // π(·|s=0)
		1, 0, // π(·|s=1)
	}}
	fmt.Println("policy valid:", pi.Validate())

	L := mfg.PopulationFromStates([]float64{0.4, 0.6}, pi) // L(s, a) = μ(s) π(a|s)
	fmt.Printf("L   = %.4f\n", L.Mass)
	next := mfg.NextPopulation(m, L, pi)
	fmt.Printf("L'  = %.4f\n", next.Mass)
	fmt.Printf("mu' = %.4f\n", next.StateMarginal(nil))
	fmt.Println("L' valid:", next.Validate())
	// Output:
	// policy valid: <nil>
	// L   = [0.1000 0.3000 0.6000 0.0000]
	// L'  = [0.0400 0.1200 0.8400 0.0000]
	// mu' = [0.1600 0.8400]
	// L' valid: <nil>
}
