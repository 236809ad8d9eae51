package nplayer_test

import (
	"context"
	"fmt"

	"meanfield/games"
	"meanfield/nplayer"
)

// ExampleTrainIL trains 10 independent Q-learners in the N-player default auction and, at two
// checkpoints, reports the bid that the deployed profile (argmax-e of each learner's Q-table)
// places at the highest budget, averaged over the bidders.
func ExampleTrainIL() {
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
	opt := nplayer.TrainOptions{Rounds: 20000, BoltzmannC: 4, StepExponent: 0.87, Bins: 1, Checkpoints: 2, Seed: 1}
	err = nplayer.TrainIL(context.Background(), g, opt, func(round int, p *nplayer.Profile) error {
		var mean float64
		for _, b := range p.Bidders {
			for bid, q := range b.Row(0, g.States-1) {
				mean += q * float64(bid)
			}
		}
		fmt.Printf("round %d: mean bid at budget %d: %.2f\n", round, g.States-1, mean/float64(g.N))
		return nil
	})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// round 10000: mean bid at budget 9: 5.90
	// round 20000: mean bid at budget 9: 5.70
}
