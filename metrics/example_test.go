package metrics_test

import (
	"context"
	"fmt"

	"meanfield/games"
	"meanfield/metrics"
	"meanfield/mfg"
	"meanfield/nplayer"
)

// ExampleEstimateC estimates C(π), the distance to a Nash equilibrium, of the profile in which
// all 10 bidders of the default auction bid uniformly at random. The options keep the example
// quick (16 joint states, 4 rollouts each, 3 bidders per joint state evaluated against their
// best response); the defaults are larger.
func ExampleEstimateC() {
	a, err := games.NewAuction(games.DefaultAuctionParams())
	if err != nil {
		fmt.Println(err)
		return
	}
	g, err := nplayer.NewGame(a, 10)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := nplayer.Symmetric(mfg.UniformPolicy(g.States, g.Actions), g.N)
	est, err := metrics.EstimateC(context.Background(), g, p, metrics.Options{
		InitialStates: 16, Rollouts: 4, Deviators: 3, Seed: 1,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("C = %.3f ± %.3f (K = %d, R = %d, H = %d)\n", est.Value, est.StdErr, est.InitialStates, est.Rollouts, est.Horizon)
	fmt.Printf("a lower bound of the literal C(π): best responses of %s\n", est.Class)
	// Output:
	// C = 8.459 ± 1.253 (K = 16, R = 4, H = 31)
	// a lower bound of the literal C(π): best responses of own budget
}

// ExampleExactC computes C(π) exactly, by enumerating every joint state and joint bid, for two
// bidders of a small auction (3 budgets, 3 bids) who both always bid their whole budget.
func ExampleExactC() {
	a, err := games.NewAuction(games.AuctionParams{
		States: 3, Actions: 3, PlayersPerAuction: 2,
		ConversionValues: []int{1, 2, 3}, FulfillmentValues: []int{0, 1},
		OverbidPenalty: 0.2, Discount: 0.8,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	g, err := nplayer.NewGame(a, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	allIn := mfg.NewPolicy(3, 3)
	for s := range 3 {
		allIn.Row(s)[s] = 1 // at budget s, bid s
	}
	res, err := metrics.ExactC(g, nplayer.Symmetric(allIn, 2), 0.1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("C = %.4f, per bidder %.4f and %.4f\n", res.Value, res.PerBidder[0], res.PerBidder[1])
	fmt.Printf("bidder 0 at budgets (2, 0): V = %.4f, best %.4f\n", res.Policy[0][res.Index([]int{2, 0})], res.Best[0][res.Index([]int{2, 0})])
	// Output:
	// C = 0.1954, per bidder 0.1954 and 0.1954
	// bidder 0 at budgets (2, 0): V = 5.4021, best 5.7576
}

// ExampleExactClassC shows how much of C(π) a best response of the bidder's own budget misses
// when the others' bids depend on their budgets: two bidders of a small auction both bid 1, 1, 2
// at budgets 0, 1, 2. Seeing the other's budget too (3 bins of the others' mean budget, which for
// two bidders is the other's budget) recovers the literal C(π).
func ExampleExactClassC() {
	a, err := games.NewAuction(games.AuctionParams{
		States: 3, Actions: 3, PlayersPerAuction: 2,
		ConversionValues: []int{1, 2, 3}, FulfillmentValues: []int{0, 1},
		OverbidPenalty: 0.2, Discount: 0.8,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	g, err := nplayer.NewGame(a, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	pi := mfg.NewPolicy(3, 3)
	for s, bid := range []int{1, 1, 2} {
		pi.Row(s)[bid] = 1
	}
	p := nplayer.Symmetric(pi, 2)
	literal, err := metrics.ExactC(g, p, 0.1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("literal C = %.4f\n", literal.Value)
	for _, bins := range []int{1, 2, 3} {
		res, err := metrics.ExactClassC(g, p, bins, 0.1)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("best response of %s: C = %.4f\n", metrics.BestResponseClass(bins), res.Value)
	}
	// Output:
	// literal C = 0.1921
	// best response of own budget: C = 0.0192
	// best response of own budget + others' mean budget in 2 bins: C = 0.0837
	// best response of own budget + others' mean budget in 3 bins: C = 0.1921
}
