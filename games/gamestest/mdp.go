package gamestest

import (
	"fmt"
	"math"
	"math/rand/v2"

	"meanfield/mfg"
)

// distribution checks that p, named what, has n finite non-negative entries summing to 1 within
// tolerance, and reports whether it does.
func (c *checker) distribution(what string, p []float64, n int) bool {
	if len(p) != n {
		c.errorf("", "%s has %d entries, want %d", what, len(p), n)
		return false
	}
	r := &report{c: c}
	var sum float64
	for i, x := range p {
		if !isFinite(x) || x < 0 {
			r.add("%s[%d] = %v: must be finite and non-negative", what, i, x)
		}
		sum += x
	}
	if !(math.Abs(sum-1) <= tolerance) {
		r.add("%s sums to %.12g, want 1", what, sum)
	}
	r.close()
	return r.n == 0
}

// mdp checks m against the game's sizes: finite rewards and, when rows is set, transition rows
// that are distributions over [0, S). It reports whether m passed.
func (c *checker) mdp(where string, m *mfg.MDP, rows bool) bool {
	c.in(Shapes)
	if m.States != c.S || m.Actions != c.A {
		c.errorf(where, "States × Actions = %d×%d, want the game's %d×%d", m.States, m.Actions, c.S, c.A)
		return false
	}
	n := c.S * c.A
	if len(m.Reward) != n {
		c.errorf(where, "len(Reward) = %d, want S·A = %d", len(m.Reward), n)
		return false
	}
	c.in(Rewards)
	rr := &report{c: c, where: where}
	for i, x := range m.Reward {
		if !isFinite(x) {
			rr.add("r(s=%d, a=%d) = %v: must be finite", i/c.A, i%c.A, x)
		}
	}
	rr.close()
	if !rows {
		return rr.n == 0
	}
	c.in(Shapes)
	if !c.layout(where, m) {
		return false
	}
	c.in(Rows)
	r := &report{c: c, where: where}
	for i := 0; i < n; i++ {
		c.row(r, m, i)
	}
	r.close()
	return r.n == 0 && rr.n == 0
}

// layout checks the compressed-row structure of m's transitions.
func (c *checker) layout(where string, m *mfg.MDP) bool {
	n := c.S * c.A
	switch {
	case len(m.RowStart) != n+1:
		c.errorf(where, "len(RowStart) = %d, want S·A+1 = %d", len(m.RowStart), n+1)
	case len(m.Next) != len(m.Prob):
		c.errorf(where, "len(Next) = %d but len(Prob) = %d", len(m.Next), len(m.Prob))
	case m.RowStart[0] != 0:
		c.errorf(where, "RowStart[0] = %d, want 0", m.RowStart[0])
	case m.RowStart[n] != len(m.Next):
		c.errorf(where, "RowStart[S·A] = %d, want len(Next) = %d", m.RowStart[n], len(m.Next))
	default:
		for i := 0; i < n; i++ {
			if m.RowStart[i] > m.RowStart[i+1] {
				c.errorf(where, "RowStart[%d] = %d > RowStart[%d] = %d: rows must not overlap", i, m.RowStart[i], i+1, m.RowStart[i+1])
				return false
			}
		}
		return true
	}
	return false
}

// row checks the transition row of pair i: successors in range, probabilities finite and
// non-negative, summing to 1.
func (c *checker) row(r *report, m *mfg.MDP, i int) {
	s, a := i/c.A, i%c.A
	var sum float64
	for k := m.RowStart[i]; k < m.RowStart[i+1]; k++ {
		sp, p := m.Next[k], m.Prob[k]
		if sp < 0 || sp >= c.S {
			r.add("P(·|s=%d, a=%d) lists next state %d, out of range [0, %d)", s, a, sp, c.S)
		}
		if !isFinite(p) || p < 0 {
			r.add("P(%d|s=%d, a=%d) = %v: must be finite and non-negative", sp, s, a, p)
		}
		sum += p
	}
	if !(math.Abs(sum-1) <= tolerance) {
		r.add("P(·|s=%d, a=%d) sums to %.12g, want 1", s, a, sum)
	}
}

// sameMDP reports the first difference between want and got (compared bit for bit), or "".
func sameMDP(want, got *mfg.MDP) string {
	switch {
	case want.States != got.States || want.Actions != got.Actions:
		return fmt.Sprintf("sizes %d×%d, then %d×%d", want.States, want.Actions, got.States, got.Actions)
	case want.Discount != got.Discount:
		return fmt.Sprintf("Discount %v, then %v", want.Discount, got.Discount)
	}
	if len(want.Reward) != len(got.Reward) {
		return fmt.Sprintf("%d rewards, then %d", len(want.Reward), len(got.Reward))
	}
	for i, r := range want.Reward {
		if math.Float64bits(r) != math.Float64bits(got.Reward[i]) {
			return fmt.Sprintf("r(s=%d, a=%d) = %v, then %v", i/want.Actions, i%want.Actions, r, got.Reward[i])
		}
	}
	if d := firstIntDiff(want.RowStart, got.RowStart); d != "" {
		return "RowStart" + d
	}
	if d := firstIntDiff(want.Next, got.Next); d != "" {
		return "Next" + d
	}
	if d := firstDiff(want.Prob, got.Prob); d != "" {
		return "Prob" + d
	}
	return ""
}

// firstDiff describes the first entry where x and y differ bit for bit, or returns "".
func firstDiff(x, y []float64) string {
	if len(x) != len(y) {
		return fmt.Sprintf(" has %d entries, then %d", len(x), len(y))
	}
	for i := range x {
		if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
			return fmt.Sprintf("[%d] = %v, then %v", i, x[i], y[i])
		}
	}
	return ""
}

// firstIntDiff describes the first entry where x and y differ, or returns "".
func firstIntDiff(x, y []int) string {
	if len(x) != len(y) {
		return fmt.Sprintf(" has %d entries, then %d", len(x), len(y))
	}
	for i := range x {
		if x[i] != y[i] {
			return fmt.Sprintf("[%d] = %d, then %d", i, x[i], y[i])
		}
	}
	return ""
}

// unchanged reports (unless quiet) a call that wrote into the population's mass, restores it,
// and returns false; it returns true when the mass is unchanged.
func (c *checker) unchanged(where, call string, before []float64, L mfg.Population, quiet bool) bool {
	for i := range before {
		if math.Float64bits(before[i]) == math.Float64bits(L.Mass[i]) {
			continue
		}
		if !quiet {
			c.errorf(where, "%s modified L: L(s=%d, a=%d) was %v, is %v after the call (L is read-only)",
				call, i/L.Actions, i%L.Actions, before[i], L.Mass[i])
		}
		copy(L.Mass, before)
		return false
	}
	return true
}

// randomPopulation draws L from the flat Dirichlet(1) distribution on S×A: independent Exp(1)
// weights, normalised.
func randomPopulation(rng *rand.Rand, S, A int) mfg.Population {
	L := mfg.NewPopulation(S, A)
	var total float64
	for i := range L.Mass {
		L.Mass[i] = rng.ExpFloat64()
		total += L.Mass[i]
	}
	for i := range L.Mass {
		L.Mass[i] /= total
	}
	return L
}
