package engine

import (
	"math/rand/v2"
	"testing"
)

// sizedGame is a game of S states and A actions and nothing else, for the checks of policies.
type sizedGame struct{ S, A int }

func (g sizedGame) Name() string { return "sized" }
func (g sizedGame) States() int  { return g.S }
func (g sizedGame) Actions() int { return g.A }

// checkUniform, which skips the rows of the uniform policy, accepts what checkPolicy, which sums
// them, accepts: the uniform policies over every action or the legal ones of random masks, with
// rows of 1 to 2^12 actions (up to 2^12 legal; the bound uniformRowsMost rests on the
// arithmetic, not on this sample), and refuses what it refuses (a game of no actions).
func TestCheckUniformAgreesWithCheckPolicy(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	for trial := range 60 {
		S, A := 1+rng.IntN(4), 1+rng.IntN(1<<(1+trial%12))
		var legal []bool
		if trial%2 == 1 {
			legal = make([]bool, S*A)
			for s := range S {
				legal[s*A+rng.IntN(A)] = true
				for a := range A {
					legal[s*A+a] = legal[s*A+a] || rng.IntN(3) > 0
				}
			}
		}
		p := &Problem{game: sizedGame{S, A}, model: fixedTimes{n: 1 + trial%3}, legal: legal}
		pi := p.Uniform()
		if err := checkPolicy(p, pi); err != nil {
			t.Fatalf("trial %d (S = %d, A = %d): checkPolicy refuses the uniform policy: %v", trial, S, A, err)
		}
		if err := checkUniform(p, pi); err != nil {
			t.Fatalf("trial %d: checkUniform refuses the uniform policy: %v", trial, err)
		}
	}
	p := &Problem{game: sizedGame{3, 0}, model: fixedTimes{n: 2}}
	if err := checkUniform(p, p.Uniform()); err == nil {
		t.Error("checkUniform accepts a game of no actions")
	}
}

// fixedTimes is a model of n time steps, for Problem.Times alone (its other methods are nil's).
type fixedTimes struct {
	model
	n int
}

func (m fixedTimes) times() int { return m.n }
