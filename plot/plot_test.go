package plot

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

const (
	testW = 6 * vg.Inch
	testH = 4 * vg.Inch
)

// pixels is the size in pixels of a PNG of length l.
func pixels(l vg.Length) int { return int(math.Round(l.Points() / 72 * PNGDPI)) }

// syntheticResult is a hand-made solve: geometric convergence down to an exact zero change, an
// exploitability recorded on most iterations, and a reference distance on all of them.
// syntheticCurves are the curves of a converging solve of n iterations: the l1 and l∞ changes
// (0 at the last iteration, an exact fixed point drawn at LogFloor), an exploitability missing at
// iteration 2, and a distance to a reference.
func syntheticCurves(n int) []Series {
	l1, linf, ex, ref := Series{Name: "l1 change"}, Series{Name: "l∞ change"}, Series{Name: "exploitability"}, Series{Name: "distance to reference"}
	for k := range n {
		x := float64(k)
		l1.X, l1.Y = append(l1.X, x), append(l1.Y, 0.8*math.Pow(0.3, x))
		linf.X, linf.Y = append(linf.X, x), append(linf.Y, 0.3*math.Pow(0.3, x))
		ref.X, ref.Y = append(ref.X, x), append(ref.Y, 0.5*math.Pow(0.35, x))
		if k != 2 {
			ex.X, ex.Y = append(ex.X, x), append(ex.Y, 0.4*math.Pow(0.5, x)+1e-6)
		}
	}
	l1.Y[n-1], linf.Y[n-1] = 0, 0
	return []Series{l1, linf, ex, ref}
}

// qTable is a smooth synthetic S×A table with negative and positive values.
func qTable(S, A int) []float64 {
	q := make([]float64, S*A)
	for s := range S {
		for a := range A {
			q[s*A+a] = math.Sin(float64(s)/3) - 0.4*math.Abs(float64(a-A/2)) + 0.05*float64(s)
		}
	}
	return q
}

// learningCurves are two rising curves with 90% bands and a third without a band.
func learningCurves() []Series {
	var out []Series
	for i, name := range []string{"GMF-Q", "naive Q-learning", "GMF-V (exact)"} {
		var s Series
		s.Name = name
		for j := 0; j <= 50; j++ {
			x := float64(j * 200)
			y := -2 + 1.5*(1-math.Exp(-x/(1500*float64(i+1)))) + 0.05*math.Sin(float64(j)/2)
			w := 0.5 * math.Exp(-x/4000) * float64(2-i) / 2
			s.X, s.Y = append(s.X, x), append(s.Y, y)
			if i < 2 {
				s.Lower, s.Upper = append(s.Lower, y-w-0.03), append(s.Upper, y+w+0.03)
			}
		}
		if i == 2 {
			for j := range s.Y {
				s.Y[j] = -0.45
			}
		}
		out = append(out, s)
	}
	return out
}

// checkFiles checks that the PNG decodes to the requested size and the SVG starts like one.
func checkFiles(t *testing.T, pngPath, svgPath string, w, h vg.Length) {
	t.Helper()
	b, err := os.ReadFile(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) == 0 {
		t.Fatalf("%s is empty", pngPath)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", pngPath, err)
	}
	if got := img.Bounds().Size(); got.X != pixels(w) || got.Y != pixels(h) {
		t.Errorf("%s is %v pixels, want %dx%d", pngPath, got, pixels(w), pixels(h))
	}
	s, err := os.ReadFile(svgPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(s) == 0 {
		t.Fatalf("%s is empty", svgPath)
	}
	if !bytes.HasPrefix(s, []byte("<?xml")) || !bytes.Contains(s[:min(len(s), 400)], []byte("<svg")) {
		t.Errorf("%s does not start with an XML/SVG header: %q", svgPath, s[:min(len(s), 80)])
	}
	// The whole file is well-formed XML.
	dec := xml.NewDecoder(bytes.NewReader(s))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", svgPath, err)
		}
	}
}

// save writes d as name.png and name.svg (and, when PLOTCHECK_DIR is set, also there, to be
// looked at) and checks the files.
func save(t *testing.T, d Drawer, name string) {
	t.Helper()
	dir := t.TempDir()
	pngPath, svgPath := filepath.Join(dir, name+".png"), filepath.Join(dir, name+".svg")
	if err := SaveFigure(d, testW, testH, pngPath, svgPath); err != nil {
		t.Fatal(err)
	}
	checkFiles(t, pngPath, svgPath, testW, testH)
	assertNoTemp(t, dir)
	if out := os.Getenv("PLOTCHECK_DIR"); out != "" {
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := SaveFigure(d, testW, testH, filepath.Join(out, name+".png"), filepath.Join(out, name+".svg")); err != nil {
			t.Fatal(err)
		}
	}
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file %s left in %s", e.Name(), dir)
		}
	}
}

