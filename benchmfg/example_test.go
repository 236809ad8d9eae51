package benchmfg_test

import (
	"fmt"

	"meanfield/benchmfg"
	"meanfield/games"
	"meanfield/mfg"
)

// Bench-MFG's exploitability of its initial policy for seed 42 on the Lasry–Lions chain, from the
// learners' first mean field Φ_π0^20(μ0), beside the value Bench-MFG published (its history[0]).
func ExampleExploitability() {
	g, err := games.New("lasry-lions-chain", nil)
	if err != nil {
		panic(err)
	}
	chain := g.(mfg.ModelBased)
	opt := benchmfg.DefaultOptions()
	setup, err := benchmfg.NewSetup(chain, 42, opt)
	if err != nil {
		panic(err)
	}
	mu, err := benchmfg.PushForward(chain, setup.Initial, setup.Start, opt.LearnerSteps)
	if err != nil {
		panic(err)
	}
	e, err := benchmfg.Exploitability(chain, setup.Initial, mu, opt)
	if err != nil {
		panic(err)
	}
	p, err := benchmfg.LoadPublished()
	if err != nil {
		panic(err)
	}
	pub, err := p.Lookup("LasryLionsChain", "OMD")
	if err != nil {
		panic(err)
	}
	fmt.Printf("ours %.3f, published %.3f\n", e, pub.Seeds["42"].History[0])
	// Output: ours 217.475, published 217.475
}
