package rl

import (
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/mfg"
)

// qFromValuesRowByRow is QFromValues as it was, one row at a time: the reference for the two
// rows at a time (the same expressions, so the same contraction or not into fused
// multiply-adds under GOAMD64=v3).
func qFromValuesRowByRow(m *mfg.MDP, v, q []float64) {
	for i := range q {
		var ev float64
		for k := m.RowStart[i]; k < m.RowStart[i+1]; k++ {
			ev += m.Prob[k] * v[m.Next[k]]
		}
		q[i] = m.Reward[i] + m.Discount*ev
	}
}

// QFromValues gives the row-by-row bits on random sparse MDPs of odd and even row counts, rows
// of unequal lengths (empty ones included, though a valid MDP has none), and values with
// infinities, NaNs of two payloads, signed zeros and subnormals (NaNs equal to NaNs).
func TestQFromValuesMatchesRowByRow(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for trial := range 3000 {
		S, A := 1+rng.IntN(12), 1+rng.IntN(5)
		m := &mfg.MDP{States: S, Actions: A, Discount: rng.Float64(), Reward: make([]float64, S*A), RowStart: []int{0}}
		for i := range S * A {
			m.Reward[i] = rng.NormFloat64()
			for range rng.IntN(2 * S) {
				m.Next = append(m.Next, rng.IntN(S))
				m.Prob = append(m.Prob, rng.Float64())
			}
			m.RowStart = append(m.RowStart, len(m.Next))
		}
		v := make([]float64, S)
		for s := range v {
			v[s] = rng.NormFloat64() * 10
			if trial%4 == 0 {
				v[s] = []float64{math.Inf(1), math.Inf(-1), math.Float64frombits(0x7ff8000000000001),
					math.Float64frombits(0x7ff8000000000002), math.Copysign(0, -1), 5e-324, v[s], v[s]}[rng.IntN(8)]
			}
		}
		got, want := make([]float64, S*A), make([]float64, S*A)
		QFromValues(m, v, got)
		qFromValuesRowByRow(m, v, want)
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) && (got[i] == got[i] || want[i] == want[i]) {
				t.Fatalf("trial %d: Q[%d] = %v, row by row %v", trial, i, got[i], want[i])
			}
		}
	}
}
