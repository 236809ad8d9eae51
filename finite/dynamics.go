package finite

import (
	"fmt"
	"math"
	"runtime"
	"slices"

	"meanfield/internal/parallel"
	"meanfield/mfg"
	"meanfield/rl"
)

// MeanFieldOf returns the mean field of π and the stages at it (stage t computed at L_t).
func MeanFieldOf(g Game, pi Policy) (MeanField, []*mfg.MDP, error) {
	return meanFieldOf(g, pi, true, nil)
}

// MeanFieldAlone returns the mean field of π, as MeanFieldOf, without the stages: stage T, which
// no step of the mean field reads, is not computed, and a game with mfg.FixedMoves gives its
// transitions without rewards.
func MeanFieldAlone(g Game, pi Policy) (MeanField, error) {
	L, _, err := meanFieldOf(g, pi, false, nil)
	return L, err
}

// meanFieldOf is MeanFieldOf, with stage T and the rewards computed only when last is set (the
// stages returned are then nil). When mem is not nil, the stages live in its memory (last) or
// the mean field does (not last).
func meanFieldOf(g Game, pi Policy, last bool, mem *Memory) (MeanField, []*mfg.MDP, error) {
	T := g.Horizon()
	S, A := Dims(g)
	if len(pi) != T+1 {
		return nil, nil, fmt.Errorf("policy has %d time steps, want T+1 = %d", len(pi), T+1)
	}
	L, next, stages, write := mem.forMeanField(T+1, S, A, last)
	legal := mfg.LegalMask(g) // read once: a type assertion per stage costs games of many stages
	mu0 := g.InitialStates()
	if len(mu0) != S {
		return nil, nil, fmt.Errorf("%s: mu0 has %d entries, want %d states", g.Name(), len(mu0), S)
	}
	fill(L[0].Mass, mu0, pi[0].Prob, A)
	// Stages that share their rows' slices are checked once where those rows cannot change within
	// the pass: the stages are kept (last or written in mem) or are the game's fixed moves. A stage
	// neither kept nor fixed may lie in storage the game's next Stage writes over. Written stages'
	// rows are the game's, which it does not modify, or new memory, or rows rewritten in place as
	// MDPBuilder makes them (mfg.StageWriter; linear-quadratic's): their layout, remembered with
	// the slices and lengths it was found in (which it keeps alive), holds from pass to pass, as
	// sorted, distinct successors in range, one or more a row, have the layout their count says.
	var local rowLayout
	layout := &local
	switch {
	case write:
		layout = &mem.layout
	case mem != nil && !last && mem.moves:
		layout = &mem.movesLayout // the game's fixed moves (stageAt), the same for its life
	}
	stable := last || write
	if !stable {
		_, stable = g.(mfg.FixedMoves)
	}
	var gn gatherNext // L_{t+1} by action, from fill to the next step's gathers
	defer gn.release()
	for t := 0; t <= T; t++ {
		if t == T && !last {
			return L, nil, nil
		}
		var st *mfg.MDP
		var err error
		if write {
			st, err = mem.write(g, t, L[t], legal)
		} else {
			st, err = stageAt(g, t, L[t], !last, legal)
		}
		if err != nil {
			return nil, nil, err
		}
		if last && stages[t] != st { // written in mem, st is stages[t] already: no write barrier
			stages[t] = st
		}
		if t < T {
			if !stable {
				*layout = rowLayout{}
			}
			gn.nextStates(st, L[t], next, layout)
			gn.fill(st, L[t+1].Mass, next, pi[t+1].Prob, A)
		}
	}
	return L, stages, nil
}

// fill writes dst(s, a) = μ(s) π(a|s) for every pair, π's rows of A actions in prob: with AVX by
// fillAVX (products alone, so four at a time give the same bits) where a row has four actions or
// more, else by fillGo (on shorter rows the call costs what the vectors save).
func fill(dst, mu, prob []float64, A int) {
	n := len(mu) * A
	dst, prob = dst[:n], prob[:n] // fillAVX's every index, checked
	if rowsAVX && A >= 4 {
		fillAVX(dst, mu, prob, A)
		return
	}
	fillGo(dst, mu, prob, A)
}

