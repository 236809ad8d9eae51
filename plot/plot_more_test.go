package plot

import (
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// samplePaths returns n noisy paths over k = 0..K-1: a geometric decay from about start at rate
// per step down to a plateau, with multiplicative noise; zeros makes the last value of the first
// path exactly 0.
func samplePaths(seed uint64, n, K int, start, rate, plateau float64, zeros bool) PathGroup {
	rng := rand.New(rand.NewPCG(seed, 1))
	var g PathGroup
	for k := range K {
		g.X = append(g.X, float64(k))
	}
	for range n {
		path := make([]float64, K)
		s := start * math.Exp(0.4*rng.NormFloat64())
		for k := range path {
			path[k] = (s*math.Pow(rate, float64(k)) + plateau) * math.Exp(0.3*rng.NormFloat64())
		}
		g.Paths = append(g.Paths, path)
	}
	if zeros {
		g.Paths[0][K-1] = 0
	}
	return g
}

func distanceGroups(zeros bool) []PathGroup {
	naive := samplePaths(1, 30, 40, 1.2, 0.97, 0.25, false)
	naive.Name = "naive"
	gmfq := samplePaths(2, 30, 40, 1.2, 0.8, 1e-3, zeros)
	gmfq.Name = "GMF-Q"
	return []PathGroup{naive, gmfq}
}

func TestPaths(t *testing.T) {
	groups := distanceGroups(false)
	lin, err := Paths("Distance to the equilibrium, 30 runs each", "outer iteration k", "||L(k) − L*||₁", false, groups...)
	if err != nil {
		t.Fatal(err)
	}
	save(t, lin, "paths")
	logp, err := Paths("Distance to the equilibrium, 30 runs each", "outer iteration k", "||L(k) − L*||₁", true, groups...)
	if err != nil {
		t.Fatal(err)
	}
	save(t, logp, "paths-log")
	if got := logp.Legend.TextStyle.Font.Size; got == 0 {
		t.Error("legend has no font size")
	}

	// Non-integer x, one path, a constant group, a single point.
	one := PathGroup{Name: "one", X: []float64{0.5, 1.25, 2}, Paths: [][]float64{{1, 2, 1.5}}}
	flat := PathGroup{X: []float64{0.5, 1.25, 2}, Paths: [][]float64{{3, 3, 3}, {3, 3, 3}}}
	p, err := Paths("odd cases", "x", "y", false, one, flat)
	if err != nil {
		t.Fatal(err)
	}
	save(t, p, "paths-odd")
	point := PathGroup{Name: "point", X: []float64{3}, Paths: [][]float64{{2}}}
	for _, logY := range []bool{false, true} {
		p, err := Paths("one point", "x", "y", logY, point)
		if err != nil {
			t.Fatal(err)
		}
		save(t, p, "paths-point")
	}
}

func TestPathsClamps(t *testing.T) {
	groups := distanceGroups(true)
	groups[0].Paths[3][5] = -0.2
	p, err := Paths("clamped", "k", "d", true, groups...)
	if err != nil {
		t.Fatal(err)
	}
	// The least positive value is about 1e-4: the zero and the negative value are drawn one
	// decade below its decade, at the bottom of the axis, labelled "≤ 0".
	minPos := math.Inf(1)
	for _, g := range groups {
		for _, path := range g.Paths {
			for _, v := range path {
				if v > 0 {
					minPos = math.Min(minPos, v)
				}
			}
		}
	}
	if v, label := lowestTick(p); v != math.Floor(math.Log10(minPos))-1 || label != "≤ 0" {
		t.Errorf("lowest tick at exponent %g labelled %q, want %g labelled ≤ 0 (least positive value %g)", v, label, math.Floor(math.Log10(minPos))-1, minPos)
	}
	save(t, p, "paths-clamped")

	// Below LogFloor: clamped to LogFloor, labelled as such.
	tiny := PathGroup{Name: "tiny", X: []float64{0, 1, 2}, Paths: [][]float64{{1, 1e-20, 0}}}
	p, err = Paths("tiny", "k", "d", true, tiny)
	if err != nil {
		t.Fatal(err)
	}
	if v, label := lowestTick(p); v != math.Log10(LogFloor) || label != "≤ 1e-16" {
		t.Errorf("lowest tick at exponent %g labelled %q, want %g labelled ≤ 1e-16", v, label, math.Log10(LogFloor))
	}
	// Nothing positive: everything at LogFloor, labelled "≤ 0", the only tick.
	zero := PathGroup{Name: "zero", X: []float64{0, 1}, Paths: [][]float64{{0, -1}, {0, 0}}}
	p, err = Paths("zero", "k", "d", true, zero)
	if err != nil {
		t.Fatal(err)
	}
	if v, label := lowestTick(p); v != math.Log10(LogFloor) || label != "≤ 0" {
		t.Errorf("lowest tick at exponent %g labelled %q, want %g labelled ≤ 0", v, label, math.Log10(LogFloor))
	}
	if n := len(p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max)); n != 1 {
		t.Errorf("%d ticks on an axis where nothing is positive, want the floor's only", n)
	}
	save(t, p, "paths-zero")
	// On a linear axis the values are drawn as they are: the axis starts just below -0.2.
	lin, err := Paths("linear", "k", "d", false, groups...)
	if err != nil {
		t.Fatal(err)
	}
	if lin.Y.Min >= -0.2 || lin.Y.Min < -0.2-0.05*(lin.Y.Max+0.2) {
		t.Errorf("linear y axis starts at %g, want just below -0.2", lin.Y.Min)
	}
}

