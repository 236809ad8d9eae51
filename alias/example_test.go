package alias_test

import (
	"fmt"
	"math/rand/v2"

	"meanfield/alias"
)

// ExampleNew builds an alias table for the weights 1, 2 and 7 (probabilities 0.1, 0.2 and 0.7)
// and draws from it; each draw takes constant time whatever the number of outcomes.
func ExampleNew() {
	t, err := alias.New([]float64{1, 2, 7})
	if err != nil {
		fmt.Println(err)
		return
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const draws = 100000
	counts := make([]int, t.Len())
	for range draws {
		counts[t.Draw(rng)]++
	}
	for i, c := range counts {
		fmt.Printf("outcome %d: frequency %.2f\n", i, float64(c)/draws)
	}
	// Output:
	// outcome 0: frequency 0.10
	// outcome 1: frequency 0.20
	// outcome 2: frequency 0.70
}
