package solver_test

import (
	"context"
	"fmt"

	"meanfield/exploit"
	"meanfield/games"
	"meanfield/solver"
)

// ExampleSolve finds the GMF-V equilibrium of the default auction (softmax temperature c = 4),
// reports how many outer iterations it took, and measures the exploitability of the final policy:
// the softmax policy leaves mass on second-best bids, so the exploitability is not zero.
func ExampleSolve() {
	ctx := context.Background()
	g, err := games.NewAuction(games.DefaultAuctionParams())
	if err != nil {
		fmt.Println(err)
		return
	}
	opt := solver.GMFV(300, solver.DefaultTemperature)
	opt.Exploitability = false // measured once below instead of at every iteration
	res, err := solver.Solve(ctx, g, opt)
	if err != nil {
		fmt.Println(err)
		return
	}
	final := res.Final()
	e, err := exploit.Exploitability(ctx, g, final.Policy, exploit.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("converged:", res.Converged)
	fmt.Println("outer iterations:", len(res.Trace))
	fmt.Printf("last l1 change below 1e-12: %v\n", final.L1Change < 1e-12)
	fmt.Printf("exploitability: %.3f\n", e.Value)
	// Output:
	// converged: true
	// outer iterations: 116
	// last l1 change below 1e-12: true
	// exploitability: 0.645
}