func TestConvergence(t *testing.T) {
	for _, n := range []int{1, 8, 120} {
		p, err := Convergence("GMF-V on a test game: convergence", "iteration k", "distance (log scale)", syntheticCurves(n)...)
		if err != nil {
			t.Fatal(err)
		}
		if n == 8 {
			save(t, p, "convergence")
		} else {
			save(t, p, "convergence-"+itoa(n))
		}
	}
	// Without exploitability or reference: two curves (empty series are left out).
	c := syntheticCurves(5)
	c[2].X, c[2].Y, c[3].X, c[3].Y = nil, nil, nil, nil
	p, err := Convergence("changes only", "iteration k", "change (log scale)", c...)
	if err != nil {
		t.Fatal(err)
	}
	save(t, p, "convergence-changes")
}

func TestConvergenceRejects(t *testing.T) {
	if _, err := Convergence("x", "k", "y"); err == nil {
		t.Error("no series: no error")
	}
	if _, err := Convergence("x", "k", "y", Series{Name: "empty"}); err == nil {
		t.Error("no points: no error")
	}
	if _, err := Convergence("x", "k", "y", Series{Name: "short", X: []float64{0, 1}, Y: []float64{1}}); err == nil {
		t.Error("unequal lengths: no error")
	}
	c := syntheticCurves(3)
	c[0].Y[1] = math.Inf(1)
	if _, err := Convergence("x", "k", "y", c...); err == nil {
		t.Error("+Inf change: no error")
	}
}

// Zero and negative values are drawn at a floor one decade below the decade of the least
// positive value, labelled "≤ 0" (there is a negative value), the lowest tick; a NaN is skipped.
func TestConvergenceClamps(t *testing.T) {
	c := syntheticCurves(4)
	c[2].Y[0] = -1e-9
	c[1].Y[1] = math.NaN()
	p, err := Convergence("clamped", "iteration k", "y", c...)
	if err != nil {
		t.Fatal(err)
	}
	minPos := math.Inf(1)
	for _, s := range c {
		for _, y := range s.Y {
			if y > 0 {
				minPos = math.Min(minPos, y)
			}
		}
	}
	want := math.Floor(math.Log10(minPos)) - 1
	if v, label := lowestTick(p); v != want || label != "≤ 0" {
		t.Errorf("lowest tick at exponent %g labelled %q, want %g labelled ≤ 0 (least positive value %g)", v, label, want, minPos)
	}
	if p.Y.Min > want || p.Y.Min < want-0.1*(p.Y.Max-want) {
		t.Errorf("y axis starts at exponent %g, want just below the floor %g", p.Y.Min, want)
	}
	save(t, p, "convergence-clamped")
}

func TestHeatmap(t *testing.T) {
	const S, A = 20, 5
	q := qTable(S, A)
	p, err := Heatmap(q, S, A, "Q-table", "action a", "state s")
	if err != nil {
		t.Fatal(err)
	}
	save(t, p, "heatmap")

	f, err := HeatmapWithColorBar(q, S, A, "Q-table Q(s, a)", "action a", "state s", "Q(s, a)")
	if err != nil {
		t.Fatal(err)
	}
	save(t, f, "heatmap-colorbar")

	bar, err := ColorBar(q, S, A, "Q(s, a)")
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(bar, vg.Inch, testH, filepath.Join(t.TempDir(), "bar.png")); err != nil {
		t.Fatal(err)
	}

	// Many cells, a constant matrix and NaN cells still draw.
	big, err := HeatmapWithColorBar(qTable(100, 40), 100, 40, "100×40", "a", "s", "value")
	if err != nil {
		t.Fatal(err)
	}
	save(t, big, "heatmap-big")
	flat := []float64{2, 2, math.NaN(), 2, 2, 2}
	cf, err := HeatmapWithColorBar(flat, 2, 3, "constant with a NaN", "a", "s", "v")
	if err != nil {
		t.Fatal(err)
	}
	save(t, cf, "heatmap-constant")
}

func TestHeatmapRejects(t *testing.T) {
	for _, c := range []struct {
		name       string
		values     []float64
		rows, cols int
	}{
		{"size mismatch", make([]float64, 5), 2, 3},
		{"no rows", nil, 0, 3},
		{"all NaN", []float64{math.NaN(), math.NaN()}, 1, 2},
		{"Inf", []float64{1, math.Inf(-1)}, 1, 2},
	} {
		if _, err := Heatmap(c.values, c.rows, c.cols, "", "", ""); err == nil {
			t.Errorf("%s: Heatmap gave no error", c.name)
		}
		if _, err := ColorBar(c.values, c.rows, c.cols, ""); err == nil {
			t.Errorf("%s: ColorBar gave no error", c.name)
		}
	}
}

func TestLines(t *testing.T) {
	p, err := Lines("C(π) during learning (90% bands)", "Q-learning samples", "C(π)", learningCurves()...)
	if err != nil {
		t.Fatal(err)
	}
	save(t, p, "lines")
}

