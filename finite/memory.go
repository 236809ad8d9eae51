package finite

import (
	"bytes"
	"math"
	"unsafe"

	"meanfield/mfg"
)

// Memory is the memory of one evaluation of a policy, its stages and its Q-functions, for a
// caller that evaluates policy after policy and knows when no one reads an evaluation any more
// (the engine, which then hands its memory to the next one). The stages live in it when the game
// is an mfg.StageWriter, the Q-functions always: on small games the allocations, not the
// arithmetic, are what an evaluation costs. Not safe for concurrent use.
type Memory struct {
	// w writes the stages (nil: the game's Stage is called); moves records that the game has
	// mfg.FixedMoves, whose transitions a mean field alone reads instead.
	w     mfg.StageWriter
	moves bool
	// forget records that the game's stages are not remembered (CheapStages).
	forget bool
	// stages are the stages of the last MeanField, each an entry of mdps, whose rewards are
	// reward's rows: time t has the ways entries mdps[t·ways:(t+1)·ways] (see write).
	stages []*mfg.MDP
	mdps   []mfg.MDP
	reward []float64
	ways   int
	// qs and qp hold Q*_0..Q*_T and Q^π_0..Q^π_T with their value vectors (QSize), rows the
	// tables' slices and Q^π's as one (see optimalAndPolicyQ); qp holds Q^π_0 alone
	// (firstQSize) while only OptimalQAndFirstPolicyQ was called.
	qs, qp []float64
	rows   [][]float64
	// alone and next hold the mean field of MeanFieldAlone and its next-state buffer.
	alone MeanField
	next  []float64
	// chunks hold the mean fields of MeanField, which the caller keeps.
	chunks *Chunks
	// at[e·S·A:(e+1)·S·A] is the population at which entry e of mdps was last written, when
	// written[e], and probe[e] the index of its first nonzero value (0 if none, or with one entry
	// per time step: no search), where other populations seldom have the same bits; rings[t]
	// tells which entries of time t were used and which to write next (see write). A stage is a function of t and L_t, so a population that repeats bit
	// for bit (as a best response's early ones do from one step to the next, and as the policies
	// of an algorithm that cycles do a few steps apart) finds its stage written already.
	at      []float64
	written []bool
	probe   []int
	rings   []stageRing
	// layout is the layout of the rows of the stages written here, remembered from pass to pass;
	// movesLayout that of the game's fixed moves, which a mean field alone reads (mfg.FixedMoves
	// keeps them as they are for the game's life).
	layout, movesLayout rowLayout
}

// NewMemory returns memory for the evaluations of g's policies: g is the game whose stages the
// mean fields read (a wrapper, such as the engine's that fixes μ0, passes the game it wraps, so
// that its mfg.StageWriter is seen). The mean fields of MeanField come from c, which memories
// of one caller share (nil: chunks of its own).
func NewMemory(g Game, c *Chunks) *Memory {
	w, _ := g.(mfg.StageWriter)
	_, moves := g.(mfg.FixedMoves)
	_, forget := g.(CheapStages)
	if c == nil {
		c = new(Chunks)
	}
	return &Memory{w: w, moves: moves, forget: forget, chunks: c}
}

// MeanField is MeanFieldOf(g, π), bit for bit, with the stages in m's memory where the game
// writes them (mfg.StageWriter). They stay valid until the next call of m's MeanField or
// MeanFieldAlone; the mean field is the caller's (from m's Chunks).
func (m *Memory) MeanField(g Game, pi Policy) (MeanField, []*mfg.MDP, error) {
	return meanFieldOf(g, pi, true, m)
}

// MeanFieldAlone is MeanFieldAlone(g, π), bit for bit, in m's memory: valid until the next call
// of m's MeanFieldAlone, for a caller that reads it at once (fictitious play's best response).
// The stages it reads are written in m too, when the game writes them and has no fixed moves.
func (m *Memory) MeanFieldAlone(g Game, pi Policy) (MeanField, error) {
	L, _, err := meanFieldOf(g, pi, false, m)
	return L, err
}

// meanFieldAlone returns the memory of MeanFieldAlone: T1 populations of S×A and a buffer of S.
func (m *Memory) meanFieldAlone(T1, S, A int) (MeanField, []float64) {
	if len(m.alone) != T1 || len(m.alone[0].Mass) != S*A || len(m.next) != S {
		m.alone, m.next = newMeanField(T1, S, A, S)
	}
	return m.alone, m.next
}

