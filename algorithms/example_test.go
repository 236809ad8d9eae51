package algorithms_test

import (
	"context"
	"fmt"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/exploit"
	"meanfield/games"
)

// ExampleGMFV finds the GMF-V equilibrium of the default auction (softmax temperature c = 4),
// reports how many outer iterations (steps after π_0) it took, and measures the exploitability of
// the final policy: the softmax policy leaves mass on second-best bids, so the exploitability is
// not zero.
func ExampleGMFV() {
	ctx := context.Background()
	g, err := games.NewAuction(games.DefaultAuctionParams())
	if err != nil {
		fmt.Println(err)
		return
	}
	// The exploitability is measured once below instead of at every iteration.
	res, err := engine.Solve(ctx, g, algorithms.GMFV(algorithms.DefaultTemperature), engine.Options{Iterations: 300})
	if err != nil {
		fmt.Println(err)
		return
	}
	final := res.Final()
	e, err := exploit.Exploitability(ctx, g, final.Policy[0], exploit.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("converged:", res.Converged)
	fmt.Println("outer iterations:", len(res.Trace)-1) // Trace[0] is π_0, before any step
	fmt.Printf("last l1 change below 1e-12: %v\n", final.L1Change < 1e-12)
	fmt.Printf("exploitability: %.3f\n", e.Value)
	// Output:
	// converged: true
	// outer iterations: 116
	// last l1 change below 1e-12: true
	// exploitability: 0.645
}