// fillGo is fill in Go. It walks the tables with one index rather than slicing each row: on the
// smallest games the slicing cost more than the products.
func fillGo(dst, mu, prob []float64, A int) {
	n := len(mu) * A
	dst, prob = dst[:n], prob[:n]
	i := 0
	for _, m := range mu {
		for end := i + A; i < end; i++ {
			dst[i] = m * prob[i]
		}
	}
}

// newMeanField returns T1 populations of S×A and a buffer of n values, in one allocation of
// values.
func newMeanField(T1, S, A, n int) (MeanField, []float64) {
	L := make(MeanField, T1)
	slab := make([]float64, T1*S*A+n) // L_0..L_T and the next-state buffer
	for t := range L {
		L[t] = mfg.Population{States: S, Actions: A, Mass: slab[t*S*A : (t+1)*S*A : (t+1)*S*A]}
	}
	return L, slab[T1*S*A:]
}

// stageAt returns stage t at L, or, when only its transitions are read (moves), the game's
// Moves(t) if it has mfg.FixedMoves; with the game's legal-action mask attached when not nil.
func stageAt(g Game, t int, L mfg.Population, moves bool, legal []bool) (*mfg.MDP, error) {
	st, err := stageOf(g, t, L, moves)
	if err != nil || legal == nil {
		return st, err
	}
	withMask := *st // the game's stage may be shared: a shallow copy carries the mask
	withMask.Legal = legal
	return &withMask, nil
}

// stageOf is stageAt without the mask.
func stageOf(g Game, t int, L mfg.Population, moves bool) (*mfg.MDP, error) {
	// The sizes are the game's, as meanFieldOf built L; the type assertion is made only where it
	// can pay, as it costs games of many small stages.
	S, A := L.States, L.Actions
	if moves {
		if fm, ok := g.(mfg.FixedMoves); ok {
			st := fm.Moves(t)
			if st.States != S || st.Actions != A {
				return nil, fmt.Errorf("%s: moves at t = %d are %d×%d, want %d×%d", g.Name(), t, st.States, st.Actions, S, A)
			}
			return st, nil
		}
	}
	st, err := g.Stage(t, L)
	if err != nil {
		return nil, fmt.Errorf("%s: stage t = %d: %w", g.Name(), t, err)
	}
	if st.States != S || st.Actions != A || len(st.Reward) != S*A {
		return nil, fmt.Errorf("%s: stage t = %d is %d×%d, want %d×%d", g.Name(), t, st.States, st.Actions, S, A)
	}
	return st, nil
}

// nextStates writes Σ_{s,a} L(s, a) P(s'|s, a) into next.
func nextStates(m *mfg.MDP, L mfg.Population, next []float64) {
	if m.Stencil.Describes(m) && gatherPays(L.Mass) {
		nextStatesStencil(m.Stencil, L, next)
		return
	}
	clear(next)
	start, to, prob := m.RowStart[:len(L.Mass)+1], m.Next, m.Prob
	for i, w := range L.Mass {
		if w == 0 {
			continue
		}
		lo, hi := start[i], start[i+1]
		if hi == lo+1 { // a sure move (many games have only these): the sum without the slices
			next[to[lo]] += float64(w * prob[lo])
			continue
		}
		for k := lo; k < hi; k++ { // indexed, not sliced: rows are short, slicing costs more
			next[to[k]] += float64(w * prob[k])
		}
	}
}

// expectNext writes Σ_{s'} P(s'|s, a) v(s') for every pair into dst.
func expectNext(m *mfg.MDP, v, dst []float64) {
	if m.Stencil.Describes(m) {
		expectNextStencil(m, m.Stencil, v, dst)
		return
	}
	start, to, prob := m.RowStart[:len(dst)+1], m.Next, m.Prob
	for i := range dst {
		var e float64
		for k := start[i]; k < start[i+1]; k++ {
			e += float64(prob[k] * v[to[k]])
		}
		dst[i] = e
	}
}

