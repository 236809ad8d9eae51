package finite_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"meanfield/finite"
	"meanfield/games"
	"meanfield/mfg"
)

// A Memory's mean fields, stages and Q-functions are those of MeanFieldOf, MeanFieldAlone and
// QFunctions bit for bit, evaluation after evaluation in the same memory, on games that write
// their stages (mfg.StageWriter, with fixed moves or not) and one that does not; and a mean
// field MeanField returned keeps its values through the next evaluations, and a policy evaluated
// again (whose stages the memory has written already) too.
func TestMemoryIsFreshMemory(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 12))
	for _, name := range []string{"beach-bar", "susceptible-infected", "conservative-treasure-hunting", "crowd-modelling", "random-linear"} {
		g0, err := games.New(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		g := g0.(finite.Game)
		mem, once := finite.NewMemory(g, nil), finite.NewMemory(g, nil)
		var kept []finite.MeanField
		var copies [][]float64
		var last finite.Policy
		for trial := 0; trial < 5; trial++ {
			pi := randomPolicy(rng, g)
			if trial == 2 { // a policy again: its stages are written already
				pi = last
			}
			last = pi
			wantL, wantStages, err := finite.MeanFieldOf(g, pi)
			if err != nil {
				t.Fatal(err)
			}
			L, stages, err := mem.MeanField(g, pi)
			if err != nil {
				t.Fatal(err)
			}
			alone, err := once.MeanFieldAlone(g, pi)
			if err != nil {
				t.Fatal(err)
			}
			wantQs, wantQp := finite.QFunctions(wantStages, pi)
			qs, qp := mem.QFunctions(stages, pi)
			if !sameBits(flatL(L), flatL(wantL)) || !sameBits(flatL(alone), flatL(wantL)) {
				t.Fatalf("%s, trial %d: the mean field differs", name, trial)
			}
			if !sameBits(slices.Concat(qs...), slices.Concat(wantQs...)) || !sameBits(slices.Concat(qp...), slices.Concat(wantQp...)) {
				t.Fatalf("%s, trial %d: the Q-functions differ", name, trial)
			}
			for tt := range stages {
				if !sameBits(stages[tt].Reward, wantStages[tt].Reward) {
					t.Fatalf("%s, trial %d: the rewards of stage %d differ", name, trial, tt)
				}
			}
			kept, copies = append(kept, L), append(copies, slices.Clone(flatL(L)))
		}
		for i := range kept {
			if !sameBits(flatL(kept[i]), copies[i]) {
				t.Errorf("%s: the mean field of evaluation %d changed with the next ones", name, i)
			}
		}
	}
}

// Chunks hand out zero memory of the size asked, without room to grow into the next, that no
// later request shares.
func TestChunksHandOutSeparateMemory(t *testing.T) {
	var c finite.Chunks
	var pols []finite.Policy
	var fields []finite.MeanField
	for i := 0; i < 400; i++ {
		T1, S, A := 1+i%5, 1+i%7, 1+i%3
		if i%50 == 0 {
			S = 700 // more than a chunk's eighth: memory of its own
		}
		pi, L := c.Policy(T1, S, A), c.MeanField(T1, S, A)
		if len(pi) != T1 || cap(pi) != T1 || len(L) != T1 || cap(L) != T1 {
			t.Fatalf("request %d: %d (cap %d) policies, %d (cap %d) populations, want %d", i, len(pi), cap(pi), len(L), cap(L), T1)
		}
		for tt := 0; tt < T1; tt++ {
			p, m := pi[tt], L[tt]
			if p.States != S || p.Actions != A || len(p.Prob) != S*A || cap(p.Prob) != S*A || m.States != S || m.Actions != A || len(m.Mass) != S*A || cap(m.Mass) != S*A {
				t.Fatalf("request %d, t = %d: wrong shapes", i, tt)
			}
			for j := range p.Prob {
				if p.Prob[j] != 0 || m.Mass[j] != 0 {
					t.Fatalf("request %d: memory not zero", i)
				}
				p.Prob[j], m.Mass[j] = float64(2*i), float64(2*i+1)
			}
		}
		pols, fields = append(pols, pi), append(fields, L)
	}
	for i := range pols {
		for tt := range pols[i] {
			for j := range pols[i][tt].Prob {
				if pols[i][tt].Prob[j] != float64(2*i) || fields[i][tt].Mass[j] != float64(2*i+1) {
					t.Fatalf("request %d: its memory was handed out again", i)
				}
			}
		}
	}
}

