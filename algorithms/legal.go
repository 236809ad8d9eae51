package algorithms

import (
	"slices"

	"meanfield/mfg"
)

// legalQ returns Q^π with -Inf at the illegal actions (copies, as the evaluation keeps Q^π for
// the exploitability, which reads it weighted by π), or q itself when every action is legal. A
// softmax of it, or of a sum of it, then gives the illegal actions no mass. Q* needs no such
// step: package finite makes it -Inf there already.
func legalQ(q [][]float64, legal []bool) [][]float64 {
	if legal == nil {
		return q
	}
	out := make([][]float64, len(q))
	for t, qt := range q {
		out[t] = slices.Clone(qt)
		mfg.MaskIllegal(out[t], legal)
	}
	return out
}
