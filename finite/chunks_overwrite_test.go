package finite_test

import (
	"testing"

	"meanfield/finite"
)

// PolicyValuesToOverwrite hands a policy handed back out again as it was left, not cleared, and
// a fresh one, zero, when there is none of its shape.
func TestPolicyValuesToOverwriteKeepsValues(t *testing.T) {
	var c finite.Chunks
	for _, S := range []int{3, 700} { // in a chunk, and memory of its own
		pi, values := c.PolicyValuesToOverwrite(4, S, 2)
		for i, v := range values {
			if v != 0 {
				t.Fatalf("S = %d: fresh value %d is %v, want 0", S, i, v)
			}
			values[i] = float64(i + 1)
		}
		c.Recycle(pi)
		pi2, values2 := c.PolicyValuesToOverwrite(4, S, 2)
		if &pi2[0] != &pi[0] || &values2[0] != &values[0] || len(values2) != 4*S*2 {
			t.Fatalf("S = %d: memory handed back was not handed out again", S)
		}
		for i, v := range values2 {
			if v != float64(i+1) || pi2[i/(2*S)].Prob[i%(2*S)] != v {
				t.Fatalf("S = %d: value %d is %v, want %v as it was left", S, i, v, float64(i+1))
			}
		}
		c.Recycle(pi2)
		if _, values3 := c.PolicyValuesToOverwrite(4, S+1, 2); values3[0] != 0 {
			t.Fatalf("S = %d: a policy of another shape is not fresh", S)
		}
	}
}
