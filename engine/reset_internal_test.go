package engine

import (
	"reflect"
	"slices"
	"testing"

	"meanfield/finite"
	"meanfield/mfg"
)

// Evaluation.reset clears the fields it lists one by one, and marks the mean field and the
// Q-functions as not computed (their memory is kept for the next ones): a field added to
// Evaluation must be added there too (and here), or a reused evaluation would keep its value from
// the last policy.
func TestResetClearsEveryField(t *testing.T) {
	var names []string
	typ := reflect.TypeOf(Evaluation{})
	for i := range typ.NumField() {
		names = append(names, typ.Field(i).Name)
	}
	want := []string{"Policy", "p", "near", "L", "info", "qs", "qp", "hasL", "hasQs", "hasQp", "score", "hasScore", "popScores", "mem"}
	if !slices.Equal(names, want) {
		t.Fatalf("Evaluation's fields are %v, reset handles %v (mem, L, info.stages, qs and qp are kept for the next policy): update reset and this test", names, want)
	}
	if n := reflect.TypeOf(meanFieldInfo{}).NumField(); n != 2 {
		t.Fatalf("meanFieldInfo has %d fields, reset handles 2", n)
	}
	old, p, near := []mfg.Policy{{}}, &Problem{}, &mfg.Population{}
	e := &Evaluation{Policy: old, p: &Problem{}, near: &mfg.Population{}, L: []mfg.Population{{}},
		info: meanFieldInfo{stages: []*mfg.MDP{{}}, converged: true}, qs: [][]float64{{1}}, qp: [][]float64{{2}},
		hasL: true, hasQs: true, hasQp: true, score: 3, hasScore: true, popScores: []float64{4}, mem: &finite.Memory{}}
	pi := []mfg.Policy{{States: 1}}
	kept := *e
	e.reset(pi, p, near)
	want2 := Evaluation{Policy: pi, p: p, near: near, L: kept.L, info: meanFieldInfo{stages: kept.info.stages}, qs: kept.qs, qp: kept.qp, mem: kept.mem}
	if !reflect.DeepEqual(*e, want2) || e.p != p || e.near != near || e.mem != kept.mem {
		t.Errorf("reset left %+v", *e)
	}
	if e.MeanFieldConverged() {
		t.Error("a reset evaluation reports its mean field converged")
	}
}
