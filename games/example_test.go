package games_test

import (
	"fmt"
	"log"
	"slices"

	"meanfield/games"
	"meanfield/mfg"
)

// ExampleNew builds a registered game by name with one parameter changed from its defaults (the
// beach bar on 6 positions instead of 4), finds its kind by type assertion and prints its shapes
// and horizon; a parameter the game does not have is refused.
func ExampleNew() {
	g, err := games.New("beach-bar", map[string]any{"n": 6})
	if err != nil {
		log.Fatal(err)
	}
	if f, ok := g.(mfg.Finite); ok {
		fmt.Println(f.Name(), "is finite-horizon")
		fmt.Println("states:", f.States(), "shape", f.StateShape())
		fmt.Println("actions:", f.Actions(), "shape", f.ActionShape())
		fmt.Println("horizon T:", f.Horizon())
		fmt.Printf("mu0: %.4f\n", f.InitialStates())
	}

	a, err := games.New("auction", nil)
	if err != nil {
		log.Fatal(err)
	}
	if s, ok := a.(mfg.Stationary); ok {
		fmt.Printf("%s is stationary: %d states, %d actions, discount %.2f\n", s.Name(), s.States(), s.Actions(), s.Discount())
	}

	_, err = games.New("auction", map[string]any{"n": 6})
	fmt.Println(err)
	// Output:
	// beach-bar is finite-horizon
	// states: 6 shape [6]
	// actions: 3 shape [3]
	// horizon T: 2
	// mu0: [0.1667 0.1667 0.1667 0.1667 0.1667 0.1667]
	// auction is stationary: 10 states, 10 actions, discount 0.80
	// auction: parameter "n" is unknown (known: states, actions, players-per-auction, conversion-values, conversion-probs, overbid-penalty, fulfillment-values, fulfillment-probs, discount)
}

// ExampleLookup reads a registered game's entry: its description, reference and parameters with
// their defaults (games.Names lists every registered game).
func ExampleLookup() {
	e, ok := games.Lookup("left-right")
	fmt.Println(ok, e.Description)
	fmt.Println("reference:", e.Reference)
	fmt.Println("parameters:", games.ParamNames(e.Defaults()))
	fmt.Println("registered:", slices.Contains(games.Names(), "left-right"))
	// Output:
	// true choose left or right; pay the share who chose the same side, twice on the right
	// reference: Cui and Koeppl 2021; MFGLib 0.3.0 left_right
	// parameters: [mu0]
	// registered: true
}
