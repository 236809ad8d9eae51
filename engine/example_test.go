package engine_test

import (
	"context"
	"fmt"
	"log"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
)

// ExampleSolve solves a finite-horizon game (MFGLib's beach bar, default parameters) with a
// policy method, online mirror descent, and reads the exploitability off the trace: iteration 0
// is the uniform initial policy π_0, iteration k the policy after k steps.
func ExampleSolve() {
	g, err := games.New("beach-bar", nil)
	if err != nil {
		log.Fatal(err)
	}
	res, err := engine.Solve(context.Background(), g, algorithms.OnlineMirrorDescent{Alpha: 1},
		engine.Options{Iterations: 20, Exploitability: true})
	if err != nil {
		log.Fatal(err)
	}
	e := res.Exploitabilities()
	fmt.Println(res.Game, res.Algorithm)
	fmt.Println("records:", len(res.Trace))
	fmt.Printf("exploitability at k=0:  %.4f\n", e[0])
	fmt.Printf("exploitability at k=20: %.4f\n", e[20])
	// Output:
	// beach-bar online-mirror-descent
	// records: 21
	// exploitability at k=0:  1.2213
	// exploitability at k=20: 0.0144
}

// ExampleSolve_stationary runs GMF-V (value iteration, softmax with temperature 4, exact
// population step) on the default auction, a stationary discounted game, until its own stopping
// rule holds: the l1 change of the population falls below 1e-12 before the iteration budget. Its
// fixed point is that of the softmax policy, not a Nash equilibrium, so the exploitability stays
// above 0.
func ExampleSolve_stationary() {
	g, err := games.New("auction", nil)
	if err != nil {
		log.Fatal(err)
	}
	res, err := engine.Solve(context.Background(), g, algorithms.GMFV(4), engine.Options{Iterations: 1000, Exploitability: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Game, res.Algorithm)
	fmt.Println("iterations:", res.Final().K)
	fmt.Println("converged:", res.Converged)
	fmt.Printf("final exploitability: %.4f\n", res.Final().Exploitability)
	// Output:
	// auction gmf-v
	// iterations: 116
	// converged: true
	// final exploitability: 0.6454
}
