package plot

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// svgText is a piece of text drawn in an SVG rendering, with its font size in pixels.
type svgText struct {
	text string
	size float64
}

// svgTexts draws d as SVG and returns every text it draws, in order: what a reader sees.
func svgTexts(t *testing.T, d Drawer) []svgText {
	t.Helper()
	c := vgsvg.New(testW, testH)
	d.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	var out []svgText
	dec := xml.NewDecoder(&buf)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		el, ok := tok.(xml.StartElement)
		if !ok || el.Name.Local != "text" {
			continue
		}
		var body string
		if err := dec.DecodeElement(&body, &el); err != nil {
			t.Fatal(err)
		}
		st := svgText{text: body}
		for _, a := range el.Attr {
			if a.Name.Local == "style" {
				if i := strings.Index(a.Value, "font-size:"); i >= 0 {
					st.size, _ = strconv.ParseFloat(strings.TrimSuffix(a.Value[i+len("font-size:"):], "px"), 64)
				}
			}
		}
		out = append(out, st)
	}
}

// joined is every text of ts, one per line.
func joined(ts []svgText) string {
	var b strings.Builder
	for _, x := range ts {
		b.WriteString(x.text + "\n")
	}
	return b.String()
}

// A log axis fits its data: a margin of logPad of the span on each side, never whole decades
// of padding. Checked for data in [0.01, 2] (the axis must end below 10), and against the
// definition on random ranges.
func TestLogAxisFitsTheData(t *testing.T) {
	ax := newLogAxis([]float64{0.01, 0.3, 2})
	if ax.max >= 1 || ax.min <= -3 {
		t.Errorf("data in [0.01, 2]: axis from %g to %g, want within (0.001, 10)", math.Pow(10, ax.min), math.Pow(10, ax.max))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		a := -15 + 20*rng.Float64()
		b := a + 6*rng.Float64()
		ax := newLogAxis([]float64{math.Pow(10, b), math.Pow(10, a), math.Pow(10, (a+b)/2)})
		la, lb := math.Log10(math.Pow(10, a)), math.Log10(math.Pow(10, b))
		span := math.Max(lb-la, logMinSpan)
		if ax.min > la+1e-12 || ax.max < lb-1e-12 {
			t.Fatalf("data in [1e%g, 1e%g]: axis [%g, %g] does not hold them", la, lb, ax.min, ax.max)
		}
		if (ax.max-ax.min)-span > 2*logPad*span+1e-9 {
			t.Fatalf("data in [1e%g, 1e%g]: axis [%g, %g] wider than the data and margins", la, lb, ax.min, ax.max)
		}
		if ax.floorLabel != "" {
			t.Fatalf("positive data above LogFloor: floor labelled %q", ax.floorLabel)
		}
	}
}

// Values a log axis cannot show are drawn at a floor whose tick says what it stands for; no
// tick lies below it, nor between it and the next decade when no value is drawn there (the floor
// of a 0); at least two values are labelled above it when some value is positive, also when
// every value is rounding noise around 1e-16 (a solve that starts at its equilibrium).
func TestLogAxisFloor(t *testing.T) {
	for _, c := range []struct {
		name     string
		values   []float64
		floorExp float64
		label    string
		gap      bool
	}{
		{"zero", []float64{0, 0.003, 0.5}, -4, "0", true},
		{"negative", []float64{-1e-9, 0, 0.003, 0.5}, -4, "≤ 0", true},
		{"below LogFloor", []float64{1e-20, 0, 0.5}, -16, "≤ 1e-16", false},
		{"rounding noise", []float64{7.5e-16, 1.7e-16, 6.9e-18, 0}, -16, "≤ 1e-16", false},
		{"nothing positive", []float64{0, 0}, -16, "0", true},
	} {
		ax := newLogAxis(c.values)
		if ax.floorExp != c.floorExp || ax.floorLabel != c.label {
			t.Errorf("%s: floor at %g labelled %q, want %g labelled %q", c.name, ax.floorExp, ax.floorLabel, c.floorExp, c.label)
		}
		for _, v := range c.values {
			if y := ax.y(v); y < ax.min || y > ax.max {
				t.Errorf("%s: %g drawn at %g, outside the axis [%g, %g]", c.name, v, y, ax.min, ax.max)
			}
		}
		labelled := 0
		for _, tk := range ax.ticker().Ticks(ax.min, ax.max) {
			if tk.Value < c.floorExp || c.gap && tk.Value > c.floorExp && tk.Value < c.floorExp+1-1e-9 {
				t.Errorf("%s: tick at %g below the floor %g or between it and the next decade", c.name, tk.Value, c.floorExp)
			}
			if tk.Value == c.floorExp && tk.Label != c.label {
				t.Errorf("%s: floor tick labelled %q, want %q", c.name, tk.Label, c.label)
			}
			if tk.Label != "" {
				labelled++
			}
		}
		if c.name != "nothing positive" && labelled < 3 {
			t.Errorf("%s: %d labelled ticks, want the floor and at least two values", c.name, labelled)
		}
	}
}

