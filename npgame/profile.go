package npgame

import (
	"fmt"

	"meanfield/mfg"
)

// Policy is one agent's policy: a single mfg.Policy played at every round (stationary), or one
// per round t = 0..Times()-1 (a finite-horizon game's time-indexed policy, as the engine's and
// package finite's; a longer one is read up to Times()).
type Policy []mfg.Policy

// Profile is the agents' policies: agent i plays Policies[Of[i]], or Policies[0] for every agent
// when Of is nil (the symmetric profile of a mean-field solution).
type Profile struct {
	Policies []Policy
	Of       []int
}

// Symmetric is the profile in which every agent plays pi.
func Symmetric(pi Policy) Profile { return Profile{Policies: []Policy{pi}} }

// policyOf is the index of agent i's policy.
func (p Profile) policyOf(i int) int {
	if p.Of == nil {
		return 0
	}
	return p.Of[i]
}

// validate checks the profile's shapes and rows against g.
func (p Profile) validate(g *Game) error {
	if len(p.Policies) == 0 {
		return fmt.Errorf("profile: no policy")
	}
	if p.Of != nil && len(p.Of) != g.N {
		return fmt.Errorf("profile: Of has %d entries, want players = %d", len(p.Of), g.N)
	}
	for i, k := range p.Of {
		if k < 0 || k >= len(p.Policies) {
			return fmt.Errorf("profile: agent %d plays policy %d: out of range [0, %d)", i, k, len(p.Policies))
		}
	}
	for k, pi := range p.Policies {
		if len(pi) != 1 && len(pi) < g.times {
			return fmt.Errorf("profile: policy %d has %d time steps: want 1 (stationary) or at least %d", k, len(pi), g.times)
		}
		for t, q := range pi {
			if q.States != g.S || q.Actions != g.A {
				return fmt.Errorf("profile: policy %d at t = %d is %d×%d, game is %d×%d", k, t, q.States, q.Actions, g.S, g.A)
			}
			if err := q.Validate(); err != nil {
				return fmt.Errorf("profile: policy %d at t = %d: %w", k, t, err)
			}
		}
	}
	return nil
}

// at is policy pi's table at round t.
func (pi Policy) at(t int) mfg.Policy {
	if len(pi) == 1 {
		return pi[0]
	}
	return pi[t]
}

// cumulative is a policy's rows as cumulative thresholds on 32-bit uniforms, per round:
// th[t][s*A+a] = ⌊2^32 Σ_{b≤a} π_t(b|s)⌋, the last of a row set to 2^32 so that every draw lands.
type cumulative [][]uint64

func compile(pi Policy, times, A int) cumulative {
	n := len(pi)
	if n > times {
		n = times
	}
	c := make(cumulative, n)
	for t := range c {
		q := pi[t]
		row := make([]uint64, len(q.Prob))
		for s := 0; s < q.States; s++ {
			var sum float64
			for a := 0; a < A; a++ {
				sum += q.Prob[s*A+a]
				row[s*A+a] = uint64(min(sum, 1) * (1 << 32))
			}
			// The last action of positive probability takes the rounding's remainder.
			last := A - 1
			for last > 0 && q.Prob[s*A+last] == 0 {
				last--
			}
			for a := last; a < A; a++ {
				row[s*A+a] = 1 << 32
			}
		}
		c[t] = row
	}
	return c
}

// round is the thresholds of round t (the only ones of a stationary policy).
func (c cumulative) round(t int) []uint64 {
	if len(c) == 1 {
		return c[0]
	}
	return c[t]
}

// draw returns the first action whose threshold is above the 32-bit uniform u: the number of
// thresholds at or below u, the thresholds being non-decreasing and the last 2^32 (counted without
// branches, which the random u would mispredict).
func draw(row []uint64, u uint64) int {
	// Rows of up to four entries, most of them, are counted unrolled: the loop's exit, at a
	// length that varies from row to row, would be mispredicted.
	switch len(row) {
	case 1:
		return 0
	case 2:
		return above(u, row[0])
	case 3:
		return above(u, row[0]) + above(u, row[1])
	case 4:
		return above(u, row[0]) + above(u, row[1]) + above(u, row[2])
	}
	a := 0
	for _, th := range row[:len(row)-1] {
		a += above(u, th)
	}
	return a
}

// above is 1 when u >= th, else 0, without a branch.
func above(u, th uint64) int {
	if u >= th {
		return 1
	}
	return 0
}
