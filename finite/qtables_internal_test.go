package finite

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// The Q-tables QFunctions and a Memory's QFunctions return are each capped at its own values: a
// caller that appends to one (as Go lets it) gets new memory rather than writing over the next
// time's table. Q^π's tables as one slice lie past its length (online mirror descent's flatTables).
func TestQTablesAppendDoesNotOverwriteNextTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	T, S, A := 2, 3, 2
	g := newTestGame(rng, T, S, A, 0.7, 0.3)
	pi := randomPolicy(rng, T, S, A)
	_, stages, err := MeanFieldOf(g, pi)
	if err != nil {
		t.Fatal(err)
	}
	qs1, qp1 := QFunctions(stages, pi)
	qs2, qp2 := NewMemory(g, nil).QFunctions(stages, pi)
	for name, q := range map[string][][]float64{"Q*": qs1, "Q^π": qp1, "memory's Q*": qs2, "memory's Q^π": qp2} {
		for tt := range q {
			if cap(q[tt]) != len(q[tt]) {
				t.Errorf("%s_%d: capacity %d beyond its %d values", name, tt, cap(q[tt]), len(q[tt]))
			}
		}
		if name == "Q^π" || name == "memory's Q^π" { // the tables as one, past the length
			all := q[:len(q)+1][len(q)]
			if len(all) != len(q)*S*A || &all[0] != &q[0][0] || &all[S*A] != &q[1][0] {
				t.Errorf("%s: the entry past the tables is not them as one slice", name)
			}
		}
		next := slices.Clone(q[1])
		_ = append(q[0], -12345)
		if !slices.Equal(q[1], next) {
			t.Errorf("%s: appending to Q_0 wrote over Q_1: %v, was %v", name, q[1], next)
		}
	}
}
