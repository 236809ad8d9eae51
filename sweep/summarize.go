package sweep

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"meanfield/internal/params"
	"meanfield/metrics"
)

// Metrics are the final values a summary can group.
// window_exploitability is the mean exploitability over a run's last min(30, K/2) iterations
// (engine.Verdict), steadier than the final value where runs oscillate. Every metric is
// nonnegative.
var Metrics = []string{"exploitability", "window_exploitability", "l1_change", "linf_change", "iterations"}

// Group is the summary of the finished runs sharing the values of the grouping parameters.
type Group struct {
	// Key holds the grouping parameters' values, in the order asked.
	Key []any
	// N is the number of runs with a value; Mean, SD and the 95% confidence interval of the mean
	// [Lower, Upper] describe them. The metrics are never negative, so the interval is
	// metrics.MeanInterval's (Student's t on log(mean), mapped back): never below 0. With one run SD, Lower and Upper are NaN (one
	// run says nothing of the spread between replicates); with none Mean is NaN too.
	N              int
	Mean, SD       float64
	Lower, Upper   float64
	Failed, Absent int
}

func metricOf(rec *Record, metric string) (float64, bool) {
	var p *float64
	switch metric {
	case "exploitability":
		p = rec.Exploitability
	case "l1_change":
		p = rec.L1Change
	case "linf_change":
		p = rec.LInfChange
	case "iterations":
		return float64(rec.Iterations), true
	case "window_exploitability":
		if v := rec.Verdict(); v.Window > 0 {
			return v.Mean, true
		}
	}
	if p == nil {
		return 0, false
	}
	return *p, true
}

// Summarize groups the finished runs of s in dir by the named axes and summarises metric.
func Summarize(s *Sweep, dir string, by []string, metric string) ([]Group, error) {
	for _, b := range by {
		if !slices.Contains(s.ParamNames(), b) {
			return nil, fmt.Errorf("by = %q: not an axis of the sweep (axes: %s)", b, strings.Join(s.ParamNames(), ", "))
		}
	}
	if !slices.Contains(Metrics, metric) {
		return nil, fmt.Errorf("metric = %q: unknown (known: %s)", metric, strings.Join(Metrics, ", "))
	}
	if err := Check(s, dir); err != nil {
		return nil, err
	}
	recs, _, err := Collect(s, dir)
	if err != nil {
		return nil, err
	}
	groups := map[string]*Group{}
	values := map[string][]float64{}
	var order []string
	for i, r := range s.Runs {
		key := make([]any, len(by))
		for k, b := range by {
			key[k] = r.Params[b]
		}
		keyJSON, _ := json.Marshal(key)
		id := string(keyJSON)
		g, ok := groups[id]
		if !ok {
			g = &Group{Key: key}
			groups[id] = g
			order = append(order, id)
		}
		rec := recs[i]
		switch {
		case rec == nil:
			g.Absent++
		case rec.Status != "ok":
			g.Failed++
		default:
			if v, ok := metricOf(rec, metric); ok {
				values[id] = append(values[id], v)
			}
		}
	}
	out := make([]Group, 0, len(order))
	for _, id := range order {
		g := groups[id]
		v := values[id]
		g.N = len(v)
		g.Mean, g.SD, g.Lower, g.Upper = math.NaN(), math.NaN(), math.NaN(), math.NaN()
		if g.N > 0 {
			g.Mean = 0
			for _, x := range v {
				g.Mean += x
			}
			g.Mean /= float64(g.N)
		}
		if g.N > 1 {
			var ss float64
			for _, x := range v {
				ss += (x - g.Mean) * (x - g.Mean)
			}
			g.SD = math.Sqrt(ss / float64(g.N-1))
			nonneg := make([]float64, len(v))
			for i, x := range v {
				nonneg[i] = math.Max(x, 0) // an exploitability of -1e-16 is rounding
			}
			g.Lower, g.Upper = metrics.MeanInterval(nonneg, 0.95)
		}
		out = append(out, *g)
	}
	sort.SliceStable(out, func(i, j int) bool { return less(out[i].Key, out[j].Key) })
	return out, nil
}

// less orders keys by their values: numbers numerically, anything else as text.
func less(a, b []any) bool {
	for k := range a {
		x, xok := params.Number(a[k])
		y, yok := params.Number(b[k])
		switch {
		case xok && yok && x != y:
			return x < y
		case !(xok && yok):
			if sa, sb := fmt.Sprint(a[k]), fmt.Sprint(b[k]); sa != sb {
				return sa < sb
			}
		}
	}
	return false
}
