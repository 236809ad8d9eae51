package experiment_test

import (
	"fmt"
	"log"
	"maps"
	"slices"

	"meanfield/experiment"
)

// ExampleSolveConfig_Resolve resolves the configuration of `mfg solve --game beach-bar`: Resolve
// fills in every choice left to a default (the algorithm for a finite-horizon game, its number of
// iterations, the arithmetic, every parameter of the game and of the algorithm) and leaves the
// configuration it was called on unchanged. Nothing is solved and no file is written.
func ExampleSolveConfig_Resolve() {
	c := experiment.DefaultSolveConfig()
	c.Run.Game = "beach-bar"
	r, err := c.Resolve()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("algorithm %q resolved to %q\n", c.Run.Algorithm, r.Run.Algorithm)
	fmt.Println("iterations:", r.Run.Iterations)
	fmt.Println("arithmetic:", r.Run.Arithmetic)
	for _, k := range slices.Sorted(maps.Keys(r.Params)) {
		fmt.Printf("params.%s = %v\n", k, r.Params[k])
	}
	for _, k := range slices.Sorted(maps.Keys(r.AlgorithmParams)) {
		fmt.Printf("%s = %v\n", k, r.AlgorithmParams[k])
	}
	// Output:
	// algorithm "" resolved to "fictitious-play"
	// iterations: 100
	// arithmetic: float64
	// params.T = 2
	// params.bar-loc = 2
	// params.log-eps = 1e-20
	// params.mu0 = []
	// params.n = 4
	// params.p-still = 0.5
	// alpha = 0
	// br-temperature = 0
	// tie-break = split
	// tie-tolerance = 0
}