// saveSized is save at another size.
func saveSized(t *testing.T, d Drawer, name string, w, h vg.Length) {
	t.Helper()
	dir := t.TempDir()
	pngPath, svgPath := filepath.Join(dir, name+".png"), filepath.Join(dir, name+".svg")
	if err := SaveFigure(d, w, h, pngPath, svgPath); err != nil {
		t.Fatal(err)
	}
	checkFiles(t, pngPath, svgPath, w, h)
	if out := os.Getenv("PLOTCHECK_DIR"); out != "" {
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := SaveFigure(d, w, h, filepath.Join(out, name+".png")); err != nil {
			t.Fatal(err)
		}
	}
}

// lowestTick is the value and label of p's lowest y tick within its range.
func lowestTick(p *plot.Plot) (float64, string) {
	v, label := math.Inf(1), "(no tick)"
	for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if tk.Value < v && tk.Value >= p.Y.Min {
			v, label = tk.Value, tk.Label
		}
	}
	return v, label
}

func TestDecadeTicks(t *testing.T) {
	labels := func(lo, hi float64) map[float64]string {
		m := map[float64]string{}
		for _, tk := range decadeTicks(10).Ticks(lo, hi) {
			if tk.Label != "" {
				m[tk.Value] = tk.Label
			}
		}
		return m
	}
	// Every decade from 1e-4 (which plot.LogTicks loses) to 100.
	got := labels(-4, 2)
	for e, want := range map[float64]string{-4: "1e-4", -3: "0.001", 0: "1", 2: "100"} {
		if got[e] != want {
			t.Errorf("[-4, 2]: label at %v is %q, want %q", e, got[e], want)
		}
	}
	if len(got) != 7 {
		t.Errorf("[-4, 2]: %d labels %v, want 7", len(got), got)
	}
	// Minor ticks: 8 per decade.
	if n := len(decadeTicks(10).Ticks(-4, 2)); n != 7+6*8 {
		t.Errorf("[-4, 2]: %d ticks, want %d", n, 7+6*8)
	}
	// Many decades: every other one labelled, no minor ticks.
	if got := labels(-16, 4); len(got) != 11 || got[-16] != "1e-16" || got[4] != "10000" {
		t.Errorf("[-16, 4]: labels %v", got)
	}
}

func TestPathsRejects(t *testing.T) {
	x := []float64{0, 1, 2}
	good := PathGroup{Name: "good", X: x, Paths: [][]float64{{1, 2, 3}}}
	for name, g := range map[string]PathGroup{
		"ragged short": {Name: "a", X: x, Paths: [][]float64{{1, 2, 3}, {1, 2}}},
		"ragged long":  {Name: "b", X: x, Paths: [][]float64{{1, 2, 3, 4}}},
		"no paths":     {Name: "c", X: x},
		"no x":         {Name: "d", Paths: [][]float64{{}}},
		"NaN":          {Name: "e", X: x, Paths: [][]float64{{1, math.NaN(), 3}}},
		"Inf":          {Name: "f", X: x, Paths: [][]float64{{1, 2, math.Inf(1)}}},
		"Inf x":        {Name: "g", X: []float64{0, math.Inf(1), 2}, Paths: [][]float64{{1, 2, 3}}},
	} {
		for _, logY := range []bool{false, true} {
			if _, err := Paths("", "", "", logY, good, g); err == nil || !strings.Contains(err.Error(), g.Name) {
				t.Errorf("%s (logY %v): error %v, want one naming group %q", name, logY, err, g.Name)
			}
		}
	}
	if _, err := Paths("", "", "", false); err == nil {
		t.Error("no groups: no error")
	}
}