// Over less than three decades a log axis labels 1, 2 and 5 times the powers of ten, or every
// multiple when fewer than two of those fall in range: a reader always has two labels.
func TestLogTicksLabelTheMantissas(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   []string
	}{
		{0.05, 0.8, []string{"0.05", "0.1", "0.2", "0.5"}},
		{3, 9, []string{"3", "4", "5", "6", "7", "8", "9"}},
		{1e-6, 1e-3, []string{"1e-6", "1e-5", "1e-4", "0.001"}},
	} {
		var got []string
		for _, tk := range logTicks(10).Ticks(math.Log10(c.lo), math.Log10(c.hi)) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("[%g, %g]: labels %v, want %v", c.lo, c.hi, got, c.want)
		}
	}
}

// The legend lies above the data, so a convergence plot's axis fits its data whatever the
// number of curves: data in [0.01, 2] end below 10, where the old legend headroom took the axis
// to 10^4 and beyond. A zero is drawn at a floor labelled "0", not at an unlabelled 1e-16.
func TestConvergenceAxisFitsTheData(t *testing.T) {
	var series []Series
	for i := range 4 {
		s := Series{Name: "curve " + strconv.Itoa(i)}
		for k := range 10 {
			s.X, s.Y = append(s.X, float64(k)), append(s.Y, 2*math.Pow(0.6, float64(k+i)))
		}
		series = append(series, s)
	}
	series[0].Y[0] = 0.01 // the least value
	p, err := Convergence("t", "k", "y", series...)
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Max >= 1 || p.Y.Min <= -3 {
		t.Errorf("data in [0.01, 2]: y axis from %g to %g, want within (0.001, 10)", math.Pow(10, p.Y.Min), math.Pow(10, p.Y.Max))
	}
	series[1].Y[9] = 0
	p, err = Convergence("t", "k", "y", series...)
	if err != nil {
		t.Fatal(err)
	}
	texts := joined(svgTexts(t, p))
	if !strings.Contains(texts, "\n0\n") || strings.Contains(texts, "1e-16") {
		t.Errorf("a zero is not drawn at a floor labelled 0; the plot's texts:\n%s", texts)
	}
}

// A linear axis fits the lines and bands with margins of 4%.
func TestLinesAxisFitsTheData(t *testing.T) {
	series := learningCurves()
	p, err := Lines("t", "x", "y", series...)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, v := range [][]float64{s.Y, s.Lower, s.Upper} {
			for _, y := range v {
				lo, hi = math.Min(lo, y), math.Max(hi, y)
			}
		}
	}
	pad := linearPad * (hi - lo)
	if math.Abs(p.Y.Min-(lo-pad)) > 1e-12 || math.Abs(p.Y.Max-(hi+pad)) > 1e-12 {
		t.Errorf("y axis [%g, %g], want the data [%g, %g] with margins of %g", p.Y.Min, p.Y.Max, lo, hi, pad)
	}
}

