package plot

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// vgsvgBytes draws d as gonum's vgsvg draws it, w×h.
func vgsvgBytes(t *testing.T, d Drawer, w, h vg.Length) []byte {
	t.Helper()
	c := vgsvg.New(w, h)
	d.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// svgCanvasBytes draws d on an svgCanvas, w×h.
func svgCanvasBytes(t *testing.T, d Drawer, w, h vg.Length) []byte {
	t.Helper()
	var buf bytes.Buffer
	c := newSVGCanvas(&buf, w, h)
	d.Draw(draw.New(c))
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sameSVG checks that the svgCanvas writes vgsvg's bytes for d.
func sameSVG(t *testing.T, name string, d Drawer, w, h vg.Length) {
	t.Helper()
	want, got := vgsvgBytes(t, d, w, h), svgCanvasBytes(t, d, w, h)
	if bytes.Equal(got, want) {
		return
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(0, i-120)
	t.Errorf("%s: %d bytes, vgsvg's %d; first difference at byte %d:\n got  …%q\n want …%q", name, len(got), len(want), i,
		got[lo:min(len(got), i+120)], want[lo:min(len(want), i+120)])
}

// drawerFunc is a function that draws on a canvas.
type drawerFunc func(c draw.Canvas)

func (f drawerFunc) Draw(c draw.Canvas) { f(c) }

// Every kind of figure of the package (the figures mfg writes among them: a building's 20 heat
// maps, a line game's maps over time, convergence plots short enough for glyphs and long, paths
// with dashes and transparency, learning curves with bands, a legend figure) comes out of the
// svgCanvas as vgsvg writes it, byte for byte.
func TestSVGCanvasWritesVGSVGBytesOfEveryFigure(t *testing.T) {
	figures := map[string]Drawer{}
	add := func(name string, d Drawer, err error) {
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		figures[name] = d
	}
	var panels [][]float64
	var titles []string
	for f := range 5 {
		for k := range 4 {
			p := make([]float64, 100)
			for i := range p {
				p[i] = math.Exp(-float64((i%10-f)*(i%10-f)+(i/10-k)*(i/10-k)) / 7)
			}
			if f == 2 && k == 1 {
				p[17] = math.NaN()
			}
			panels, titles = append(panels, p), append(titles, "floor "+strconv.Itoa(f)+", t = "+strconv.Itoa(k))
		}
	}
	snap, err := Snapshots(panels, 10, 10, 4, titles, "building: population μ_t(floor, l, w) after 50 iterations", "w", "l", "share of the population")
	add("snapshots", snap, err)
	over := make([][]float64, 12)
	for t := range over {
		over[t] = qTable(9, 1)
	}
	ot, err := OverTime(over, OverTimeSpec{Title: "population", YLabel: "position x", BarLabel: "μ_t(x)", Label: func(i int) string { return strconv.Itoa(i - 4) }})
	add("over time", ot, err)
	figures["grid of two"] = Grid(2, "beach bar after 10 iterations", ot, ot)
	for _, n := range []int{1, 8, 120, 5000} {
		p, err := Convergence("GMF-V: convergence", "iteration k", "distance (log scale)", syntheticCurves(n)...)
		add("convergence "+strconv.Itoa(n), p, err)
	}
	p, err := Paths("distance to L*", "outer iteration k", "‖L_k − L*‖₁", true, distanceGroups(true)...)
	add("paths, log", p, err)
	p, err = Paths("distance", "k", "d", false, distanceGroups(false)...)
	add("paths", p, err)
	p, err = Lines("learning curves", "step", "return", learningCurves()...)
	add("lines", p, err)
	hm, err := HeatmapWithColorBar(qTable(12, 5), 12, 5, "Q(s, a)", "action a", "state s", "Q")
	add("heat map", hm, err)
	pair, err := HeatmapPair(qTable(6, 3), qTable(6, 3), 6, 3, "pair", "left", "right", "a", "s", "Q")
	add("pair", pair, err)
	a, _ := Convergence("a", "k", "d", syntheticCurves(8)...)
	b, _ := Convergence("b", "k", "d", syntheticCurves(9)...)
	figures["shared legend"] = Grid(3, "shared", a, b, SharedLegend(vg.Points(9), []string{"note <1> & \"2\""}, a, b))
	for name, d := range figures {
		sameSVG(t, name, d, 7*vg.Inch, 4.5*vg.Inch)
	}
	sameSVG(t, "snapshots at mfg's size", snap, 4*2.3*vg.Inch+1.2*vg.Inch, 5*2.3*vg.Inch+0.5*vg.Inch)
}

// Random drawings, every operation of a vg.Canvas with random arguments (colours opaque,
// translucent, transparent or nil; widths, dashes and offsets at and off their defaults; paths
// of moves, lines, arcs, full circles and curves; transforms in nested Push and Pop; text with
// characters HTML escapes; an image), come out of the svgCanvas as vgsvg writes them.
func TestSVGCanvasWritesVGSVGBytesOfRandomDrawings(t *testing.T) {
	faces := []font.Face{
		font.DefaultCache.Lookup(font.Font{Typeface: "Liberation", Variant: "Sans"}, 10),
		font.DefaultCache.Lookup(font.Font{Typeface: "Liberation", Variant: "Serif", Weight: xfont.WeightBold, Style: xfont.StyleItalic}, 13.5),
		font.DefaultCache.Lookup(font.Font{Typeface: "Liberation", Variant: "Mono"}, 7.25),
	}
	for seed := range uint64(60) {
		rng := rand.New(rand.NewPCG(seed, 7))
		depth := 0 // contexts pushed: the drawing pops no more
		ops := make([]func(c draw.Canvas), 40)
		for i := range ops {
			ops[i] = randomOp(rng, faces, &depth)
		}
		d := drawerFunc(func(c draw.Canvas) {
			depth = 0
			for _, op := range ops {
				op(c)
			}
		})
		sameSVG(t, "seed "+strconv.FormatUint(seed, 10), d, vg.Length(100+rng.Float64()*500), vg.Length(100+rng.Float64()*400))
	}
}

// randomOp is one random canvas operation.
func randomOp(rng *rand.Rand, faces []font.Face, depth *int) func(c draw.Canvas) {
	length := func() vg.Length {
		switch rng.IntN(6) {
		case 0:
			return 0
		case 1:
			return 1
		case 2:
			return -vg.Length(rng.Float64())
		}
		return vg.Length(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(10)-4)))
	}
	pt := func() vg.Point { return vg.Point{X: length() * 100, Y: length() * 100} }
	switch rng.IntN(9) {
	case 0:
		clr := randomColor(rng)
		return func(c draw.Canvas) { c.SetColor(clr) }
	case 1:
		w := length()
		return func(c draw.Canvas) { c.SetLineWidth(w) }
	case 2:
		dashes := make([]vg.Length, rng.IntN(4))
		for i := range dashes {
			dashes[i] = length()
		}
		off := length()
		return func(c draw.Canvas) { c.SetLineDash(dashes, off) }
	case 3:
		path := randomPath(rng, pt)
		if rng.IntN(2) == 0 {
			return func(c draw.Canvas) { c.Fill(path) }
		}
		return func(c draw.Canvas) { c.Stroke(path) }
	case 4:
		rot, p := rng.NormFloat64()*4, pt()
		x, y := rng.NormFloat64(), rng.NormFloat64()
		return func(c draw.Canvas) {
			c.Push()
			*depth++
			c.Rotate(rot)
			c.Translate(p)
			c.Scale(x, y)
		}
	case 5:
		return func(c draw.Canvas) {
			if *depth > 0 {
				c.Pop()
				*depth--
			}
		}
	case 6:
		face, p := faces[rng.IntN(len(faces))], pt()
		texts := []string{"k = 10", "‖L_k − L*‖₁", "<a & \"b\" 'c'>", "", "1e-16"}
		s := texts[rng.IntN(len(texts))]
		return func(c draw.Canvas) { c.FillString(face, p, s) }
	case 7:
		img := image.NewNRGBA64(image.Rect(0, 0, 1+rng.IntN(3), 1+rng.IntN(20)))
		for i := range img.Pix {
			img.Pix[i] = uint8(rng.IntN(256))
		}
		r := vg.Rectangle{Min: pt(), Max: pt()}
		return func(c draw.Canvas) { c.DrawImage(r, img) }
	}
	return func(c draw.Canvas) {
		c.Push()
		*depth++
	}
}

// randomColor is an opaque, translucent, transparent or nil colour.
func randomColor(rng *rand.Rand) color.Color {
	switch rng.IntN(6) {
	case 0:
		return nil
	case 1:
		return color.Black
	case 2:
		return color.RGBA{} // transparent
	case 3:
		return color.NRGBA{R: uint8(rng.IntN(256)), G: uint8(rng.IntN(256)), B: uint8(rng.IntN(256)), A: uint8(rng.IntN(256))}
	}
	return color.RGBA{R: uint8(rng.IntN(256)), G: uint8(rng.IntN(256)), B: uint8(rng.IntN(256)), A: 255}
}

// randomPath is a path of random components.
func randomPath(rng *rand.Rand, pt func() vg.Point) vg.Path {
	var path vg.Path
	for range 1 + rng.IntN(6) {
		switch rng.IntN(6) {
		case 0:
			path.Move(pt())
		case 1:
			path.Line(pt())
		case 2:
			angles := []float64{2 * math.Pi, -2 * math.Pi, 5 * math.Pi, rng.NormFloat64() * 3, math.Pi, -math.Pi / 2}
			path.Arc(pt(), vg.Length(rng.Float64()*20), rng.NormFloat64()*3, angles[rng.IntN(len(angles))])
		case 3:
			path.QuadTo(pt(), pt())
		case 4:
			path.CubeTo(pt(), pt(), pt())
		default:
			path.Close()
		}
	}
	return path
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// A write error, at the first flush or at the end, is Close's error.
func TestSVGCanvasReportsWriteErrors(t *testing.T) {
	for _, n := range []int{1, 5000} {
		c := newSVGCanvas(failingWriter{}, 100, 100)
		for range n {
			c.Fill(vg.Path{{Type: vg.MoveComp}, {Type: vg.LineComp, Pos: vg.Point{X: 1, Y: 2}}})
		}
		if err := c.Close(); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%d paths: error %v, want the writer's", n, err)
		}
	}
}

// The canvas's numbers read as vgsvg formats them (fmt's %.*g at precision 5, and %g and %v),
// special values and the cache's collisions included: a thousand numbers of a few hundred
// distinct values, written and rewritten through 512 entries.
func TestSVGNumbersAsFmt(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	values := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 1e-5, 123456, 1e21, 1.5e-7, math.Inf(1), math.Inf(-1), math.NaN(),
		math.MaxFloat64, math.SmallestNonzeroFloat64, 99999.5, 0.000099999}
	for range 300 {
		values = append(values, rng.NormFloat64()*math.Pow(10, float64(rng.IntN(30)-15)), float64(rng.IntN(1000))/8)
	}
	var buf bytes.Buffer
	c := newSVGCanvas(&buf, 10, 10)
	defer c.Close()
	for range 1000 {
		x := values[rng.IntN(len(values))]
		if got, want := string(c.number(nil, x)), fmt.Sprintf("%.*g", 5, x); got != want {
			t.Errorf("number(%v) = %q, fmt's %%.5g %q", x, got, want)
		}
		if got, want := string(appendShortest(nil, x)), fmt.Sprintf("%v", x); got != want || want != fmt.Sprintf("%g", x) {
			t.Errorf("appendShortest(%v) = %q, fmt's %%v %q", x, got, want)
		}
	}
}