// Chunks hand a policy or mean field handed back (Recycle, RecycleMeanField) out again, zero, to
// the next request of its shape, and to no other: one of another shape, or whose rows were moved,
// is forgotten.
func TestChunksReuseWhatIsHandedBack(t *testing.T) {
	var c finite.Chunks
	for _, S := range []int{3, 700} { // in a chunk, and memory of its own
		pi, values := c.PolicyValues(4, S, 2)
		L := c.MeanField(4, S, 2)
		for i := range values {
			values[i] = 1
		}
		for _, p := range L {
			p.Mass[0] = 1
		}
		c.Recycle(pi)
		c.RecycleMeanField(L)
		pi2, values2 := c.PolicyValues(4, S, 2)
		L2 := c.MeanField(4, S, 2)
		if &pi2[0] != &pi[0] || &values2[0] != &values[0] || len(values2) != len(values) || &L2[0] != &L[0] {
			t.Fatalf("S = %d: memory handed back was not handed out again", S)
		}
		for i, v := range values2 {
			if v != 0 || L2[i/(2*S)].Mass[i%(2*S)] != 0 {
				t.Fatalf("S = %d: memory handed out again is not zero", S)
			}
		}
		c.Recycle(pi2)
		c.RecycleMeanField(L2)
		if pi3, L3 := c.Policy(3, S, 2), c.MeanField(4, S, 3); &pi3[0] == &pi2[0] || &L3[0] == &L2[0] {
			t.Fatalf("S = %d: memory handed out again to a request of another shape", S)
		}
		pi4 := c.Policy(4, S, 2) // the policy of another shape's request was forgotten
		if &pi4[0] == &pi2[0] {
			t.Fatalf("S = %d: memory forgotten was handed out", S)
		}
		pi4[1].Prob = pi4[0].Prob
		c.Recycle(pi4)
		if pi5 := c.Policy(4, S, 2); &pi5[0] == &pi4[0] {
			t.Fatalf("S = %d: a policy whose rows were moved was handed out again", S)
		}
	}
}

// randomPolicy returns a policy of g with random rows.
func randomPolicy(rng *rand.Rand, g finite.Game) finite.Policy {
	pi := make(finite.Policy, g.Horizon()+1)
	for t := range pi {
		pi[t] = mfg.NewPolicy(g.States(), g.Actions())
		for s := 0; s < g.States(); s++ {
			row := pi[t].Row(s)
			var sum float64
			for a := range row {
				row[a] = rng.Float64() + 0.01
				sum += row[a]
			}
			for a := range row {
				row[a] /= sum
			}
		}
	}
	return pi
}

func flatL(L finite.MeanField) []float64 {
	var out []float64
	for _, p := range L {
		out = append(out, p.Mass...)
	}
	return out
}

func sameBits(x, y []float64) bool {
	return slices.EqualFunc(x, y, func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) })
}

// countingWriter counts the stages a game writes.
type countingWriter struct {
	*games.RandomLinear
	writes int
}

func (g *countingWriter) WriteStage(t int, L mfg.Population, dst *mfg.MDP) error {
	g.writes++
	return g.RandomLinear.WriteStage(t, L, dst)
}

// A Memory writes a stage only when its population is not, bit for bit, one it wrote that stage
// at and still remembers; the stages it keeps are then those of MeanFieldOf. With one remembered
// stage per time step, policies A, A, B, A, A' (A but at t = T) and A give populations that
// differ at every time, at none, at every time (B, then A again), and at T only; with four,
// A and B are both remembered, as are the policies of a cycle of four, and not those of a cycle
// of five.
func TestMemoryWritesOnlyNewStages(t *testing.T) {
	rl, err := games.NewRandomLinear(games.DefaultRandomLinearParams())
	if err != nil {
		t.Fatal(err)
	}
	g := &countingWriter{RandomLinear: rl}
	rng := rand.New(rand.NewPCG(5, 12))
	a, b := randomPolicy(rng, g), randomPolicy(rng, g)
	T := g.Horizon()
	a2 := a.Clone()
	a2[T] = b[T]
	cycle := []finite.Policy{a, b, randomPolicy(rng, g), randomPolicy(rng, g), randomPolicy(rng, g)}
	type eval struct {
		pi     finite.Policy
		writes int
	}
	for _, c := range []struct {
		k     int
		evals []eval
	}{
		{1, []eval{{a, T + 1}, {a, 0}, {b, T + 1}, {a, T + 1}, {a2, 1}, {a, 1}}},
		{4, []eval{{a, T + 1}, {a, 0}, {b, T + 1}, {a, 0}, {a2, 1}, {a, 0}, {b, 0}}},
		{4, []eval{{cycle[0], T + 1}, {cycle[1], T + 1}, {cycle[2], T + 1}, {cycle[3], T + 1}, {cycle[0], 0}, {cycle[1], 0}, {cycle[2], 0}, {cycle[3], 0}, {cycle[0], 0}}},
		{4, []eval{{cycle[0], T + 1}, {cycle[1], T + 1}, {cycle[2], T + 1}, {cycle[3], T + 1}, {cycle[4], T + 1}, {cycle[0], T + 1}, {cycle[1], T + 1}}},
	} {
		mem := finite.NewMemory(g, nil)
		finite.SetRememberedStages(mem, c.k)
		for i, e := range c.evals {
			g.writes = 0
			_, stages, err := mem.MeanField(g, e.pi)
			if err != nil {
				t.Fatal(err)
			}
			if g.writes != e.writes {
				t.Errorf("%d stages remembered, evaluation %d: %d stages written, want %d", c.k, i, g.writes, e.writes)
			}
			_, want, err := finite.MeanFieldOf(g, e.pi)
			if err != nil {
				t.Fatal(err)
			}
			for tt := range want {
				if !sameBits(stages[tt].Reward, want[tt].Reward) || !sameBits(stages[tt].Prob, want[tt].Prob) {
					t.Errorf("%d stages remembered, evaluation %d: stage %d differs from MeanFieldOf's", c.k, i, tt)
				}
			}
		}
	}
}

