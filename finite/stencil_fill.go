package finite

import (
	"slices"

	"meanfield/mfg"
)

// A mean field's step from L_t to L_{t+1} on moves with a stencil reads L_t twice after fill has
// written it: the stage's rewards, then gatherByAction's copy by action. Where the next stage's
// moves are the same stencil (fixed moves, crowd motion's), fill writes that copy itself, from
// the same products (fillByAction): at 200×200 cells a pass less over a table of 1.6 MB per time
// step, which no longer fits in the caches.

// fillByActionAVX reports that fillByAction5AVX runs here, with the bits of fillByActionGo.
var fillByActionAVX = stencilAVX && probeFillByAction()

// fillByActionGo sets dst[s·A + a] = μ(s)·π(a|s) (prob[s·A + a]), as fillGo does, and
// lt[a·S + s] = the same product, for s < S = len(mu) and a < A: L_{t+1} by state and by action.
func fillByActionGo(dst, lt, mu, prob []float64, A int) {
	S := len(mu)
	dst, prob, lt = dst[:S*A], prob[:S*A], lt[:S*A]
	for s, m := range mu {
		for a := range A {
			v := m * prob[s*A+a]
			dst[s*A+a], lt[a*S+s] = v, v
		}
	}
}

// fillByAction is fillByActionGo, four states at a time with AVX for five actions
// (fillByAction5AVX), the last states in Go.
func fillByAction(dst, lt, mu, prob []float64, A int) {
	S := len(mu)
	dst, prob, lt = dst[:S*A], prob[:S*A], lt[:S*A] // the kernel's every index, checked
	k := 0
	if A == 5 && fillByActionAVX {
		if k = S &^ 3; k > 0 {
			fillByAction5AVX(dst, lt, mu, prob, S, k)
		}
	}
	for s := k; s < S; s++ {
		m := mu[s]
		for a := range A {
			v := m * prob[s*A+a]
			dst[s*A+a], lt[a*S+s] = v, v
		}
	}
}

// probeFillByAction reports whether fillByAction5AVX gives fillByActionGo's bits on products
// that round, rows of a state count not a multiple of 4 left to Go.
func probeFillByAction() bool {
	const S, A = 9, 5
	mu, prob := make([]float64, S), make([]float64, S*A)
	for i := range mu {
		mu[i] = 1 / float64(i+3)
	}
	for i := range prob {
		prob[i] = 0.1 + float64(i%7)/11
	}
	got, gotT := make([]float64, S*A), make([]float64, S*A)
	want, wantT := make([]float64, S*A), make([]float64, S*A)
	fillByAction5AVX(got, gotT, mu, prob, S, 8)
	fillByActionGo(want[:8*A], wantT, mu[:8], prob[:8*A], A) // lt by action of S = 8 states
	// The kernel's columns are S = 9 apart: compare its 8 states of each.
	for a := range A {
		if !slices.EqualFunc(gotT[a*S:a*S+8], wantT[a*8:(a+1)*8], sameBits) {
			return false
		}
	}
	return slices.EqualFunc(got[:8*A], want[:8*A], sameBits)
}

// gatherNext carries L_{t+1} by action from a mean field's step to the next (see above): lt is
// the copy, valid for moves described by stencil when set, in memory of byActionPool's.
type gatherNext struct {
	stencil *mfg.Stencil
	lt      []float64
	buf     *[]float64
}

// nextStates is nextStatesOf(m, L, next, layout), bit for bit, from the copy by action of L that
// fill made when m's moves are the stencil it was made for.
func (g *gatherNext) nextStates(m *mfg.MDP, L mfg.Population, next []float64, layout *rowLayout) {
	lt := g.lt
	g.lt = nil // for L alone
	if lt == nil || m.Stencil != g.stencil || !m.Stencil.Describes(m) {
		nextStatesOf(m, L, next, layout)
		return
	}
	plan := planOf(m.Stencil)
	if len(plan.inflows) > 0 {
		gatherJobsAVX(&lt[0], &next[0], &plan.inflows[0], len(plan.inflows))
	}
}

// fill is fill(dst, mu, prob, A), which writes L_{t+1}, and its copy by action too when m's moves,
// those of L_t, have a stencil whose gatherByAction would make it (the next stage's moves are
// checked to be the same in nextStates).
func (g *gatherNext) fill(m *mfg.MDP, dst, mu, prob []float64, A int) {
	S := len(mu)
	st := m.Stencil
	if st == nil || !stencilAVX || !st.Describes(m) || len(dst) != S*A {
		fill(dst, mu, prob, A)
		return
	}
	if plan := planOf(st); !plan.gathers || S != plan.states || A != plan.actions {
		fill(dst, mu, prob, A)
		return
	}
	if g.buf == nil {
		g.buf = byActionPool.Get().(*[]float64)
	}
	if cap(*g.buf) < S*A {
		*g.buf = make([]float64, S*A)
	}
	g.stencil, g.lt = st, (*g.buf)[:S*A]
	fillByAction(dst, g.lt, mu, prob, A)
}

// release hands the copy's memory back to byActionPool.
func (g *gatherNext) release() {
	if g.buf != nil {
		byActionPool.Put(g.buf)
		g.buf, g.lt = nil, nil
	}
}
