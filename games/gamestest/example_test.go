package gamestest_test

import (
	"fmt"

	"meanfield/games"
	"meanfield/games/gamestest"
)

// Check runs every conformance check on a game; the auction, both model-based and model-free,
// also has its simulator compared with its closed-form model.
func ExampleCheck() {
	g, err := games.NewAuction(games.DefaultAuctionParams())
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := gamestest.Check(g, gamestest.Options{Seed: 1}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("ok")
	// Output: ok
}

// Run gives Check's verdict group by group: what each group checked and its failures. The
// auction is stationary, model-based and model-free; it has no fixed moves.
func ExampleRun() {
	g, err := games.NewAuction(games.DefaultAuctionParams())
	if err != nil {
		fmt.Println(err)
		return
	}
	rep := gamestest.Run(g, gamestest.Options{Seed: 1})
	for _, gr := range rep.Groups {
		status := "pass"
		switch {
		case !gr.Applies:
			status = "does not apply"
		case !gr.Passed():
			status = "FAIL"
		}
		fmt.Printf("%s: %s\n", gr.Group, status)
	}
	fmt.Println("passed:", rep.Passed())
	// Output:
	// declaration: pass
	// initial distribution: pass
	// shapes: pass
	// distributions: pass
	// rewards: pass
	// extreme mean fields: pass
	// determinism: pass
	// fixed moves: does not apply
	// sampler: pass
	// simulator vs model: pass
	// passed: true
}
