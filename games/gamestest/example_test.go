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