func TestHeatmapPair(t *testing.T) {
	const S, A = 20, 5
	q := qTable(S, A)
	v := make([]float64, len(q))
	for i := range q {
		v[i] = 0.9*q[i] + 0.3 // a different range: the scale must cover both
	}
	f, err := HeatmapPair(q, v, S, A, "Q-tables on one colour scale", "GMF-Q", "GMF-V", "action a", "state s", "Q(s, a)")
	if err != nil {
		t.Fatal(err)
	}
	save(t, f, "heatmap-pair")

	// Constant matrices (the scale is value ± 0.5) and a single cell.
	c, err := HeatmapPair([]float64{1, 1}, []float64{1, 1}, 1, 2, "", "left", "right", "a", "s", "v")
	if err != nil {
		t.Fatal(err)
	}
	save(t, c, "heatmap-pair-constant")
	if _, err := HeatmapPair([]float64{1}, []float64{2}, 1, 1, "t", "", "", "", "", ""); err != nil {
		t.Fatal(err)
	}
}

func TestHeatmapPairRejects(t *testing.T) {
	ok := []float64{1, 2, 3, 4, 5, 6}
	for _, c := range []struct {
		name        string
		left, right []float64
		rows, cols  int
		want        string // in the error
	}{
		{"short left", ok[:5], ok, 2, 3, "left"},
		{"long right", ok, append(ok, 7), 2, 3, "right"},
		{"wrong dims", ok, ok, 3, 3, "left"},
		{"no rows", nil, nil, 0, 3, "rows"},
		{"no cols", nil, nil, 2, 0, "cols"},
		{"NaN left", []float64{1, math.NaN(), 3, 4, 5, 6}, ok, 2, 3, "left"},
		{"NaN right", ok, []float64{1, 2, 3, 4, 5, math.NaN()}, 2, 3, "right"},
		{"+Inf", ok, []float64{math.Inf(1), 2, 3, 4, 5, 6}, 2, 3, "Inf"},
		{"-Inf", []float64{1, 2, 3, math.Inf(-1), 5, 6}, ok, 2, 3, "Inf"},
	} {
		d, err := HeatmapPair(c.left, c.right, c.rows, c.cols, "", "", "", "", "", "")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
		if d != nil {
			t.Errorf("%s: non-nil figure %v with the error", c.name, d)
		}
	}
}

// cellColors renders f as a PNG through SaveFigure, decodes it and returns the colour at the
// centre of every cell of the left and the right heat map.
func cellColors(t *testing.T, f *HeatmapPairFigure, rows, cols int) (left, right []color.RGBA) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pair.png")
	if err := SaveFigure(f, testW, testH, path); err != nil {
		t.Fatal(err)
	}
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	img, err := png.Decode(file)
	if err != nil {
		t.Fatal(err)
	}
	// The same layout, computed on a scratch canvas of the same size.
	lc, rc, _ := f.layout(draw.New(vgimg.NewWith(vgimg.UseWH(testW, testH), vgimg.UseDPI(PNGDPI))))
	at := func(p *plot.Plot, c draw.Canvas) []color.RGBA {
		data := p.DataCanvas(c)
		trX, trY := p.Transforms(&data)
		var out []color.RGBA
		for r := range rows {
			for col := range cols {
				x := int(trX(float64(col)).Points() / 72 * PNGDPI)
				y := pixels(testH) - 1 - int(trY(float64(r)).Points()/72*PNGDPI)
				out = append(out, color.RGBAModel.Convert(img.At(x, y)).(color.RGBA))
			}
		}
		return out
	}
	return at(f.Left, lc), at(f.Right, rc)
}

