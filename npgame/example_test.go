package npgame_test

import (
	"context"
	"fmt"
	"log"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
	"meanfield/npgame"
)

// Example solves left-right (a finite-horizon game) by fictitious play, then measures how much one
// agent gains by deviating alone from the mean-field policy in the game of N = 3 agents: exactly,
// by enumerating the 27 joint states, and by Monte Carlo with a learned deviation.
func Example() {
	mf, err := games.New("left-right", nil)
	if err != nil {
		log.Fatal(err)
	}
	res, err := engine.Solve(context.Background(), mf, algorithms.FictitiousPlay{}, engine.Options{Iterations: 50})
	if err != nil {
		log.Fatal(err)
	}
	pi := npgame.Symmetric(npgame.Policy(res.Final().Policy))
	g, err := npgame.New(mf, 3, npgame.Others, 0)
	if err != nil {
		log.Fatal(err)
	}
	ex, err := npgame.NewExact(context.Background(), g, pi, nil)
	if err != nil {
		log.Fatal(err)
	}
	exact, err := ex.Epsilon(context.Background(), 0, 0)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("exact: V(π) = %.4f, gain of the best own-state deviation %.4f, of the best joint-state one %.4f\n",
		exact.Value, exact.OwnGain, exact.JointGain)
	est, err := npgame.EstimateEpsilon(context.Background(), g, pi, npgame.Options{Seed: 1, Episodes: 2000})
	if err != nil {
		log.Fatal(err)
	}
	e := est.Epsilon()
	fmt.Printf("Monte Carlo: V(π) = %.3f ± %.3f, ε = %.3f in [%.3f, %.3f] (95%%)\n", e.Value, e.ValueSE, e.Epsilon, e.Lower, e.Upper)
	// Output:
	// exact: V(π) = -0.6670, gain of the best own-state deviation 0.0101, of the best joint-state one 0.0101
	// Monte Carlo: V(π) = -0.669 ± 0.011, ε = 0.000 in [0.000, 0.012] (95%)
}
