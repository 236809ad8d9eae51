package algorithms

import (
	"math"
	"testing"

	"meanfield/mfg"
)

// brMemo finds a best response's mean field while it is among the last brSlots kept, by its
// values bit for bit (-0 is not +0, NaN payloads count), as copies that later calls leave alone,
// and keeps nothing of tables larger than brMemoMax.
func TestBRMemo(t *testing.T) {
	policy := func(v ...float64) []mfg.Policy {
		return []mfg.Policy{{States: 1, Actions: len(v), Prob: v}}
	}
	field := func(x float64) []mfg.Population {
		return []mfg.Population{{States: 1, Actions: 2, Mass: []float64{x, 1 - x}}}
	}
	var b brMemo
	if b.find(policy(1, 0)) != nil {
		t.Fatal("an empty memo found a mean field")
	}
	L := field(0.25)
	got := b.keep(policy(1, 0), L)
	L[0].Mass[0] = 7 // the caller's memory, overwritten by its next call
	if got[0].Mass[0] != 0.25 || b.find(policy(1, 0))[0].Mass[0] != 0.25 {
		t.Fatalf("kept %v, found %v, want a copy of 0.25", got, b.find(policy(1, 0)))
	}
	for _, p := range [][]mfg.Policy{policy(0, 1), policy(math.Copysign(0, -1), 1), policy(1, math.NaN())} {
		if b.find(p) != nil {
			t.Fatalf("%v found the mean field of [1 0]", p[0].Prob)
		}
	}
	for i := 1; i < brSlots; i++ {
		b.keep(policy(0, float64(i)), field(float64(i)/8))
	}
	if L := b.find(policy(1, 0)); L == nil || L[0].Mass[0] != 0.25 {
		t.Fatalf("the first of %d kept is gone: %v", brSlots, L)
	}
	b.keep(policy(0, 9), field(0.5)) // one more: the oldest goes
	if b.find(policy(1, 0)) != nil || b.find(policy(0, 9))[0].Mass[0] != 0.5 {
		t.Fatal("the oldest best response stayed, or the newest was not kept")
	}
	big := make([]float64, brMemoMax+1)
	var fresh brMemo
	Lbig := []mfg.Population{{States: 1, Actions: len(big), Mass: big}}
	if got := fresh.keep(policy(big...), Lbig); &got[0] != &Lbig[0] || fresh.find(policy(big...)) != nil {
		t.Fatal("a best response larger than brMemoMax was copied")
	}
}
