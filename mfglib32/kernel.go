package mfglib32

import (
	"fmt"
	"sort"
)

// Entry is one transition probability P(Next | State, Action), already rounded to float32 the way
// the game's torch code builds it.
type Entry struct {
	State, Action, Next int
	P                   float32
}

// Kernel is a sparse transition kernel P(s'|s, a) holding its non-zero entries in the two orders
// torch visits them: by (s, a) with s' ascending for QFn's matrix-vector product, and by s' with
// (a, s) ascending for mean_field_from_policy's einsum. Leaving out zeros changes no bit: a zero
// term adds exactly nothing to a sum of finite numbers.
type Kernel struct {
	states, actions int
	// Row r = s·A + a holds rowNext/rowProb[rowStart[r]:rowStart[r+1]].
	rowStart []int32
	rowNext  []int32
	rowProb  []float32
	// Column s' holds colPair/colProb[colStart[s']:colStart[s'+1]], colPair = s·A + a.
	colStart []int32
	colPair  []int32
	colProb  []float32
}

// NewKernel builds a kernel from its entries, each (s, a, s') at most once.
func NewKernel(states, actions int, entries []Entry) (*Kernel, error) {
	es := make([]Entry, 0, len(entries))
	for _, e := range entries {
		if e.State < 0 || e.State >= states || e.Action < 0 || e.Action >= actions || e.Next < 0 || e.Next >= states {
			return nil, fmt.Errorf("transition entry (s=%d, a=%d, s'=%d) is outside %d states × %d actions", e.State, e.Action, e.Next, states, actions)
		}
		if e.P != 0 {
			es = append(es, e)
		}
	}
	k := &Kernel{states: states, actions: actions}
	sort.Slice(es, func(i, j int) bool {
		if es[i].State != es[j].State {
			return es[i].State < es[j].State
		}
		if es[i].Action != es[j].Action {
			return es[i].Action < es[j].Action
		}
		return es[i].Next < es[j].Next
	})
	k.rowStart = make([]int32, states*actions+1)
	k.rowNext = make([]int32, len(es))
	k.rowProb = make([]float32, len(es))
	for i, e := range es {
		if i > 0 && es[i-1].State == e.State && es[i-1].Action == e.Action && es[i-1].Next == e.Next {
			return nil, fmt.Errorf("transition entry (s=%d, a=%d, s'=%d) given twice", e.State, e.Action, e.Next)
		}
		k.rowStart[e.State*actions+e.Action+1]++
		k.rowNext[i] = int32(e.Next)
		k.rowProb[i] = e.P
	}
	for r := 1; r < len(k.rowStart); r++ {
		k.rowStart[r] += k.rowStart[r-1]
	}
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Next != es[j].Next {
			return es[i].Next < es[j].Next
		}
		if es[i].Action != es[j].Action {
			return es[i].Action < es[j].Action
		}
		return es[i].State < es[j].State
	})
	k.colStart = make([]int32, states+1)
	k.colPair = make([]int32, len(es))
	k.colProb = make([]float32, len(es))
	for i, e := range es {
		k.colStart[e.Next+1]++
		k.colPair[i] = int32(e.State*actions + e.Action)
		k.colProb[i] = e.P
	}
	for s := 1; s < len(k.colStart); s++ {
		k.colStart[s] += k.colStart[s-1]
	}
	return k, nil
}

// expect returns Σ_{s'} P(s'|s,a)·v(s') for row r = s·A + a, from s' = 0 up, as the reference
// BLAS's sgemv adds.
func (k *Kernel) expect(r int, v []float32) float32 {
	var acc float32
	for i := k.rowStart[r]; i < k.rowStart[r+1]; i++ {
		acc += float32(k.rowProb[i] * v[k.rowNext[i]])
	}
	return acc
}