// buffer returns m's next-state buffer of S values: the scratch of a mean field's steps.
func (m *Memory) buffer(S int) []float64 {
	if len(m.next) != S {
		m.next = make([]float64, S)
	}
	return m.next
}

// forMeanField returns the memory of a mean field of T1 populations of S×A (see meanFieldOf), m
// nil for none: L, the next-state buffer, the list of stages when last (or when they are written
// in m) and whether they are. A mean field alone lives in m, the evaluation's mean field in
// chunks (its caller keeps it); stages are written in m when the game writes them, except, for a
// mean field alone, when it has fixed moves, which it reads instead.
func (m *Memory) forMeanField(T1, S, A int, last bool) (L MeanField, next []float64, stages []*mfg.MDP, write bool) {
	switch {
	case m == nil:
		L, next = newMeanField(T1, S, A, S)
	case !last:
		L, next = m.meanFieldAlone(T1, S, A)
	default:
		L, next = m.chunks.meanField(T1, S, A, false), m.buffer(S) // meanFieldOf writes every value
	}
	write = m != nil && m.w != nil && (last || !m.moves)
	switch {
	case write:
		stages = m.stageList(T1, S, A)
	case last:
		stages = make([]*mfg.MDP, T1)
	}
	return L, next, stages, write
}

// The stages a Memory remembers per time step (see write): rememberedStages where the game writes
// its transitions (no mfg.FixedMoves) and a time step's tables are of fewestValues to
// rememberedValues values (S·A), one otherwise. Cycling algorithms revisit populations a few
// steps apart (prior descent every 4 iterations, the damped fixed point and fictitious play every
// 2 to 12 and more), but a miss costs a look at every entry: that pays where a stage costs far
// more (random-linear: 7 to 15% fewer instructions an iteration over 110 iterations but for
// online mirror descent, 4% more, which repeats later; 8 to 38% fewer over 10010;
// linear-quadratic's prior descent 77% fewer), not where its game writes its rewards alone or a
// handful of rows (beach-bar, equilibrium-price, susceptible-infected: 1 to 14% more), nor where
// the entries' memory would be what it costs. Eight entries gained a little more on fictitious
// play, but each entry's first write allocates the game's transitions: more than the solves of
// small games may allocate (TestSmallGameIterationsAllocateNothing).
const (
	rememberedStages = 4
	fewestValues     = 16
	rememberedValues = 256
)

// waysFor returns the number of stages to remember per time step of S×A, moves telling that the
// game has fixed moves.
func waysFor(S, A int, moves bool) int {
	if n := S * A; !moves && n >= fewestValues && n <= rememberedValues {
		return rememberedStages
	}
	return 1
}

// stageRing is the state of the entries of one time step of a Memory's stages: the first filled
// were used (and are written unless the game failed), next is the one to write next, round the
// ring, and last the one the last pass used (-1: none).
type stageRing struct {
	filled, next, last int
}

// stageList returns the list of n stages, each entry's rewards of S×A.
func (m *Memory) stageList(n, S, A int) []*mfg.MDP {
	if len(m.stages) != n || len(m.reward) != n*m.ways*S*A || m.ways == 0 {
		if m.ways == 0 {
			m.ways = waysFor(S, A, m.moves)
		}
		k := n * m.ways
		m.stages, m.mdps, m.reward = make([]*mfg.MDP, n), make([]mfg.MDP, k), make([]float64, k*S*A)
		for t := range m.stages {
			m.stages[t] = &m.mdps[t*m.ways]
		}
		m.at, m.written, m.probe, m.rings = m.remembered(k*S*A), make([]bool, k), make([]int, k), make([]stageRing, n)
		for t := range m.rings {
			m.rings[t].last = -1
		}
	}
	return m.stages
}

