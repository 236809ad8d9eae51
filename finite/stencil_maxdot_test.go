package finite

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"meanfield/mfg"
)

// The backward pass computing V_t block by block with Q*_t and Q^π_t (expectBothMaxDot, and lastQ
// at T on tables of copyMaxDotValues values or more) gives the
// Q-functions of the pass that computes V_t afterwards, bit for bit: every table of Q* and Q^π
// (one table of Q^π where first is set), on crowd motion's moves (rows through W) on grids of
// several shapes, rewards special one time in eight, stages with and without a mask of legal
// actions (which keeps the pass apart), from slabs holding other values.
func TestExpectBothMaxDotBitForBit(t *testing.T) {
	defer func(f bool) { fuseMaxDot = f }(fuseMaxDot)
	rng := rand.New(rand.NewPCG(51, 52))
	moves := [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {0, 0}}
	for _, shape := range [][2]int{{6, 6}, {9, 13}, {20, 20}, {37, 11}, {30, 31}} {
		m := gridMoves(t, shape[0], shape[1], moves, [5]float64{0.125, 0.125, 0.125, 0.125, 0.5})
		if stencilAVX && rowsAVX && (planOf(m.Stencil).shift == nil || planOf(m.Stencil).shift.maxDot == nil) {
			t.Fatalf("%v: no rows through W", shape)
		}
		S, A := m.States, m.Actions
		for _, T := range []int{1, 2, 4} {
			for _, masked := range []bool{false, true} {
				stages := make([]*mfg.MDP, T+1)
				for tt := range stages {
					st := *m
					st.Reward = make([]float64, S*A)
					for i := range st.Reward {
						st.Reward[i] = rng.NormFloat64()
						if rng.IntN(8) == 0 {
							st.Reward[i] = specialValue(rng)
						}
					}
					if masked && tt == 1 {
						st.Legal = make([]bool, S*A)
						for i := range st.Legal {
							st.Legal[i] = i%A != 0 || i%7 == 0
						}
					}
					stages[tt] = &st
				}
				pi := randomPolicy(rng, T, S, A)
				where := fmt.Sprintf("%v, T = %d, mask %v", shape, T, masked)
				for _, first := range []bool{false, true} {
					fuseMaxDot = false
					ws, wp := qFunctionsOnStale(stages, pi, first, rng)
					fuseMaxDot = true
					gs, gp := qFunctionsOnStale(stages, pi, first, rng)
					for tt := range ws {
						if i := firstDifference(gs[tt], ws[tt]); i >= 0 {
							t.Fatalf("%s, first %v: Q*_%d differs at entry %d", where, first, tt, i)
						}
					}
					for tt := range wp { // Q^π_0 alone where first is set
						if i := firstDifference(gp[tt], wp[tt]); i >= 0 {
							t.Fatalf("%s, first %v: Q^π_%d differs at entry %d", where, first, tt, i)
						}
					}
				}
			}
		}
	}
}

// qFunctionsOnStale is optimalAndPolicyQ's Q* and Q^π (copies) from slabs filled with random values
// beforehand, so that a value read before it is written shows.
func qFunctionsOnStale(stages []*mfg.MDP, pi Policy, first bool, rng *rand.Rand) (qs, qp [][]float64) {
	n := QSize(stages)
	qsSlab, qpSlab := make([]float64, n), make([]float64, n)
	for i := range qsSlab {
		qsSlab[i], qpSlab[i] = rng.NormFloat64(), rng.NormFloat64()
	}
	s, p := optimalAndPolicyQ(stages, pi, qsSlab, qpSlab, nil, nil, first)
	for tt := range s {
		qs = append(qs, append([]float64(nil), s[tt]...))
		if !first || tt == 0 {
			qp = append(qp, append([]float64(nil), p[tt]...))
		}
	}
	return qs, qp
}

// A plan runs every job of the shift rows once, and computes every state once, after the last job
// writing one of its rows, the states in order.
func TestMaxDotPlanCoversStates(t *testing.T) {
	moves := [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {0, 0}}
	for _, shape := range [][2]int{{6, 6}, {9, 13}, {40, 40}, {37, 11}} {
		m := gridMoves(t, shape[0], shape[1], moves, [5]float64{0.125, 0.125, 0.125, 0.125, 0.5})
		sh := newPlan(m.Stencil).shift
		if sh == nil {
			t.Fatalf("%v: no rows through W", shape)
		}
		md := sh.maxDot
		if len(md.jobs) != len(sh.rows) {
			t.Fatalf("%v: %d jobs, want the %d of the shift rows", shape, len(md.jobs), len(sh.rows))
		}
		for _, job := range sh.rows {
			n := 0
			for _, j := range md.jobs {
				if j == job {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("%v: a job of the shift rows is %d times in the plan's", shape, n)
			}
		}
		S := m.States
		jobsBefore := make([]int, S) // the jobs run before the state is computed
		next, ran := md.first.lo, md.early
		spans := append([]maxDotGroup{{hi: md.early, span: md.first}}, md.groups...)
		for _, g := range spans {
			if g.span.lo != next || g.span.hi < g.span.lo || g.hi < ran {
				t.Fatalf("%v: span %v after %d jobs follows %d states and %d jobs", shape, g.span, g.hi, next, ran)
			}
			for s := g.span.lo; s < g.span.hi; s++ {
				jobsBefore[s] = g.hi
			}
			next, ran = g.span.hi, g.hi
		}
		if next != S || ran != len(md.jobs) {
			t.Fatalf("%v: the spans end at state %d after %d jobs, want %d and %d", shape, next, ran, S, len(md.jobs))
		}
		for j, job := range md.jobs {
			forStates(job, func(s int) {
				if j >= jobsBefore[s] {
					t.Fatalf("%v: state %d computed after %d jobs, before job %d, which writes one of its rows", shape, s, jobsBefore[s], j)
				}
			})
		}
	}
}
