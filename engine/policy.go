package engine

import (
	"fmt"
	"unsafe"

	"meanfield/mfg"
)

// checkShape checks that pi has one S×A policy for each of its times.
func checkShape(pi []mfg.Policy, S, A, times int) error {
	if len(pi) != times {
		return fmt.Errorf("policy has %d time steps, game has %d", len(pi), times)
	}
	for t, q := range pi {
		if q.States != S || q.Actions != A || len(q.Prob) != S*A {
			return fmt.Errorf("policy at t = %d is %d×%d, game is %d×%d", t, q.States, q.Actions, S, A)
		}
	}
	return nil
}

// checkPolicy checks pi's shape and that every row is a distribution.
func checkPolicy(p *Problem, pi []mfg.Policy) error {
	if err := checkShape(pi, p.game.States(), p.game.Actions(), p.Times()); err != nil {
		return err
	}
	for t, q := range pi {
		if err := q.Validate(); err != nil {
			return fmt.Errorf("policy at t = %d: %w", t, err)
		}
		if s, a, bad := mfg.IllegalMass(q, p.legal); bad {
			return fmt.Errorf("policy at t = %d: π(%d|%d) = %v on an illegal action", t, a, s, q.Prob[s*q.Actions+a])
		}
	}
	return nil
}

// uniformRowsMost is the most actions of a row for which checkUniform takes the rows of the
// uniform policy as distributions without summing them: n copies of fl(1/n), within 2^-53 of 1
// exactly, added with n-1 roundings of at most 2^-53 each (the partial sums are below 2), sum to
// within n·2^-53 ≤ 2^-33 of 1, inside the rows' tolerance (1e-9).
const uniformRowsMost = 1 << 20

// checkUniform is checkPolicy for pi = p.Uniform(), whose rows are distributions by construction
// (1/n on each of n ≥ 1 legal actions, NewProblem having checked that every state has one): the
// shapes, and the rows only where checkPolicy's reading could find something (no states or
// actions, or rows too long for uniformRowsMost). On a large game the rows' pass is a few
// percent of a short solve.
func checkUniform(p *Problem, pi []mfg.Policy) error {
	S, A := p.game.States(), p.game.Actions()
	if S < 1 || A < 1 || A > uniformRowsMost {
		return checkPolicy(p, pi)
	}
	return checkShape(pi, S, A, p.Times())
}

// feasibleAVX reports that isFeasible's kernel runs here (amd64 with AVX).
var feasibleAVX = haveFeasibleAVX()

// isFeasible reports whether every row of π is non-negative and sums to 1 within 1e-12. With AVX,
// four rows at a time (feasibleRows4AVX): in one call over the rows of all times where their
// tables lie one after the other in memory (adjacentTables), as the policies of the engine's
// chunks do (a call per time step costs more than its rows on the smallest games), the last rows
// then time by time; else time by time.
func isFeasible(pi []mfg.Policy) bool {
	if feasibleAVX && adjacentTables(pi) {
		S, A := pi[0].States, pi[0].Actions
		n, groups := S*A, len(pi)*S/4
		// The kernel reads the tables as one run of rows: memory of the policies' own tables,
		// which pi keeps alive, that no Go slice spans.
		if groups > 0 && !feasibleRows4AVX(&pi[0].Prob[0], A, groups, sumLo, sumHi) {
			return false
		}
		done := 4 * A * groups // the values checked, whole rows of the first times
		for t := done / n; t < len(pi); t++ {
			if !feasibleRows(pi[t].Prob[max(0, done-t*n):n], A) {
				return false
			}
		}
		return true
	}
	for t := range pi {
		p := &pi[t] // not a copy of the policy
		if !feasibleRows(p.Prob[:p.States*p.Actions], p.Actions) {
			return false
		}
	}
	return true
}

// adjacentTables reports whether the policies of π all have the same S ≥ 1 rows of A ≥ 1
// actions, each table's values exactly its rows', and each table starts where the one before ends
// in memory (compared as addresses: the tables may be one allocation or adjacent ones).
func adjacentTables(pi []mfg.Policy) bool {
	if len(pi) == 0 {
		return false
	}
	S, A := pi[0].States, pi[0].Actions
	n := S * A
	if S < 1 || A < 1 {
		return false
	}
	next := uintptr(unsafe.Pointer(unsafe.SliceData(pi[0].Prob)))
	for t := range pi {
		p := &pi[t]
		if p.States != S || p.Actions != A || len(p.Prob) != n || uintptr(unsafe.Pointer(unsafe.SliceData(p.Prob))) != next {
			return false
		}
		next += uintptr(8 * n)
	}
	return true
}

// feasibleRows reports whether every row of A entries of prob (whole rows) is non-negative and
// sums to 1 within 1e-12. With AVX, four rows at a time in one call (feasibleRows4AVX), the last
// rows in Go.
func feasibleRows(prob []float64, A int) bool {
	if feasibleAVX && A > 0 && len(prob) >= 4*A {
		groups := len(prob) / (4 * A)
		if !feasibleRows4AVX(&prob[0], A, groups, sumLo, sumHi) {
			return false
		}
		prob = prob[4*A*groups:]
	}
	// Four rows at a time, each summed in its own accumulator and order: one row's additions
	// wait on one another, four rows' overlap.
	for len(prob) >= 4*A {
		r0, r1, r2, r3 := prob[:A], prob[A:2*A], prob[2*A:3*A], prob[3*A:4*A]
		var s0, s1, s2, s3 float64
		for j, x0 := range r0 {
			x1, x2, x3 := r1[j], r2[j], r3[j]
			if x0 < 0 || x1 < 0 || x2 < 0 || x3 < 0 {
				return false
			}
			s0, s1, s2, s3 = s0+x0, s1+x1, s2+x2, s3+x3
		}
		if !sumsToOne(s0) || !sumsToOne(s1) || !sumsToOne(s2) || !sumsToOne(s3) {
			return false
		}
		prob = prob[4*A:]
	}
	// One index over the last rows, as slicing each cost more than its sum on the smallest
	// games.
	for i := 0; i < len(prob); {
		var sum float64
		for end := i + A; i < end; i++ {
			x := prob[i]
			if x < 0 {
				return false
			}
			sum += x
		}
		if !sumsToOne(sum) {
			return false
		}
	}
	return true
}

// sumsToOne reports whether a row's sum is not outside [1-1e-12, 1+1e-12] (NaN is not).
func sumsToOne(sum float64) bool { return !(sum < sumLo || sum > sumHi) }

// sumLo and sumHi bound a feasible row's sum.
const sumLo, sumHi = 1 - 1e-12, 1 + 1e-12

// checkReference checks that a reference mean field (nil for none) has one S×A population per
// time step of p.
func checkReference(p *Problem, ref []mfg.Population) error {
	if ref == nil {
		return nil
	}
	S, A := p.game.States(), p.game.Actions()
	if len(ref) != p.Times() {
		return fmt.Errorf("reference mean field has %d time steps, game has %d", len(ref), p.Times())
	}
	for t, L := range ref {
		if L.States != S || L.Actions != A || len(L.Mass) != S*A {
			return fmt.Errorf("reference population at t = %d is %d×%d, game is %d×%d", t, L.States, L.Actions, S, A)
		}
	}
	return nil
}