func closeColors(a, b color.RGBA) bool {
	d := func(x, y uint8) bool { return max(x, y)-min(x, y) <= 1 }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}

// expectedColor is the colour the heat maps give v on the scale [lo, hi].
func expectedColor(v, lo, hi float64) color.RGBA {
	pal := Viridis().Palette(heatColors).Colors()
	return color.RGBAModel.Convert(pal[int((v-lo)*float64(len(pal)-1)/(hi-lo)+0.5)]).(color.RGBA)
}

func TestHeatmapPairSameColours(t *testing.T) {
	const rows, cols = 3, 4
	// Identical matrices: the same colours cell by cell.
	m := []float64{-1, 0, 0.5, 2, 3, 3.5, 4, 6, 7, 8, 8.5, 9}
	d, err := HeatmapPair(m, m, rows, cols, "identical", "left", "right", "a", "s", "v")
	if err != nil {
		t.Fatal(err)
	}
	l, r := cellColors(t, d.(*HeatmapPairFigure), rows, cols)
	for i := range m {
		if l[i] != r[i] {
			t.Errorf("cell (%d, %d) = %v: left colour %v, right colour %v", i/cols, i%cols, m[i], l[i], r[i])
		}
		if want := expectedColor(m[i], -1, 9); !closeColors(l[i], want) {
			t.Errorf("cell (%d, %d) = %v: colour %v, want %v", i/cols, i%cols, m[i], l[i], want)
		}
	}
	if l[0] == l[len(l)-1] {
		t.Errorf("the least and the greatest cell have the same colour %v", l[0])
	}

	// Different ranges: left in [0, 3], right in [1, 10]. The scale is [0, 10], so equal values
	// match across the panels and the left maximum is not yellow.
	left := []float64{0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3}
	right := []float64{1, 2, 3, 10, 4, 5, 6, 7, 8, 9, 10, 10}
	d, err = HeatmapPair(left, right, rows, cols, "shared", "left", "right", "a", "s", "v")
	if err != nil {
		t.Fatal(err)
	}
	l, r = cellColors(t, d.(*HeatmapPairFigure), rows, cols)
	for i, v := range left {
		if want := expectedColor(v, 0, 10); !closeColors(l[i], want) {
			t.Errorf("left cell %d = %v: colour %v, want %v", i, v, l[i], want)
		}
		for j, w := range right {
			if v == w && l[i] != r[j] {
				t.Errorf("value %v: left cell %d colour %v, right cell %d colour %v", v, i, l[i], j, r[j])
			}
		}
	}
	for j, w := range right {
		if want := expectedColor(w, 0, 10); !closeColors(r[j], want) {
			t.Errorf("right cell %d = %v: colour %v, want %v", j, w, r[j], want)
		}
	}
	yellow := color.RGBA{R: 0xFD, G: 0xE7, B: 0x25, A: 0xFF}
	if !closeColors(r[3], yellow) || closeColors(l[3], yellow) {
		t.Errorf("right maximum colour %v (want %v), left maximum %v (want not yellow)", r[3], yellow, l[3])
	}
}

func TestHeatmapPairAligned(t *testing.T) {
	// A left title and none on the right, a long y label on the left only: the data areas still
	// coincide vertically and have the same width, and the bar spans the same height.
	d, err := HeatmapPair(qTable(6, 3), qTable(6, 3), 6, 3, "", "with a title", "", "a", "state s", "v")
	if err != nil {
		t.Fatal(err)
	}
	f := d.(*HeatmapPairFigure)
	c := draw.New(vgimg.NewWith(vgimg.UseWH(testW, testH), vgimg.UseDPI(PNGDPI)))
	lc, rc, bc := f.layout(c)
	ld, rd, bd := f.Left.DataCanvas(lc), f.Right.DataCanvas(rc), f.Bar.DataCanvas(bc)
	near := func(a, b vg.Length) bool { return math.Abs(float64(a-b)) < 1e-6 }
	if !near(ld.Min.Y, rd.Min.Y) || !near(ld.Max.Y, rd.Max.Y) || !near(ld.Min.Y, bd.Min.Y) || !near(ld.Max.Y, bd.Max.Y) {
		t.Errorf("data areas not level: left %v, right %v, bar %v", ld.Rectangle, rd.Rectangle, bd.Rectangle)
	}
	if !near(ld.Size().X, rd.Size().X) {
		t.Errorf("data widths differ: left %v, right %v", ld.Size().X, rd.Size().X)
	}
	if !(ld.Max.X < rd.Min.X && rd.Max.X < bd.Min.X && bd.Max.X <= c.Max.X+1e-6) {
		t.Errorf("panels overlap or overflow: left %v, right %v, bar %v in %v", ld.Rectangle, rd.Rectangle, bd.Rectangle, c.Rectangle)
	}
}

