package experiment

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"

	"meanfield/npgame"
)

func rowsOf(ns []int, eps []float64) []NPlayerRow {
	rows := make([]NPlayerRow, len(ns))
	for i, n := range ns {
		rows[i] = NPlayerRow{N: n, Estimate: npgame.Estimate{Epsilon: eps[i], Lower: eps[i] / 2, Upper: 2 * eps[i]}}
	}
	return rows
}

// An exact power law ε = 3/√N gives slope −1/2, intercept log 3 and an interval of zero width;
// noisy values give gonum's least-squares line (stat.LinearRegression); an ε whose interval
// reaches 0 is left out of the fit.
func TestFitSlope(t *testing.T) {
	ns := []int{2, 5, 10, 20, 50, 100}
	eps := make([]float64, len(ns))
	for i, n := range ns {
		eps[i] = 3 / math.Sqrt(float64(n))
	}
	f := FitSlope(rowsOf(ns, eps))
	if math.Abs(f.Slope+0.5) > 1e-12 || math.Abs(f.Intercept-math.Log(3)) > 1e-12 || math.Abs(f.Upper-f.Lower) > 1e-9 || f.Points != 6 {
		t.Errorf("power law: %+v", f)
	}
	noisy := []float64{1.1, 0.3, 0.4, 0.08, 0.07, 0.02}
	rows := rowsOf(ns, noisy)
	rows = append(rows, NPlayerRow{N: 200, Estimate: npgame.Estimate{Epsilon: 0.5, Lower: 0, Upper: 1}})
	f = FitSlope(rows)
	xs, ys := make([]float64, len(ns)), make([]float64, len(ns))
	for i, n := range ns {
		xs[i], ys[i] = math.Log(float64(n)), math.Log(noisy[i])
	}
	alpha, beta := stat.LinearRegression(xs, ys, nil, false)
	if math.Abs(f.Slope-beta) > 1e-12 || math.Abs(f.Intercept-alpha) > 1e-12 || f.Points != 6 {
		t.Errorf("noisy: slope %v intercept %v over %d points, gonum %v %v", f.Slope, f.Intercept, f.Points, beta, alpha)
	}
	if !(f.Lower < f.Slope && f.Slope < f.Upper) {
		t.Errorf("interval [%v, %v] does not hold the slope %v", f.Lower, f.Upper, f.Slope)
	}
	if g := FitSlope(rows[:1]); g.HasSlope {
		t.Errorf("one point fitted: %+v", g)
	}
}

// Points all at one N have no line: no slope rather than NaN.
func TestFitSlopeOneN(t *testing.T) {
	f := FitSlope(rowsOf([]int{10, 10, 10}, []float64{0.1, 0.2, 0.3}))
	if f.HasSlope || f.HasInterval || math.IsNaN(f.Slope) || f.Points != 3 {
		t.Errorf("three points at N = 10: %+v, want no slope", f)
	}
}
