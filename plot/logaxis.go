package plot

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// Shape of a logarithmic axis (logAxis).
const (
	// logPad is the margin added below and above the data, as a fraction of their span in
	// decades.
	logPad = 0.04
	// logMinSpan is the least span of an axis, in decades: a factor of about 3, enough for two
	// labelled ticks among the mantissas 1..9.
	logMinSpan = 0.5
)

// logAxis is a logarithmic y axis drawn as a linear axis over exponents: the coordinate of a
// value v is log10(v). Its range fits the values it is made for: from the least to the greatest
// value drawn, with a margin of logPad of that span (in decades) on each side, so data in
// [0.01, 2] get an axis from about 0.008 to 2.6.
//
// Values a logarithmic axis cannot show are drawn at a floor at the bottom of the axis, whose
// tick says what it stands for: with values 0 (or negative), one decade below the decade of the
// least positive value, labelled "0" (or "≤ 0"), so an exact zero neither squashes the other
// values nor passes for a tiny positive number; with positive values below LogFloor, at LogFloor
// itself, labelled "≤ 1e-16". When no value is positive, the floor is at LogFloor and alone on
// the axis.
type logAxis struct {
	// min and max are the axis range, in exponents.
	min, max float64
	// floorExp is the exponent of the floor, where every value below 10^floorExp is drawn;
	// floor is 10^floorExp, computed once rather than for every value drawn.
	floorExp, floor float64
	// floorLabel is the label of the floor's tick; "" when no value lies below the floor.
	floorLabel string
	// gap tells whether no value lies between the floor and the next decade (the floor of a 0,
	// or an axis where nothing is positive): no tick is drawn there, which would suggest a scale.
	gap bool
}

// newLogAxis returns the axis for every value of every slice in values; NaN values are ignored.
func newLogAxis(values ...[]float64) logAxis {
	minPos, hi := math.Inf(1), math.Inf(-1)
	var zero, negative bool
	for _, vs := range values {
		for _, v := range vs {
			switch {
			case math.IsNaN(v):
				continue
			case v > 0:
				minPos = lower(minPos, v)
			case v == 0:
				zero = true
			default:
				negative = true
			}
			hi = higher(hi, v)
		}
	}
	ax := logAxis{floorExp: math.Log10(LogFloor), gap: true}
	switch {
	case math.IsInf(minPos, 1):
		ax.floorLabel = "0"
		if negative {
			ax.floorLabel = "≤ 0"
		}
	case minPos < LogFloor:
		ax.floorLabel, ax.gap = "≤ "+decadeLabel(int(ax.floorExp)), false
	case zero || negative:
		ax.floorExp = math.Floor(math.Log10(minPos)) - 1
		ax.floorLabel = "0"
		if negative {
			ax.floorLabel = "≤ 0"
		}
	}
	a := math.Log10(minPos)
	if ax.floorLabel != "" {
		a = ax.floorExp
	}
	b := a
	if hi > math.Pow(10, a) {
		b = math.Log10(hi)
	}
	if b-a < logMinSpan {
		if ax.floorLabel != "" { // the floor stays the bottom
			b = a + logMinSpan
		} else {
			mid := (a + b) / 2
			a, b = mid-logMinSpan/2, mid+logMinSpan/2
		}
	}
	pad := logPad * (b - a)
	ax.min, ax.max = a-pad, b+pad
	ax.floor = math.Pow(10, ax.floorExp)
	return ax
}

// y is the coordinate of v on the axis: log10(v), or the floor's exponent for a value below the
// floor (and for NaN).
func (ax logAxis) y(v float64) float64 {
	if ax.floorLabel != "" && !(v >= ax.floor) || !(v > 0) {
		return ax.floorExp
	}
	return math.Log10(v)
}

// ys maps every value of vs with y; nil stays nil.
func (ax logAxis) ys(vs []float64) []float64 {
	if vs == nil {
		return nil
	}
	out := make([]float64, len(vs))
	for i, v := range vs {
		out[i] = ax.y(v)
	}
	return out
}

// set gives p's y axis the range and the ticks of ax.
func (ax logAxis) set(p *plot.Plot) {
	p.Y.Min, p.Y.Max = ax.min, ax.max
	p.Y.Tick.Marker = ax.ticker()
}

// ticker returns the ticks of logTicks, with the floor's tick labelled floorLabel, no tick below
// it nor, with gap, between it and the next decade (no value is drawn there), and no label less
// than one labelled step above the floor's.
func (ax logAxis) ticker() plot.Ticker {
	return lastTicks(func(min, max float64) []plot.Tick {
		ticks := logTicks(10).Ticks(min, max)
		if ax.floorLabel == "" {
			return ticks
		}
		f := ax.floorExp
		// The least step between labelled ticks (1 decade when fewer than two are labelled).
		step, last := math.Inf(1), math.Inf(-1)
		for _, tk := range ticks {
			if tk.Label != "" {
				step, last = math.Min(step, tk.Value-last), tk.Value
			}
		}
		if math.IsInf(step, 1) {
			step = 1
		}
		out := []plot.Tick{{Value: f, Label: ax.floorLabel}}
		for _, tk := range ticks {
			switch {
			case tk.Value < f+1e-9 || ax.gap && tk.Value < f+1-1e-9:
				continue // the floor itself, below it, or in the gap above it
			case tk.Label != "" && tk.Value < f+step-1e-9:
				tk.Label = ""
			}
			out = append(out, tk)
		}
		return out
	})
}

// logTicks is the ticker of a logarithmic axis over exponents: decadeTicks(maxLabels) when at
// least three decades lie in the range; otherwise labels on the values 1, 2 and 5 times a power
// of ten, or on every integer multiple 1..9 of a power of ten when fewer than two of those lie
// in the range, with unlabelled minor ticks on the other multiples.
func logTicks(maxLabels int) plot.Ticker {
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		if math.Floor(max+1e-9)-math.Ceil(min-1e-9) >= 2 {
			return decadeTicks(maxLabels).Ticks(min, max)
		}
		type mark struct {
			m, e int
			v    float64
		}
		var marks []mark
		for e := int(math.Floor(min)) - 1; e <= int(math.Ceil(max)); e++ {
			for m := 1; m <= 9; m++ {
				if v := float64(e) + math.Log10(float64(m)); min-1e-9 <= v && v <= max+1e-9 {
					marks = append(marks, mark{m, e, v})
				}
			}
		}
		major := func(m int) bool { return m == 1 || m == 2 || m == 5 }
		n := 0
		for _, k := range marks {
			if major(k.m) {
				n++
			}
		}
		if n < 2 {
			major = func(int) bool { return true }
		}
		ticks := make([]plot.Tick, len(marks))
		for i, k := range marks {
			ticks[i] = plot.Tick{Value: k.v}
			if major(k.m) {
				ticks[i].Label = valueLabel(k.m, k.e)
			}
		}
		return ticks
	})
}

// valueLabel formats m·10^e (m in 1..9): plainly for -3 <= e <= 4 (0.002, 30), as <m>e<e>
// otherwise (2e-5).
func valueLabel(m, e int) string {
	if -3 <= e && e <= 4 {
		v, _ := strconv.ParseFloat(fmt.Sprintf("%de%d", m, e), 64) // exact, unlike m·10^e
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprintf("%de%d", m, e)
}