// A Memory that remembers several stages per time step gives the mean fields, stages and
// Q-functions of one that remembers one, and of MeanFieldOf, bit for bit, on games whose
// transitions depend on the population, under policies that cycle (with periods of 2 to 6, and
// at random among a few), whether it evaluates them alone (MeanFieldAlone) or with their stages.
func TestMemoryRemembersStagesExactly(t *testing.T) {
	for _, name := range []string{"random-linear", "crowd-motion", "susceptible-infected", "beach-bar"} {
		g, err := games.NewFinite(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(7, 3))
		pols := make([]finite.Policy, 6)
		for i := range pols {
			pols[i] = randomPolicy(rng, g)
		}
		var order []int
		for period := 2; period <= 6; period++ {
			for i := 0; i < 3*period; i++ {
				order = append(order, i%period)
			}
		}
		for range 20 {
			order = append(order, rng.IntN(len(pols)))
		}
		if testing.Short() && name == "crowd-motion" {
			order = order[:24]
		}
		mems := make([]*finite.Memory, 3)
		for i, k := range []int{1, 4, 8} {
			mems[i] = finite.NewMemory(g, nil)
			finite.SetRememberedStages(mems[i], k)
		}
		for step, i := range order {
			pi := pols[i]
			wantL, wantStages, err := finite.MeanFieldOf(g, pi)
			if err != nil {
				t.Fatal(err)
			}
			wantQs, wantQp := finite.QFunctions(wantStages, pi)
			for j, mem := range mems {
				where := fmt.Sprintf("%s, memory %d, step %d", name, j, step)
				if step%3 == 1 { // the mean field alone first: its stages are written in the memory too
					alone, err := mem.MeanFieldAlone(g, pols[(i+1)%len(pols)])
					if err != nil {
						t.Fatal(err)
					}
					wantAlone, err := finite.MeanFieldAlone(g, pols[(i+1)%len(pols)])
					if err != nil {
						t.Fatal(err)
					}
					if !sameBits(flatL(alone), flatL(wantAlone)) {
						t.Fatalf("%s: the mean field alone differs", where)
					}
				}
				L, stages, err := mem.MeanField(g, pi)
				if err != nil {
					t.Fatal(err)
				}
				qs, qp := mem.QFunctions(stages, pi)
				if !sameBits(flatL(L), flatL(wantL)) {
					t.Fatalf("%s: the mean field differs", where)
				}
				for tt := range wantStages {
					if !sameBits(stages[tt].Reward, wantStages[tt].Reward) || !sameBits(stages[tt].Prob, wantStages[tt].Prob) {
						t.Fatalf("%s: stage %d differs", where, tt)
					}
				}
				if !sameBits(slices.Concat(qs...), slices.Concat(wantQs...)) || !sameBits(slices.Concat(qp...), slices.Concat(wantQp...)) {
					t.Fatalf("%s: the Q-functions differ", where)
				}
			}
		}
	}
}

