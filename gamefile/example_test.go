package gamefile_test

import (
	"fmt"

	"meanfield/gamefile"
	"meanfield/mfg"
)

// LoadSource reads a two-state game from a file's contents and evaluates its first stage.
func ExampleLoadSource() {
	src := []byte(`
params = {"cost": 0.5}

def reward(p, t, s, a, mf):
    return -p["cost"] * a - mf.mu[s]       # moving costs, crowds repel

def transition(p, t, s, a, mf):
    return {(s + a) % 2: 1.0}              # action 1 switches state

game = finite(horizon = 1, states = 2, actions = 2, reward = reward, transition = transition)
`)
	g, err := gamefile.LoadSource("switch.star", src, map[string]any{"cost": 0.25})
	if err != nil {
		fmt.Println(err)
		return
	}
	f := g.(mfg.Finite)
	st, err := f.Stage(0, mfg.UniformPopulation(2, 2))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(g.Name(), f.Horizon(), st.Reward)
	next, prob := st.Successors(0, 1)
	fmt.Println(next, prob)

	_, err = gamefile.LoadSource("switch.star", src, map[string]any{"cost": "high"})
	fmt.Println(err)
	// Output:
	// switch 1 [-0.5 -0.75 -0.5 -0.75]
	// [1] [1]
	// switch.star:2:11: parameter cost = high: want a number (the default is 0.5)
}