// OptimalQ returns Q*_t for t = 0..T by backward induction on the stages; where a stage has a
// legal-action mask, Q*_t(s, a) = -Inf for an illegal a, so the maximum ranges over the legal ones.
func OptimalQ(stages []*mfg.MDP) [][]float64 { return optimalQInto(stages, nil) }

// optimalQInto is OptimalQ in slab's memory (see QFunctionsInto).
func optimalQInto(stages []*mfg.MDP, slab []float64) [][]float64 {
	Q := backward(stages, slab, false, func(t int, q []float64, v []float64) {
		A := stages[t].Actions
		mfg.MaskIllegal(q, stages[t].Legal) // max over the legal actions
		for s := range v {
			v[s] = maxOf(q[s*A : (s+1)*A])
		}
	})
	mfg.MaskIllegal(Q[0], stages[0].Legal)
	return Q
}

// maxOf is the largest of x, NaNs skipped (−Inf for none), as plain comparisons find it. The
// builtin max has no branch to mispredict where the best action moves from state to state; it
// differs only with a NaN (redone then by comparisons) and in the sign of a zero maximum, which no
// sum that reads it can see (each starts at +0).
func maxOf(x []float64) float64 {
	best := math.Inf(-1)
	for _, v := range x {
		best = max(best, v)
	}
	if best != best {
		best = math.Inf(-1)
		for _, v := range x {
			if v > best {
				best = v
			}
		}
	}
	return best
}

// PolicyQ returns Q^π_t for t = 0..T by backward induction on the stages.
func PolicyQ(stages []*mfg.MDP, pi Policy) [][]float64 { return policyQInto(stages, pi, nil, false) }

// policyQInto is PolicyQ in slab's memory (see QFunctionsInto); where first is set, Q^π_0 alone
// is kept and every Q^π_t is its table (see backward).
func policyQInto(stages []*mfg.MDP, pi Policy, slab []float64, first bool) [][]float64 {
	return backward(stages, slab, first, func(t int, q []float64, v []float64) {
		A := stages[t].Actions
		for s := range v {
			var e float64
			for a, p := range pi[t].Row(s) {
				e += float64(p * q[s*A+a])
			}
			v[s] = e
		}
	})
}

// QSize is the length of the memory that QFunctionsInto needs for each Q-function of a game with
// these stages: Q_0..Q_T and two value vectors (the joint pass keeps both values of a state in
// Q*'s memory).
func QSize(stages []*mfg.MDP) int {
	T := len(stages) - 1
	return (T+1)*len(stages[T].Reward) + 2*stages[T].States
}

// firstQSize is QSize where Q_0 alone is kept: one table and two value vectors.
func firstQSize(stages []*mfg.MDP) int {
	T := len(stages) - 1
	return len(stages[T].Reward) + 2*stages[T].States
}

// slabOf returns slab, or fresh memory when it is nil, of QSize(stages), or of firstQSize(stages)
// where first is set.
func slabOf(stages []*mfg.MDP, slab []float64, first bool) []float64 {
	n := QSize(stages)
	if first {
		n = firstQSize(stages)
	}
	if slab == nil {
		return make([]float64, n)
	}
	return slab[:n]
}

// qTable returns table t of tables of n values one after the other in slab, or, where first is
// set, the first, which then holds every time's in turn: the recursions read Q_{t+1} (into the
// value vector) before they write Q_t, so that Q_0 is the same either way.
func qTable(slab []float64, t, n int, first bool) []float64 {
	if first {
		t = 0
	}
	return slab[t*n : (t+1)*n : (t+1)*n]
}