func TestGrid(t *testing.T) {
	groups := distanceGroups(true)
	linf, err := Paths("l∞ distance", "outer iteration k", "||L(k) − L*||∞", true, groups...)
	if err != nil {
		t.Fatal(err)
	}
	l1, err := Paths("l1 distance", "outer iteration k", "||L(k) − L*||₁", false, groups...)
	if err != nil {
		t.Fatal(err)
	}
	save(t, Grid(2, "Distance to the equilibrium: naive vs GMF-Q (30 runs each)", linf, l1), "grid")

	// Mixed panels, an empty cell, a nested grid, and degenerate grids all draw.
	heat, err := HeatmapWithColorBar(qTable(10, 4), 10, 4, "Q-table", "a", "s", "Q")
	if err != nil {
		t.Fatal(err)
	}
	var nilPlot *plot.Plot
	mixed := Grid(2, "Mixed panels: plot, heat map with colour bar, empty cell, nested grid", linf, heat, nil, Grid(1, "", l1))
	saveSized(t, mixed, "grid-mixed", 10*vg.Inch, 7*vg.Inch)
	for name, g := range map[string]*GridFigure{
		"empty":      Grid(3, "only a title"),
		"no title":   Grid(0, "", l1, linf),
		"wide":       Grid(5, "more columns than panels", l1),
		"nil panels": Grid(2, "nothing", nil, nilPlot),
	} {
		if err := SaveFigure(g, testW, testH, filepath.Join(t.TempDir(), "g.png")); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestGridAligned(t *testing.T) {
	// Two plots with very different y tick labels: their data areas are level and equally wide.
	a, err := Paths("a", "k", "y", false, PathGroup{Name: "big", X: []float64{0, 1}, Paths: [][]float64{{1e5, 2.5e5}}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Paths("", "k", "", true, PathGroup{Name: "small", X: []float64{0, 1}, Paths: [][]float64{{1, 2}}})
	if err != nil {
		t.Fatal(err)
	}
	b.Title.Text = "b" // a plot with a labelled top tick and one without: titles still level
	g := Grid(2, "t", a, b)
	c := draw.New(vgimg.NewWith(vgimg.UseWH(testW, testH), vgimg.UseDPI(PNGDPI)))
	panels, cells := g.layout(c)
	if len(cells) != 2 || len(panels) != 2 {
		t.Fatalf("%d cells and %d panels, want 2", len(cells), len(panels))
	}
	top := c.Max.Y - vg.Points(figureTitleSize)
	if cells[0].Max.Y > top || cells[1].Max.Y > top {
		t.Errorf("cells %v and %v overlap the title (below %v)", cells[0].Rectangle, cells[1].Rectangle, top)
	}
	if cells[0].Max.Y != cells[1].Max.Y {
		t.Errorf("panel titles not level: cells %v and %v", cells[0].Rectangle, cells[1].Rectangle)
	}
	ad, bd := panels[0].(*plot.Plot).DataCanvas(cells[0]), panels[1].(*plot.Plot).DataCanvas(cells[1])
	if math.Abs(float64(ad.Min.Y-bd.Min.Y)) > 1e-6 || math.Abs(float64(ad.Max.Y-bd.Max.Y)) > 1e-6 {
		t.Errorf("data areas not level: %v and %v", ad.Rectangle, bd.Rectangle)
	}
	if math.Abs(float64(ad.Size().X-bd.Size().X)) > 1e-6 {
		t.Errorf("data widths differ: %v and %v", ad.Size().X, bd.Size().X)
	}
}

// recorder is a Drawer that reports the canvases it is drawn on.
type recorder struct{ f func(c draw.Canvas) }

func (r recorder) Draw(c draw.Canvas) { r.f(c) }

func TestGridCells(t *testing.T) {
	// Non-plot panels fill equal cells, row by row, below the title.
	var got []vg.Rectangle
	rec := recorder{func(c draw.Canvas) { got = append(got, c.Rectangle) }}
	g := Grid(2, "title", rec, rec, rec)
	c := draw.New(vgimg.NewWith(vgimg.UseWH(testW, testH), vgimg.UseDPI(PNGDPI)))
	g.Draw(c)
	if len(got) != 3 {
		t.Fatalf("%d panels drawn, want 3", len(got))
	}
	if !(got[0].Min.X < got[1].Min.X && got[0].Min.Y == got[1].Min.Y && got[2].Min.X == got[0].Min.X && got[2].Max.Y < got[0].Min.Y) {
		t.Errorf("cells not in a 2-column grid: %v", got)
	}
	if got[0].Size() != got[1].Size() || got[0].Size() != got[2].Size() {
		t.Errorf("cells of different sizes: %v", got)
	}
	if got[0].Max.Y >= c.Max.Y-vg.Points(figureTitleSize) {
		t.Errorf("top cell %v overlaps the title", got[0])
	}
	if got[2].Min.Y != c.Min.Y || got[1].Max.X != c.Max.X {
		t.Errorf("cells do not fill the canvas: %v in %v", got, c.Rectangle)
	}
}

// TestPathsPixels checks that the paths are semi-transparent and the mean opaque: a single-group
// plot whose paths are far from the mean shows the group's colour diluted where only a path
// passes, and at full strength on the mean.
func TestPathsPixels(t *testing.T) {
	const K = 11
	g := PathGroup{Name: "g", Paths: [][]float64{make([]float64, K), make([]float64, K)}}
	for k := range K {
		g.X = append(g.X, float64(k))
		g.Paths[0][k], g.Paths[1][k] = 0, 10 // mean 5
	}
	p, err := Paths("", "", "", false, g)
	if err != nil {
		t.Fatal(err)
	}
	c := vgimg.NewWith(vgimg.UseWH(testW, testH), vgimg.UseDPI(PNGDPI))
	p.Draw(draw.New(c))
	img := c.Image()
	dc := p.DataCanvas(draw.New(c))
	trX, trY := p.Transforms(&dc)
	px := func(x, y float64) color.RGBA {
		pt := image.Point{X: int(trX(x).Points() / 72 * PNGDPI), Y: pixels(testH) - 1 - int(trY(y).Points()/72*PNGDPI)}
		return color.RGBAModel.Convert(img.At(pt.X, pt.Y)).(color.RGBA)
	}
	blue := seriesColor(0)
	if m := px(5, 5); !closeColors(m, blue) {
		t.Errorf("mean pixel %v, want the opaque group colour %v", m, blue)
	}
	// A 0.6-point line is about 1.25 pixels wide: its centre pixel is at most the colour at
	// PathAlpha over white, never the opaque colour.
	if q := px(5, 10); q.R <= blue.R+40 {
		t.Errorf("path pixel %v is not lighter than the opaque colour %v", q, blue)
	}
}

func TestLogLinesRejectsNonPositiveLinesAndDrawsBands(t *testing.T) {
	if _, err := LogLines("t", "x", "y", Series{Name: "a", X: []float64{1, 2}, Y: []float64{1, 0}}); err == nil {
		t.Error("LogLines accepted a zero on a line")
	}
	p, err := LogLines("t", "x", "y (log)", Series{Name: "a", X: []float64{1, 2, 3}, Y: []float64{0.05, 0.2, 20},
		Lower: []float64{-0.1, 0.1, 15}, Upper: []float64{0.1, 0.3, 25}})
	if err != nil {
		t.Fatal(err)
	}
	// The axis covers the lines and bands, from the floor of the band's bound -0.1 (one decade
	// below the decade of 0.05: 0.001, labelled "≤ 0") to 25, with margins of at most 5%.
	if v, label := lowestTick(p); v != -3 || label != "≤ 0" {
		t.Errorf("lowest tick at exponent %g labelled %q, want -3 labelled ≤ 0", v, label)
	}
	span := math.Log10(25) + 3
	if p.Y.Min > -3 || p.Y.Max < math.Log10(25) || p.Y.Min < -3-0.05*span || p.Y.Max > math.Log10(25)+0.05*span {
		t.Errorf("y axis [%v, %v] does not fit [-3, log10 25] within 5%%", p.Y.Min, p.Y.Max)
	}
	path := filepath.Join(t.TempDir(), "log.png")
	if err := Save(p, 300, 200, path); err != nil {
		t.Fatal(err)
	}
}

// A long curve is thinned to the envelope of its runs: its first and last points, and the lowest
// and highest point of every run, in order; short curves are kept as they are.
func TestThinKeepsTheEnvelope(t *testing.T) {
	short := plotter.XYs{{X: 0, Y: 1}, {X: 1, Y: 3}, {X: 2, Y: 2}}
	if got := thin(short, 2); len(got) != 3 {
		t.Errorf("a curve of 3 points thinned to %d", len(got))
	}
	xys := make(plotter.XYs, 100)
	for i := range xys {
		xys[i] = plotter.XY{X: float64(i), Y: float64((i * 37) % 101)}
	}
	got := thin(xys, 10)
	if got[0] != xys[0] || got[len(got)-1] != xys[99] || len(got) > 22 {
		t.Fatalf("thinned to %d points from %v to %v", len(got), got[0], got[len(got)-1])
	}
	for b := 0; b < 10; b++ {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, p := range xys[b*10 : b*10+10] {
			lo, hi = math.Min(lo, p.Y), math.Max(hi, p.Y)
		}
		var kept []float64
		for _, p := range got {
			if p.X >= float64(b*10) && p.X < float64(b*10+10) {
				kept = append(kept, p.Y)
			}
		}
		if !slices.Contains(kept, lo) || !slices.Contains(kept, hi) {
			t.Errorf("run %d: kept %v, not its lowest %v and highest %v", b, kept, lo, hi)
		}
	}
	for i := 1; i < len(got); i++ {
		if got[i].X <= got[i-1].X {
			t.Fatalf("points out of order at %d: %v after %v", i, got[i], got[i-1])
		}
	}
}

// integerTicks visits the multiples of its steps only, and finds the ticks a visit of every
// integer of the range found: ranges of every sign and length, ends on and off the steps.
func TestIntegerTicksAsEveryInteger(t *testing.T) {
	every := func(min, max float64) []plot.Tick { // the ticker before, visiting every integer
		lo, hi := int(math.Ceil(min-1e-9)), int(math.Floor(max+1e-9))
		if hi < lo {
			return nil
		}
		step := niceStep(float64(hi-lo), 10)
		minor := 0
		for _, m := range []int{1, step / 5, step / 2} {
			if m >= 1 && step%m == 0 && (hi-lo)/m <= 60 {
				minor = m
				break
			}
		}
		var ticks []plot.Tick
		for v := lo; v <= hi; v++ {
			switch {
			case v%step == 0:
				ticks = append(ticks, plot.Tick{Value: float64(v), Label: itoa(v)})
			case minor > 0 && v%minor == 0:
				ticks = append(ticks, plot.Tick{Value: float64(v)})
			}
		}
		return ticks
	}
	ticker := integerTicks(10, itoa)
	for _, r := range [][2]float64{{0, 10010}, {0, 10}, {1, 1}, {0.5, 0.7}, {-7, 13}, {-10010, -3}, {-1234.5, 98765.2}, {3, 2}, {0, 100000}, {17, 123457}} {
		got, want := ticker.Ticks(r[0], r[1]), every(r[0], r[1])
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ticks of [%v, %v]: %v, want %v", r[0], r[1], got, want)
		}
	}
}

// curvePoints draws what thinning the list of every point drew: the same points, for curves
// short and long, settled (runs of equal values), oscillating, with zeros and values below the
// floor.
func TestCurvePointsAsThinOfEveryPoint(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 10, 300, 301, 302, 1000, 10011} {
		c := Series{Name: "c", X: make([]float64, n), Y: make([]float64, n)}
		for i := range n {
			c.X[i] = float64(i)
			switch r := rng.IntN(10); {
			case r < 4 && i > 0:
				c.Y[i] = c.Y[i-1] // a run
			case r == 4:
				c.Y[i] = 0
			case r == 5:
				c.Y[i] = 1e-20
			default:
				c.Y[i] = math.Exp(-20 * rng.Float64())
			}
		}
		ax := newLogAxis(c.Y)
		every := make(plotter.XYs, n)
		for i := range every {
			every[i] = plotter.XY{X: c.X[i], Y: ax.y(c.Y[i])}
		}
		want := thinReference(every, thinBuckets)
		if got := curvePoints(c, ax); !slices.Equal(got, want) {
			t.Errorf("%d points: curvePoints drew %d points, thin of every point %d, or other ones", n, len(got), len(want))
		}
		if got := thin(every, thinBuckets); !slices.Equal(got, want) {
			t.Errorf("%d points: thin kept %d points, the reference %d, or other ones", n, len(got), len(want))
		}
	}
}

// thinReference is thin as it was written on the list of every point, before thinPoints.
func thinReference(xys plotter.XYs, buckets int) plotter.XYs {
	n := len(xys)
	if n <= 2*buckets {
		return xys
	}
	out, last := plotter.XYs{xys[0]}, 0
	keep := func(i int) {
		if i > last {
			out, last = append(out, xys[i]), i
		}
	}
	for b := 0; b < buckets; b++ {
		lo, hi := b*n/buckets, (b+1)*n/buckets
		imin, imax := lo, lo
		for i := lo; i < hi; i++ {
			if xys[i].Y < xys[imin].Y {
				imin = i
			}
			if xys[i].Y > xys[imax].Y {
				imax = i
			}
		}
		keep(min(imin, imax))
		keep(max(imin, imax))
	}
	keep(n - 1)
	return out
}

// textWidth answers what Face.Width measures, measured or remembered, for texts and sizes
// repeated and new, and past the limit of widths remembered.
func TestTextWidthAsFaceWidth(t *testing.T) {
	h := newScriptText()
	for i := range widthsLimit + 100 {
		for _, size := range []vg.Length{7, 10, 10.5} {
			fnt := plot.DefaultFont
			fnt.Size = size
			face := h.Fonts.Lookup(fnt, size)
			s := strconv.Itoa(i % (widthsLimit / 2))
			if i%7 == 0 {
				s = "exploitability of π_k" // repeated
			}
			if got, want := textWidth(face, s), face.Width(s); got != want {
				t.Fatalf("%q at %v: width %v, Face.Width %v", s, size, got, want)
			}
		}
	}
}

// lower and higher are math.Min and math.Max bit for bit, on the values their rules single out
// (NaN, ±0, ±Inf) and on ordinary ones.
func TestLowerHigherAsMathMinMax(t *testing.T) {
	vals := []float64{math.NaN(), math.Inf(-1), math.Inf(1), math.Copysign(0, -1), 0, -1, 1, 1e-300, -2.5, 5e-324}
	for _, a := range vals {
		for _, b := range vals {
			if got, want := math.Float64bits(lower(a, b)), math.Float64bits(math.Min(a, b)); got != want && !(math.IsNaN(lower(a, b)) && math.IsNaN(math.Min(a, b))) {
				t.Errorf("lower(%v, %v) = %v, math.Min %v", a, b, lower(a, b), math.Min(a, b))
			}
			if got, want := math.Float64bits(higher(a, b)), math.Float64bits(math.Max(a, b)); got != want && !(math.IsNaN(higher(a, b)) && math.IsNaN(math.Max(a, b))) {
				t.Errorf("higher(%v, %v) = %v, math.Max %v", a, b, higher(a, b), math.Max(a, b))
			}
		}
	}
}

// Linear ticks on a range a few ulps wide (a 1×1 crowd-motion grid's colour bar) end, with the
// range's two ends; they looped without end, appending ticks until memory ran out.
func TestLinearTicksOnARangeOfUlps(t *testing.T) {
	for _, r := range [][2]float64{{1.0000000000000002, 1.0000000000000009}, {-1e300, math.Nextafter(-1e300, 0)},
		{123456789, math.Nextafter(123456789, 2e9)}} {
		ticks := linearTicks(6).Ticks(r[0], r[1])
		if len(ticks) == 0 || len(ticks) > 100 {
			t.Fatalf("%v: %d ticks", r, len(ticks))
		}
		for _, tk := range ticks {
			if tk.Value < r[0] || tk.Value > r[1] {
				t.Errorf("%v: tick %v outside the range", r, tk.Value)
			}
		}
	}
	if got := linearTicks(6).Ticks(0, 1); len(got) < 3 { // the ordinary case is unchanged
		t.Errorf("[0, 1]: %d ticks", len(got))
	}
}