// write returns stage t at L with the legal-action mask, in m's memory: the entry of time t last
// written at L, bit for bit, if there is one; else the game writes it over the next entry of time
// t round the ring, skipping the one the last pass used. A pass uses one entry per time step: with
// two entries or more, the next pass does not write over it. (Round the ring rather than the least
// recently used: a miss then costs no search, and populations that cycle with a period of at most
// the entries' number all hit alike.)
func (m *Memory) write(g Game, t int, L mfg.Population, legal []bool) (*mfg.MDP, error) {
	if m.forget {
		return m.writeAnew(g, t, L, legal)
	}
	S, A := L.States, L.Actions
	n := S * A
	// e is the entry to write, or the one written at L, and at its population; with one entry per
	// time step (entry t), nothing to search: that entry's population, as it was before.
	e := t
	at := m.at[e*n : (e+1)*n]
	if m.ways == 1 {
		if m.written[e] && equalBits(at, L.Mass) {
			return &m.mdps[e], nil
		}
	} else {
		var hit bool
		if e, hit = m.lookup(t, L.Mass[:n]); hit {
			return &m.mdps[e], nil
		}
		at = m.at[e*n : (e+1)*n]
	}
	m.written[e] = false // until written below
	st, err := m.writeEntry(g, t, e, L, legal)
	if err != nil {
		return nil, err
	}
	copy(at, L.Mass)
	m.written[e] = true
	if m.ways > 1 {
		m.probe[e] = firstNonzero(at)
	}
	return st, nil
}

// lookup returns the entry of time t written at the population mass, bit for bit, and true if
// there is one; else the entry to write it in, round the ring of time t but for the one the last
// pass used, and false. An entry's population is compared in full only where its probe value's
// bits are mass's: a miss costs a value an entry.
func (m *Memory) lookup(t int, mass []float64) (e int, hit bool) {
	n, lo, r := len(mass), t*m.ways, &m.rings[t]
	at := m.at[lo*n : (lo+r.filled)*n] // the used entries' populations, one after the other
	for i, p := range m.probe[lo : lo+r.filled] {
		if p < n && math.Float64bits(at[i*n+p]) == math.Float64bits(mass[p]) && m.written[lo+i] && equalBits(at[i*n:(i+1)*n], mass) {
			r.last = i
			return lo + i, true
		}
	}
	e = r.filled // a new entry while there are, else the next round the ring
	if e == m.ways {
		if e = r.next; e == r.last {
			e = ringNext(e, m.ways)
		}
		r.next = ringNext(e, m.ways)
	}
	r.filled, r.last = max(r.filled, e+1), e
	return lo + e, false
}

// firstNonzero returns the index of x's first value whose bits are not zero, 0 if none: where
// populations that start with the same zeros (at states none reaches) differ first.
func firstNonzero(x []float64) int {
	for i, v := range x {
		if math.Float64bits(v) != 0 {
			return i
		}
	}
	return 0
}

// ringNext returns the entry after i of a ring of k.
func ringNext(i, k int) int {
	if i++; i == k {
		return 0
	}
	return i
}

// same reports whether a and b are the same slice of the same memory.
func same[T any](a, b []T) bool {
	return len(a) == len(b) && cap(a) == cap(b) && unsafe.SliceData(a) == unsafe.SliceData(b)
}

// QFunctions is QFunctions(stages, π), bit for bit, in m's memory: valid until the next call of
// m's QFunctions or OptimalQAndFirstPolicyQ.
func (m *Memory) QFunctions(stages []*mfg.MDP, pi Policy) (qs, qp [][]float64) {
	return m.qFunctions(stages, pi, false)
}

// OptimalQ is OptimalQ(stages), bit for bit, in the memory of QFunctions's Q*: valid until the
// next call of m's OptimalQ, QFunctions or OptimalQAndFirstPolicyQ. For a step that reads Q* of
// a policy whose exploitability was not computed in m (an infeasible policy's is computed on its
// feasible version), which would otherwise take a fresh slab every iteration.
func (m *Memory) OptimalQ(stages []*mfg.MDP) [][]float64 {
	if n := QSize(stages); cap(m.qs) < n {
		m.qs = make([]float64, n)
	}
	return optimalQInto(stages, m.qs)
}

// OptimalQAndFirstPolicyQ returns, bit for bit, QFunctions(stages, π)'s Q* and Q^π_0 for a
// caller that reads no other Q^π_t (an exploitability, ExploitabilityFromQ): Q^π_1..Q^π_T are
// computed in turn in Q^π_0's table, a table's memory (and its passes over memory) in place of
// T+1. In m's memory, valid until the next call of m's QFunctions or OptimalQAndFirstPolicyQ.
func (m *Memory) OptimalQAndFirstPolicyQ(stages []*mfg.MDP, pi Policy) (qs [][]float64, qp0 []float64) {
	qs, qp := m.qFunctions(stages, pi, true)
	return qs, qp[0]
}

