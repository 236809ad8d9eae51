package nplayer

import (
	"fmt"

	"meanfield/mfg"
	"meanfield/rl"
)

// BidderPolicy is one bidder's policy: a bid distribution per (context, own budget), stored
// Prob[(ctx*States+s)*Actions+a]. A stationary policy has one context; an MF-Q policy has one per
// bin of the previous round's mean bid of the others.
type BidderPolicy struct {
	States, Actions, Contexts int
	Prob                      []float64
}

// Row returns the bid distribution at context ctx and budget s.
func (b BidderPolicy) Row(ctx, s int) []float64 {
	if b.Contexts == 1 {
		ctx = 0
	}
	i := (ctx*b.States + s) * b.Actions
	return b.Prob[i : i+b.Actions]
}

// Stationary reports whether the policy ignores the context.
func (b BidderPolicy) Stationary() bool { return b.Contexts == 1 }

// FromPolicy wraps a stationary policy of own budget.
func FromPolicy(pi mfg.Policy) BidderPolicy {
	return BidderPolicy{States: pi.States, Actions: pi.Actions, Contexts: 1, Prob: append([]float64(nil), pi.Prob...)}
}

// Profile is every bidder's policy, with the number of mean-bid bins contextual policies use.
type Profile struct {
	Bidders []BidderPolicy
	Bins    int
}

// Symmetric is the profile in which all n bidders play pi (as with GMF-Q's mean-field policy).
func Symmetric(pi mfg.Policy, n int) *Profile {
	b := FromPolicy(pi)
	p := &Profile{Bidders: make([]BidderPolicy, n), Bins: 1}
	for i := range p.Bidders {
		p.Bidders[i] = b
	}
	return p
}

// Stationary reports whether every bidder's policy ignores the context.
func (p *Profile) Stationary() bool {
	for _, b := range p.Bidders {
		if !b.Stationary() {
			return false
		}
	}
	return true
}

// Validate checks the profile against the game: one policy per bidder, right sizes, rows that
// are distributions.
func (p *Profile) Validate(g *Game) error {
	if len(p.Bidders) != g.N {
		return fmt.Errorf("profile has %d bidders, game has players = %d", len(p.Bidders), g.N)
	}
	for i, b := range p.Bidders {
		if b.States != g.States || b.Actions != g.Actions || b.Contexts < 1 || len(b.Prob) != b.Contexts*b.States*b.Actions {
			return fmt.Errorf("bidder %d: policy is %d contexts × %d×%d, game is %d×%d", i, b.Contexts, b.States, b.Actions, g.States, g.Actions)
		}
		if b.Contexts > 1 && b.Contexts != p.Bins {
			return fmt.Errorf("bidder %d: %d contexts but the profile has %d mean-bid bins", i, b.Contexts, p.Bins)
		}
		for c := 0; c < b.Contexts; c++ {
			for s := 0; s < b.States; s++ {
				if err := mfg.CheckDistribution(fmt.Sprintf("bidder %d policy at context %d, budget %d", i, c, s), b.Row(c, s)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Deploy is the map from a learned Q-table to the policy a bidder deploys.
type Deploy struct {
	// Softmax, when true, deploys softmax_C(Q); otherwise argmax-e(Q) (the default).
	Softmax bool
	C       float64
}

// Policy applies the map to a table of rows of length actions.
func (d Deploy) Policy(q []float64, rows, actions int) []float64 {
	out := make([]float64, rows*actions)
	for r := 0; r < rows; r++ {
		row, dst := q[r*actions:(r+1)*actions], out[r*actions:(r+1)*actions]
		if d.Softmax {
			rl.Softmax(dst, row, d.C)
		} else {
			rl.ArgmaxE(dst, row)
		}
	}
	return out
}
