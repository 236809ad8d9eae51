package rl_test

import (
	"fmt"

	"meanfield/mfg"
	"meanfield/rl"
)

// ExampleValueIteration solves a two-state MDP with γ = 0.9. In state 0, action 0 stays (reward
// 0) and action 1 moves to state 1 at a cost (reward -1); in state 1, action 0 stays and earns 1,
// action 1 moves back to state 0 (reward 0). Staying in state 1 is worth 1/(1-γ) = 10, so the
// optimal policy moves from 0 (value -1 + 0.9·10 = 8) and stays in 1.
func ExampleValueIteration() {
	const S, A = 2, 2
	reward := []float64{ // reward[s*A+a]
		0, -1,
		1, 0,
	}
	transition := []float64{ // transition[(s*A+a)*S+s'] = P(s'|s,a)
		1, 0, 0, 1, // s = 0: stay, move
		0, 1, 1, 0, // s = 1: stay, move
	}
	m, err := mfg.NewDenseMDP(S, A, 0.9, reward, transition)
	if err != nil {
		fmt.Println(err)
		return
	}
	q, _ := rl.ValueIteration(m, nil, rl.ValueIterationOptions{})
	pi := rl.GreedyPolicy(q, S, A)
	v, err := rl.PolicyValues(m, pi)
	if err != nil {
		fmt.Println(err)
		return
	}
	for s := range S {
		fmt.Printf("state %d: Q = [%.4f %.4f], policy %v, value %.4f\n", s, q[s*A], q[s*A+1], pi.Row(s), v[s])
	}
	// Output:
	// state 0: Q = [7.2000 8.0000], policy [0 1], value 8.0000
	// state 1: Q = [10.0000 7.2000], policy [1 0], value 10.0000
}