// qFunctions is QFunctions, with Q^π_0 alone kept where first is set (see qFunctionsInto). Each
// slab grows to what is asked only: a memory that keeps Q^π_0 alone never holds T+1 tables of it.
func (m *Memory) qFunctions(stages []*mfg.MDP, pi Policy, first bool) (qs, qp [][]float64) {
	n, np := QSize(stages), QSize(stages)
	if first {
		np = firstQSize(stages)
	}
	if cap(m.qs) < n {
		m.qs = make([]float64, n)
	}
	if cap(m.qp) < np {
		m.qp = make([]float64, np)
	}
	if len(m.rows) != 2*len(stages)+1 {
		m.rows = make([][]float64, 2*len(stages)+1) // and the tables of Q^π as one (optimalAndPolicyQ)
	}
	var layout *rowLayout // nil: checked in the pass
	if same(stages, m.stages) {
		layout = &m.layout // written here: see meanFieldOf
	}
	return qFunctionsInto(stages, pi, m.qs, m.qp, m.rows, layout, first)
}

// Chunks hands out zero policies and mean fields, which their callers keep, from chunks of memory
// shared by many: on small games one allocation then serves many iterations where each would
// make two (values and headers), and the garbage collector has fewer objects to follow. What is
// handed out never moves, and is reused only once handed back (Recycle); a chunk lives as long as anything handed out of it, at
// most chunkValues values and chunkHeads headers more than it. Chunks start small and double, so
// that a short solve allocates hardly more than it uses. Not safe for concurrent use.
type Chunks struct {
	vals []float64
	pols []mfg.Policy
	pops []mfg.Population
	// The next values and headers handed out are vals[iVals:], pols[iPols:], pops[iPops:]: an
	// index moves where a resliced chunk would write its pointer anew, with a write barrier while
	// the collector marks (a few percent of an iteration of a small game).
	iVals, iPols, iPops int
	// freePols and freePops were handed back (Recycle, RecycleMeanField) for the next requests of
	// their shapes.
	freePols []Policy
	freePops []MeanField
}

// Recycle hands back pi, which its caller had of c (Policy, PolicyValues) and which no one will
// read or write any more, for a later request of its shape: a solve that keeps the tables of few
// iterations then stops asking for new memory at every step, which only a collection frees.
func (c *Chunks) Recycle(pi Policy) {
	if len(pi) > 0 {
		c.freePols = append(c.freePols, pi)
	}
}

// RecycleMeanField is Recycle for a mean field of c (MeanField).
func (c *Chunks) RecycleMeanField(L MeanField) {
	if len(L) > 0 {
		c.freePops = append(c.freePops, L)
	}
}

// reusedPolicy returns, zeroed when zero is set, the last policy handed back if it has T1 times of
// S×A held in one array of values, with those values; nil otherwise (it is then forgotten).
func (c *Chunks) reusedPolicy(T1, S, A int, zero bool) (Policy, []float64) {
	n := len(c.freePols)
	if n == 0 {
		return nil, nil
	}
	pi := c.freePols[n-1]
	c.freePols[n-1] = nil
	c.freePols = c.freePols[:n-1]
	if len(pi) != T1 || len(pi) == 0 {
		return nil, nil
	}
	size := S * A
	next := uintptr(unsafe.Pointer(unsafe.SliceData(pi[0].Prob)))
	for t := range pi {
		// As handed out (else someone moved its rows): each time's n values where the last
		// time's end, compared as addresses, so that the values are taken as one slice below
		// only once they are known to be one run of memory.
		if p := &pi[t]; p.States != S || p.Actions != A || !startsAt(p.Prob, next, size) {
			return nil, nil
		}
		next += uintptr(8 * size)
	}
	buf := unsafe.Slice(unsafe.SliceData(pi[0].Prob), T1*size)
	if zero {
		clear(buf)
	}
	return pi, buf
}

// reusedMeanField is reusedPolicy for a mean field, zeroed only when zero is set.
func (c *Chunks) reusedMeanField(T1, S, A int, zero bool) MeanField {
	n := len(c.freePops)
	if n == 0 {
		return nil
	}
	L := c.freePops[n-1]
	c.freePops[n-1] = nil
	c.freePops = c.freePops[:n-1]
	if len(L) != T1 || len(L) == 0 {
		return nil
	}
	size := S * A
	next := uintptr(unsafe.Pointer(unsafe.SliceData(L[0].Mass)))
	for t := range L {
		if p := &L[t]; p.States != S || p.Actions != A || !startsAt(p.Mass, next, size) {
			return nil
		}
		next += uintptr(8 * size)
	}
	if zero {
		clear(unsafe.Slice(unsafe.SliceData(L[0].Mass), T1*size))
	}
	return L
}

