package sweep_test

import (
	"fmt"

	"meanfield/sweep"
)

// ExampleParse parses a sweep file: three temperatures × two state counts × two replicates give
// twelve runs (an axis params.NAME varies a parameter of the game), each with a stable id derived from its parameters and its own derived seed.
func ExampleParse() {
	s, err := sweep.Parse([]byte(`
name: small
seed: 11
replicates: 2
base:
  game: auction
  algorithm: gmf-q
  iterations: 4
  steps: 2000
axes:
  temperature: [2, 4, 8]
  params.states: {from: 5, to: 6, step: 1}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	first := s.Runs[0]
	fmt.Println("axes:", s.ParamNames())
	fmt.Println("runs:", len(s.Runs))
	fmt.Println("first run:", first.ID, first.Params, "replicate", first.Replicate)
	fmt.Println("runs of shard 0 of 4:", len(s.Shard(0, 4)))
	// Output:
	// axes: [params.states temperature]
	// runs: 12
	// first run: b8b582272c85 map[params.states:5 temperature:2] replicate 0
	// runs of shard 0 of 4: 3
}