// The legend of Paths names each group once, without doubled parentheses, and says "mean" only
// for a group of several paths.
func TestPathsLegend(t *testing.T) {
	x := []float64{1, 2, 3}
	many := PathGroup{Name: "naive (argmax-e, no projection)", X: x, Paths: [][]float64{{1, 2, 3}, {2, 3, 4}, {1, 1, 1}, {3, 2, 1}}}
	one := PathGroup{Name: "GMF-Q (softmax c = 4, ε-net)", X: x, Paths: [][]float64{{1, 2, 3}}}
	p, err := Paths("t", "k", "y", true, many, one)
	if err != nil {
		t.Fatal(err)
	}
	texts := joined(svgTexts(t, p))
	for _, want := range []string{"naive (argmax-e, no projection), mean of 4 paths\n", "GMF-Q (softmax c = 4, ε-net), 1 path\n"} {
		if !strings.Contains(texts, want) {
			t.Errorf("legend lacks %q; the plot's texts:\n%s", want, texts)
		}
	}
	for _, bad := range []string{"((", ") (", "mean bold", "1 path, mean", "1 paths"} {
		if strings.Contains(texts, bad) {
			t.Errorf("the plot's texts contain %q:\n%s", bad, texts)
		}
	}
}

// Subscripts are written as in TeX and drawn smaller than the text, without the marks; names
// with underscores stay as they are.
func TestSubscripts(t *testing.T) {
	render := func(rs []TextRun) string {
		var b strings.Builder
		for _, r := range rs {
			if r.Sub {
				b.WriteString("[" + r.Text + "]")
			} else {
				b.WriteString(r.Text)
			}
		}
		return b.String()
	}
	for in, want := range map[string]string{
		"‖L_{k+1} − L_k‖₁": "‖L[k+1] − L[k]‖₁",
		"T_k = 5":          "T[k] = 5",
		"L_k":              "L[k]",
		"l1_change":        "l1_change",
		"beach_bar":        "beach_bar",
		"x_{open":          "x_{open",
		"end_":             "end_",
		"‖L‖_{∞}":          "‖L‖[∞]",
	} {
		if got := render(Subscripts(in)); got != want {
			t.Errorf("Subscripts(%q) = %q, want %q", in, got, want)
		}
	}
	p := newPlot("‖L_{k+1} − L_k‖₁", "", "")
	texts := svgTexts(t, p)
	var main, sub float64
	for _, x := range texts {
		switch x.text {
		case "‖L":
			main = x.size
		case "k+1":
			sub = x.size
		}
		if strings.Contains(x.text, "_") || strings.Contains(x.text, "{") {
			t.Errorf("drawn text %q shows a subscript mark", x.text)
		}
	}
	if !(sub > 0 && sub < main) {
		t.Errorf("subscript drawn at %gpx, the text at %gpx: want a smaller subscript (texts %v)", sub, main, texts)
	}
	h := newScriptText()
	fnt := p.Title.TextStyle.Font
	w, _, _ := h.Box("L_k", fnt)
	if plain, _, _ := h.Plain.Box("L_k", fnt); w >= plain {
		t.Errorf("L_k is %v wide, not narrower than the plain text with its mark (%v)", w, plain)
	}
}

// A shared legend states the entries of panels once, with its notes, and removes theirs.
func TestSharedLegend(t *testing.T) {
	groups := distanceGroups(false)
	var panels []*plot.Plot
	for _, title := range []string{"left", "right"} {
		p, err := Paths(title, "k", "y", true, groups...)
		if err != nil {
			t.Fatal(err)
		}
		panels = append(panels, p)
	}
	legend := SharedLegend(12, []string{"Thin lines: each sample path."}, panels...)
	texts := joined(svgTexts(t, Grid(2, "t", panels[0], panels[1], legend)))
	for _, entry := range []string{"naive, mean of 30 paths\n", "GMF-Q, mean of 30 paths\n", "Thin lines: each sample path.\n"} {
		if n := strings.Count(texts, entry); n != 1 {
			t.Errorf("%q drawn %d times, want once; the texts:\n%s", entry, n, texts)
		}
	}
	saveSized(t, Grid(2, "Shared legend", panels[0], panels[1], legend), "shared-legend", 9*72, 7*72)
}
