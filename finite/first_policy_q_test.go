package finite

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"meanfield/mfg"
)

// firstDifference reports the first entry where two tables differ in a bit, or -1.
func firstDifference(x, y []float64) int {
	if len(x) != len(y) {
		return 0
	}
	for i := range x {
		if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
			return i
		}
	}
	return -1
}

// A Memory's OptimalQAndFirstPolicyQ gives QFunctions's Q* and Q^π_0, bit for bit, and so do its
// one pass and its two concurrent ones; alternating with QFunctions in one Memory (whose slabs then
// change size) leaves each right. T = 0 (Q^π_0 is the rewards) included. The separate passes,
// OptimalQ and PolicyQ, each keeping every table, are the reference.
func TestOptimalQAndFirstPolicyQMatchQFunctions(t *testing.T) {
	defer func(c int) { concurrentBackward = c }(concurrentBackward)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	rng := rand.New(rand.NewPCG(31, 32))
	for trial := 0; trial < 40; trial++ {
		T, pi, m, stages := randomMemoryStages(t, rng)
		ws, wp := OptimalQ(stages), PolicyQ(stages, pi)
		for round, concurrent := range []bool{false, true, false, true} {
			runtime.GOMAXPROCS(1)
			concurrentBackward = 100_000
			if concurrent {
				runtime.GOMAXPROCS(4)
				concurrentBackward = 1
			}
			if round == 2 { // the whole tables in between: the slab of Q^π grows
				qs, qp := m.QFunctions(stages, pi)
				for tt := range qs {
					if i, j := firstDifference(qs[tt], ws[tt]), firstDifference(qp[tt], wp[tt]); i >= 0 || j >= 0 {
						t.Fatalf("trial %d: QFunctions after OptimalQAndFirstPolicyQ differs at t = %d (entries %d, %d)", trial, tt, i, j)
					}
				}
			}
			qs, qp0 := m.OptimalQAndFirstPolicyQ(stages, pi)
			if len(qs) != T+1 {
				t.Fatalf("trial %d: %d tables of Q*, want %d", trial, len(qs), T+1)
			}
			for tt := range qs {
				if i := firstDifference(qs[tt], ws[tt]); i >= 0 {
					t.Fatalf("trial %d, round %d: Q*_%d differs at entry %d: %v, want %v", trial, round, tt, i, qs[tt][i], ws[tt][i])
				}
			}
			if i := firstDifference(qp0, wp[0]); i >= 0 {
				t.Fatalf("trial %d, round %d (T = %d): Q^π_0 differs at entry %d: %v, want %v", trial, round, T, i, qp0[i], wp[0][i])
			}
		}
	}
}

// The backward pass keeping Q_0 alone needs a table and the value vectors: its slab is
// firstQSize, less than QSize by T tables.
func TestFirstQSize(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	T, S, A := 3, 5, 2
	g := newTestGame(rng, T, S, A, 0.5, 0.5)
	_, stages, err := MeanFieldOf(g, randomPolicy(rng, T, S, A))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := firstQSize(stages), S*A+2*S; got != want {
		t.Errorf("firstQSize = %d, want %d", got, want)
	}
	if got, want := QSize(stages)-firstQSize(stages), T*S*A; got != want {
		t.Errorf("QSize - firstQSize = %d, want %d", got, want)
	}
}

// A Memory's OptimalQ gives OptimalQ's tables bit for bit, in the slab of QFunctions's Q* (so that
// a step's Q* of a policy the exploitability did not see takes no fresh memory): before and after
// QFunctions in the same Memory, and a second call allocates no table.
func TestMemoryOptimalQIsOptimalQ(t *testing.T) {
	rng := rand.New(rand.NewPCG(35, 36))
	for trial := 0; trial < 30; trial++ {
		T, pi, m, stages := randomMemoryStages(t, rng)
		want := OptimalQ(stages)
		check := func(what string, qs [][]float64) {
			t.Helper()
			if len(qs) != T+1 {
				t.Fatalf("trial %d, %s: %d tables, want %d", trial, what, len(qs), T+1)
			}
			for tt := range qs {
				if i := firstDifference(qs[tt], want[tt]); i >= 0 {
					t.Fatalf("trial %d, %s: Q*_%d differs at entry %d: %v, want %v", trial, what, tt, i, qs[tt][i], want[tt][i])
				}
			}
		}
		first := m.OptimalQ(stages)
		check("first call", first)
		qs, _ := m.QFunctions(stages, pi)
		if &qs[0][0] != &first[0][0] {
			t.Fatalf("trial %d: OptimalQ's Q*_0 is not in QFunctions's slab", trial)
		}
		check("after QFunctions", m.OptimalQ(stages))
	}
	rng2 := rand.New(rand.NewPCG(37, 38))
	g := newTestGame(rng2, 3, 6, 3, 0.5, 0.5)
	m := NewMemory(g, nil)
	_, stages, err := m.MeanField(g, randomPolicy(rng2, 3, 6, 3))
	if err != nil {
		t.Fatal(err)
	}
	m.OptimalQ(stages)
	if n := testing.AllocsPerRun(5, func() { m.OptimalQ(stages) }); n > 1 {
		t.Errorf("Memory.OptimalQ allocates %v times a call, want at most 1 (the headers)", n)
	}
}

// randomMemoryStages draws a game of T+1 ≤ 5 time steps, up to 13 states and 5 actions, and a
// policy pi, and returns a Memory m holding the stages of pi's mean field.
func randomMemoryStages(t *testing.T, rng *rand.Rand) (T int, pi Policy, m *Memory, stages []*mfg.MDP) {
	t.Helper()
	T, S, A := rng.IntN(5), 2+rng.IntN(12), 1+rng.IntN(5)
	g := newTestGame(rng, T, S, A, rng.Float64(), rng.Float64())
	pi = randomPolicy(rng, T, S, A)
	m = NewMemory(g, nil)
	_, stages, err := m.MeanField(g, pi)
	if err != nil {
		t.Fatal(err)
	}
	return T, pi, m, stages
}