// backward computes Q_T = r_T and Q_t = r_t + P_t value(Q_{t+1}), value filling v from Q_{t+1},
// in slab's memory (fresh when nil); where first is set, every Q_t in Q_0's table (see qTable).
func backward(stages []*mfg.MDP, slab []float64, first bool, value func(t int, q, v []float64)) [][]float64 {
	T := len(stages) - 1
	n := len(stages[T].Reward)
	slab = slabOf(stages, slab, first) // the tables and v; every entry is written below
	Q := make([][]float64, T+1)
	for t := range Q {
		Q[t] = qTable(slab, t, n, first)
	}
	copy(Q[T], stages[T].Reward)
	k := T + 1 // the tables before v
	if first {
		k = 1
	}
	v := slab[k*n : k*n+stages[T].States]
	for t := T - 1; t >= 0; t-- {
		value(t+1, Q[t+1], v)
		q := Q[t]
		expectNext(stages[t], v, q)
		for i, r := range stages[t].Reward {
			q[i] += r
		}
	}
	return Q
}

// optimalAndPolicyQ returns OptimalQ(stages) and PolicyQ(stages, pi), bit for bit, in one backward
// pass: the two recursions share every transition they read. They live in the slabs' memory
// and their tables' slices in rows, of length 2(T+1)+1 (fresh when nil): each table capped at its
// own values, so that a caller's append cannot write over the next, and after Q^π_T, within qp's
// capacity but past its length, Q^π_0..Q^π_T as one slice (online mirror descent's flatTables).
// Where first is set, for a caller that reads Q^π_0 alone (an exploitability), every Q^π_t is
// written in Q^π_0's table (qpSlab of firstQSize; see qTable) and Q^π_T, the rewards r_T, is read
// from the stage: the same Q^π_0, bit for bit, with a table's memory in place of T+1.
func optimalAndPolicyQ(stages []*mfg.MDP, pi Policy, qsSlab, qpSlab []float64, rows [][]float64, layout *rowLayout, first bool) (qs, qp [][]float64) {
	T := len(stages) - 1
	n, A := len(stages[T].Reward), stages[T].Actions
	qsSlab, qpSlab = slabOf(stages, qsSlab, false), slabOf(stages, qpSlab, first) // every entry read is written below
	if rows == nil {
		rows = make([][]float64, 2*(T+1)+1)
	}
	qs, qp = rows[:T+1:T+1], rows[T+1:2*(T+1):2*(T+1)+1]
	// Written only when they change (rows reused with the same slabs hold them already): each
	// write costs a barrier while the collector marks. The tables lie one after the other: a
	// caller may take them as one slice (online mirror descent), the one past qp's length.
	all := qpSlab[:n:n]
	if !first {
		all = qpSlab[: (T+1)*n : (T+1)*n]
	}
	if !same(rows[2*(T+1)], all) {
		rows[2*(T+1)] = all
	}
	for t := range qs {
		if s := qsSlab[t*n : (t+1)*n : (t+1)*n]; !same(qs[t], s) {
			qs[t] = s
		}
		if s := qTable(qpSlab, t, n, first); !same(qp[t], s) {
			qp[t] = s
		}
	}
	own := stages[T].Reward[:n] // Q^π_T, copied to its table unless first
	if a, b := qs[T][:n], qp[T][:n]; first && T > 0 {
		copy(a, own)
	} else {
		for i, r := range own { // both copies in one loop: two calls of copy cost more on small games
			a[i], b[i] = r, r
		}
		own = b
	}
	mfg.MaskIllegal(qs[T], stages[T].Legal)
	// v holds max_a Q*_{t+1}(s, ·) and Σ_a π Q^π_{t+1}(s, ·) side by side: one cache line, one
	// bounds check for both.
	v := qsSlab[(T+1)*n : (T+1)*n+2*stages[T].States]
	if layout == nil {
		layout = new(rowLayout) // stages that share their rows' layout are checked once
	}
	for t := T - 1; t >= 0; t-- {
		rowsMaxDot(qs[t+1], pi[t+1].Prob, own, v, A)
		expectBothOf(stages[t], v, qs[t], qp[t], layout)
		mfg.MaskIllegal(qs[t], stages[t].Legal)
		own = qp[t]
	}
	return qs, qp
}

