package games

import (
	"fmt"

	"meanfield/mfg"
)

// MyLeftRightParams are the parameters of my-left-right.
type MyLeftRightParams struct {
	RightCost float64 `yaml:"right-cost" help:"cost per unit of population share on the right side"`
}

// Validate names a parameter out of range.
func (p MyLeftRightParams) Validate() error {
	if !(p.RightCost >= 0) {
		return fmt.Errorf("right-cost = %v: must be non-negative", p.RightCost)
	}
	return nil
}

// MyLeftRight is left-right with the cost of the right side as a parameter: horizon T = 1,
// states (center, left, right), actions (left, right); action a moves to state 1+a from any
// state. An agent on the left pays μ_t(left), on the right RightCost·μ_t(right).
type MyLeftRight struct{ p MyLeftRightParams }

func (g *MyLeftRight) Name() string             { return "my-left-right" }
func (g *MyLeftRight) States() int              { return 3 }
func (g *MyLeftRight) Actions() int             { return 2 }
func (g *MyLeftRight) Horizon() int             { return 1 }
func (g *MyLeftRight) StateShape() []int        { return []int{3} }
func (g *MyLeftRight) ActionShape() []int       { return []int{2} }
func (g *MyLeftRight) InitialStates() []float64 { return []float64{1, 0, 0} }

// Stage returns r(t, s, a, L_t) = -cost(s) and the moves.
func (g *MyLeftRight) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	mu := L.StateMarginal(nil)
	cost := []float64{0, mu[1], g.p.RightCost * mu[2]}
	b := mfg.NewMDPBuilder(3, 2, 0)
	for s := 0; s < 3; s++ {
		for a := 0; a < 2; a++ {
			b.MDP.Reward[s*2+a] = -cost[s]
			b.Add(1+a, 1)
			b.EndRow()
		}
	}
	return b.BuildStage()
}

func init() {
	Register("my-left-right", "left-right with the right side's cost as a parameter", "the README's Extending section",
		func() MyLeftRightParams { return MyLeftRightParams{RightCost: 2} },
		func(p MyLeftRightParams) (*MyLeftRight, error) { return &MyLeftRight{p: p}, nil })
}