// The stages a pass uses are not written over by the next pass: with two stages remembered per
// time step, policies A, B, A (whose stages the memory remembers) then C, whose stages go to
// the next entries round the ring (A's) but for the one the last pass used.
func TestMemoryKeepsTheLastPassStages(t *testing.T) {
	g, err := games.NewFinite("random-linear", nil)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(8, 1))
	a, b, c := randomPolicy(rng, g), randomPolicy(rng, g), randomPolicy(rng, g)
	mem := finite.NewMemory(g, nil)
	finite.SetRememberedStages(mem, 2)
	var held []*mfg.MDP
	for _, pi := range []finite.Policy{a, b, a, c} {
		if held != nil {
			held = slices.Clone(held) // the pointers of A's pass: the list is the memory's
		}
		_, stages, err := mem.MeanField(g, pi)
		if err != nil {
			t.Fatal(err)
		}
		if held == nil || &pi[0] == &a[0] {
			held = stages
		}
	}
	_, want, err := finite.MeanFieldOf(g, a)
	if err != nil {
		t.Fatal(err)
	}
	for tt := range want {
		if !sameBits(held[tt].Reward, want[tt].Reward) || !sameBits(held[tt].Prob, want[tt].Prob) {
			t.Errorf("stage %d of the last pass but one was written over", tt)
		}
	}
}

// A mean field handed back and handed out again by a Memory's MeanField, which writes every value
// without clearing them first, holds the mean field of the new policy, bit for bit, whatever the
// old values were (NaNs here).
func TestMemoryMeanFieldOverwritesRecycled(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 1))
	for _, name := range []string{"beach-bar", "random-linear", "crowd-motion"} {
		g, err := games.NewFinite(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		c := new(finite.Chunks)
		mem := finite.NewMemory(g, c)
		old, _, err := mem.MeanField(g, randomPolicy(rng, g))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range old {
			for i := range p.Mass {
				p.Mass[i] = math.NaN()
			}
		}
		c.RecycleMeanField(old)
		pi := randomPolicy(rng, g)
		L, _, err := mem.MeanField(g, pi)
		if err != nil {
			t.Fatal(err)
		}
		if &L[0].Mass[0] != &old[0].Mass[0] {
			t.Fatalf("%s: the mean field handed back was not handed out again", name)
		}
		want, _, err := finite.MeanFieldOf(g, pi)
		if err != nil {
			t.Fatal(err)
		}
		if !sameBits(flatL(L), flatL(want)) {
			t.Fatalf("%s: the recycled mean field differs from MeanFieldOf's", name)
		}
	}
}

// Chunks forget a mean field or policy handed back whose tables were moved (one time's table
// another's, or two swapped), rather than hand out tables that share memory or clear what is
// not theirs.
func TestChunksForgetMovedTables(t *testing.T) {
	var c finite.Chunks
	for _, S := range []int{3, 700} { // in a chunk, and memory of its own
		for _, move := range []string{"shared", "swapped"} {
			L := c.MeanField(4, S, 2)
			pi := c.Policy(4, S, 2)
			if move == "shared" {
				L[1].Mass, pi[2].Prob = L[0].Mass, pi[1].Prob
			} else {
				L[1].Mass, L[2].Mass = L[2].Mass, L[1].Mass
				pi[0].Prob, pi[3].Prob = pi[3].Prob, pi[0].Prob
			}
			c.RecycleMeanField(L)
			c.Recycle(pi)
			if L2 := c.MeanField(4, S, 2); &L2[0] == &L[0] {
				t.Errorf("S = %d: a mean field whose tables were %s was handed out again", S, move)
			}
			if pi2 := c.Policy(4, S, 2); &pi2[0] == &pi[0] {
				t.Errorf("S = %d: a policy whose tables were %s was handed out again", S, move)
			}
		}
	}
}

// A Memory's mean fields alone are MeanFieldAlone's, bit for bit, when games of fixed moves of one
// shape but other rows (sure moves, several successors, other seeds) take turns in it: the layout
// of the moves it remembers from pass to pass is that of the moves it reads.
func TestMemoryMeanFieldAloneAcrossGamesOfFixedMoves(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	var gs []finite.Game
	for i, k := range []int{1, 3, 10, 1} {
		p := games.DefaultGarnetParams()
		p.Horizon, p.Seed, p.NumChanceAction = 4, int64(7+i), k
		g, err := games.NewGarnet(p)
		if err != nil {
			t.Fatal(err)
		}
		gs = append(gs, g)
	}
	mem := finite.NewMemory(gs[0], nil)
	for round := range 3 {
		for i, g := range gs {
			pi := randomPolicy(rng, g)
			want, err := finite.MeanFieldAlone(g, pi)
			if err != nil {
				t.Fatal(err)
			}
			got, err := mem.MeanFieldAlone(g, pi)
			if err != nil {
				t.Fatal(err)
			}
			if !sameBits(flatL(got), flatL(want)) {
				t.Fatalf("round %d, game %d: the mean field alone differs", round, i)
			}
		}
	}
}