// expectBoth writes r(s, a) + Σ_{s'} P(s'|s, a) v[2s'+c] into dst[c] for c = 0, 1 and every pair,
// each sum in the order of the row's successors. Where rows have two successors or more on
// average they go two at a time (expectBothPaired); rows of one successor (sure moves) go one by
// one, as pairing them costs more bookkeeping than it overlaps.
func expectBoth(m *mfg.MDP, v []float64, dst0, dst1 []float64) {
	n := len(m.Reward)
	if m.Stencil.Describes(m) {
		expectBothStencil(m, m.Stencil, v, dst0, dst1)
		return
	}
	if len(m.Next) >= 2*n {
		expectBothPaired(m, v, dst0, dst1)
		return
	}
	expectBothFrom(m, v, dst0, dst1, 0)
}

// expectBothFrom is expectBoth one row at a time, for the rows from i on.
func expectBothFrom(m *mfg.MDP, v []float64, dst0, dst1 []float64, i int) {
	n := len(m.Reward)
	start, to, prob, reward := m.RowStart[:n+1], m.Next, m.Prob, m.Reward[:n]
	dst0, dst1 = dst0[:n], dst1[:n]
	for ; i < n; i++ {
		var a0, a1 float64
		if lo := start[i]; start[i+1] == lo+1 { // a sure move: the sums without the loop
			j, w := to[lo], prob[lo]
			a0 += float64(w * v[2*j])
			a1 += float64(w * v[2*j+1])
			dst0[i], dst1[i] = a0+reward[i], a1+reward[i]
			continue
		}
		for k := start[i]; k < start[i+1]; k++ {
			j, w := to[k], prob[k]
			a0 += float64(w * v[2*j])
			a1 += float64(w * v[2*j+1])
		}
		dst0[i], dst1[i] = a0+reward[i], a1+reward[i]
	}
}

// expectBothPaired is expectBoth two rows at a time: the four sums are independent chains of
// additions, which the processor overlaps, where one row's two would wait on each other's latency.
func expectBothPaired(m *mfg.MDP, v []float64, dst0, dst1 []float64) {
	n := len(m.Reward)
	start, to, prob, reward := m.RowStart[:n+1], m.Next, m.Prob, m.Reward[:n]
	dst0, dst1 = dst0[:n], dst1[:n]
	i := 0
	for ; i+1 < n; i += 2 {
		// The rows indexed, not sliced: they are short, and slicing cost more than their sums.
		lo, mid, hi := start[i], start[i+1], start[i+2]
		var a0, a1, b0, b1 float64
		ka, kb := lo, mid
		for ; ka < mid && kb < hi; ka, kb = ka+1, kb+1 {
			ja, jb := to[ka], to[kb]
			wa, wb := prob[ka], prob[kb]
			a0 += float64(wa * v[2*ja])
			a1 += float64(wa * v[2*ja+1])
			b0 += float64(wb * v[2*jb])
			b1 += float64(wb * v[2*jb+1])
		}
		for ; ka < mid; ka++ {
			j, wa := to[ka], prob[ka]
			a0 += float64(wa * v[2*j])
			a1 += float64(wa * v[2*j+1])
		}
		for ; kb < hi; kb++ {
			j, wb := to[kb], prob[kb]
			b0 += float64(wb * v[2*j])
			b1 += float64(wb * v[2*j+1])
		}
		dst0[i], dst1[i] = a0+reward[i], a1+reward[i]
		dst0[i+1], dst1[i+1] = b0+reward[i+1], b1+reward[i+1]
	}
	expectBothFrom(m, v, dst0, dst1, i)
}

// Greedy returns the policy argmax-e(Q_t(s, ·)) at every time: equal mass on the exact maximisers.
func Greedy(Q [][]float64, states, actions int) Policy {
	pi := make(Policy, len(Q))
	for t, q := range Q {
		pi[t] = rl.GreedyPolicy(q, states, actions)
	}
	return pi
}

// GreedyWithin is Greedy with ties up to a tolerance: equal mass on every action whose value is
// within tol·max(1, |max|) of the maximum (tol = 0 is Greedy).
func GreedyWithin(Q [][]float64, states, actions int, tol float64) Policy {
	pi := make(Policy, len(Q))
	for t, q := range Q {
		pi[t] = rl.GreedyPolicyWithin(q, states, actions, tol)
	}
	return pi
}