func TestLinesRejects(t *testing.T) {
	good := Series{Name: "ok", X: []float64{0, 1}, Y: []float64{1, 2}}
	for name, s := range map[string]Series{
		"short y":     {Name: "a", X: []float64{0, 1}, Y: []float64{1}},
		"half band":   {Name: "b", X: []float64{0, 1}, Y: []float64{1, 2}, Lower: []float64{0, 1}},
		"short band":  {Name: "c", X: []float64{0, 1}, Y: []float64{1, 2}, Lower: []float64{0}, Upper: []float64{2}},
		"NaN":         {Name: "d", X: []float64{0, 1}, Y: []float64{1, math.NaN()}},
		"empty":       {Name: "e"},
		"Inf in band": {Name: "f", X: []float64{0, 1}, Y: []float64{1, 2}, Lower: []float64{0, 1}, Upper: []float64{2, math.Inf(1)}},
	} {
		if _, err := Lines("", "", "", good, s); err == nil || !strings.Contains(err.Error(), s.Name) {
			t.Errorf("%s: error %v, want one naming series %q", name, err, s.Name)
		}
	}
	if _, err := Lines("", "", ""); err == nil {
		t.Error("no series: no error")
	}
}

func TestSaveFormats(t *testing.T) {
	p, err := Lines("t", "x", "y", learningCurves()[:1]...)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "lines.PDF")
	if err := Save(p, testW, testH, pdf); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("%s: not a PDF (err %v)", pdf, err)
	}
	f, err := HeatmapWithColorBar(qTable(4, 3), 4, 3, "t", "a", "s", "q")
	if err != nil {
		t.Fatal(err)
	}
	heatPDF := filepath.Join(dir, "heat.pdf")
	if err := SaveFigure(f, testW, testH, heatPDF); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(heatPDF); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("%s: not a PDF (err %v)", heatPDF, err)
	}
	// Overwriting an existing file replaces it.
	pngPath := filepath.Join(dir, "x.png")
	if err := os.WriteFile(pngPath, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Save(p, 2*vg.Inch, vg.Inch, pngPath); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(pngPath); !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Errorf("%s was not replaced by a PNG", pngPath)
	}
	if fi, err := os.Stat(pngPath); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("%s: mode %v (err %v), want 0644", pngPath, fi.Mode(), err)
	}
	assertNoTemp(t, dir)
}

func TestSaveErrors(t *testing.T) {
	p, err := Lines("t", "x", "y", learningCurves()[:1]...)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	missing := filepath.Join(dir, "no-such-dir", "out.png")
	err = Save(p, testW, testH, missing)
	if err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("save to %s: error %v, want one naming the path", missing, err)
	}
	unknown := filepath.Join(dir, "out.gif")
	if err := Save(p, testW, testH, unknown); err == nil || !strings.Contains(err.Error(), unknown) {
		t.Errorf("save to %s: error %v, want one naming the path", unknown, err)
	}
	if err := Save(p, 0, testH, filepath.Join(dir, "zero.png")); err == nil {
		t.Error("zero width: no error")
	}
	if err := Save(nil, testW, testH, filepath.Join(dir, "nil.png")); err == nil {
		t.Error("nil plot: no error")
	}
	if err := Save(p, testW, testH); err == nil {
		t.Error("no path: no error")
	}
	// A plot gonum panics on (a non-positive value on a log axis) gives an error, not a panic,
	// and leaves neither the file nor a temporary file.
	bad := plot.New()
	bad.Y.Scale = plot.LogScale{}
	bad.Y.Min, bad.Y.Max = -1, 1
	badPath := filepath.Join(dir, "bad.svg")
	if err := Save(bad, testW, testH, badPath); err == nil || !strings.Contains(err.Error(), badPath) {
		t.Errorf("save of an undrawable plot: error %v, want one naming the path", err)
	}
	if _, err := os.Stat(badPath); !os.IsNotExist(err) {
		t.Errorf("%s exists after a failed save", badPath)
	}
	assertNoTemp(t, dir)
	if _, err := os.Stat(filepath.Dir(missing)); !os.IsNotExist(err) {
		t.Errorf("%s was created", filepath.Dir(missing))
	}
}

func TestViridis(t *testing.T) {
	v := Viridis()
	v.SetMin(-2)
	v.SetMax(2)
	lo, err := v.At(-2)
	if err != nil {
		t.Fatal(err)
	}
	hi, err := v.At(2)
	if err != nil {
		t.Fatal(err)
	}
	if r, g, b, _ := lo.RGBA(); r>>8 != 0x44 || g>>8 != 0x01 || b>>8 != 0x54 {
		t.Errorf("At(min) = %v, want #440154", lo)
	}
	if r, g, b, _ := hi.RGBA(); r>>8 != 0xFD || g>>8 != 0xE7 || b>>8 != 0x25 {
		t.Errorf("At(max) = %v, want #FDE725", hi)
	}
	if _, err := v.At(2.5); err == nil {
		t.Error("At outside the range: no error")
	}
	if got := len(v.Palette(7).Colors()); got != 7 {
		t.Errorf("Palette(7) has %d colours", got)
	}
}
