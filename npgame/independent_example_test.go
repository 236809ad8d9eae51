package npgame_test

import (
	"context"
	"fmt"
	"log"

	"meanfield/games"
	"meanfield/npgame"
)

// ExampleTrainIndependent trains 3 independent learners in the 3-player left-right game, each
// its own Q over (time, own state, own action), and measures the ε of the profile they deploy.
// Two of them end up going right: each pays 2 × 1/2 (the share of the others on the right) where
// going left would cost 1/2, so the profile is not an equilibrium and ε = 1/2 exactly (with no
// noise: the moves are deterministic); the one going left pays 0.
func ExampleTrainIndependent() {
	mf, err := games.New("left-right", nil)
	if err != nil {
		log.Fatal(err)
	}
	g, err := npgame.New(mf, 3, npgame.Others, 0)
	if err != nil {
		log.Fatal(err)
	}
	p, err := npgame.TrainIndependent(context.Background(), g, npgame.ILOptions{Episodes: 500, Seed: 1}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d agents, %d distinct deployed policies\n", len(p.Of), len(p.Policies))
	for i, k := range p.Of {
		fmt.Printf("agent %d at t = 0 in the centre: left %.1f, right %.1f\n", i, p.Policies[k][0].Row(0)[0], p.Policies[k][0].Row(0)[1])
	}
	est, err := npgame.EstimateEpsilon(context.Background(), g, p, npgame.Options{Seed: 2, Episodes: 2000})
	if err != nil {
		log.Fatal(err)
	}
	e := est.Epsilon()
	fmt.Printf("ε = %.3f in [%.3f, %.3f] (95%%), the largest of %d agents' estimates\n", e.Epsilon, e.Lower, e.Upper, len(est.Estimates))
	// Output:
	// 3 agents, 3 distinct deployed policies
	// agent 0 at t = 0 in the centre: left 0.0, right 1.0
	// agent 1 at t = 0 in the centre: left 1.0, right 0.0
	// agent 2 at t = 0 in the centre: left 0.0, right 1.0
	// ε = 0.500 in [0.500, 0.500] (95%), the largest of 3 agents' estimates
}