// BestResponse returns the greedy policy against the mean field L (MFGLib's Greedy_Policy), among
// the legal actions.
func BestResponse(g Game, L MeanField) (Policy, error) {
	stages, err := StagesAt(g, L)
	if err != nil {
		return nil, err
	}
	S, A := Dims(g)
	return Greedy(OptimalQ(stages), S, A), nil
}

// StagesAt returns the stages of g at the mean field L, stage t at L_t (rewards and, for t < T,
// transitions), with the game's legal-action mask attached; L need not be the mean field of a
// policy. The stages may share storage with the game and must not be modified.
func StagesAt(g Game, L MeanField) ([]*mfg.MDP, error) {
	if len(L) != g.Horizon()+1 {
		return nil, fmt.Errorf("%s: mean field has %d time steps, want T+1 = %d", g.Name(), len(L), g.Horizon()+1)
	}
	stages := make([]*mfg.MDP, len(L))
	legal := mfg.LegalMask(g)
	for t := range L {
		if L[t].States != g.States() || L[t].Actions != g.Actions() || len(L[t].Mass) != g.States()*g.Actions() {
			return nil, fmt.Errorf("%s: mean field at t = %d is %d×%d, want %d×%d", g.Name(), t, L[t].States, L[t].Actions, g.States(), g.Actions())
		}
		st, err := stageAt(g, t, L[t], false, legal)
		if err != nil {
			return nil, err
		}
		stages[t] = st
	}
	return stages, nil
}

// Feasible returns π with negative entries set to 0 and every row renormalised; a row with no
// mass becomes uniform (MFGLib's postprocess_policy).
func Feasible(pi Policy) Policy {
	out := pi.Clone()
	for _, p := range out {
		for s := 0; s < p.States; s++ {
			row := p.Row(s)
			var sum float64
			for a, x := range row {
				if x < 0 {
					row[a] = 0
				}
				sum += row[a]
			}
			for a := range row {
				if sum > 0 && !math.IsInf(sum, 0) {
					row[a] /= sum
				} else {
					row[a] = 1 / float64(len(row))
				}
			}
		}
	}
	return out
}

// Exploitability returns E(π) (see the package documentation) after making π feasible; on a
// multi-population game (mfg.MultiPopulation), OpenSpiel's NashConv Σ_p E_p(π) (see
// PopulationExploitabilities).
func Exploitability(g Game, pi Policy) (float64, error) {
	if _, ok := g.(mfg.MultiPopulation); ok {
		e, err := PopulationExploitabilities(g, pi)
		return SumPopulations(e), err
	}
	pi = Feasible(pi)
	_, stages, err := MeanFieldOf(g, pi)
	if err != nil {
		return 0, err
	}
	qs, qp := QFunctions(stages, pi)
	return ExploitabilityFromQ(g.InitialStates(), pi[0], qs[0], qp[0]), nil
}

// concurrentBackward is the least number of Q-values (times × states × actions) for which the two
// backward passes of QFunctions run concurrently.
var concurrentBackward = 100_000

// QFunctions returns OptimalQ(stages) and PolicyQ(stages, pi), bit for bit: in one backward pass
// reading each transition once on small games or one core, in two passes on two cores on large
// ones.
func QFunctions(stages []*mfg.MDP, pi Policy) (qs, qp [][]float64) {
	return QFunctionsInto(stages, pi, nil, nil)
}

// QFunctionsInto is QFunctions with Q* in qsSlab's memory and Q^π in qpSlab's, each of length at
// least QSize(stages) or nil for fresh memory; the slabs' contents do not matter.
func QFunctionsInto(stages []*mfg.MDP, pi Policy, qsSlab, qpSlab []float64) (qs, qp [][]float64) {
	return qFunctionsInto(stages, pi, qsSlab, qpSlab, nil, nil, false)
}

