package finite_test

import (
	"fmt"
	"log"

	"meanfield/finite"
	"meanfield/games"
	"meanfield/mfg"
)

// ExampleExploitability computes, on a small finite-horizon game (MFGLib's beach bar: 4
// positions, the bar at 2, horizon T = 2), the mean field of the uniform policy, whose state
// marginal at t = 0 is the initial distribution μ0, and the exploitability of that policy; the
// greedy best response to the uniform policy's mean field is then scored the same way, at its
// own mean field (which is why it is not 0).
func ExampleExploitability() {
	g, err := games.New("beach-bar", nil)
	if err != nil {
		log.Fatal(err)
	}
	f := g.(mfg.Finite)
	pi := finite.Uniform(f)
	L, _, err := finite.MeanFieldOf(f, pi)
	if err != nil {
		log.Fatal(err)
	}
	for t, Lt := range L {
		fmt.Printf("mu_%d = %.4f\n", t, Lt.StateMarginal(nil))
	}
	e, err := finite.Exploitability(f, pi)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("exploitability of the uniform policy: %.4f\n", e)

	br, err := finite.BestResponse(f, L)
	if err != nil {
		log.Fatal(err)
	}
	e, err = finite.Exploitability(f, br)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("exploitability of its best response:  %.4f\n", e)
	// Output:
	// mu_0 = [0.2500 0.2500 0.2500 0.2500]
	// mu_1 = [0.2708 0.2292 0.2292 0.2708]
	// mu_2 = [0.2760 0.2240 0.2240 0.2760]
	// exploitability of the uniform policy: 1.2213
	// exploitability of its best response:  1.0259
}
