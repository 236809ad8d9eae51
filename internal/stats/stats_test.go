package stats

import (
	"math"
	"testing"
)

// Against the definitions, computed by hand: x = 1, 2, 3, 6 has mean 3, s² = (4+1+0+9)/3 = 14/3,
// so se = √(14/3)/2; one value has no standard error.
func TestMeanStdErr(t *testing.T) {
	m, se := MeanStdErr([]float64{1, 2, 3, 6})
	if m != 3 || math.Abs(se-math.Sqrt(14.0/3)/2) > 1e-15 {
		t.Errorf("mean %v, se %v; want 3, %v", m, se, math.Sqrt(14.0/3)/2)
	}
	if m, se := MeanStdErr([]float64{5}); m != 5 || !math.IsNaN(se) {
		t.Errorf("one value: mean %v, se %v; want 5, NaN", m, se)
	}
}
