package npgame

import (
	"math"
	"testing"
)

// The ratio's interval is the ratio's range as ε runs over its interval, the denominator
// |V + ε| + ε0 moving with ε. By hand: values −1, −1 and gains 0.1, 0.3 give V = −1, gain 0.2 with
// standard error 0.1, ε in [0.2 − 1.96·0.1, 0.2 + 1.96·0.1], and the upper ratio
// 0.396/(|−1 + 0.396| + 0.1) (not 0.396 over the point estimate's denominator 0.8 + 0.1).
func TestRatioIntervalFollowsTheDenominator(t *testing.T) {
	e := summarize(0, nil, []float64{-1, -1}, []float64{0.1, 0.3}, 0.1)
	lo, hi := 0.2-z95*0.1, 0.2+z95*0.1
	if math.Abs(e.Lower-lo) > 1e-12 || math.Abs(e.Upper-hi) > 1e-12 {
		t.Fatalf("ε interval [%v, %v], want [%v, %v]", e.Lower, e.Upper, lo, hi)
	}
	want := [3]float64{lo / (1 - lo + 0.1), 0.2 / (0.8 + 0.1), hi / (1 - hi + 0.1)}
	got := [3]float64{e.RatioLower, e.Ratio, e.RatioUpper}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("ratio (lower, point, upper) %v, want %v", got, want)
			break
		}
	}
}

// Against a fine grid of ε over the interval, for values of V on both sides of 0 and intervals
// on both sides of −V (where the ratio peaks when V + ε0 < 0).
func TestRatioBoundsIsTheRangeOverTheInterval(t *testing.T) {
	for _, v := range []float64{-3, -1, -0.05, 0, 0.5, 4} {
		for _, iv := range [][2]float64{{0, 0.5}, {0.5, 2}, {0, 5}, {2.5, 3.5}, {1, 1}} {
			rl, ru := ratioBounds(v, iv[0], iv[1], 0.1)
			gl, gu := math.Inf(1), math.Inf(-1)
			for k := 0; k <= 100000; k++ {
				r := ratio(v, iv[0]+(iv[1]-iv[0])*float64(k)/100000, 0.1)
				gl, gu = min(gl, r), max(gu, r)
			}
			if math.Abs(rl-gl) > 1e-9 || math.Abs(ru-gu) > 1e-3*ru || ru < gu-1e-12 {
				t.Errorf("V = %v, ε in %v: [%v, %v], grid [%v, %v]", v, iv, rl, ru, gl, gu)
			}
		}
	}
}