// startsAt reports whether v is exactly size values (its length and capacity) starting at the
// address next: a table of a run handed out as one, where the table before it ends.
func startsAt(v []float64, next uintptr, size int) bool {
	return len(v) == size && cap(v) == size && uintptr(unsafe.Pointer(unsafe.SliceData(v))) == next
}

// The largest chunks: 32 KiB of values, 256 headers. A request of more than an eighth of that
// gets memory of its own.
const (
	chunkValues = 4096
	chunkHeads  = 256
)

// grow returns the size of the next chunk after one of last, for requests of n: twice the last,
// at least 4n, at most most.
func grow(last, n, most int) int { return min(most, max(2*last, 4*n)) }

// values returns n zero values, with no room to grow into the next ones.
func (c *Chunks) values(n int) []float64 {
	if n > chunkValues/8 {
		return make([]float64, n)
	}
	i := c.iVals
	if len(c.vals)-i < n {
		c.vals, i = make([]float64, grow(len(c.vals), n, chunkValues)), 0
	}
	c.iVals = i + n
	return c.vals[i : i+n : i+n]
}

// Policy returns T1 zero policies of S×A.
func (c *Chunks) Policy(T1, S, A int) Policy {
	pi, _ := c.PolicyValues(T1, S, A)
	return pi
}

// PolicyValues is Policy with the policies' values, π_0's rows then π_1's and so on, as one slice:
// for a caller that writes every row of every time in one pass.
func (c *Chunks) PolicyValues(T1, S, A int) (Policy, []float64) {
	if pi, buf := c.reusedPolicy(T1, S, A, true); pi != nil {
		return pi, buf
	}
	var pi Policy
	if T1 > chunkHeads/8 {
		pi = make(Policy, T1)
	} else {
		i := c.iPols
		if len(c.pols)-i < T1 {
			c.pols, i = make([]mfg.Policy, grow(len(c.pols), T1, chunkHeads)), 0
		}
		pi, c.iPols = c.pols[i:i+T1:i+T1], i+T1
	}
	n := S * A
	buf := c.values(T1 * n)
	for t, lo := 0, 0; t < len(pi); t, lo = t+1, lo+n {
		p := &pi[t] // field by field: one pointer written, not a struct moved with its barriers
		p.States, p.Actions, p.Prob = S, A, buf[lo:lo+n:lo+n]
	}
	return pi, buf
}

// MeanField returns T1 zero populations of S×A.
func (c *Chunks) MeanField(T1, S, A int) MeanField { return c.meanField(T1, S, A, true) }

// meanField is MeanField, with values left as they are in memory handed back unless zero is set:
// for a caller that writes every one (meanFieldOf), so that clearing them first is wasted.
func (c *Chunks) meanField(T1, S, A int, zero bool) MeanField {
	if L := c.reusedMeanField(T1, S, A, zero); L != nil {
		return L
	}
	var L MeanField
	if T1 > chunkHeads/8 {
		L = make(MeanField, T1)
	} else {
		i := c.iPops
		if len(c.pops)-i < T1 {
			c.pops, i = make([]mfg.Population, grow(len(c.pops), T1, chunkHeads)), 0
		}
		L, c.iPops = c.pops[i:i+T1:i+T1], i+T1
	}
	n := S * A
	buf := c.values(T1 * n)
	for t, lo := 0, 0; t < len(L); t, lo = t+1, lo+n {
		p := &L[t] // field by field, as in Policy
		p.States, p.Actions, p.Mass = S, A, buf[lo:lo+n:lo+n]
	}
	return L
}

// equalBits reports whether x and y hold the same float64s bit for bit (NaN payloads and signed
// zeros included), as a stage's population must repeat to give the same stage.
func equalBits(x, y []float64) bool {
	y = y[:len(x)]
	if len(x) < 16 { // the runtime's comparison costs its call here
		for i, v := range x {
			if math.Float64bits(v) != math.Float64bits(y[i]) {
				return false
			}
		}
		return true
	}
	// Equal bits are equal bytes: the runtime's comparison of memory, many values an instruction.
	bx := unsafe.Slice((*byte)(unsafe.Pointer(&x[0])), 8*len(x))
	by := unsafe.Slice((*byte)(unsafe.Pointer(&y[0])), 8*len(y))
	return bytes.Equal(bx, by)
}
