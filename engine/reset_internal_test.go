package engine

import (
	"reflect"
	"slices"
	"testing"

	"meanfield/finite"
	"meanfield/mfg"
)

// Evaluation.reset clears the fields it lists one by one: a field added to Evaluation must be
// added there too (and here), or a reused evaluation would keep its value from the last policy.
func TestResetClearsEveryField(t *testing.T) {
	var names []string
	typ := reflect.TypeOf(Evaluation{})
	for i := range typ.NumField() {
		names = append(names, typ.Field(i).Name)
	}
	want := []string{"Policy", "p", "near", "L", "info", "qs", "qp", "score", "hasScore", "popScores", "mem"}
	if !slices.Equal(names, want) {
		t.Fatalf("Evaluation's fields are %v, reset clears %v (mem, kept for the next policy): update reset and this test", names, want)
	}
	if n := reflect.TypeOf(meanFieldInfo{}).NumField(); n != 2 {
		t.Fatalf("meanFieldInfo has %d fields, reset clears 2", n)
	}
	old, p, near := []mfg.Policy{{}}, &Problem{}, &mfg.Population{}
	e := &Evaluation{Policy: old, p: &Problem{}, near: &mfg.Population{}, L: []mfg.Population{{}},
		info: meanFieldInfo{stages: []*mfg.MDP{{}}, converged: true}, qs: [][]float64{{1}}, qp: [][]float64{{2}},
		score: 3, hasScore: true, popScores: []float64{4}, mem: &finite.Memory{}}
	pi, mem := []mfg.Policy{{States: 1}}, e.mem
	e.reset(pi, p, near)
	if !reflect.DeepEqual(*e, Evaluation{Policy: pi, p: p, near: near, mem: mem}) || e.p != p || e.near != near || e.mem != mem {
		t.Errorf("reset left %+v", *e)
	}
}