// qFunctionsInto is QFunctionsInto with the tables' slices in rows when one pass computes both
// (see optimalAndPolicyQ), and, where first is set, Q^π_0 alone kept: every Q^π_t is then Q^π_0's
// table, and qpSlab needs firstQSize(stages) values only.
func qFunctionsInto(stages []*mfg.MDP, pi Policy, qsSlab, qpSlab []float64, rows [][]float64, layout *rowLayout, first bool) (qs, qp [][]float64) {
	n := len(stages) * len(stages[0].Reward)
	if n < concurrentBackward || runtime.GOMAXPROCS(0) == 1 { // one core: two passes read twice as much
		return optimalAndPolicyQ(stages, pi, qsSlab, qpSlab, rows, layout, first)
	}
	return concurrentQ(stages, pi, qsSlab, qpSlab, first)
}

// concurrentQ is QFunctionsInto's two backward passes on two cores: a function of its own, as the
// closures' captured results would cost small games two allocations at every call.
func concurrentQ(stages []*mfg.MDP, pi Policy, qsSlab, qpSlab []float64, first bool) (qs, qp [][]float64) {
	parallel.Do(func() { qs = optimalQInto(stages, qsSlab) }, func() { qp = policyQInto(stages, pi, qpSlab, first) })
	return qs, qp
}

// ExploitabilityFromQ is E(π) from Q*_0 and Q^π_0 (flat S×A tables at the mean field of π):
//
//	Σ_s μ0(s) max_a Q*_0(s, a) - Σ_s μ0(s) Σ_a π_0(a|s) Q^π_0(s, a).
func ExploitabilityFromQ(mu0 []float64, pi0 mfg.Policy, qs0, qp0 []float64) float64 {
	A := pi0.Actions
	n := len(mu0) * A // the tables walked with one index, as slicing each row cost more on small games
	prob, qs0, qp0 := pi0.Prob[:n], qs0[:n], qp0[:n]
	if rowsAVX && A > 0 && n >= 16 && !anyNaNAVX(qs0) { // fewer pairs: the calls cost what they save
		return exploitabilityRows(mu0, prob, qs0, qp0, A)
	}
	if A == 3 {
		return exploitability3(mu0, prob, qs0, qp0)
	}
	var best, own float64
	for s, m := range mu0 {
		lo := s * A
		if m == 0 {
			continue
		}
		// max_a as math.Max takes it: the builtin max (no branch), then math.Max's special
		// cases, +Inf when a value is, else its NaN when one is.
		b := math.Inf(-1)
		var o float64
		for i := lo; i < lo+A; i++ {
			b = max(b, qs0[i])
			o += float64(prob[i] * qp0[i])
		}
		if b != b {
			b = math.NaN()
			if slices.Contains(qs0[lo:lo+A], math.Inf(1)) {
				b = math.Inf(1)
			}
		}
		best += float64(m * b)
		own += float64(m * o)
	}
	return best - own
}

// exploitability3 is ExploitabilityFromQ's loop on rows of three actions, written out: the same
// maxima (the builtin max from -Inf, then math.Max's special cases), sums and order, without the
// loop over the actions, which costs more than its arithmetic on the smallest games.
func exploitability3(mu0, prob, qs0, qp0 []float64) float64 {
	n := 3 * len(mu0)
	prob, qs0, qp0 = prob[:n], qs0[:n], qp0[:n]
	var best, own float64
	for s, m := range mu0 {
		if m == 0 {
			continue
		}
		i := 3 * s
		q0, q1, q2 := qs0[i], qs0[i+1], qs0[i+2]
		b := max(max(max(math.Inf(-1), q0), q1), q2)
		var o float64
		o += float64(prob[i] * qp0[i])
		o += float64(prob[i+1] * qp0[i+1])
		o += float64(prob[i+2] * qp0[i+2])
		if b != b {
			b = math.NaN()
			if q0 == math.Inf(1) || q1 == math.Inf(1) || q2 == math.Inf(1) {
				b = math.Inf(1)
			}
		}
		best += float64(m * b)
		own += float64(m * o)
	}
	return best - own
}
