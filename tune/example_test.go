package tune_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"meanfield/tune"
)

// A study of fictitious play's step on left-right: a grid of 4 constant steps α and the
// classical 1/(k+1) (α = 0), 50 iterations, scored by the final exploitability.
func Example() {
	s, err := tune.Parse([]byte(`
name: left-right-fp
sampler: grid
base: {game: left-right, algorithm: fictitious-play, iterations: 50}
params:
  alpha: {type: float, low: 0, high: 1, grid: [0, 0.05, 0.1, 0.5, 1]}
objective: {stat: final, aggregate: mean}
`), 0)
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "tune-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if _, err := tune.Run(context.Background(), s, dir, tune.Options{}); err != nil {
		log.Fatal(err)
	}
	sum, err := tune.Summarize(s, dir)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range sum.Records {
		fmt.Printf("alpha %-4v final exploitability %.3g\n", r.Params["alpha"], *r.Value)
	}
	fmt.Println("best alpha:", sum.Best.Params["alpha"])
	// Output:
	// alpha 0    final exploitability 0.0101
	// alpha 0.05 final exploitability 0.031
	// alpha 0.1  final exploitability 0.00673
	// alpha 0.5  final exploitability 0.667
	// alpha 1    final exploitability 2
	// best alpha: 0.1
}
